// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_exclusive_bo: a BO created with an exclusive VM maps in that VM, and
 * is refused (EINVAL) by another VM and by PRIME export; an unknown
 * exclusive VM is refused at creation. Destroying the VM while the BO is
 * still mapped, then closing the BO, leaves nothing behind (kmemleak and
 * the kernel log check that).
 */
#include <fcntl.h>

#include "common.h"

int main(void)
{
	int fd = open_render(), prime_fd = -1;
	uint32_t a = vm_create(fd), b = vm_create(fd), bo;
	struct drm_panthor_bo_create c = { .size = 0x10000, .exclusive_vm_id = 99 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = 0x200000, .size = 0x10000,
	};
	struct drm_panthor_vm_bind bind = { .vm_id = b, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	int r;

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);

	bo = bo_create(fd, 0x10000, 0, a);
	vm_map(fd, a, bo, 0x200000, 0x10000, 0);

	op.bo_handle = bo;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, EINVAL);

	r = drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC | DRM_RDWR, &prime_fd);
	CHECK(r && errno == EINVAL, "exporting a VM-private BO: got %s, want %s",
	      r ? strerror(errno) : "success", strerror(EINVAL));

	/* The VM goes first, with the BO mapped; then the BO. */
	vm_destroy(fd, a);
	bo_close(fd, bo);
	vm_destroy(fd, b);
	printf("ok\n");
	return 0;
}
