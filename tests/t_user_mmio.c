// SPDX-License-Identifier: GPL-2.0-only
/*
 * user_mmio: the LATEST_FLUSH_ID page that Mesa maps read-only at device
 * creation (DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET), and
 * DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET (uAPI 1.5).
 *
 * - The page maps at the file's user MMIO offset, the 64-bit one by
 *   default for this 64-bit process, one page, shared, read-only; it
 *   reads LATEST_FLUSH_ID: a job's cache flush (FLUSH_CACHE2) makes the
 *   value read through the mapping grow. The simulator backs the page
 *   with RAM it keeps up to date (sim/sim_core.c); in a guest where it
 *   cannot (mali_sim's user_page reads N: a read would kill this
 *   process), the reads are left out and the test passes as partial.
 * - Refused (EINVAL): a private mapping, PROT_WRITE, PROT_EXEC, two
 *   pages, the page after it. The mapping cannot be made writable later
 *   (mprotect: EACCES); on forseti, nor executable (panthor allows
 *   mprotect(PROT_EXEC) on it: not checked there).
 * - It is not inherited by fork(): the child faults on it (SIGSEGV).
 * - SET_USER_MMIO_OFFSET accepts the two offsets of the uAPI and nothing
 *   else (EINVAL), and a refused call changes nothing: the page still maps
 *   at the offset in force. After the 32-bit offset is set, the page maps
 *   there and no longer at the 64-bit one; a mapping made before the
 *   change keeps working (the offset is looked at only when mapping); BO
 *   mappings keep working; switching back restores the 64-bit offset.
 */
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define OFF64	DRM_PANTHOR_USER_MMIO_OFFSET_64BIT
#define OFF32	DRM_PANTHOR_USER_MMIO_OFFSET_32BIT
#define USER_PAGE_KNOB	"/sys/module/mali_sim/parameters/user_page"

static long page;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

/* Read the first word of @p; false (with the signal in fault_sig) if it faults. */
static bool try_read(const volatile uint32_t *p, uint32_t *val)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_segv, old_bus;
	bool ok = false;

	fault_sig = 0;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	if (!sigsetjmp(fault_jmp, 1)) {
		*val = *p;
		ok = true;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return ok;
}

static void *map(int fd, size_t len, int prot, int flags, uint64_t off)
{
	return mmap(NULL, len, prot, flags, fd, (off_t)off);
}

/* The mapping of @len bytes at @off with @prot/@flags must fail with @err. */
static void check_refused(int fd, size_t len, int prot, int flags,
			  uint64_t off, int err, const char *what)
{
	void *p = map(fd, len, prot, flags, off);

	if (p != MAP_FAILED)
		munmap(p, len);
	CHECK(p == MAP_FAILED && errno == err,
	      "%s at %#llx: expected %s, got %s", what,
	      (unsigned long long)off, strerror(err),
	      p == MAP_FAILED ? strerror(errno) : "a mapping");
	printf("  refused: %s at %#llx (%s)\n", what, (unsigned long long)off,
	       strerror(err));
}

/* The LATEST_FLUSH page must map at @off: returns the mapping. */
static volatile uint32_t *map_flush_id(int fd, uint64_t off)
{
	void *p = map(fd, page, PROT_READ, MAP_SHARED, off);

	CHECK(p != MAP_FAILED, "mmap of the LATEST_FLUSH page at %#llx: %s",
	      (unsigned long long)off, strerror(errno));
	return p;
}

static int set_offset(int fd, uint64_t off)
{
	struct drm_panthor_set_user_mmio_offset o = { .offset = off };

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &o) ? errno : 0;
}

/* Run a job whose only work is a cache flush (FLUSH_CACHE2, clean+invalidate). */
static void flush_job(struct job_ctx *j)
{
	uint32_t s;

	job_reset(j);
	/* FLUSH_CACHE2: L2 and LSC clean+invalidate (flush ID in r0: 0). */
	job_emit(j, cs_move32(0, 0));
	job_emit(j, cs_raw(36, (3ull << 0) | (3ull << 4)));
	s = job_submit(j, 0);
	CHECK(!syncobj_wait(j->fd, s, 10000), "the flush job did not complete");
	drmSyncobjDestroy(j->fd, s);
}

/* The fork child must not have the mapping. */
static void check_not_inherited(volatile uint32_t *p)
{
	pid_t pid = fork();
	int status;

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		uint32_t v;

		/* 0: no mapping (faults); 1: the page was copied. */
		_exit(try_read(p, &v) ? 1 : (fault_sig == SIGSEGV ? 0 : 2));
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "fork: the child %s",
	      WIFEXITED(status) && WEXITSTATUS(status) == 1 ?
	      "inherited the LATEST_FLUSH mapping" :
	      "did not fault with SIGSEGV on the parent's LATEST_FLUSH mapping");
	printf("  fork: the child does not inherit the mapping\n");
}

int main(void)
{
	static const uint64_t bad[] = {
		0, 1, OFF32 + 0x1000, OFF32 - 0x1000, OFF64 + 0x1000,
		OFF64 | OFF32, 1ull << 63, ~0ull,
	};
	int fd = open_render();
	volatile uint32_t *flush, *flush32, *before;
	uint32_t a, b, bo, *bomap;
	const char *unreadable = NULL;
	char knob[8] = "";
	struct job_ctx j;
	unsigned int i;
	int r;

	page = sysconf(_SC_PAGESIZE);
	CHECK(sizeof(long) == 8, "this test assumes a 64-bit process");

	/* The default offset: the 64-bit one. */
	flush = map_flush_id(fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	printf("LATEST_FLUSH page maps at the default offset %#llx\n",
	       (unsigned long long)DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);

	/* What may not be mapped. */
	check_refused(fd, page, PROT_READ, MAP_PRIVATE, OFF64, EINVAL,
		      "a private mapping");
	check_refused(fd, page, PROT_READ | PROT_WRITE, MAP_SHARED, OFF64,
		      EINVAL, "a writable mapping");
	check_refused(fd, page, PROT_READ | PROT_EXEC, MAP_SHARED, OFF64,
		      EINVAL, "an executable mapping");
	check_refused(fd, 2 * page, PROT_READ, MAP_SHARED, OFF64, EINVAL,
		      "two pages");
	check_refused(fd, page, PROT_READ, MAP_SHARED, OFF64 + page, EINVAL,
		      "the page after it");
	check_refused(fd, page, PROT_READ, MAP_SHARED, OFF32, EINVAL,
		      "the 32-bit offset, not set");
	CHECK(mprotect((void *)flush, page, PROT_READ | PROT_WRITE) &&
	      errno == EACCES,
	      "mprotect(PROT_WRITE) of the LATEST_FLUSH page: expected %s, got %s",
	      strerror(EACCES), strerror(errno));
	printf("  refused: mprotect(PROT_WRITE) (%s)\n", strerror(EACCES));
	if (is_forseti(fd)) {
		CHECK(mprotect((void *)flush, page, PROT_READ | PROT_EXEC) &&
		      errno == EACCES,
		      "mprotect(PROT_EXEC) of the LATEST_FLUSH page: expected %s, got %s",
		      strerror(EACCES), strerror(errno));
		printf("  refused: mprotect(PROT_EXEC) (%s)\n", strerror(EACCES));
	}

	/* It reads LATEST_FLUSH_ID, which a cache flush advances. */
	job_init(&j, fd);
	if (!read_file(USER_PAGE_KNOB, knob, sizeof(knob)) && knob[0] == 'N') {
		unreadable = "the simulator could not back the USER page with RAM (mali_sim.user_page=N: see the log)";
		printf("not reading the LATEST_FLUSH page: %s\n", unreadable);
	} else {
		CHECK(try_read(flush, &a), "reading the LATEST_FLUSH page: signal %d", fault_sig);
		flush_job(&j);
		CHECK(try_read(flush, &b), "the LATEST_FLUSH page faulted (signal %d) after a read",
		      fault_sig);
		printf("LATEST_FLUSH_ID %u, after a job's cache flush %u\n", a, b);
		CHECK((int32_t)(b - a) > 0,
		      "LATEST_FLUSH_ID read through the mapping did not advance with a cache flush (%u, then %u)",
		      a, b);
	}

	check_not_inherited(flush);

	/* Offsets the uAPI does not define: refused, nothing changes. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = set_offset(fd, bad[i]);
		CHECK(r == EINVAL, "SET_USER_MMIO_OFFSET %#llx: expected %s, got %s",
		      (unsigned long long)bad[i], strerror(EINVAL),
		      r ? strerror(r) : "success");
	}
	printf("SET_USER_MMIO_OFFSET refuses %zu undefined offsets\n",
	       sizeof(bad) / sizeof(bad[0]));
	before = map_flush_id(fd, OFF64);
	check_refused(fd, page, PROT_READ, MAP_SHARED, OFF32, EINVAL,
		      "the 32-bit offset after refused calls");
	munmap((void *)before, page);

	/* The 32-bit offset: the page moves there; the old mapping stays. */
	r = set_offset(fd, OFF32);
	CHECK(!r, "SET_USER_MMIO_OFFSET 32BIT: %s", strerror(r));
	flush32 = map_flush_id(fd, OFF32);
	check_refused(fd, page, PROT_READ, MAP_SHARED, OFF64, EINVAL,
		      "the 64-bit offset after 32BIT was set");
	check_refused(fd, page, PROT_READ | PROT_WRITE, MAP_SHARED, OFF32,
		      EINVAL, "a writable mapping at the 32-bit offset");
	if (!unreadable) {
		CHECK(try_read(flush32, &a), "the page mapped at the 32-bit offset faults (signal %d)",
		      fault_sig);
		CHECK(try_read(flush, &b), "the mapping made before SET_USER_MMIO_OFFSET faults (signal %d)",
		      fault_sig);
		CHECK(a == b, "the two mappings of LATEST_FLUSH read %u and %u", a, b);
		flush_job(&j);
		CHECK(try_read(flush32, &b), "the page mapped at the 32-bit offset faults");
		CHECK((int32_t)(b - a) > 0,
		      "LATEST_FLUSH_ID at the 32-bit offset did not advance with a cache flush (%u, then %u)",
		      a, b);
		printf("the 32-bit mapping reads LATEST_FLUSH_ID %u; the older one still reads it\n", b);
	}

	/* Buffer objects still map and read back. */
	bo = bo_create(fd, 0x1000, 0, 0);
	bomap = bo_mmap(fd, bo, 0x1000);
	bomap[0] = 0x5eed;
	munmap(bomap, 0x1000);
	bomap = bo_mmap(fd, bo, 0x1000);
	CHECK(bomap[0] == 0x5eed, "a BO mapped with the 32-bit offset set read back %#x",
	      bomap[0]);
	munmap(bomap, 0x1000);
	bo_close(fd, bo);
	printf("BOs still map with the 32-bit offset set\n");

	/* And back. */
	r = set_offset(fd, OFF64);
	CHECK(!r, "SET_USER_MMIO_OFFSET 64BIT: %s", strerror(r));
	before = map_flush_id(fd, OFF64);
	check_refused(fd, page, PROT_READ, MAP_SHARED, OFF32, EINVAL,
		      "the 32-bit offset after 64BIT was set again");
	munmap((void *)before, page);
	munmap((void *)flush32, page);
	munmap((void *)flush, page);

	job_fini(&j);
	close(fd);
	if (unreadable)
		PARTIAL("%s", unreadable);
	printf("ok\n");
	return 0;
}
