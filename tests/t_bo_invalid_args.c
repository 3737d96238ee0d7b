// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_invalid_args: the BO ioctls reject bad arguments with the documented
 * errno: BO_CREATE (zero size, unknown flags, NO_MMAP with WB_MMAP,
 * non-zero pad, unknown exclusive VM: EINVAL), BO_MMAP_OFFSET (unknown
 * handle: ENOENT, non-zero pad: EINVAL), BO_SET_LABEL (unknown handle:
 * ENOENT, pad: EINVAL), BO_QUERY_INFO and BO_SYNC (unknown handle: ENOENT).
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct drm_panthor_bo_create c;
	struct drm_panthor_bo_mmap_offset mo = { .handle = 0x7777 };
	struct drm_panthor_bo_set_label sl = { .handle = 0x7777 };
	struct drm_panthor_bo_query_info qi = { .handle = 0x7777 };
	struct drm_panthor_bo_sync_op op = { .handle = 0x7777, .size = 4096 };
	struct drm_panthor_bo_sync bs = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	uint32_t h;

	c = (struct drm_panthor_bo_create){ .size = 0 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	c = (struct drm_panthor_bo_create){ .size = 4096, .flags = 1u << 7 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	c = (struct drm_panthor_bo_create){ .size = 4096,
		.flags = DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	c = (struct drm_panthor_bo_create){ .size = 4096, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	c = (struct drm_panthor_bo_create){ .size = 4096, .exclusive_vm_id = 77 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, ENOENT);
	h = bo_create(fd, 4096, 0, 0);
	mo = (struct drm_panthor_bo_mmap_offset){ .handle = h, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, EINVAL);

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl, ENOENT);
	sl = (struct drm_panthor_bo_set_label){ .handle = h, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl, EINVAL);

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi, ENOENT);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, ENOENT);
	bo_close(fd, h);
	printf("ok\n");
	return 0;
}
