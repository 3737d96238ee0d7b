// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_invalid_args: the BO ioctls reject bad arguments with the documented
 * errno: BO_CREATE (zero size, unknown flags, NO_MMAP with WB_MMAP,
 * non-zero pad, unknown exclusive VM: EINVAL), BO_MMAP_OFFSET (unknown
 * handle: ENOENT, non-zero pad: EINVAL), BO_SET_LABEL (unknown handle:
 * ENOENT, pad: EINVAL), BO_QUERY_INFO and BO_SYNC (unknown handle: ENOENT).
 * Also: every unknown BO_CREATE flag bit, sizes too large to back with
 * shmem (EINVAL) or to round up to pages (EINVAL; panthor says ENOSPC,
 * which is accepted from it only); handle 0 (ENOENT); labels that
 * fault (EFAULT) or do not fit in 4096 bytes (E2BIG); BO_SYNC ops with
 * an unknown type or a range outside the BO or wrapping around (EINVAL),
 * a stride too small (EINVAL), non-zero bytes past the known struct
 * (E2BIG), a faulting array (EFAULT); an empty BO_SYNC array is a no-op,
 * and a larger stride with zeroed extra bytes is accepted.
 */
#include <sys/mman.h>

#include "common.h"

/*
 * A size that wraps around to zero when rounded up to pages: EINVAL.
 * panthor (7.3) rounds it to a zero-sized object, which then gets no
 * mmap offset: ENOSPC. Both refuse it; forseti must say EINVAL.
 */
static void check_wrapping_size(int fd, uint64_t size)
{
	struct drm_panthor_bo_create c = { .size = size };
	int r = drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);

	CHECK(r == -1, "BO_CREATE of size 0x%llx succeeded with size %llu",
	      (unsigned long long)size, (unsigned long long)c.size);
	if (errno == ENOSPC && !is_forseti(fd)) {
		printf("note: size 0x%llx refused with ENOSPC (panthor)\n",
		       (unsigned long long)size);
		return;
	}
	CHECK(errno == EINVAL, "BO_CREATE of size 0x%llx: expected EINVAL, got %s",
	      (unsigned long long)size, strerror(errno));
}

static void check_create(int fd)
{
	struct drm_panthor_bo_create c;
	unsigned int bit;

	for (bit = 2; bit < 32; bit++) {
		c = (struct drm_panthor_bo_create){ .size = 4096, .flags = 1u << bit };
		CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
		c = (struct drm_panthor_bo_create){ .size = 4096,
			.flags = DRM_PANTHOR_BO_WB_MMAP | 1u << bit };
		CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	}
	/* Larger than a shmem file can be. */
	c = (struct drm_panthor_bo_create){ .size = 1ull << 63 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);
	c = (struct drm_panthor_bo_create){ .size = (1ull << 63) + 4096 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, EINVAL);

	check_wrapping_size(fd, ~0ull);
	check_wrapping_size(fd, ~0ull - 4094);
}

static void check_more(int fd, uint32_t h)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = 0 };
	struct drm_panthor_bo_query_info qi = { .handle = 0 };
	struct drm_panthor_bo_set_label sl = { .handle = 0, .label = (uintptr_t)"x" };
	struct drm_panthor_bo_sync_op op = { .handle = h, .size = 4096 };
	struct drm_panthor_bo_sync bs = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	struct {
		struct drm_panthor_bo_sync_op op;
		uint64_t extra;
	} big = { .op = { .handle = h, .size = 4096 } };
	char *label;
	void *unmapped;

	check_create(fd);

	/* Handle 0 is never valid. */
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, ENOENT);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi, ENOENT);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl, ENOENT);

	/* Labels: faulting, and one byte too long. */
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(unmapped != MAP_FAILED, "mmap: %s", strerror(errno));
	sl = (struct drm_panthor_bo_set_label){ .handle = h, .label = (uintptr_t)unmapped };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl, EFAULT);
	label = malloc(4097);
	CHECK(label, "malloc");
	memset(label, 'y', 4096);
	label[4096] = 0;
	sl.label = (uintptr_t)label;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl, E2BIG);
	free(label);

	/* BO_SYNC: a valid op, then each field wrong in turn. */
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
	op.type = 2;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, EINVAL);
	op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH;
	op.offset = 4096;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, EINVAL);
	op.offset = 1;
	op.size = ~0ull;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, EINVAL);
	op.offset = 0;
	op.size = 4096;
	bs.ops.stride = sizeof(op) - 8;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, EINVAL);
	bs.ops.stride = sizeof(op);
	bs.ops.array = (uintptr_t)unmapped;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, EFAULT);
	/* An empty array is not even read. */
	bs.ops.count = 0;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
	/* A newer userspace's larger op: zeroed extra bytes are fine. */
	bs = (struct drm_panthor_bo_sync){ .ops = DRM_PANTHOR_OBJ_ARRAY(1, &big) };
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
	big.extra = 1;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs, E2BIG);
	munmap(unmapped, 4096);
}

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
	check_more(fd, h);
	bo_close(fd, h);
	printf("ok\n");
	return 0;
}
