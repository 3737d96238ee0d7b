// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_prime: a BO exported as a dma-buf from one file and imported in a
 * second file of the same device is the same BO: both files map the same
 * memory, the import keeps the creation flags and is not flagged as
 * imported (it comes from this driver), and it outlives the exporter's
 * handle and the dma-buf fd. Importing twice gives the same handle. The
 * dma-buf itself can be mapped, unless the BO is NO_MMAP (forseti: EPERM;
 * panthor allows it, which is only noted). Bad handles and fds are rejected
 * (ENOENT, EBADF). A BO with an exclusive VM cannot be exported (EINVAL);
 * that part needs VM_CREATE and is skipped, saying so, without it.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

static int export(int fd, uint32_t handle, int *prime_fd)
{
	return drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, prime_fd);
}

static uint32_t import(int fd, int prime_fd)
{
	uint32_t handle = 0;

	CHECK(!drmPrimeFDToHandle(fd, prime_fd, &handle),
	      "PRIME import failed: %s", strerror(errno));
	CHECK(handle, "PRIME import returned handle 0");
	return handle;
}

/*
 * forseti refuses to map a NO_MMAP BO through its dma-buf too (EPERM);
 * panthor (7.3) checks NO_MMAP in BO_MMAP_OFFSET only.
 */
static void check_nommap_dmabuf(int fd, int prime_fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool forseti = v && v->desc && strstr(v->desc, "forseti");
	void *p;

	drmFreeVersion(v);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, prime_fd, 0);
	if (!forseti) {
		printf("note: mmap of a NO_MMAP BO's dma-buf %s (panthor)\n",
		       p == MAP_FAILED ? "refused" : "allowed");
		if (p != MAP_FAILED)
			munmap(p, 4096);
		return;
	}
	CHECK(p == MAP_FAILED && errno == EPERM,
	      "mmap of a NO_MMAP BO's dma-buf: expected EPERM, got %s",
	      p == MAP_FAILED ? strerror(errno) : "success");
	printf("NO_MMAP BO's dma-buf cannot be mapped\n");
}

static void check_exclusive_vm(int fd)
{
	struct drm_panthor_vm_create vc = { .user_va_range = USER_VA_RANGE };
	int prime_fd = -1;
	uint32_t h;

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc)) {
		CHECK(errno == EOPNOTSUPP, "VM_CREATE failed: %s", strerror(errno));
		printf("exclusive-VM export: skipped, no VM_CREATE (topic 4-vm)\n");
		return;
	}
	h = bo_create(fd, 4096, 0, vc.id);
	CHECK(export(fd, h, &prime_fd) && errno == EINVAL,
	      "export of a BO with an exclusive VM: expected EINVAL, got %s",
	      prime_fd >= 0 ? "success" : strerror(errno));
	bo_close(fd, h);
	vm_destroy(fd, vc.id);
	printf("exclusive-VM export refused\n");
}

int main(void)
{
	int fd1 = open_render(), fd2 = open_render();
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_bo_create c = { .size = 3 * 4096 + 1 };
	uint32_t h2, h2b, nommap, *a, *b, *d;
	int prime_fd, bad_fd;
	size_t i, words;

	CHECK(fd1 != fd2, "two opens gave one fd");
	CHECK_IOCTL(fd1, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	words = c.size / 4;
	a = bo_mmap(fd1, c.handle, c.size);
	for (i = 0; i < words; i++)
		a[i] = 0xc0de0000 + i;

	CHECK(!export(fd1, c.handle, &prime_fd), "PRIME export failed: %s", strerror(errno));
	CHECK(lseek(prime_fd, 0, SEEK_END) == (off_t)c.size, "dma-buf size %lld, want %llu",
	      (long long)lseek(prime_fd, 0, SEEK_END), (unsigned long long)c.size);
	h2 = import(fd2, prime_fd);
	h2b = import(fd2, prime_fd);
	CHECK(h2 == h2b, "second import gave handle %u, first %u", h2b, h2);

	qi.handle = h2;
	CHECK_IOCTL(fd2, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	CHECK(qi.create_flags == 0 && qi.extra_flags == 0,
	      "re-imported BO reports flags %x/%x, want 0/0 (same driver)",
	      qi.create_flags, qi.extra_flags);

	/* Both files map the same memory, both ways. */
	b = bo_mmap(fd2, h2, c.size);
	for (i = 0; i < words; i++)
		CHECK(b[i] == 0xc0de0000 + i, "importer reads 0x%x at word %zu", b[i], i);
	for (i = 0; i < words; i++)
		b[i] = ~(uint32_t)i;
	for (i = 0; i < words; i++)
		CHECK(a[i] == ~(uint32_t)i, "exporter reads 0x%x at word %zu", a[i], i);

	/* So does the dma-buf. */
	d = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, prime_fd, 0);
	CHECK(d != MAP_FAILED, "mmap of the dma-buf failed: %s", strerror(errno));
	CHECK(d[words - 1] == ~(uint32_t)(words - 1), "dma-buf mapping reads 0x%x",
	      d[words - 1]);
	munmap(d, c.size);

	/* The import outlives the exporter's handle and mapping, and the fd. */
	munmap(a, c.size);
	bo_close(fd1, c.handle);
	close(prime_fd);
	for (i = 0; i < words; i++)
		CHECK(b[i] == ~(uint32_t)i, "after the exporter closed: 0x%x at word %zu",
		      b[i], i);
	munmap(b, c.size);
	bo_close(fd2, h2);
	printf("export/import across two files: %llu bytes shared\n",
	       (unsigned long long)c.size);

	/* A NO_MMAP BO exports and keeps its flags. */
	nommap = bo_create(fd1, 4096, DRM_PANTHOR_BO_NO_MMAP, 0);
	CHECK(!export(fd1, nommap, &prime_fd), "export of a NO_MMAP BO: %s", strerror(errno));
	check_nommap_dmabuf(fd1, prime_fd);
	h2 = import(fd2, prime_fd);
	qi = (struct drm_panthor_bo_query_info){ .handle = h2 };
	CHECK_IOCTL(fd2, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	CHECK(qi.create_flags == DRM_PANTHOR_BO_NO_MMAP,
	      "re-imported NO_MMAP BO reports flags %x", qi.create_flags);
	close(prime_fd);
	bo_close(fd2, h2);
	bo_close(fd1, nommap);

	/* Bad handles and fds. */
	prime_fd = -1;
	CHECK(export(fd1, 0x7777, &prime_fd) && errno == ENOENT,
	      "export of an unknown handle: expected ENOENT, got %s",
	      prime_fd >= 0 ? "success" : strerror(errno));
	bad_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK(bad_fd >= 0, "open /dev/null: %s", strerror(errno));
	close(bad_fd);
	h2 = 0;
	CHECK(drmPrimeFDToHandle(fd2, bad_fd, &h2) && errno == EBADF,
	      "import of a closed fd: expected EBADF, got %s",
	      h2 ? "success" : strerror(errno));

	check_exclusive_vm(fd1);
	close(fd1);
	close(fd2);
	printf("ok\n");
	return 0;
}
