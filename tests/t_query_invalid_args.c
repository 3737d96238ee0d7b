// SPDX-License-Identifier: GPL-2.0-only
/*
 * query_invalid_args: DEV_QUERY rejects an unknown query type with EINVAL
 * (with and without a pointer), a bad user pointer with EFAULT and a user
 * struct smaller than the first version of the uAPI struct with EINVAL.
 * (A larger input struct with non-zero extra bytes, E2BIG, needs a query
 * that takes input: query_timestamp_info checks it.)
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct drm_panthor_dev_query q = { .type = 0x1234 };
	struct drm_panthor_gpu_info big;

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, EINVAL);
	q.pointer = (uintptr_t)&big;
	q.size = sizeof(big);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, EINVAL);

	q.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO;
	q.pointer = 8;	/* unmapped */
	q.size = sizeof(struct drm_panthor_gpu_info);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, EFAULT);

	/* Smaller than the first version of the struct. */
	q.pointer = (uintptr_t)&big;
	q.size = 4;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, EINVAL);

	printf("ok\n");
	return 0;
}
