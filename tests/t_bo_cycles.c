// SPDX-License-Identifier: GPL-2.0-only
/*
 * bo_cycles: 10,000 cycles of BO life (create and close, with flags in
 * turn; every 10th also labelled, every 100th also mapped, written and
 * unmapped, every 1000th also exported and re-imported in a second file)
 * leave memory use flat: shmem memory and the file's fdinfo memory stats
 * (drm-total-memory, drm-resident-memory) return to where they started,
 * and unreclaimable slab stays within a bound that KASAN's quarantine of
 * freed objects explains. The numbers are printed. kmemleak, which the
 * guest scans after the tests, checks the rest.
 *
 * The fdinfo stats are also checked while BOs are alive: a created BO
 * counts in drm-total-memory, and in drm-resident-memory once touched.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define CYCLES		10000
#define WARMUP		200
#define BO_SIZE		(64 * 1024)

struct snap {
	long shmem_kb, sunreclaim_kb, memfree_kb;
	long long total, resident;	/* fdinfo, bytes; -1 if absent */
};

/* A "drm-<key>-memory:\t<n> [KiB|MiB|GiB]" line of the fd's fdinfo, in bytes. */
static long long fdinfo_bytes(int fd, const char *key)
{
	char path[64], buf[8192], *p, *end;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK(!read_file(path, buf, sizeof(buf)), "cannot read %s", path);
	p = strstr(buf, key);
	if (!p)
		return -1;
	return size_with_unit(p + strlen(key), &end);
}

static void snap(int fd, struct snap *s)
{
	/* Let deferred frees (RCU, delayed fput) and reclaimable caches settle. */
	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
	msleep(200);
	s->shmem_kb = meminfo_kb("Shmem:");
	s->sunreclaim_kb = meminfo_kb("SUnreclaim:");
	s->memfree_kb = meminfo_kb("MemFree:");
	s->total = fdinfo_bytes(fd, "drm-total-memory:");
	s->resident = fdinfo_bytes(fd, "drm-resident-memory:");
}

static void cycle(int fd, int fd2, unsigned int n)
{
	static const uint32_t flags[] = { 0, DRM_PANTHOR_BO_WB_MMAP, DRM_PANTHOR_BO_NO_MMAP };
	uint32_t f = flags[n % 3], h = bo_create(fd, BO_SIZE, f, 0);
	char label[32];
	struct drm_panthor_bo_set_label sl = { .handle = h, .label = (uintptr_t)label };
	uint32_t *p;

	if (!(n % 10)) {
		snprintf(label, sizeof(label), "cycle-%u", n);
		CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
	}
	if (!(n % 100) && !(f & DRM_PANTHOR_BO_NO_MMAP)) {
		p = bo_mmap(fd, h, BO_SIZE);
		p[0] = n;
		p[BO_SIZE / 4 - 1] = ~n;
		munmap(p, BO_SIZE);
	}
	if (!(n % 1000)) {
		int prime_fd;
		uint32_t h2;

		CHECK(!drmPrimeHandleToFD(fd, h, DRM_CLOEXEC | DRM_RDWR, &prime_fd),
		      "cycle %u: export failed: %s", n, strerror(errno));
		CHECK(!drmPrimeFDToHandle(fd2, prime_fd, &h2), "cycle %u: import failed: %s",
		      n, strerror(errno));
		close(prime_fd);
		bo_close(fd2, h2);
	}
	bo_close(fd, h);
}

static void print_snap(const char *name, const struct snap *s)
{
	printf("%-7s Shmem %ld kB, SUnreclaim %ld kB, MemFree %ld kB, fdinfo total %lld B, resident %lld B\n",
	       name, s->shmem_kb, s->sunreclaim_kb, s->memfree_kb, s->total, s->resident);
}

int main(void)
{
	int fd = open_render(), fd2 = open_render();
	struct timespec t0, t1;
	struct snap s0, s1, s2;
	long long total, resident;
	uint32_t h, *p;
	unsigned int n;

	/* fdinfo sees a live BO: in total at once, resident once touched. */
	snap(fd, &s0);
	h = bo_create(fd, 1 << 20, 0, 0);
	total = fdinfo_bytes(fd, "drm-total-memory:");
	CHECK(total >= s0.total + (1 << 20), "fdinfo total %lld after a 1 MiB BO, was %lld",
	      total, s0.total);
	p = bo_mmap(fd, h, 1 << 20);
	p[0] = 1;
	resident = fdinfo_bytes(fd, "drm-resident-memory:");
	CHECK(resident >= s0.resident + (1 << 20),
	      "fdinfo resident %lld after touching a 1 MiB BO, was %lld", resident, s0.resident);
	printf("fdinfo with a 1 MiB BO: total %lld B, resident %lld B\n", total, resident);
	munmap(p, 1 << 20);
	bo_close(fd, h);

	for (n = 0; n < WARMUP; n++)
		cycle(fd, fd2, n);
	snap(fd, &s1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < CYCLES; n++)
		cycle(fd, fd2, n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snap(fd, &s2);

	printf("%u create/free cycles of %u KiB BOs in %.1f s (after %u warm-up cycles):\n",
	       CYCLES, BO_SIZE / 1024,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, WARMUP);
	print_snap("start", &s0);
	print_snap("before", &s1);
	print_snap("after", &s2);
	printf("delta   Shmem %+ld kB, SUnreclaim %+ld kB, MemFree %+ld kB, fdinfo total %+lld B, resident %+lld B\n",
	       s2.shmem_kb - s1.shmem_kb, s2.sunreclaim_kb - s1.sunreclaim_kb,
	       s2.memfree_kb - s1.memfree_kb, s2.total - s1.total, s2.resident - s1.resident);

	CHECK(s2.total == s0.total && s2.resident == s0.resident,
	      "fdinfo memory not back to start: total %lld -> %lld, resident %lld -> %lld",
	      s0.total, s2.total, s0.resident, s2.resident);
	/* Every cycle allocates 64 KiB of shmem: a leak of one BO in 100 shows. */
	CHECK(s2.shmem_kb - s1.shmem_kb <= 256, "Shmem grew by %ld kB",
	      s2.shmem_kb - s1.shmem_kb);
	/*
	 * KASAN holds freed slab objects in a quarantine of up to 1/32 of
	 * memory before it really frees them; beyond that, slab grows only
	 * by leaks.
	 */
	CHECK(s2.sunreclaim_kb - s1.sunreclaim_kb <= 32 * 1024,
	      "unreclaimable slab grew by %ld kB", s2.sunreclaim_kb - s1.sunreclaim_kb);
	close(fd2);
	close(fd);
	printf("ok\n");
	return 0;
}
