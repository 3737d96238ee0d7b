// SPDX-License-Identifier: GPL-2.0-only
/*
 * unbind_rebind: unbinding the driver from the GPU removes the render
 * node, even with a file open that holds a VM with a mapping and a CPU
 * mapping of a BO (what the driver has so far: a driver at its first
 * topic has neither); that file's ioctls then fail with ENODEV, and closing
 * it afterwards is clean (the guest's kernel log is checked for reports).
 * Binding again probes the device from scratch: the node comes back,
 * answers GPU_INFO, and, if the driver answered CSIF_INFO before (its
 * firmware was up), answers it again identically (the firmware booted
 * again); a VM and a mapping work on it.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

int main(void)
{
	int fd = open_render();
	struct drm_panthor_csif_info before;
	bool had_csif = !try_csif_info(fd, &before);
	enum held held;
	uint32_t *p = hold_objects(fd, &held);
	struct drm_panthor_gpu_info gi;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gi),
		.pointer = (uintptr_t)&gi,
	};

	driver_attr("unbind");
	CHECK(access("/dev/dri/renderD128", F_OK), "render node still there after unbind");
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, ENODEV);
	if (p)
		munmap(p, 0x10000);
	close(fd);
	printf("unbound with the file open; closed after\n");

	driver_attr("bind");
	render_node_wait(5000);
	fd = open_render();
	CHECK(DRM_PANTHOR_ARCH_MAJOR(query_gpu_info(fd).gpu_id) == 10, "GPU_INFO after rebind");
	/* Whatever the device answered before, it answers the same again. */
	if (had_csif) {
		struct drm_panthor_csif_info after;

		CHECK(!try_csif_info(fd, &after), "CSIF_INFO fails after rebind");
		CHECK(!memcmp(&before, &after, sizeof(before)), "CSIF_INFO changed after rebind");
	}
	use_objects(fd, held);
	close(fd);
	printf("ok\n");
	return 0;
}
