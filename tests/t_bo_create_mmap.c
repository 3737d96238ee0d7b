// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_create_mmap: BO_CREATE rounds the size up to pages and returns a
 * handle; BO_MMAP_OFFSET gives an offset at which the BO can be mapped,
 * read and written; two mappings of one BO see the same memory; a new BO
 * reads as zero; BO_QUERY_INFO reports the creation flags; a NO_MMAP BO
 * cannot be mapped (EPERM). A WB_MMAP (cached) BO maps, reads and writes
 * the same way, and BO_SYNC cleans and invalidates ranges of it. Sizes
 * round up to pages exactly; labels can be set, replaced and removed.
 */
#include <sys/mman.h>

#include "common.h"

static void check_sizes(int fd)
{
	static const struct { uint64_t in, out; } sizes[] = {
		{ 1, 4096 }, { 4095, 4096 }, { 4096, 4096 }, { 4097, 8192 },
		{ 1 << 20, 1 << 20 }, { (1 << 20) + 1, (1 << 20) + 4096 },
	};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct drm_panthor_bo_create c = { .size = sizes[i].in };

		CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
		CHECK(c.size == sizes[i].out && c.handle, "size %llu gave size %llu, handle %u",
		      (unsigned long long)sizes[i].in, (unsigned long long)c.size, c.handle);
		bo_close(fd, c.handle);
	}
	printf("sizes round up to pages\n");
}

static void check_wb_mmap(int fd)
{
	struct drm_panthor_bo_create c = { .size = 3 * 4096, .flags = DRM_PANTHOR_BO_WB_MMAP };
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_bo_sync_op ops[] = {
		{ .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, .offset = 0, .size = 3 * 4096 },
		{ .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE,
		  .offset = 100, .size = 5000 },
		{ .type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, .offset = 3 * 4096, .size = 0 },
	};
	struct drm_panthor_bo_sync bs = { .ops = DRM_PANTHOR_OBJ_ARRAY(3, ops) };
	uint32_t *a;
	size_t i;

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	qi.handle = c.handle;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	CHECK(qi.create_flags == DRM_PANTHOR_BO_WB_MMAP && qi.extra_flags == 0,
	      "WB_MMAP BO reports flags %x/%x", qi.create_flags, qi.extra_flags);

	/* BO_SYNC before the BO has pages, then after it is written. */
	for (i = 0; i < 3; i++)
		ops[i].handle = c.handle;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
	a = bo_mmap(fd, c.handle, c.size);
	for (i = 0; i < c.size / 4; i++)
		CHECK(a[i] == 0, "new WB_MMAP BO not zeroed at word %zu", i);
	for (i = 0; i < c.size / 4; i++)
		a[i] = 0xb0b00000 + i;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
	for (i = 0; i < c.size / 4; i++)
		CHECK(a[i] == 0xb0b00000 + i, "WB_MMAP BO reads 0x%x at word %zu after BO_SYNC",
		      a[i], i);
	munmap(a, c.size);
	bo_close(fd, c.handle);
	printf("WB_MMAP BO mapped, written, synced\n");
}

static void check_labels(int fd)
{
	char long_label[4096];
	uint32_t h = bo_create(fd, 4096, 0, 0);
	struct drm_panthor_bo_set_label sl = { .handle = h, .label = (uintptr_t)"first" };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	sl.label = (uintptr_t)"second";
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	sl.label = (uintptr_t)"";
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	/* The longest label: 4095 characters and the NUL. */
	memset(long_label, 'x', sizeof(long_label) - 1);
	long_label[sizeof(long_label) - 1] = 0;
	sl.label = (uintptr_t)long_label;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	sl.label = 0;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	/* Freed with a label on. */
	sl.label = (uintptr_t)"last";
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	bo_close(fd, h);
	printf("labels set, replaced, removed\n");
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_bo_create c = { .size = 5000 };
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	uint32_t *a, *b, nommap;
	size_t i;

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	CHECK(c.size == 8192, "5000-byte BO got size %llu, want 8192",
	      (unsigned long long)c.size);

	a = bo_mmap(fd, c.handle, c.size);
	b = bo_mmap(fd, c.handle, c.size);
	for (i = 0; i < c.size / 4; i++)
		CHECK(a[i] == 0, "new BO not zeroed at word %zu", i);
	for (i = 0; i < c.size / 4; i++)
		a[i] = 0x1000 + i;
	for (i = 0; i < c.size / 4; i++)
		CHECK(b[i] == 0x1000 + i, "second mapping sees 0x%x at word %zu", b[i], i);
	munmap(a, c.size);
	munmap(b, c.size);

	qi.handle = c.handle;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	CHECK(qi.create_flags == 0 && qi.extra_flags == 0, "query info flags %x/%x",
	      qi.create_flags, qi.extra_flags);

	nommap = bo_create(fd, 4096, DRM_PANTHOR_BO_NO_MMAP, 0);
	mo.handle = nommap;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, EPERM);
	qi.handle = nommap;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	CHECK(qi.create_flags == DRM_PANTHOR_BO_NO_MMAP, "NO_MMAP BO reports flags %x",
	      qi.create_flags);
	bo_close(fd, nommap);
	bo_close(fd, c.handle);

	check_sizes(fd);
	check_wb_mmap(fd);
	check_labels(fd);
	printf("ok\n");
	return 0;
}
