// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_create_mmap: BO_CREATE rounds the size up to pages and returns a
 * handle; BO_MMAP_OFFSET gives an offset at which the BO can be mapped,
 * read and written; two mappings of one BO see the same memory; a new BO
 * reads as zero; BO_QUERY_INFO reports the creation flags; a NO_MMAP BO
 * cannot be mapped (EPERM).
 */
#include <sys/mman.h>

#include "common.h"

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
	printf("ok\n");
	return 0;
}
