// SPDX-License-Identifier: GPL-2.0-only
/*
 * query_gpu_info: DEV_QUERY(GPU_INFO) reports the simulated Mali-G610 as
 * its registers describe it, answers a size probe, and honours the
 * extensible-struct rule for a short user struct.
 */
#include <stddef.h>

#include "common.h"

int main(void)
{
	int fd = open_render();
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };
	const size_t first = offsetof(struct drm_panthor_gpu_info, core_features);
	unsigned char small[sizeof(struct drm_panthor_gpu_info) + 8];

	printf("gpu_id 0x%08x arch %u.%u product %u, shader_present 0x%llx\n",
	       gi.gpu_id, DRM_PANTHOR_ARCH_MAJOR(gi.gpu_id),
	       DRM_PANTHOR_ARCH_MINOR(gi.gpu_id), DRM_PANTHOR_PRODUCT_MAJOR(gi.gpu_id),
	       (unsigned long long)gi.shader_present);
	CHECK(DRM_PANTHOR_ARCH_MAJOR(gi.gpu_id) == 10, "arch major %u, want 10",
	      DRM_PANTHOR_ARCH_MAJOR(gi.gpu_id));
	CHECK(DRM_PANTHOR_ARCH_MINOR(gi.gpu_id) == 8, "arch minor %u, want 8",
	      DRM_PANTHOR_ARCH_MINOR(gi.gpu_id));
	CHECK(DRM_PANTHOR_PRODUCT_MAJOR(gi.gpu_id) == 7, "product major %u, want 7 (G610)",
	      DRM_PANTHOR_PRODUCT_MAJOR(gi.gpu_id));
	CHECK(gi.shader_present == 0x50005, "shader_present 0x%llx",
	      (unsigned long long)gi.shader_present);
	CHECK(gi.tiler_present == 1 && gi.l2_present == 1, "tiler/l2 present %llx/%llx",
	      (unsigned long long)gi.tiler_present, (unsigned long long)gi.l2_present);
	CHECK(gi.as_present == 0xff, "as_present 0x%x", gi.as_present);
	CHECK(DRM_PANTHOR_MMU_VA_BITS(gi.mmu_features) == 48, "VA bits %u",
	      DRM_PANTHOR_MMU_VA_BITS(gi.mmu_features));
	CHECK(gi.max_threads == 2048, "max_threads %u", gi.max_threads);
	CHECK(gi.coherency_features & 1, "ACE-Lite coherency not reported (0x%x)",
	      gi.coherency_features);
	CHECK(gi.selected_coherency == DRM_PANTHOR_GPU_COHERENCY_ACE_LITE,
	      "selected coherency %u with a dma-coherent node", gi.selected_coherency);

	/* Size probe: a NULL pointer returns the kernel's struct size. */
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	CHECK(q.size == sizeof(gi), "size probe says %u, uAPI struct is %zu",
	      q.size, sizeof(gi));

	/*
	 * A user struct of the first uAPI version (up to tiler_present) gets
	 * exactly its size copied, nothing more.
	 */
	memset(small, 0x5a, sizeof(small));
	q.size = first;
	q.pointer = (uintptr_t)small;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	CHECK(!memcmp(small, &gi, first), "short copy differs from the full one");
	CHECK(small[first] == 0x5a, "short copy wrote past the user's size");

	/* A larger user struct gets its tail zeroed. */
	memset(small, 0x5a, sizeof(small));
	q.size = sizeof(small);
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	CHECK(small[sizeof(gi)] == 0 && small[sizeof(small) - 1] == 0,
	      "tail of a larger user struct not zeroed");
	printf("ok\n");
	return 0;
}
