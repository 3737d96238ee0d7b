// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_fuzz: a seeded, reproducible fuzzer of the driver's ioctls. It
 * proves that no sequence of calls it makes, however malformed, gets an
 * answer outside the errors the uAPI documents for that ioctl (the sets
 * are in allowed[] below), breaks the extensible-struct rule of
 * DEV_QUERY (a larger struct gets its extra bytes zeroed), makes a mapping
 * that the driver granted fault on access, or leaves the GPU unable to run
 * a job; and, with sim-test.sh's kernel-log check, that none of it makes
 * the kernel report anything (KASAN, lockdep, WARNING, leaks).
 *
 * Covered: every DRM_IOCTL_PANTHOR_* ioctl, and the DRM core ioctls the
 * driver takes (GEM_CLOSE, PRIME_HANDLE_TO_FD/FD_TO_HANDLE, the SYNCOBJ_*
 * family), plus random ioctl numbers on the device and mmap() of random
 * offsets. Arguments are random and edge values (sizes 0, 1, page-1,
 * huge, wrapping; unknown flags; non-zero pad), user pointers good and bad
 * (NULL, unmapped, kernel, wild, read-only for what the kernel writes,
 * straddling the end of a mapping, misaligned), the ioctl's own struct
 * smaller or larger than the kernel's (the size field of the ioctl
 * number), obj_array strides and DEV_QUERY sizes smaller and larger than
 * the kernel's, and handles valid, stale, 0, random and another file's.
 * The calls build state across two files (BOs, VMs and their mappings,
 * groups, tiler heaps, syncobjs, dma-buf and syncobj fds, CPU mappings)
 * and tear it down in random order, including closing a whole file and
 * using what it had afterwards.
 *
 * GROUP_SUBMIT is kept harmless: a stream is either empty, refused for
 * its shape, or a short run of NOP/MOVE instructions from a command buffer
 * mapped at the same address in every VM this test made; a stream is only
 * given to a group whose VM still maps that buffer untouched, so no job
 * should fault or hang (one that does must still be handled).
 *
 * Replay: the seed is printed first; FUZZ_SEED=<seed> runs the same
 * calls (each call's arguments come from the seed and the call's number
 * alone), FUZZ_CALLS=<n> sets how many (default 100000), FUZZ_TRACE=<n>
 * prints every call from step n on (before making it, so that a call
 * that does not return is named), FUZZ_PROFILE=1 adds the time spent in
 * each ioctl to the histogram. A run stops after FUZZ_SECONDS (default
 * 240) even short of its calls, and then passes only as partial. In the
 * simulator, SIM_GUEST_ENV="FUZZ_SEED=0x1234" scripts/sim-test.sh ...
 * puts them on the guest's command line, which the tests get as their
 * environment.
 *
 * forseti may answer EOPNOTSUPP where the uAPI's feature is part of a
 * topic that is not complete (common.c's topic_complete()): asynchronous
 * and sparse VM_BIND, tiler heaps and the user MMIO page, all of topic 5.
 *
 * Known reports, not made unless FUZZ_KNOWN=1 (so that the test checks
 * everything else on a kernel that has them):
 * - DRM core (7.3): a syncobj array ioctl (SYNCOBJ_WAIT, _RESET,
 *   _SIGNAL, _QUERY, _TIMELINE_*) with count_handles above 1M makes
 *   drm_syncobj_array_find()'s kmalloc_array() ask for more than
 *   MAX_PAGE_ORDER: "WARNING: mm/page_alloc.c" (any driver with syncobjs).
 * - DRM core (7.3): SYNCOBJ_FD_TO_HANDLE importing a sync file into a
 *   timeline point (IMPORT_SYNC_FILE, point > 0) when the sync file's
 *   fence is a dma_fence_chain (exported with EXPORT_SYNC_FILE from a
 *   syncobj that has timeline points): drm_syncobj_add_point() chains a
 *   chain, "WARNING: drivers/dma-buf/dma-fence-chain.c" (any driver).
 * - panthor (7.3): a GROUP_SUBMIT (or asynchronous VM_BIND) that waits
 *   on a syncobj it also signals, when the syncobj has no fence yet:
 *   drm_WARN_ON(!sig_sync->fence) in panthor_submit_ctx_add_sync_deps_to_job()
 *   ("WARNING: drivers/gpu/drm/panthor/panthor_drv.c").
 * - panthor (7.3): a SIGNAL sync operation (GROUP_SUBMIT, asynchronous
 *   VM_BIND) naming a handle that is no syncobj of the file: the error
 *   path of panthor_submit_ctx_add_sync_signal() frees the signal with
 *   panthor_sync_signal_free(), which puts its NULL syncobj: "Kernel mode
 *   fault at addr 0x0" in kref_put() (the guest panics).
 * - UML (7.3, the simulator's architecture): copy_to_user()/clear_user()
 *   of 2 GiB or more; buffer_op() in arch/um/kernel/skas/uaccess.c takes
 *   the length as an int, and a DEV_QUERY of size 0xffffffff at a mapped
 *   pointer (the driver clears the tail past its struct) makes it memset
 *   far past the page: "BUG: KASAN: out-of-bounds in clear_chunk", and
 *   the guest is corrupted (both drivers; on arm64 it would be EFAULT).
 * - panthor (7.3): an obj_array whose count times the kernel's object
 *   size passes INT_MAX (VM_BIND ops or syncs, GROUP_SUBMIT's queue
 *   submits or syncs, BO_SYNC ops) makes panthor_get_uobj_array()'s
 *   kvmalloc_array() warn: "WARNING: mm/slub.c ... __kvmalloc_node".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sync_file.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define PAGE		4096ull
#define DEFAULT_CALLS	100000
/* stop before the guest's 300 s limit for a test (SIMTESTTIMEOUT) */
#define DEFAULT_SECONDS	240

/* The command buffer of harmless instructions every VM maps at CMD_VA. */
#define CMD_SIZE	BUF_SIZE
#define CMD_END		(CMD_VA + CMD_SIZE)
/* Where the fuzzer's own mappings go (the VA of most binds). */
#define FZ_VA		0x40000000ull
#define FZ_VA_SIZE	(64ull << 20)
/* Tracked BOs stay small: a mapping pins every page of its BO. */
#define MAX_TRACKED_BO_SIZE	(2ull << 20)

/* Structs newer than Debian 12's libdrm drm.h, as the 7.3 kernel has them. */
struct fz_syncobj_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
	__u32 pad;
	__u64 point;
};

struct fz_syncobj_wait {
	__u64 handles;
	__s64 timeout_nsec;
	uint32_t count_handles;
	uint32_t flags;
	uint32_t first_signaled;
	uint32_t pad;
	uint64_t deadline_nsec;
};

struct fz_syncobj_timeline_wait {
	__u64 handles;
	__u64 points;
	__s64 timeout_nsec;
	uint32_t count_handles;
	uint32_t flags;
	uint32_t first_signaled;
	uint32_t pad;
	uint64_t deadline_nsec;
};

struct fz_syncobj_eventfd {
	uint32_t handle;
	uint32_t flags;
	uint64_t point;
	int32_t fd;
	uint32_t pad;
};

#define FZ_IOCTL_SYNCOBJ_HANDLE_TO_FD	DRM_IOWR(0xC1, struct fz_syncobj_handle)
#define FZ_IOCTL_SYNCOBJ_FD_TO_HANDLE	DRM_IOWR(0xC2, struct fz_syncobj_handle)
#define FZ_IOCTL_SYNCOBJ_WAIT		DRM_IOWR(0xC3, struct fz_syncobj_wait)
#define FZ_IOCTL_SYNCOBJ_TIMELINE_WAIT	DRM_IOWR(0xCA, struct fz_syncobj_timeline_wait)
#define FZ_IOCTL_SYNCOBJ_EVENTFD	DRM_IOWR(0xCF, struct fz_syncobj_eventfd)

/* --- what is fuzzed, and the errors each may answer ---------------------- */

enum target {
	T_DEV_QUERY, T_VM_CREATE, T_VM_DESTROY, T_VM_BIND, T_VM_GET_STATE,
	T_BO_CREATE, T_BO_MMAP_OFFSET, T_GROUP_CREATE, T_GROUP_DESTROY,
	T_GROUP_SUBMIT, T_GROUP_GET_STATE, T_TILER_HEAP_CREATE,
	T_TILER_HEAP_DESTROY, T_BO_SET_LABEL, T_SET_USER_MMIO_OFFSET,
	T_BO_SYNC, T_BO_QUERY_INFO,
	T_GEM_CLOSE, T_PRIME_HANDLE_TO_FD, T_PRIME_FD_TO_HANDLE,
	T_SYNCOBJ_CREATE, T_SYNCOBJ_DESTROY, T_SYNCOBJ_HANDLE_TO_FD,
	T_SYNCOBJ_FD_TO_HANDLE, T_SYNCOBJ_TRANSFER, T_SYNCOBJ_WAIT,
	T_SYNCOBJ_TIMELINE_WAIT, T_SYNCOBJ_RESET, T_SYNCOBJ_SIGNAL,
	T_SYNCOBJ_TIMELINE_SIGNAL, T_SYNCOBJ_QUERY, T_SYNCOBJ_EVENTFD,
	T_RANDOM_NR, T_MMAP, T_REOPEN,
	T_COUNT
};

#define MAX_ERRNO	160
#define ERRS(...)	((const int[]){ __VA_ARGS__, 0 })

/*
 * The errors each target may answer, from the uAPI's documentation
 * (panthor_drm.h, drm.h, Documentation/gpu/drm-uapi.rst) and DRM core's
 * ioctl path: every ioctl may fault on its own struct (EFAULT) or be
 * given a wrong one (EINVAL); one that allocates may run out (ENOMEM);
 * obj_array and DEV_QUERY's TIMESTAMP_INFO follow copy_struct_from_user
 * (E2BIG for non-zero bytes past the kernel's struct); BO handle lookups
 * that find nothing are ENOENT; GROUP_CREATE's higher priorities need
 * rights (EACCES); a file's pool of VMs or groups may be full (EBUSY).
 * Per-driver extras are added in setup_allowed().
 */
static const struct {
	const char *name;
	const int *errs;
} targets[T_COUNT] = {
	[T_DEV_QUERY] = { "DEV_QUERY", ERRS(EINVAL, EFAULT, E2BIG) },
	[T_VM_CREATE] = { "VM_CREATE", ERRS(EINVAL, EFAULT, ENOMEM, EBUSY) },
	[T_VM_DESTROY] = { "VM_DESTROY", ERRS(EINVAL, EFAULT) },
	[T_VM_BIND] = { "VM_BIND", ERRS(EINVAL, EFAULT, ENOMEM, E2BIG, ENOENT) },
	[T_VM_GET_STATE] = { "VM_GET_STATE", ERRS(EINVAL, EFAULT) },
	[T_BO_CREATE] = { "BO_CREATE", ERRS(EINVAL, EFAULT, ENOMEM) },
	[T_BO_MMAP_OFFSET] = { "BO_MMAP_OFFSET", ERRS(EINVAL, EFAULT, ENOENT, EPERM, ENOMEM) },
	[T_GROUP_CREATE] = { "GROUP_CREATE", ERRS(EINVAL, EFAULT, ENOMEM, E2BIG, EACCES, EBUSY) },
	[T_GROUP_DESTROY] = { "GROUP_DESTROY", ERRS(EINVAL, EFAULT) },
	[T_GROUP_SUBMIT] = { "GROUP_SUBMIT", ERRS(EINVAL, EFAULT, ENOMEM, E2BIG, ENOENT) },
	[T_GROUP_GET_STATE] = { "GROUP_GET_STATE", ERRS(EINVAL, EFAULT) },
	[T_TILER_HEAP_CREATE] = { "TILER_HEAP_CREATE", ERRS(EINVAL, EFAULT, ENOMEM, EBUSY) },
	[T_TILER_HEAP_DESTROY] = { "TILER_HEAP_DESTROY", ERRS(EINVAL, EFAULT, ENOENT) },
	[T_BO_SET_LABEL] = { "BO_SET_LABEL", ERRS(EINVAL, EFAULT, ENOENT, E2BIG, ENOMEM) },
	[T_SET_USER_MMIO_OFFSET] = { "SET_USER_MMIO_OFFSET", ERRS(EINVAL, EFAULT) },
	[T_BO_SYNC] = { "BO_SYNC", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, E2BIG) },
	[T_BO_QUERY_INFO] = { "BO_QUERY_INFO", ERRS(EINVAL, EFAULT, ENOENT) },
	[T_GEM_CLOSE] = { "GEM_CLOSE", ERRS(EINVAL, EFAULT) },
	[T_PRIME_HANDLE_TO_FD] = { "PRIME_HANDLE_TO_FD", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, EMFILE) },
	[T_PRIME_FD_TO_HANDLE] = { "PRIME_FD_TO_HANDLE", ERRS(EINVAL, EFAULT, EBADF, ENOMEM) },
	[T_SYNCOBJ_CREATE] = { "SYNCOBJ_CREATE", ERRS(EINVAL, EFAULT, ENOMEM) },
	[T_SYNCOBJ_DESTROY] = { "SYNCOBJ_DESTROY", ERRS(EINVAL, EFAULT) },
	[T_SYNCOBJ_HANDLE_TO_FD] = { "SYNCOBJ_HANDLE_TO_FD", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, EMFILE) },
	[T_SYNCOBJ_FD_TO_HANDLE] = { "SYNCOBJ_FD_TO_HANDLE", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, EBADF) },
	[T_SYNCOBJ_TRANSFER] = { "SYNCOBJ_TRANSFER", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, ETIME) },
	[T_SYNCOBJ_WAIT] = { "SYNCOBJ_WAIT", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, ETIME) },
	[T_SYNCOBJ_TIMELINE_WAIT] = { "SYNCOBJ_TIMELINE_WAIT", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, ETIME) },
	[T_SYNCOBJ_RESET] = { "SYNCOBJ_RESET", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM) },
	[T_SYNCOBJ_SIGNAL] = { "SYNCOBJ_SIGNAL", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM) },
	[T_SYNCOBJ_TIMELINE_SIGNAL] = { "SYNCOBJ_TIMELINE_SIGNAL", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM) },
	[T_SYNCOBJ_QUERY] = { "SYNCOBJ_QUERY", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM) },
	[T_SYNCOBJ_EVENTFD] = { "SYNCOBJ_EVENTFD", ERRS(EINVAL, EFAULT, ENOENT, ENOMEM, EBADF) },
	/* not ours (ENOTTY), not for a render node (EACCES), no such (EINVAL) */
	[T_RANDOM_NR] = { "random ioctl nr", ERRS(ENOTTY, EACCES, EINVAL, EFAULT, ENOENT, ENOMEM,
						  E2BIG, EBADF, EOPNOTSUPP, EPERM) },
	/* no object there (EINVAL), another file's (EACCES), NO_MMAP (EPERM) */
	[T_MMAP] = { "mmap", ERRS(EINVAL, EACCES, EPERM, ENOMEM, EOVERFLOW) },
	[T_REOPEN] = { "close+reopen file", ERRS(0) },
};

static bool allowed[T_COUNT][MAX_ERRNO];
/* FUZZ_PROFILE=1: wall time spent in each target's steps */
static bool profile;
static double spent[T_COUNT];
static unsigned long hist[T_COUNT][MAX_ERRNO + 1];	/* [MAX_ERRNO]: other */
static unsigned long calls;

static bool forseti;
/* make the calls that hit the known reports above (FUZZ_KNOWN=1) */
static bool known;
/* forseti may still answer EOPNOTSUPP for part of topic 5's uAPI */
static bool unsupported_ok;

static void setup_allowed(void)
{
	int t;
	const int *e;

	for (t = 0; t < T_COUNT; t++)
		for (e = targets[t].errs; *e; e++)
			allowed[t][*e] = true;
	/*
	 * A BO larger than the DRM mmap offset space (16 TiB of pages) but
	 * not than a shmem file gets no fake offset from the GEM shmem
	 * helpers: ENOSPC, on both (forseti's kernel-doc says EINVAL for a
	 * size too large). panthor 7.3 also rounds a size that wraps around
	 * to a zero-sized BO and says ENOSPC (tests/t_bo_invalid_args.c).
	 */
	allowed[T_BO_CREATE][ENOSPC] = true;
	if (unsupported_ok) {
		allowed[T_VM_BIND][EOPNOTSUPP] = true;
		allowed[T_TILER_HEAP_CREATE][EOPNOTSUPP] = true;
		allowed[T_SET_USER_MMIO_OFFSET][EOPNOTSUPP] = true;
		allowed[T_MMAP][EOPNOTSUPP] = true;
	}
}

/* --- random numbers, one independent stream per call -------------------- */

static uint64_t seed, rng;
static unsigned long trace_from = ~0ul;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

/* One of the arguments, all of the first one's type. */
#define PICK(first, ...)						\
	({								\
		const __typeof__(first) __v[] = { first, __VA_ARGS__ };	\
		__v[rn(sizeof(__v) / sizeof(__v[0]))];			\
	})

static uint32_t edge32(void)
{
	switch (rn(4)) {
	case 0:
		return rnd();
	case 1:
		return rn(17);
	default:
		return PICK(0u, 1u, 2u, 3u, 7u, 8u, 0x7fu, 0x80u, 0xffu, 0x100u, 0xfffu,
			    0x1000u, 0x1001u, 0xffffu, 0x10000u, 0x7fffffffu, 0x80000000u,
			    0xfffffffeu, 0xffffffffu);
	}
}

static uint64_t edge64(void)
{
	switch (rn(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd() & ~0xfffull & ((1ull << rn(64)) - 1);
	default:
		return PICK(0ull, 1ull, 0xfffull, 0x1000ull, 0x1001ull, 0x1fffffull,
			    0x200000ull, 0x200001ull, 1ull << 32, (1ull << 32) - 0x1000,
			    1ull << 39, 1ull << 47, 1ull << 48, (1ull << 48) - 0x1000,
			    1ull << 56, 1ull << 63, ~0ull, ~0ull - 0xfff, ~0ull - 0x1000,
			    0x8000000000000000ull - 0x1000);
	}
}

/* A size: mostly small and page-sized, sometimes an edge. */
static uint64_t rsize(void)
{
	if (chance(70))
		return (1 + rn(64)) * PAGE;
	return PICK(0ull, 1ull, PAGE - 1, PAGE + 1, 2ull << 20, (2ull << 20) + PAGE,
		    1ull << 32, 1ull << 40, ~0ull, ~0ull - PAGE + 2, 1ull << 63, edge64());
}

/* --- user memory: good, read-only, straddling, unmapped ------------------ */

/*
 * A region is one memfd mapped twice, read-write and read-only, each view
 * followed by a PROT_NONE guard page: what is written through the first
 * is what the kernel reads through the second.
 */
struct region {
	uint8_t *rw, *ro;
	size_t size, used;
	size_t dirty;	/* bytes from the start that may be non-zero */
};

static struct region argr, datr;
static uint8_t *hole;	/* a page no access may reach (PROT_NONE) */

static void region_init(struct region *r, size_t size)
{
	int mfd = memfd_create("ioctl_fuzz", 0);
	void *p;

	CHECK(mfd >= 0 && !ftruncate(mfd, size), "memfd: %s", strerror(errno));
	r->size = size;
	r->rw = mmap(NULL, size + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->ro = mmap(NULL, size + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r->rw != MAP_FAILED && r->ro != MAP_FAILED, "mmap: %s", strerror(errno));
	p = mmap(r->rw, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0);
	CHECK(p == r->rw, "mmap rw view: %s", strerror(errno));
	p = mmap(r->ro, size, PROT_READ, MAP_SHARED | MAP_FIXED, mfd, 0);
	CHECK(p == r->ro, "mmap ro view: %s", strerror(errno));
	close(mfd);
}

enum ptr_kind { P_GOOD, P_RO, P_END, P_NULL, P_HOLE, P_KERNEL, P_WILD, P_MISALIGNED };
static const char *const ptr_names[] = {
	"good", "read-only", "end-of-mapping", "NULL", "unmapped", "kernel", "wild", "misaligned",
};

static enum ptr_kind pick_ptr_kind(void)
{
	unsigned int r = rn(100);

	if (r < 72)
		return P_GOOD;
	if (r < 80)
		return P_RO;
	if (r < 85)
		return P_END;
	if (r < 89)
		return P_NULL;
	if (r < 92)
		return P_HOLE;
	if (r < 94)
		return P_KERNEL;
	if (r < 96)
		return P_WILD;
	return P_MISALIGNED;
}

static uint64_t bad_ptr(enum ptr_kind k)
{
	switch (k) {
	case P_NULL:
		return 0;
	case P_HOLE:
		return (uintptr_t)hole + rn(PAGE);
	case P_KERNEL:
		return PICK(0xffff800000000000ull, 0xffffffffffff0000ull, 0xfffffffffffffff8ull,
			    0xffff888000001000ull);
	default:
		/* a random address: bit 47 set keeps it above user space */
		return rnd() | (1ull << 47);
	}
}

/*
 * Put @len bytes of @src where the kernel will read them (@out: or write
 * them), at a pointer of a random kind; *kind says which. An output buffer
 * comes back prefilled with 0xa5.
 */
static uint64_t put_data(const void *src, size_t len, enum ptr_kind *kind)
{
	enum ptr_kind k = pick_ptr_kind();
	size_t off, k_in;

	if (len > datr.size / 2)
		len = datr.size / 2;
	if (k == P_END && len < 2)
		k = P_GOOD;
	*kind = k;
	switch (k) {
	case P_GOOD:
	case P_RO:
	case P_MISALIGNED:
		off = (datr.used + 7) & ~7ul;
		if (k == P_MISALIGNED)
			off += 1 + rn(7);
		if (off + len > datr.size - PAGE)
			off = 0;	/* wrap: an earlier buffer may be clobbered */
		datr.used = off + len;
		if (datr.used > datr.dirty)
			datr.dirty = datr.used;
		if (src)
			memcpy(datr.rw + off, src, len);
		else
			memset(datr.rw + off, 0xa5, len);
		return (uintptr_t)(k == P_RO ? datr.ro : datr.rw) + off;
	case P_END:
		/* the first k_in bytes are mapped, the rest is the guard page */
		k_in = 1 + rn(len - 1);
		off = datr.size - k_in;
		datr.dirty = datr.size;
		if (src)
			memcpy(datr.rw + off, src, k_in);
		else
			memset(datr.rw + off, 0xa5, k_in);
		return (uintptr_t)datr.rw + off;
	default:
		return bad_ptr(k);
	}
}

/* The data region's address of a good pointer put_data() returned. */
static uint8_t *data_rw(uint64_t p)
{
	uintptr_t a = (uintptr_t)p;

	if (a >= (uintptr_t)datr.ro && a < (uintptr_t)datr.ro + datr.size)
		return datr.rw + (a - (uintptr_t)datr.ro);
	if (a >= (uintptr_t)datr.rw && a < (uintptr_t)datr.rw + datr.size)
		return (uint8_t *)a;
	return NULL;
}

/* --- recording calls -------------------------------------------------------- */

/* what the current call does; room left for variant_note() */
static char desc[560];
#define HISTORY 8
static char history[HISTORY][600];
static unsigned long history_nr[HISTORY];

#define DESC(...) snprintf(desc, sizeof(desc) - 40, __VA_ARGS__)

static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "ok";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case EBADF: return "EBADF";
	case ENOTTY: return "ENOTTY";
	case ETIME: return "ETIME";
	case ENOSPC: return "ENOSPC";
	case EMFILE: return "EMFILE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW: return "EOVERFLOW";
	case ECANCELED: return "ECANCELED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static void print_history(void)
{
	unsigned long i, first = calls > HISTORY ? calls - HISTORY : 0;

	printf("the calls before it:\n");
	for (i = first; i < calls; i++)
		printf("  #%lu %s\n", history_nr[i % HISTORY], history[i % HISTORY]);
}

static unsigned long call_nr;	/* the fuzzing step: what FUZZ_SEED replays */
/* the next xioctl() goes in as userspace should (its outputs are needed) */
static bool force_clean;

/* Account one call of @t that answered @e (0 or an errno). */
static void done(enum target t, int e)
{
	unsigned int slot = calls % HISTORY;

	snprintf(history[slot], sizeof(history[slot]), "%s -> %s", desc, errname(e));
	history_nr[slot] = call_nr;
	calls++;
	hist[t][e >= 0 && e < MAX_ERRNO ? e : MAX_ERRNO]++;
	if (call_nr >= trace_from)
		printf("#%lu %s -> %s\n", call_nr, desc, errname(e));
	if (e && (e < 0 || e >= MAX_ERRNO || !allowed[t][e])) {
		print_history();
		FAIL("seed 0x%" PRIx64 " step %lu: %s answered %s, which is not one of its allowed errors: %s",
		     seed, call_nr, targets[t].name, errname(e), desc);
	}
}

/* A check of an answer's content: fails naming the seed and step. */
#define FZ_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			print_history();				\
			printf("seed 0x%" PRIx64 " step %lu: ", seed, call_nr); \
			FAIL(__VA_ARGS__);				\
		}							\
	} while (0)

/*
 * The struct as the kernel read it in the last xioctl(): a smaller size in
 * the ioctl number cuts it (zero-extended), a number without _IOC_WRITE
 * reads nothing. What a call that succeeded acted on.
 */
static uint8_t kin[256];
#define KIN(type)	((const type *)kin)
/*
 * The last xioctl() put the struct in read-only memory: the kernel read
 * it and ran the ioctl, and only its answer could not be written back
 * (EFAULT). A destroy that says EFAULT then has destroyed.
 */
static bool arg_ro;
#define RAN(e)		(!(e) || ((e) == EFAULT && arg_ro))

/*
 * Issue @req with the @size bytes of @arg as its struct, most of the time
 * as userspace should; else with a different size or direction in the
 * ioctl number, or the struct at a bad address (read-only: the kernel
 * cannot write its answer back; straddling the end of a mapping; NULL,
 * unmapped, kernel). Returns 0 or the errno; *clean says whether the
 * struct went in and came back as it should (only then are its outputs
 * in @arg).
 */
static int xioctl(int fd, unsigned long req, void *arg, size_t size, bool *clean)
{
	unsigned long r = req;
	size_t isize = size;
	unsigned int v = rn(100);
	uint8_t *p = argr.rw;
	uint64_t ptr;
	size_t in = size;
	int ret, e;

	*clean = false;
	if (v < 84 || force_clean) {
		*clean = true;
		if (chance(10))
			p += 1 + rn(7);
	} else if (v < 88) {
		/* the kernel zero-extends a smaller struct, ignores a larger one's tail */
		isize = PICK((size_t)0, (size_t)1, size - 1, size - 4, size + 8, size + 64,
			     (size_t)0x3fff);
		r = (req & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		    ((unsigned long)isize << _IOC_SIZESHIFT);
	} else if (v < 90) {
		r = (req & ~((unsigned long)_IOC_DIRMASK << _IOC_DIRSHIFT)) |
		    ((unsigned long)PICK(_IOC_NONE, _IOC_READ, _IOC_WRITE) << _IOC_DIRSHIFT);
	} else if (v < 93) {
		in = 1 + rn(size - 1);
		p = argr.rw + argr.size - in;
	}
	memset(argr.rw, 0, isize + 8 > argr.size ? argr.size : isize + 8);
	if (isize > size && chance(50)) {
		size_t i;

		for (i = size; i < isize && i < argr.size; i++)
			argr.rw[i] = rnd();
	}
	memcpy(p, arg, in);
	ptr = (uintptr_t)p;
	arg_ro = !*clean && v >= 93 && v < 96;
	if (arg_ro)
		ptr = (uintptr_t)argr.ro + (p - argr.rw);
	else if (!*clean && v >= 96)
		ptr = bad_ptr(PICK(P_NULL, P_HOLE, P_KERNEL, P_WILD));

	memset(kin, 0, sizeof(kin));
	if ((r >> _IOC_DIRSHIFT) & _IOC_WRITE)
		memcpy(kin, arg, size < isize ? size : isize);
	/* traced: say what is called before calling it (it may not return) */
	if (call_nr >= trace_from)
		printf("#%lu calling: %s%s\n", call_nr, desc, *clean ? "" : " [struct variant]");
	ret = ioctl(fd, r, (void *)(uintptr_t)ptr);
	e = ret ? errno : 0;
	if (*clean)
		memcpy(arg, p, size);
	return e;
}

static const char *variant_note(bool clean)
{
	return clean ? "" : " [struct variant]";
}

/* --- what the two files hold ------------------------------------------------- */

#define MAX_BO		24
#define MAX_VM		6
#define MAX_GROUP	4
#define MAX_SYNC	16
#define MAX_HEAP	4
#define MAX_FDS		16
#define MAX_MAPS	8
#define STALE		8

struct bo {
	uint32_t handle;
	uint64_t size;
	uint32_t flags;
	uint64_t mmap_off;	/* 0: none asked yet */
};

struct vm {
	uint32_t id;
	uint32_t serial;	/* unique: ids are reused */
	bool cmd_ok;		/* the command buffer is mapped, untouched */
};

struct grp {
	uint32_t handle;
	uint32_t vm_serial;	/* 0: a VM this test does not track */
	uint32_t nq;
};

struct file {
	int fd;
	uint32_t cmd_bo;
	uint64_t *cmd;
	struct bo bo[MAX_BO];
	struct vm vm[MAX_VM];
	struct grp grp[MAX_GROUP];
	uint32_t sync[MAX_SYNC];
	uint32_t heap[MAX_HEAP];
	int nbo, nvm, ngrp, nsync, nheap;
	/* handles that were valid once: for use after close/destroy */
	uint32_t stale_bo[STALE], stale_vm[STALE], stale_grp[STALE], stale_sync[STALE],
		 stale_heap[STALE];
	unsigned int nstale_bo, nstale_vm, nstale_grp, nstale_sync, nstale_heap;
};

static struct file files[2];
static uint32_t vm_serials;

/* dma-buf and syncobj fds, with what they came from */
struct xfd {
	int fd;
	bool dmabuf;
	bool sync_file;		/* a syncobj's fence exported as a sync file */
	uint64_t size;		/* a dma-buf's BO size */
	uint32_t flags;		/* a dma-buf's BO flags */
};

static struct xfd xfds[MAX_FDS];
static int nxfds;
static int closed_fd = -1;	/* an fd number that was closed */
static int efd;			/* an eventfd */

/* CPU mappings kept past the close of their handle (and file) */
struct map {
	void *p;
	size_t len;
	bool writable;
};

static struct map maps[MAX_MAPS];
static int nmaps;

static struct drm_panthor_gpu_info gpu;
static uint32_t query_size[5];

#define STALE_ADD(f, kind, h)						\
	do {								\
		(f)->stale_##kind[(f)->nstale_##kind++ % STALE] = (h);	\
	} while (0)

static uint32_t pick_stale(const uint32_t *st, unsigned int n)
{
	if (!n)
		return 1 + rn(8);
	return st[rn(n < STALE ? n : STALE)];
}

/*
 * A handle of @kind for file @fi: mostly one it holds (*idx says which),
 * else stale, another file's, 0, small or random.
 */
#define PICK_HANDLE(fi, kind, arr, n, field, idx)			\
	({								\
		struct file *__f = &files[fi], *__o = &files[!(fi)];	\
		unsigned int __r = rn(100);				\
		uint32_t __h;						\
		*(idx) = -1;						\
		if (__r < 70 && __f->n) {				\
			*(idx) = rn(__f->n);				\
			__h = __f->arr[*(idx)]field;			\
		} else if (__r < 80) {					\
			__h = pick_stale(__f->stale_##kind, __f->nstale_##kind); \
		} else if (__r < 88 && __o->n) {			\
			__h = __o->arr[rn(__o->n)]field;		\
		} else if (__r < 91) {					\
			__h = 0;					\
		} else if (__r < 96) {					\
			__h = 1 + rn(64);				\
		} else {						\
			__h = edge32();					\
		}							\
		__h;							\
	})

static uint32_t pick_bo(int fi, int *idx)
{
	return PICK_HANDLE(fi, bo, bo, nbo, .handle, idx);
}

static uint32_t pick_vm(int fi, int *idx)
{
	return PICK_HANDLE(fi, vm, vm, nvm, .id, idx);
}

static uint32_t pick_grp(int fi, int *idx)
{
	return PICK_HANDLE(fi, grp, grp, ngrp, .handle, idx);
}

static uint32_t pick_sync(int fi, int *idx)
{
	return PICK_HANDLE(fi, sync, sync, nsync, , idx);
}

static uint32_t pick_heap(int fi, int *idx)
{
	return PICK_HANDLE(fi, heap, heap, nheap, , idx);
}

static struct vm *vm_by_id(struct file *f, uint32_t id)
{
	int i;

	for (i = 0; i < f->nvm; i++)
		if (f->vm[i].id == id)
			return &f->vm[i];
	return NULL;
}

static struct vm *vm_by_serial(struct file *f, uint32_t serial)
{
	int i;

	for (i = 0; serial && i < f->nvm; i++)
		if (f->vm[i].serial == serial)
			return &f->vm[i];
	return NULL;
}

static int pick_fd(void)
{
	unsigned int r = rn(100);

	if (r < 60 && nxfds)
		return xfds[rn(nxfds)].fd;
	if (r < 70)
		return closed_fd;
	if (r < 78)
		return files[rn(2)].fd;
	if (r < 84)
		return efd;
	if (r < 90)
		return -1;
	return (int)edge32();
}

static void xfd_add(int fd, bool dmabuf, bool sync_file, uint64_t size, uint32_t flags)
{
	if (nxfds == MAX_FDS) {
		int i = rn(MAX_FDS);

		close(xfds[i].fd);
		closed_fd = xfds[i].fd;
		xfds[i] = xfds[--nxfds];
	}
	xfds[nxfds++] = (struct xfd){
		.fd = fd, .dmabuf = dmabuf, .sync_file = sync_file, .size = size, .flags = flags,
	};
}

/*
 * A call that made an fd in a struct variant lost its number: close it,
 * so that such calls do not run out of fds. A new fd takes the lowest
 * free number, and every other open fd is one this test knows: the
 * lost one is the first number it does not know, if that is open.
 */
static void reap_fds(void)
{
	int fd, i;

	for (fd = 3; fd < 1024; fd++) {
		bool known = fd == files[0].fd || fd == files[1].fd || fd == efd;

		for (i = 0; i < nxfds && !known; i++)
			known = xfds[i].fd == fd;
		if (known)
			continue;
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		return;
	}
}

static struct xfd *xfd_find(int fd)
{
	int i;

	for (i = 0; i < nxfds; i++)
		if (xfds[i].fd == fd)
			return &xfds[i];
	return NULL;
}

/* --- direct calls the fuzzer itself relies on ---------------------------- */

/* GEM_CLOSE without variants, for what the fuzzer does not keep. */
static void close_handle(int fi, uint32_t h)
{
	struct drm_gem_close c = { .handle = h };
	int e;

	DESC("GEM_CLOSE file%d handle %u (not kept)", fi, h);
	e = ioctl(files[fi].fd, DRM_IOCTL_GEM_CLOSE, &c) ? errno : 0;
	done(T_GEM_CLOSE, e);
}

/* Map the command buffer in a new VM: only then may its groups run streams. */
static void map_cmd(int fi, struct vm *vm)
{
	struct file *f = &files[fi];
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = f->cmd_bo,
		.va = CMD_VA, .size = CMD_SIZE,
	};
	struct drm_panthor_vm_bind b = { .vm_id = vm->id, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	int e;

	DESC("VM_BIND file%d vm %u: map the command buffer", fi, vm->id);
	e = ioctl(f->fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? errno : 0;
	done(T_VM_BIND, e);
	vm->cmd_ok = !e;
}

static void file_open(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_bo_create c = { .size = CMD_SIZE };
	struct drm_panthor_bo_mmap_offset m = { 0 };
	unsigned int i;
	int e;

	memset(f, 0, sizeof(*f));
	f->fd = open_render();
	DESC("BO_CREATE file%d: the command buffer", fi);
	e = ioctl(f->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c) ? errno : 0;
	done(T_BO_CREATE, e);
	CHECK(!e, "cannot create the command buffer: %s", strerror(e));
	f->cmd_bo = m.handle = c.handle;
	DESC("BO_MMAP_OFFSET file%d: the command buffer", fi);
	e = ioctl(f->fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &m) ? errno : 0;
	done(T_BO_MMAP_OFFSET, e);
	CHECK(!e, "cannot map the command buffer: %s", strerror(e));
	f->cmd = mmap(NULL, CMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, m.offset);
	CHECK(f->cmd != MAP_FAILED, "mmap of the command buffer: %s", strerror(errno));
	calls++;
	hist[T_MMAP][0]++;
	/* NOPs, with a few MOVEs to low registers: nothing touches memory */
	for (i = 0; i < CMD_SIZE / 8; i++)
		f->cmd[i] = i % 4 == 1 ? cs_move32(i % 8, i) : cs_nop();
	__sync_synchronize();
}

static void file_close(int fi)
{
	struct file *f = &files[fi];

	munmap(f->cmd, CMD_SIZE);
	close(f->fd);
	closed_fd = f->fd;
}

/* --- the ioctls ------------------------------------------------------------ */

static void do_dev_query(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_dev_query q = { 0 };
	struct drm_panthor_timestamp_info ts = { 0 };
	uint8_t buf[512];
	enum ptr_kind k = P_NULL;
	uint32_t ks;
	bool clean;
	int e;

	q.type = chance(90) ? rn(5) : edge32();
	ks = q.type < 5 ? query_size[q.type] : 64;
	if (chance(60))
		q.size = ks;
	else
		q.size = PICK(0u, 1u, ks - 1, ks - 8, ks + 8, ks + 64, 4u, 8u, 256u,
			      (uint32_t)PAGE, 0xffffffffu, edge32());
	/* UML's known uaccess overflow (see the top) */
	if (!known && q.size > INT32_MAX)
		q.size = INT32_MAX;
	if (q.type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO) {
		/* its flags are read: valid ones mostly */
		ts.flags = chance(80) ? rn(256) & ~(4u << 1) : edge32();
		memset(buf, 0, sizeof(buf));
		memcpy(buf, &ts, sizeof(ts));
		/* a larger struct with non-zero bytes past the kernel's */
		if (q.size > sizeof(ts) && q.size < sizeof(buf) && chance(30))
			buf[sizeof(ts) + rn(q.size - sizeof(ts))] = 1 + rn(255);
		q.pointer = put_data(buf, q.size < sizeof(buf) ? q.size : sizeof(buf), &k);
	} else {
		q.pointer = put_data(NULL, q.size < sizeof(buf) ? q.size : sizeof(buf), &k);
	}
	DESC("DEV_QUERY file%d type %u size %u pointer %s", fi, q.type, q.size, ptr_names[k]);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, sizeof(q), &clean);
	strcat(desc, variant_note(clean));
	done(T_DEV_QUERY, e);
	/* the extensible-struct rule: a larger struct gets its tail zeroed */
	if (!e && clean && (k == P_GOOD || k == P_MISALIGNED) && q.type < 5 &&
	    q.size > ks && q.size <= sizeof(buf) && q.type != DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO) {
		uint8_t *p = data_rw(q.pointer);
		uint32_t i;

		for (i = ks; p && i < q.size; i++)
			FZ_CHECK(!p[i], "DEV_QUERY type %u size %u (kernel's %u): byte %u past the kernel's struct is 0x%02x, not 0",
				 q.type, q.size, ks, i, p[i]);
	}
}

static void do_vm_create(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_vm_create c = { 0 };
	bool clean;
	int e;

	if (chance(90))
		c.flags = 0;
	else
		c.flags = edge32();
	if (chance(40))
		c.user_va_range = 0;
	else if (chance(60))
		c.user_va_range = PICK(USER_VA_RANGE, 1ull << 31, 1ull << 36, 1ull << 39);
	else
		c.user_va_range = edge64();
	DESC("VM_CREATE file%d flags 0x%x user_va_range 0x%llx", fi, c.flags,
	     (unsigned long long)c.user_va_range);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_VM_CREATE, e);
	if (e || !clean)
		return;
	if (f->nvm == MAX_VM) {
		struct drm_panthor_vm_destroy d = { .id = c.id };

		DESC("VM_DESTROY file%d vm %u (not kept)", fi, c.id);
		done(T_VM_DESTROY, ioctl(f->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) ? errno : 0);
		return;
	}
	f->vm[f->nvm] = (struct vm){ .id = c.id, .serial = ++vm_serials };
	map_cmd(fi, &f->vm[f->nvm]);
	f->nvm++;
}

static void do_vm_destroy(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_vm_destroy d = { 0 };
	bool clean;
	int idx, e;

	d.id = pick_vm(fi, &idx);
	d.pad = chance(5) ? edge32() : 0;
	DESC("VM_DESTROY file%d vm %u pad 0x%x", fi, d.id, d.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, sizeof(d), &clean);
	strcat(desc, variant_note(clean));
	done(T_VM_DESTROY, e);
	if (!RAN(e))
		return;
	/* whatever the variant: the VM the kernel read the id of is gone */
	d.id = KIN(struct drm_panthor_vm_destroy)->id;
	for (idx = 0; idx < f->nvm; idx++) {
		if (f->vm[idx].id == d.id) {
			STALE_ADD(f, vm, d.id);
			f->vm[idx] = f->vm[--f->nvm];
			break;
		}
	}
}

static void fill_sync_ops(int fi, struct drm_panthor_sync_op *ops, unsigned int n)
{
	unsigned int i;
	int idx;

	for (i = 0; i < n; i++) {
		uint32_t type = chance(90) ? rn(2) : edge32() & 0xff;

		ops[i].flags = (chance(50) ? DRM_PANTHOR_SYNC_OP_SIGNAL : DRM_PANTHOR_SYNC_OP_WAIT) | type;
		if (chance(4))
			ops[i].flags |= 1u << (8 + rn(23));
		ops[i].handle = pick_sync(fi, &idx);
		/* panthor's known oops (see the top): signal only a live syncobj */
		if (!known && !forseti && (ops[i].flags & DRM_PANTHOR_SYNC_OP_SIGNAL) && idx < 0) {
			if (files[fi].nsync)
				ops[i].handle = files[fi].sync[rn(files[fi].nsync)];
			else
				ops[i].flags &= ~DRM_PANTHOR_SYNC_OP_SIGNAL;
		}
		if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
			ops[i].timeline_value = chance(80) ? rn(8) : edge64();
		else
			ops[i].timeline_value = chance(95) ? 0 : edge64();
	}
}

/*
 * panthor's known WARN (see the top): a wait on a syncobj that the same
 * submission signals, while no fence is attached to it yet. Such waits
 * become signals (of a syncobj the file has, as every signal is).
 */
static void avoid_wait_on_own_signal(struct drm_panthor_sync_op (*syncs)[3], const uint32_t *ns,
				     uint32_t n)
{
	uint32_t i, j, k, l;

	if (known || forseti)
		return;
	for (i = 0; i < n; i++)
		for (j = 0; j < ns[i]; j++)
			for (k = 0; k < n; k++)
				for (l = 0; l < ns[k]; l++)
					if ((syncs[k][l].flags & DRM_PANTHOR_SYNC_OP_SIGNAL) &&
					    syncs[k][l].handle == syncs[i][j].handle)
						syncs[i][j].flags |= DRM_PANTHOR_SYNC_OP_SIGNAL;
}

/*
 * An obj_array of @n objects of @size bytes at @objs, with a stride
 * mostly the kernel's, else smaller, larger with a zeroed or a non-zero
 * tail, 0 or huge; and a count that is sometimes an edge.
 */
static struct drm_panthor_obj_array make_array(const void *objs, uint32_t n, uint32_t size,
					       char *what, size_t wlen)
{
	static uint8_t tmp[4096];
	struct drm_panthor_obj_array a = { .stride = size, .count = n };
	enum ptr_kind k;
	uint32_t i, len;

	if (chance(12))
		a.stride = PICK(0u, 1u, size - 8, size - 1, size + 8, size + 64, 0xffffffffu);
	if (chance(5))
		a.count = PICK(4u, 9u, 0x100u, 0x10000u, 0x7fffffffu, 0xffffffffu);
	/* panthor's known kvmalloc warning (see the top) */
	if (!known && !forseti && (uint64_t)a.count * size > INT32_MAX)
		a.count = 0x10000;
	/*
	 * panthor's known wait-on-own-signal warning: an array the kernel
	 * can read past what is zeroed below would take the next array of
	 * the call (not checked against it) for its entries.
	 */
	if (!known && !forseti && (uint64_t)a.count * a.stride > sizeof(tmp) &&
	    (uint64_t)a.count * a.stride <= datr.size)
		a.count = sizeof(tmp) / a.stride;
	memset(tmp, 0, sizeof(tmp));
	if (a.stride && a.stride <= 256) {
		for (i = 0; i < n && (i + 1) * a.stride <= sizeof(tmp); i++) {
			memcpy(tmp + i * a.stride, (const uint8_t *)objs + i * size,
			       a.stride < size ? a.stride : size);
			if (a.stride > size && chance(30))
				tmp[i * a.stride + size + rn(a.stride - size)] = 1 + rn(255);
		}
	}
	/*
	 * Entries past @n that a larger count makes the kernel read are
	 * zeros (as far as they fit here), not the next array put after
	 * this one: a queue submit read as a sync operation would name a
	 * syncobj nothing chose.
	 */
	if (a.stride && a.stride <= 256) {
		uint32_t m = a.count < sizeof(tmp) / a.stride ? a.count : sizeof(tmp) / a.stride;

		len = a.stride * (m > n ? m : n ? n : 1);
	} else {
		len = 256;
	}
	a.array = put_data(tmp, len, &k);
	if (a.count == 0 && chance(70))
		a.array = chance(50) ? 0 : a.array;
	snprintf(what, wlen, "{stride %u count %u array %s}", a.stride, a.count, ptr_names[k]);
	return a;
}

/* Does [va, va + size) (wrapping or not) touch the command buffer? */
static bool touches_cmd(uint64_t va, uint64_t size)
{
	return va < CMD_END && (va + size > CMD_VA || va + size < va);
}

static void do_vm_bind(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_vm_bind_op ops[3];
	struct drm_panthor_sync_op syncs[3][3];
	uint32_t ns[3] = { 0 };
	bool has_syncs[3] = { false };
	struct drm_panthor_vm_bind b = { 0 };
	char arr[96];
	uint32_t n = chance(90) ? 1 + rn(3) : 0, i;
	bool clean, any_cmd = false;
	struct vm *vm;
	int idx, e;

	memset(ops, 0, sizeof(ops));
	b.vm_id = pick_vm(fi, &idx);
	if (chance(85))
		b.flags = 0;
	else
		b.flags = chance(70) ? DRM_PANTHOR_VM_BIND_ASYNC : edge32();
	for (i = 0; i < n; i++) {
		struct drm_panthor_vm_bind_op *op = &ops[i];
		unsigned int type = rn(100);
		int bi;
		uint64_t bsize;

		op->flags = type < 55 ? DRM_PANTHOR_VM_BIND_OP_TYPE_MAP :
			    type < 92 ? DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP :
			    type < 97 ? DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY : edge32() & (0xfu << 28);
		if (chance(30))
			op->flags |= rn(8);	/* READONLY, NOEXEC, UNCACHED */
		if (chance(4))
			op->flags |= DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
		if (chance(3))
			op->flags |= 1u << (4 + rn(24));
		if ((op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP &&
		    !(op->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)) {
			op->bo_handle = pick_bo(fi, &bi);
			bsize = bi >= 0 ? f->bo[bi].size : 0x10000;
		} else {
			op->bo_handle = chance(90) ? 0 : pick_bo(fi, &bi);
			bsize = 0x10000;
		}
		if (chance(85)) {
			op->bo_offset = chance(70) ? 0 : rn(bsize / PAGE) * PAGE;
			op->size = chance(60) ? bsize - op->bo_offset :
				   (1 + rn((bsize - op->bo_offset) / PAGE)) * PAGE;
			op->va = FZ_VA + (chance(20) ? rn(FZ_VA_SIZE >> 21) << 21 :
					  rn(FZ_VA_SIZE / PAGE) * PAGE);
			if (op->va + op->size > FZ_VA + FZ_VA_SIZE)
				op->va = FZ_VA;
		} else {
			op->bo_offset = chance(50) ? 0 : edge64();
			op->size = chance(30) ? bsize : rsize();
			op->va = chance(20) ? CMD_VA + rn(CMD_SIZE / PAGE) * PAGE : edge64();
			/*
			 * Most of the ranges that would take the command
			 * buffer away go elsewhere: a VM keeps it long
			 * enough for its groups to run streams.
			 */
			if (touches_cmd(op->va, op->size) && chance(75))
				op->va = FZ_VA + FZ_VA_SIZE + rn(64) * PAGE;
		}
		if (b.flags & DRM_PANTHOR_VM_BIND_ASYNC || chance(3)) {
			has_syncs[i] = true;
			ns[i] = rn(3);
			fill_sync_ops(fi, syncs[i], ns[i]);
		}
		any_cmd |= touches_cmd(op->va, op->size);
	}
	avoid_wait_on_own_signal(syncs, ns, n);
	for (i = 0; i < n; i++)
		if (has_syncs[i])
			ops[i].syncs = make_array(syncs[i], ns[i], sizeof(syncs[i][0]), arr, sizeof(arr));
	b.ops = make_array(ops, n, sizeof(ops[0]), arr, sizeof(arr));
	DESC("VM_BIND file%d vm %u flags 0x%x ops %s: 0x%x bo %u off 0x%llx va 0x%llx size 0x%llx%s",
	     fi, b.vm_id, b.flags, arr, ops[0].flags, ops[0].bo_handle,
	     (unsigned long long)ops[0].bo_offset, (unsigned long long)ops[0].va,
	     (unsigned long long)ops[0].size, n > 1 ? " ..." : "");
	/*
	 * Whatever the answer, a bind that may have touched the command
	 * buffer's range takes it from the VM's groups.
	 */
	vm = vm_by_id(f, b.vm_id);
	if (vm && any_cmd)
		vm->cmd_ok = false;
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_VM_BIND, &b, sizeof(b), &clean);
	/* a cut struct may name another VM: that one too */
	vm = vm_by_id(f, KIN(struct drm_panthor_vm_bind)->vm_id);
	if (vm && any_cmd)
		vm->cmd_ok = false;
	strcat(desc, variant_note(clean));
	done(T_VM_BIND, e);
}

static void do_vm_get_state(int fi)
{
	struct drm_panthor_vm_get_state s = { 0 };
	bool clean;
	int idx, e;

	s.vm_id = pick_vm(fi, &idx);
	s.state = chance(90) ? 0 : edge32();
	DESC("VM_GET_STATE file%d vm %u", fi, s.vm_id);
	e = xioctl(files[fi].fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s, sizeof(s), &clean);
	strcat(desc, variant_note(clean));
	done(T_VM_GET_STATE, e);
	if (!e && clean)
		FZ_CHECK(s.state <= DRM_PANTHOR_VM_STATE_UNUSABLE, "VM_GET_STATE answered state %u", s.state);
}

static void do_bo_create(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_bo_create c = { 0 };
	uint64_t asked;
	bool clean;
	int idx, e;

	c.size = chance(80) ? PICK(PAGE, 2 * PAGE, 16 * PAGE, 0x10000ull, 0x100000ull, 2ull << 20,
				   PAGE + 1 + rn(PAGE)) : rsize();
	asked = c.size;
	/* a BO too big to map must be closed again: its handle is needed */
	force_clean = c.size > MAX_TRACKED_BO_SIZE;
	c.flags = chance(60) ? 0 : chance(85) ? rn(4) : edge32();
	c.exclusive_vm_id = chance(75) ? 0 : pick_vm(fi, &idx);
	c.pad = chance(5) ? edge32() : 0;
	DESC("BO_CREATE file%d size 0x%llx flags 0x%x exclusive_vm %u pad 0x%x", fi,
	     (unsigned long long)c.size, c.flags, c.exclusive_vm_id, c.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_BO_CREATE, e);
	if (e || !clean)
		return;
	FZ_CHECK(c.handle, "BO_CREATE returned handle 0");
	FZ_CHECK(c.size >= asked && !(c.size & (PAGE - 1)),
		 "BO_CREATE of 0x%llx bytes returned size 0x%llx", (unsigned long long)asked,
		 (unsigned long long)c.size);
	if (c.size > MAX_TRACKED_BO_SIZE || f->nbo == MAX_BO) {
		close_handle(fi, c.handle);
		return;
	}
	f->bo[f->nbo++] = (struct bo){ .handle = c.handle, .size = c.size, .flags = c.flags };
}

static void do_bo_mmap_offset(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_bo_mmap_offset m = { 0 };
	bool clean;
	int idx, e;

	m.handle = pick_bo(fi, &idx);
	m.pad = chance(5) ? edge32() : 0;
	m.offset = chance(90) ? 0 : edge64();
	DESC("BO_MMAP_OFFSET file%d handle %u pad 0x%x", fi, m.handle, m.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &m, sizeof(m), &clean);
	strcat(desc, variant_note(clean));
	done(T_BO_MMAP_OFFSET, e);
	if (!e && clean && idx >= 0)
		f->bo[idx].mmap_off = m.offset;
}

static void do_group_create(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_queue_create q[4];
	struct drm_panthor_group_create c = { 0 };
	/* a group that works is worth its cost: most are valid throughout */
	unsigned int ok = chance(65) ? 100 : 80;
	uint32_t n = chance(ok) ? 1 + rn(3) : PICK(0u, 4u), i;
	char arr[96];
	bool clean;
	int idx, e;

	for (i = 0; i < 4; i++) {
		q[i] = (struct drm_panthor_queue_create){
			.priority = chance(ok) ? rn(16) : edge32(),
			.ringbuf_size = chance(ok) ? PICK(0x1000u, 0x2000u, 0x4000u, 0x10000u) :
					PICK(0u, 0x800u, 0x1800u, 0x20000u, 1u << 31, edge32()),
		};
		if (!chance(ok))
			q[i].pad[rn(3)] = 1 + rn(255);
	}
	c.queues = make_array(q, n, sizeof(q[0]), arr, sizeof(arr));
	c.max_compute_cores = chance(ok) ? 1 : edge32();
	c.max_fragment_cores = chance(ok) ? 1 : edge32();
	c.max_tiler_cores = chance(ok) ? 1 : edge32();
	c.priority = chance(ok) ? rn(4) : edge32();
	c.pad = chance(ok) ? 0 : edge32();
	c.compute_core_mask = chance(ok) ? gpu.shader_present : edge64();
	c.fragment_core_mask = chance(ok) ? gpu.shader_present : edge64();
	c.tiler_core_mask = chance(ok) ? gpu.tiler_present : edge64();
	c.vm_id = pick_vm(fi, &idx);
	if (ok == 100 && f->nvm) {
		/* one whose groups can run streams, if there is one */
		c.vm_id = f->vm[rn(f->nvm)].id;
		for (i = 0; i < (uint32_t)f->nvm; i++)
			if (f->vm[i].cmd_ok)
				c.vm_id = f->vm[i].id;
	}
	c.group_handle = chance(95) ? 0 : edge32();
	DESC("GROUP_CREATE file%d queues %s ring 0x%x cores %u/%u/%u prio %u masks 0x%llx/0x%llx/0x%llx vm %u pad 0x%x",
	     fi, arr, q[0].ringbuf_size, c.max_compute_cores, c.max_fragment_cores,
	     c.max_tiler_cores, c.priority, (unsigned long long)c.compute_core_mask,
	     (unsigned long long)c.fragment_core_mask, (unsigned long long)c.tiler_core_mask,
	     c.vm_id, c.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_GROUP_CREATE, e);
	if (e || !clean)
		return;
	if (f->ngrp == MAX_GROUP) {
		struct drm_panthor_group_destroy d = { .group_handle = c.group_handle };

		DESC("GROUP_DESTROY file%d group %u (not kept)", fi, c.group_handle);
		done(T_GROUP_DESTROY, ioctl(f->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d) ? errno : 0);
		return;
	}
	{
		struct vm *vm = vm_by_id(f, c.vm_id);

		f->grp[f->ngrp++] = (struct grp){
			.handle = c.group_handle, .vm_serial = vm ? vm->serial : 0,
			.nq = c.queues.count,
		};
	}
}

static void do_group_destroy(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_group_destroy d = { 0 };
	bool clean;
	int idx, e;

	d.group_handle = pick_grp(fi, &idx);
	d.pad = chance(5) ? edge32() : 0;
	DESC("GROUP_DESTROY file%d group %u pad 0x%x", fi, d.group_handle, d.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d, sizeof(d), &clean);
	strcat(desc, variant_note(clean));
	done(T_GROUP_DESTROY, e);
	if (!RAN(e))
		return;
	d.group_handle = KIN(struct drm_panthor_group_destroy)->group_handle;
	for (idx = 0; idx < f->ngrp; idx++) {
		if (f->grp[idx].handle == d.group_handle) {
			STALE_ADD(f, grp, d.group_handle);
			f->grp[idx] = f->grp[--f->ngrp];
			break;
		}
	}
}

static unsigned long streams;	/* GROUP_SUBMITs with a stream that were accepted */

static void do_group_submit(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_queue_submit qs[3];
	struct drm_panthor_sync_op syncs[3][3] = { 0 };
	struct drm_panthor_group_submit s = { 0 };
	uint32_t n = chance(92) ? 1 + rn(3) : 0, i, ns[3] = { 0 };
	char arr[96], sarr[96] = "-";
	bool clean, runnable;
	struct vm *vm;
	int idx, e;

	memset(qs, 0, sizeof(qs));
	s.group_handle = pick_grp(fi, &idx);
	if (chance(40)) {
		/* often, a group that can run a stream, if there is one */
		for (i = 0; i < (uint32_t)f->ngrp; i++) {
			vm = vm_by_serial(f, f->grp[i].vm_serial);
			if (vm && vm->cmd_ok) {
				idx = i;
				s.group_handle = f->grp[i].handle;
			}
		}
	}
	s.pad = chance(3) ? edge32() : 0;
	/* a stream runs only on a group whose VM maps the command buffer */
	vm = idx >= 0 ? vm_by_serial(f, f->grp[idx].vm_serial) : NULL;
	runnable = vm && vm->cmd_ok;
	for (i = 0; i < n; i++) {
		unsigned int shape = rn(100);

		qs[i].queue_index = chance(90) ? rn(idx >= 0 ? f->grp[idx].nq : 2) : edge32();
		if (runnable && shape < 50) {
			uint32_t first = rn(CMD_SIZE / 64 - 8);

			qs[i].stream_addr = CMD_VA + first * 64ull;
			qs[i].stream_size = 8 * (1 + rn(32));
		} else if (shape < 85) {
			qs[i].stream_addr = 0;
			qs[i].stream_size = 0;
		} else {
			/* refused for its shape, wherever it points */
			switch (rn(4)) {
			case 0:	/* misaligned address */
				qs[i].stream_addr = edge64() | (1 + rn(63));
				qs[i].stream_size = 8;
				break;
			case 1:	/* size not a whole instruction */
				qs[i].stream_addr = CMD_VA;
				qs[i].stream_size = 8 * rn(8) + 1 + rn(7);
				break;
			case 2:	/* size without address */
				qs[i].stream_size = 8 * (1 + rn(8));
				break;
			default: /* address without size */
				qs[i].stream_addr = CMD_VA + 64 * rn(16);
				break;
			}
		}
		/* bits 24-30 of latest_flush must be zero */
		qs[i].latest_flush = chance(90) ? 0 : chance(50) ? rn(1u << 24) : edge32() | (1u << 24);
		if (chance(3)) {
			qs[i].pad = edge32();
			if (!qs[i].pad)
				qs[i].pad = 1;
		}
		ns[i] = chance(60) ? rn(3) : 0;
		fill_sync_ops(fi, syncs[i], ns[i]);
	}
	avoid_wait_on_own_signal(syncs, ns, n);
	for (i = 0; i < n; i++)
		qs[i].syncs = make_array(syncs[i], ns[i], sizeof(syncs[i][0]), i ? arr : sarr,
					 sizeof(sarr));
	s.queue_submits = make_array(qs, n, sizeof(qs[0]), arr, sizeof(arr));
	DESC("GROUP_SUBMIT file%d group %u pad 0x%x submits %s: queue %u stream 0x%llx+0x%x flush 0x%x syncs %s (0x%x:%u:%llu ...)%s",
	     fi, s.group_handle, s.pad, arr, qs[0].queue_index,
	     (unsigned long long)qs[0].stream_addr, qs[0].stream_size, qs[0].latest_flush,
	     n ? sarr : "-", syncs[0][0].flags, syncs[0][0].handle,
	     (unsigned long long)syncs[0][0].timeline_value, n > 1 ? " ..." : "");
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s, sizeof(s), &clean);
	strcat(desc, variant_note(clean));
	done(T_GROUP_SUBMIT, e);
	for (i = 0; !e && i < n; i++)
		if (qs[i].stream_size) {
			streams++;
			break;
		}
}

static void do_group_get_state(int fi)
{
	struct drm_panthor_group_get_state s = { 0 };
	bool clean;
	int idx, e;

	s.group_handle = pick_grp(fi, &idx);
	s.pad = chance(5) ? edge32() : 0;
	s.state = chance(90) ? 0 : edge32();
	DESC("GROUP_GET_STATE file%d group %u pad 0x%x", fi, s.group_handle, s.pad);
	e = xioctl(files[fi].fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s, sizeof(s), &clean);
	strcat(desc, variant_note(clean));
	done(T_GROUP_GET_STATE, e);
	if (!e && clean)
		FZ_CHECK(!(s.state & ~7u), "GROUP_GET_STATE answered unknown state bits 0x%x", s.state);
}

static void do_tiler_heap_create(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_tiler_heap_create c = { 0 };
	bool clean;
	int idx, e;

	c.vm_id = pick_vm(fi, &idx);
	c.chunk_size = chance(80) ? PICK(128u << 10, 256u << 10, 1u << 20) : edge32();
	c.initial_chunk_count = chance(85) ? 1 + rn(2) : edge32();
	c.max_chunks = chance(85) ? c.initial_chunk_count + rn(8) : edge32();
	c.target_in_flight = chance(85) ? 1 + rn(4) : edge32();
	/*
	 * The chunks are allocated at once: keep a valid heap small (an
	 * initial count above 2 must be refused, by a smaller maximum).
	 */
	if (c.initial_chunk_count > 2 && c.max_chunks >= c.initial_chunk_count)
		c.max_chunks = c.initial_chunk_count - 1;
	if (c.chunk_size > (2u << 20) && c.initial_chunk_count > 1 &&
	    c.max_chunks >= c.initial_chunk_count)
		c.initial_chunk_count = 1;
	c.handle = chance(95) ? 0 : edge32();
	DESC("TILER_HEAP_CREATE file%d vm %u chunk 0x%x initial %u max %u in-flight %u", fi,
	     c.vm_id, c.chunk_size, c.initial_chunk_count, c.max_chunks, c.target_in_flight);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_TILER_HEAP_CREATE, e);
	if (e || !clean)
		return;
	if (f->nheap == MAX_HEAP) {
		struct drm_panthor_tiler_heap_destroy d = { .handle = c.handle };

		DESC("TILER_HEAP_DESTROY file%d heap 0x%x (not kept)", fi, c.handle);
		done(T_TILER_HEAP_DESTROY,
		     ioctl(f->fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d) ? errno : 0);
		return;
	}
	f->heap[f->nheap++] = c.handle;
}

static void do_tiler_heap_destroy(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	bool clean;
	int idx, e;

	d.handle = pick_heap(fi, &idx);
	if (idx < 0 && chance(30) && f->nvm)
		d.handle = f->vm[rn(f->nvm)].id << 16 | rn(4);
	d.pad = chance(5) ? edge32() : 0;
	DESC("TILER_HEAP_DESTROY file%d heap 0x%x pad 0x%x", fi, d.handle, d.pad);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d, sizeof(d), &clean);
	strcat(desc, variant_note(clean));
	done(T_TILER_HEAP_DESTROY, e);
	if (!RAN(e))
		return;
	d.handle = KIN(struct drm_panthor_tiler_heap_destroy)->handle;
	for (idx = 0; idx < f->nheap; idx++) {
		if (f->heap[idx] == d.handle) {
			STALE_ADD(f, heap, d.handle);
			f->heap[idx] = f->heap[--f->nheap];
			break;
		}
	}
}

static void do_bo_set_label(int fi)
{
	static char label[4200];
	struct drm_panthor_bo_set_label l = { 0 };
	enum ptr_kind k = P_NULL;
	size_t len;
	bool clean;
	int idx, e;

	l.handle = pick_bo(fi, &idx);
	l.pad = chance(5) ? edge32() : 0;
	len = chance(70) ? rn(40) : PICK((size_t)0, (size_t)4095, (size_t)4096, (size_t)4097,
					 (size_t)4100);
	memset(label, 'a' + rn(26), len);
	label[len] = 0;
	if (chance(10)) {
		l.label = 0;
	} else {
		l.label = put_data(label, len + 1, &k);
	}
	DESC("BO_SET_LABEL file%d handle %u pad 0x%x label %zu bytes at %s", fi, l.handle, l.pad,
	     len, l.label ? ptr_names[k] : "NULL");
	e = xioctl(files[fi].fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &l, sizeof(l), &clean);
	strcat(desc, variant_note(clean));
	done(T_BO_SET_LABEL, e);
}

static void do_set_user_mmio_offset(int fi)
{
	struct drm_panthor_set_user_mmio_offset m = { 0 };
	bool clean;
	int e;

	m.offset = chance(60) ? PICK(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT,
				     DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) : edge64();
	DESC("SET_USER_MMIO_OFFSET file%d offset 0x%llx", fi, (unsigned long long)m.offset);
	e = xioctl(files[fi].fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &m, sizeof(m), &clean);
	strcat(desc, variant_note(clean));
	done(T_SET_USER_MMIO_OFFSET, e);
}

static void do_bo_sync(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_bo_sync_op ops[3];
	struct drm_panthor_bo_sync s = { 0 };
	uint32_t n = chance(90) ? 1 + rn(3) : 0, i;
	char arr[96];
	bool clean;
	int e;

	for (i = 0; i < 3; i++) {
		int idx;
		uint64_t size;

		ops[i].handle = pick_bo(fi, &idx);
		size = idx >= 0 ? f->bo[idx].size : 0x10000;
		ops[i].type = chance(90) ? rn(2) : edge32();
		if (chance(80)) {
			ops[i].offset = rn(size);
			ops[i].size = rn(size - ops[i].offset + 1);
		} else {
			ops[i].offset = edge64();
			ops[i].size = edge64();
		}
	}
	s.ops = make_array(ops, n, sizeof(ops[0]), arr, sizeof(arr));
	DESC("BO_SYNC file%d ops %s: handle %u type %u range 0x%llx+0x%llx", fi, arr,
	     ops[0].handle, ops[0].type, (unsigned long long)ops[0].offset,
	     (unsigned long long)ops[0].size);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_BO_SYNC, &s, sizeof(s), &clean);
	strcat(desc, variant_note(clean));
	done(T_BO_SYNC, e);
}

static void do_bo_query_info(int fi)
{
	struct file *f = &files[fi];
	struct drm_panthor_bo_query_info q = { 0 };
	bool clean;
	int idx, e;

	q.handle = pick_bo(fi, &idx);
	if (chance(10)) {
		q.extra_flags = edge32();
		q.create_flags = edge32();
		q.pad = edge32();
	}
	DESC("BO_QUERY_INFO file%d handle %u", fi, q.handle);
	e = xioctl(f->fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &q, sizeof(q), &clean);
	strcat(desc, variant_note(clean));
	done(T_BO_QUERY_INFO, e);
	if (!e && clean && idx >= 0)
		FZ_CHECK(q.create_flags == f->bo[idx].flags && !q.pad,
			 "BO_QUERY_INFO of BO %u (created with flags 0x%x): create_flags 0x%x pad 0x%x",
			 q.handle, f->bo[idx].flags, q.create_flags, q.pad);
}

static void do_gem_close(int fi)
{
	struct file *f = &files[fi];
	struct drm_gem_close c = { 0 };
	bool clean;
	int idx, e, i;

	c.handle = pick_bo(fi, &idx);
	c.pad = chance(5) ? edge32() : 0;
	DESC("GEM_CLOSE file%d handle %u pad 0x%x", fi, c.handle, c.pad);
	e = xioctl(f->fd, DRM_IOCTL_GEM_CLOSE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_GEM_CLOSE, e);
	if (!RAN(e))
		return;
	c.handle = KIN(struct drm_gem_close)->handle;
	for (i = 0; i < f->nbo; i++) {
		if (f->bo[i].handle == c.handle) {
			STALE_ADD(f, bo, c.handle);
			f->bo[i] = f->bo[--f->nbo];
			break;
		}
	}
}

static void do_prime_handle_to_fd(int fi)
{
	struct file *f = &files[fi];
	struct drm_prime_handle p = { 0 };
	bool clean;
	int idx, e;

	p.handle = pick_bo(fi, &idx);
	p.flags = chance(85) ? PICK(0u, (uint32_t)DRM_CLOEXEC, (uint32_t)(DRM_CLOEXEC | DRM_RDWR)) :
		  edge32();
	p.fd = chance(90) ? -1 : (int)edge32();
	DESC("PRIME_HANDLE_TO_FD file%d handle %u flags 0x%x", fi, p.handle, p.flags);
	e = xioctl(f->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p, sizeof(p), &clean);
	strcat(desc, variant_note(clean));
	done(T_PRIME_HANDLE_TO_FD, e);
	if (!e && clean)
		xfd_add(p.fd, true, false, idx >= 0 ? f->bo[idx].size : 0, idx >= 0 ? f->bo[idx].flags : 0);
	else if (!e)
		reap_fds();
}

static void do_prime_fd_to_handle(int fi)
{
	struct file *f = &files[fi];
	struct drm_prime_handle p = { 0 };
	struct xfd *x;
	bool clean;
	int e, i;

	p.fd = pick_fd();
	p.flags = chance(90) ? 0 : edge32();
	p.handle = chance(90) ? 0 : edge32();
	DESC("PRIME_FD_TO_HANDLE file%d fd %d flags 0x%x", fi, p.fd, p.flags);
	e = xioctl(f->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p, sizeof(p), &clean);
	strcat(desc, variant_note(clean));
	done(T_PRIME_FD_TO_HANDLE, e);
	x = xfd_find(p.fd);
	if (e || !clean || !x || !x->dmabuf || !x->size)
		return;
	for (i = 0; i < f->nbo; i++)
		if (f->bo[i].handle == p.handle)
			return;
	if (f->nbo < MAX_BO)
		f->bo[f->nbo++] = (struct bo){ .handle = p.handle, .size = x->size, .flags = x->flags };
}

static void do_syncobj_create(int fi)
{
	struct file *f = &files[fi];
	struct drm_syncobj_create c = { 0 };
	bool clean;
	int e;

	c.flags = chance(85) ? rn(2) : edge32();
	c.handle = chance(95) ? 0 : edge32();
	DESC("SYNCOBJ_CREATE file%d flags 0x%x", fi, c.flags);
	e = xioctl(f->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c, sizeof(c), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_CREATE, e);
	if (e || !clean)
		return;
	if (f->nsync == MAX_SYNC) {
		struct drm_syncobj_destroy d = { .handle = c.handle };

		DESC("SYNCOBJ_DESTROY file%d handle %u (not kept)", fi, c.handle);
		done(T_SYNCOBJ_DESTROY, ioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d) ? errno : 0);
		return;
	}
	f->sync[f->nsync++] = c.handle;
}

static void do_syncobj_destroy(int fi)
{
	struct file *f = &files[fi];
	struct drm_syncobj_destroy d = { 0 };
	bool clean;
	int idx, e, i;

	d.handle = pick_sync(fi, &idx);
	d.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_DESTROY file%d handle %u pad 0x%x", fi, d.handle, d.pad);
	e = xioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d, sizeof(d), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_DESTROY, e);
	if (!RAN(e))
		return;
	d.handle = KIN(struct drm_syncobj_destroy)->handle;
	for (i = 0; i < f->nsync; i++) {
		if (f->sync[i] == d.handle) {
			STALE_ADD(f, sync, d.handle);
			f->sync[i] = f->sync[--f->nsync];
			break;
		}
	}
}

static void do_syncobj_handle_to_fd(int fi)
{
	struct fz_syncobj_handle h = { 0 };
	bool clean;
	int idx, e;

	h.handle = pick_sync(fi, &idx);
	h.flags = chance(85) ? rn(4) : edge32();
	h.fd = chance(90) ? -1 : (int)edge32();
	h.point = chance(70) ? 0 : chance(50) ? rn(8) : edge64();
	h.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_HANDLE_TO_FD file%d handle %u flags 0x%x point %llu", fi, h.handle, h.flags,
	     (unsigned long long)h.point);
	e = xioctl(files[fi].fd, FZ_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h, sizeof(h), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_HANDLE_TO_FD, e);
	if (!e && clean)
		xfd_add(h.fd, false, h.flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 0, 0);
	else if (!e)
		reap_fds();
}

/* Whether @fd is a sync file (any fence in it), as the kernel says. */
static bool is_sync_file(int fd)
{
	struct sync_file_info info = { 0 };

	return fd >= 0 && !ioctl(fd, SYNC_IOC_FILE_INFO, &info);
}

static void do_syncobj_fd_to_handle(int fi)
{
	struct file *f = &files[fi];
	struct fz_syncobj_handle h = { 0 };
	bool clean;
	int idx, e;

	h.fd = pick_fd();
	h.flags = chance(85) ? rn(4) : edge32();
	h.handle = h.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE ?
		   pick_sync(fi, &idx) : chance(90) ? 0 : edge32();
	h.point = chance(70) ? 0 : chance(50) ? rn(8) : edge64();
	h.pad = chance(5) ? edge32() : 0;
	/*
	 * DRM core's known dma_fence_chain warning (see the top). Whether the
	 * fd is a sync file is asked of the kernel: the fd table kept here
	 * can miss one (a number reused under an entry of another kind).
	 */
	if (!known && (h.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE) &&
	    is_sync_file(h.fd))
		h.point = 0;
	DESC("SYNCOBJ_FD_TO_HANDLE file%d fd %d flags 0x%x handle %u point %llu", fi, h.fd,
	     h.flags, h.handle, (unsigned long long)h.point);
	e = xioctl(f->fd, FZ_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h, sizeof(h), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_FD_TO_HANDLE, e);
	if (!e && clean && !(h.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)) {
		if (f->nsync < MAX_SYNC) {
			int i;

			for (i = 0; i < f->nsync; i++)
				if (f->sync[i] == h.handle)
					return;
			f->sync[f->nsync++] = h.handle;
		}
	}
}

static void do_syncobj_transfer(int fi)
{
	struct drm_syncobj_transfer t = { 0 };
	bool clean;
	int idx, e;

	t.src_handle = pick_sync(fi, &idx);
	t.dst_handle = pick_sync(fi, &idx);
	t.src_point = chance(50) ? 0 : chance(70) ? rn(8) : edge64();
	t.dst_point = chance(50) ? 0 : chance(70) ? rn(8) : edge64();
	/*
	 * WAIT_FOR_SUBMIT waits up to 5 s for a fence: only for a syncobj
	 * that will get one soon? None is sure to, so never.
	 */
	t.flags = (chance(85) ? 0 : edge32()) & ~DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	t.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_TRANSFER file%d %u:%llu -> %u:%llu flags 0x%x", fi, t.src_handle,
	     (unsigned long long)t.src_point, t.dst_handle, (unsigned long long)t.dst_point,
	     t.flags);
	e = xioctl(files[fi].fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t, sizeof(t), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_TRANSFER, e);
}

/* Syncobj handles (and points): an array of up to 3, or an edge count. */
static uint32_t sync_array(int fi, __u64 *handles, __u64 *points, bool points_out,
			   char *what, size_t wlen)
{
	uint32_t h[4], n = chance(90) ? 1 + rn(3) : PICK(0u, 4u, 0x10000u, 0xffffffffu), i;
	uint64_t pt[4];
	enum ptr_kind kh, kp = P_NULL;
	int idx;

	for (i = 0; i < 4; i++) {
		h[i] = pick_sync(fi, &idx);
		pt[i] = chance(60) ? rn(8) : chance(50) ? 0 : edge64();
	}
	/* DRM core's known page_alloc warning (see the top) */
	if (!known && n > (1u << 20))
		n = 0x10000;
	*handles = put_data(h, 4 * (n < 4 ? n : 4), &kh);
	if (points)
		*points = put_data(points_out ? NULL : pt, 8 * (n < 4 ? n : 4), &kp);
	snprintf(what, wlen, "%u handles at %s (%u %u ...) points at %s", n, ptr_names[kh], h[0], h[1],
		 points ? ptr_names[kp] : "-");
	return n;
}

/* A wait's absolute timeout: never more than 2 ms away. */
static int64_t wait_timeout(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	switch (rn(4)) {
	case 0:
		return 0;
	case 1:
		return PICK((int64_t)-1, (int64_t)1, INT64_MIN);
	default:
		return ts.tv_sec * 1000000000ll + ts.tv_nsec + rn(2000000);
	}
}

static void do_syncobj_wait(int fi)
{
	struct fz_syncobj_wait w = { 0 };
	char what[128];
	bool clean;
	int e;

	w.count_handles = sync_array(fi, &w.handles, NULL, false, what, sizeof(what));
	w.timeout_nsec = wait_timeout();
	w.flags = chance(90) ? rn(16) : edge32();
	w.deadline_nsec = chance(80) ? 0 : edge64();
	w.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_WAIT file%d %s flags 0x%x timeout %lld", fi, what, w.flags,
	     (long long)w.timeout_nsec);
	e = xioctl(files[fi].fd, FZ_IOCTL_SYNCOBJ_WAIT, &w, sizeof(w), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_WAIT, e);
}

static void do_syncobj_timeline_wait(int fi)
{
	struct fz_syncobj_timeline_wait w = { 0 };
	char what[128];
	bool clean;
	int e;

	w.count_handles = sync_array(fi, &w.handles, &w.points, false, what, sizeof(what));
	w.timeout_nsec = wait_timeout();
	w.flags = chance(90) ? rn(16) : edge32();
	w.deadline_nsec = chance(80) ? 0 : edge64();
	w.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_TIMELINE_WAIT file%d %s flags 0x%x timeout %lld", fi, what, w.flags,
	     (long long)w.timeout_nsec);
	e = xioctl(files[fi].fd, FZ_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w, sizeof(w), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_TIMELINE_WAIT, e);
}

static void do_syncobj_array(int fi, enum target t, unsigned long req)
{
	struct drm_syncobj_array a = { 0 };
	char what[128];
	bool clean;
	int e;

	a.count_handles = sync_array(fi, &a.handles, NULL, false, what, sizeof(what));
	a.pad = chance(5) ? edge32() : 0;
	DESC("%s file%d %s pad 0x%x", targets[t].name, fi, what, a.pad);
	e = xioctl(files[fi].fd, req, &a, sizeof(a), &clean);
	strcat(desc, variant_note(clean));
	done(t, e);
}

static void do_syncobj_timeline_array(int fi, enum target t, unsigned long req)
{
	struct drm_syncobj_timeline_array a = { 0 };
	char what[128];
	bool clean;
	int e;

	a.count_handles = sync_array(fi, &a.handles, &a.points, t == T_SYNCOBJ_QUERY, what,
				     sizeof(what));
	a.flags = chance(85) ? rn(2) : edge32();
	DESC("%s file%d %s flags 0x%x", targets[t].name, fi, what, a.flags);
	e = xioctl(files[fi].fd, req, &a, sizeof(a), &clean);
	strcat(desc, variant_note(clean));
	done(t, e);
}

static void do_syncobj_eventfd(int fi)
{
	struct fz_syncobj_eventfd ev = { 0 };
	bool clean;
	int idx, e;

	ev.handle = pick_sync(fi, &idx);
	ev.flags = chance(85) ? PICK(0u, (uint32_t)DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) : edge32();
	ev.point = chance(70) ? rn(8) : edge64();
	ev.fd = chance(70) ? efd : pick_fd();
	ev.pad = chance(5) ? edge32() : 0;
	DESC("SYNCOBJ_EVENTFD file%d handle %u flags 0x%x point %llu fd %d", fi, ev.handle,
	     ev.flags, (unsigned long long)ev.point, ev.fd);
	e = xioctl(files[fi].fd, FZ_IOCTL_SYNCOBJ_EVENTFD, &ev, sizeof(ev), &clean);
	strcat(desc, variant_note(clean));
	done(T_SYNCOBJ_EVENTFD, e);
}

/*
 * A random ioctl number on the device, with random bytes as its struct:
 * the driver's numbers past its table, DRM core's (the ones that block
 * in a wait excluded), and other types. The driver's own ioctls are only
 * called by the functions above, which know what a stream may run.
 */
static void do_random_nr(int fi)
{
	unsigned int nr, type = chance(90) ? DRM_IOCTL_BASE : rn(256);
	unsigned int dir = rn(4), size = chance(80) ? rn(128) : rn(1u << 14);
	unsigned long req;
	size_t i;
	int e;

	do {
		nr = rn(256);
	} while ((nr >= DRM_COMMAND_BASE && nr <= DRM_COMMAND_BASE + DRM_PANTHOR_BO_QUERY_INFO) ||
		 nr == 0xC3 || nr == 0xCA ||
		 /* random counts: DRM core's known warning (see the top) */
		 (!known && (nr == 0xC4 || nr == 0xC5 || nr == 0xCB || nr == 0xCD)));
	req = _IOC(dir, type, nr, size);
	if (chance(90))
		for (i = 0; i < size + 8 && i < argr.size; i++)
			argr.rw[i] = rnd();
	else
		memset(argr.rw, 0, size + 8);
	DESC("ioctl file%d 0x%lx (type 0x%x nr 0x%x dir %u size %u)", fi, req, type, nr, dir, size);
	memset(kin, 0, sizeof(kin));
	if (type == DRM_IOCTL_BASE && (dir & _IOC_WRITE))
		memcpy(kin, argr.rw, size < 4 ? size : 4);
	e = ioctl(files[fi].fd, req, argr.rw) ? errno : 0;
	done(T_RANDOM_NR, e);
	/* random bytes that closed a BO or destroyed a syncobj of ours */
	if (!e && type == DRM_IOCTL_BASE && (nr == 0x09 || nr == 0xC0)) {
		struct file *f = &files[fi];
		uint32_t h = *(const uint32_t *)kin;
		int i;

		for (i = 0; nr == 0x09 && i < f->nbo; i++)
			if (f->bo[i].handle == h)
				f->bo[i] = f->bo[--f->nbo];
		for (i = 0; nr == 0xC0 && i < f->nsync; i++)
			if (f->sync[i] == h)
				f->sync[i] = f->sync[--f->nsync];
	}
}

static sigjmp_buf touch_env;
static volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_env, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read (and write) the first word of a mapping the kernel granted. */
static void touch(void *p, bool writable, const char *what)
{
	volatile uint32_t *w = p;
	int sig;

	sig = sigsetjmp(touch_env, 1);
	if (sig) {
		touching = 0;
		FZ_CHECK(0, "access to a mapping that mmap granted (%s) raised signal %d", what, sig);
	}
	touching = 1;
	(void)*w;
	if (writable)
		*w = *w;
	touching = 0;
}

static void keep_map(void *p, size_t len, bool writable)
{
	if (nmaps == MAX_MAPS) {
		int i = rn(MAX_MAPS);

		touch(maps[i].p, maps[i].writable, "a mapping kept past its handle");
		munmap(maps[i].p, maps[i].len);
		maps[i] = maps[--nmaps];
	}
	maps[nmaps++] = (struct map){ .p = p, .len = len, .writable = writable };
}

/* Does the simulator back the USER page with RAM (sim/sim_knobs.c)? */
static bool user_page_backed(void)
{
	static int backed = -1;
	char buf[8] = "";

	if (backed < 0)
		backed = !read_file("/sys/module/mali_sim/parameters/user_page",
				    buf, sizeof(buf)) && buf[0] == 'Y';
	return backed;
}

static void do_mmap(int fi)
{
	struct file *f = &files[fi], *o = &files[!fi];
	unsigned int r = rn(100);
	uint64_t off, len = PAGE;
	bool mmio = false;
	int prot = PICK(PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE,
			PROT_NONE);
	int flags = chance(85) ? MAP_SHARED : MAP_PRIVATE;
	struct bo *bo = NULL;
	void *p;
	int e, i;

	if (nmaps && chance(10)) {
		i = rn(nmaps);
		touch(maps[i].p, maps[i].writable, "a mapping kept past its handle");
	}
	for (i = 0; i < f->nbo && r < 50; i++) {
		bo = &f->bo[rn(f->nbo)];
		if (bo->mmap_off)
			break;
		bo = NULL;
	}
	if (bo) {
		off = bo->mmap_off;
		len = bo->size;
		if (chance(20)) {
			/* a part of it, or more than it */
			uint64_t pg = rn(bo->size / PAGE + 2);

			off += pg * PAGE;
			len = PICK(PAGE, bo->size, bo->size + PAGE);
		}
	} else if (r < 62 && o->nbo && o->bo[0].mmap_off) {
		off = o->bo[0].mmap_off;	/* another file's BO */
		len = o->bo[0].size;
	} else if (r < 74) {
		mmio = true;
		off = PICK(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT,
			   DRM_PANTHOR_USER_MMIO_OFFSET_64BIT + PAGE);
		len = PICK(PAGE, 2 * PAGE);
	} else if (r < 88) {
		off = (uint64_t)rn(1u << 20) << 12;
		len = (1 + rn(4)) * PAGE;
	} else {
		off = edge64() & ~(PAGE - 1);
		len = PICK(PAGE, 0ull, 1ull << 40);
	}
	DESC("mmap file%d offset 0x%llx length 0x%llx prot %d %s%s", fi, (unsigned long long)off,
	     (unsigned long long)len, prot, flags == MAP_SHARED ? "shared" : "private",
	     bo ? " (its BO)" : "");
	p = mmap(NULL, len, prot, flags, f->fd, off);
	e = p == MAP_FAILED ? errno : 0;
	done(T_MMAP, e);
	if (e)
		return;
	/*
	 * The user MMIO page is read only when the simulator backs it with
	 * RAM (mali_sim.user_page): otherwise UML kills the process.
	 */
	if (mmio) {
		if ((prot & PROT_READ) && user_page_backed())
			touch(p, false, desc);
		munmap(p, len);
		return;
	}
	if (prot & PROT_READ)
		touch(p, prot & PROT_WRITE, desc);
	if ((prot & PROT_READ) && chance(25))
		keep_map(p, PAGE, prot & PROT_WRITE);
	else
		munmap(p, len);
}

/* Close a file with everything it holds, and open a new one. */
static void do_reopen(int fi)
{
	struct file *f = &files[fi];
	struct file old = *f;
	int i;

	DESC("close file%d (%d BOs, %d VMs, %d groups, %d syncobjs, %d heaps) and reopen it",
	     fi, f->nbo, f->nvm, f->ngrp, f->nsync, f->nheap);
	file_close(fi);
	done(T_REOPEN, 0);
	file_open(fi);
	/* what the old file held is stale in the new one */
	for (i = 0; i < old.nbo; i++)
		STALE_ADD(f, bo, old.bo[i].handle);
	for (i = 0; i < old.nvm; i++)
		STALE_ADD(f, vm, old.vm[i].id);
	for (i = 0; i < old.ngrp; i++)
		STALE_ADD(f, grp, old.grp[i].handle);
	for (i = 0; i < old.nsync; i++)
		STALE_ADD(f, sync, old.sync[i]);
	for (i = 0; i < old.nheap; i++)
		STALE_ADD(f, heap, old.heap[i]);
}

/* --- the loop -------------------------------------------------------------- */

static const struct {
	unsigned int weight;
	enum target t;
} mix[] = {
	/*
	 * Weighted by cost too (FUZZ_PROFILE=1 on panthor, host load 13: a
	 * GROUP_CREATE took 72 ms, a TILER_HEAP_CREATE 28, a VM_CREATE or
	 * _DESTROY 15, a VM_BIND or GROUP_SUBMIT 5, mmap 6, most others 1-2):
	 * objects are made rarely, used often.
	 */
	{ 70, T_DEV_QUERY }, { 6, T_VM_CREATE }, { 4, T_VM_DESTROY }, { 60, T_VM_BIND },
	{ 30, T_VM_GET_STATE }, { 30, T_BO_CREATE }, { 30, T_BO_MMAP_OFFSET },
	{ 2, T_GROUP_CREATE }, { 3, T_GROUP_DESTROY }, { 55, T_GROUP_SUBMIT },
	{ 30, T_GROUP_GET_STATE }, { 3, T_TILER_HEAP_CREATE }, { 10, T_TILER_HEAP_DESTROY },
	{ 30, T_BO_SET_LABEL }, { 20, T_SET_USER_MMIO_OFFSET }, { 30, T_BO_SYNC },
	{ 30, T_BO_QUERY_INFO }, { 25, T_GEM_CLOSE }, { 15, T_PRIME_HANDLE_TO_FD },
	{ 20, T_PRIME_FD_TO_HANDLE }, { 25, T_SYNCOBJ_CREATE }, { 16, T_SYNCOBJ_DESTROY },
	{ 12, T_SYNCOBJ_HANDLE_TO_FD }, { 16, T_SYNCOBJ_FD_TO_HANDLE }, { 16, T_SYNCOBJ_TRANSFER },
	{ 20, T_SYNCOBJ_WAIT }, { 16, T_SYNCOBJ_TIMELINE_WAIT }, { 14, T_SYNCOBJ_RESET },
	{ 14, T_SYNCOBJ_SIGNAL }, { 14, T_SYNCOBJ_TIMELINE_SIGNAL }, { 14, T_SYNCOBJ_QUERY },
	{ 10, T_SYNCOBJ_EVENTFD }, { 60, T_RANDOM_NR }, { 20, T_MMAP }, { 1, T_REOPEN },
};

static void step(void)
{
	struct timespec t0, t1;
	unsigned int total = 0, r, i;
	int fi;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		total += mix[i].weight;
	/* every call's arguments depend on the seed and its number only */
	rng = seed ^ (call_nr * 0xd1342543de82ef95ull);
	rnd();
	/*
	 * What the kernel reads past an array (a count larger than what was
	 * put there) is zeros, never an earlier call's entries: a zeroed
	 * queue submit runs no stream.
	 */
	memset(datr.rw, 0, datr.dirty);
	datr.used = datr.dirty = 0;
	force_clean = false;
	fi = rn(2);
	r = rn(total);
	for (i = 0; r >= mix[i].weight; i++)
		r -= mix[i].weight;
	if (profile)
		clock_gettime(CLOCK_MONOTONIC, &t0);
	switch (mix[i].t) {
	case T_DEV_QUERY: do_dev_query(fi); break;
	case T_VM_CREATE: do_vm_create(fi); break;
	case T_VM_DESTROY: do_vm_destroy(fi); break;
	case T_VM_BIND: do_vm_bind(fi); break;
	case T_VM_GET_STATE: do_vm_get_state(fi); break;
	case T_BO_CREATE: do_bo_create(fi); break;
	case T_BO_MMAP_OFFSET: do_bo_mmap_offset(fi); break;
	case T_GROUP_CREATE: do_group_create(fi); break;
	case T_GROUP_DESTROY: do_group_destroy(fi); break;
	case T_GROUP_SUBMIT: do_group_submit(fi); break;
	case T_GROUP_GET_STATE: do_group_get_state(fi); break;
	case T_TILER_HEAP_CREATE: do_tiler_heap_create(fi); break;
	case T_TILER_HEAP_DESTROY: do_tiler_heap_destroy(fi); break;
	case T_BO_SET_LABEL: do_bo_set_label(fi); break;
	case T_SET_USER_MMIO_OFFSET: do_set_user_mmio_offset(fi); break;
	case T_BO_SYNC: do_bo_sync(fi); break;
	case T_BO_QUERY_INFO: do_bo_query_info(fi); break;
	case T_GEM_CLOSE: do_gem_close(fi); break;
	case T_PRIME_HANDLE_TO_FD: do_prime_handle_to_fd(fi); break;
	case T_PRIME_FD_TO_HANDLE: do_prime_fd_to_handle(fi); break;
	case T_SYNCOBJ_CREATE: do_syncobj_create(fi); break;
	case T_SYNCOBJ_DESTROY: do_syncobj_destroy(fi); break;
	case T_SYNCOBJ_HANDLE_TO_FD: do_syncobj_handle_to_fd(fi); break;
	case T_SYNCOBJ_FD_TO_HANDLE: do_syncobj_fd_to_handle(fi); break;
	case T_SYNCOBJ_TRANSFER: do_syncobj_transfer(fi); break;
	case T_SYNCOBJ_WAIT: do_syncobj_wait(fi); break;
	case T_SYNCOBJ_TIMELINE_WAIT: do_syncobj_timeline_wait(fi); break;
	case T_SYNCOBJ_RESET: do_syncobj_array(fi, T_SYNCOBJ_RESET, DRM_IOCTL_SYNCOBJ_RESET); break;
	case T_SYNCOBJ_SIGNAL: do_syncobj_array(fi, T_SYNCOBJ_SIGNAL, DRM_IOCTL_SYNCOBJ_SIGNAL); break;
	case T_SYNCOBJ_TIMELINE_SIGNAL:
		do_syncobj_timeline_array(fi, T_SYNCOBJ_TIMELINE_SIGNAL,
					  DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL);
		break;
	case T_SYNCOBJ_QUERY:
		do_syncobj_timeline_array(fi, T_SYNCOBJ_QUERY, DRM_IOCTL_SYNCOBJ_QUERY);
		break;
	case T_SYNCOBJ_EVENTFD: do_syncobj_eventfd(fi); break;
	case T_RANDOM_NR: do_random_nr(fi); break;
	case T_MMAP: do_mmap(fi); break;
	case T_REOPEN: do_reopen(fi); break;
	default: break;
	}
	if (profile) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		spent[mix[i].t] += (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
}

static void print_histogram(void)
{
	int t, e;

	printf("errno histogram per ioctl (calls: answers):\n");
	for (t = 0; t < T_COUNT; t++) {
		unsigned long n = 0;
		char line[512];
		size_t len = 0;

		for (e = 0; e <= MAX_ERRNO; e++)
			n += hist[t][e];
		len += snprintf(line + len, sizeof(line) - len, "  %-24s %7lu:", targets[t].name, n);
		if (profile)
			len += snprintf(line + len, sizeof(line) - len, " [%.1f s]", spent[t]);
		for (e = 0; e <= MAX_ERRNO && len < sizeof(line); e++)
			if (hist[t][e])
				len += snprintf(line + len, sizeof(line) - len, " %s %lu",
						e == MAX_ERRNO ? "other" : errname(e), hist[t][e]);
		printf("%s\n", line);
	}
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	uint64_t r;

	if (!v || !*v)
		return def;
	r = strtoull(v, &end, 0);
	CHECK(!*end, "%s=%s: not a number", name, v);
	return r;
}

int main(void)
{
	unsigned long n, next_report, limit_s;
	struct sigaction sa = { .sa_handler = on_fault };
	struct job_ctx j;
	long t0;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	seed = env_u64("FUZZ_SEED", 0);
	if (!seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ts.tv_sec * 1000000007ull ^ ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	}
	n = env_u64("FUZZ_CALLS", DEFAULT_CALLS);
	trace_from = env_u64("FUZZ_TRACE", ~0ul);
	known = env_u64("FUZZ_KNOWN", 0);
	profile = env_u64("FUZZ_PROFILE", 0);
	limit_s = env_u64("FUZZ_SECONDS", DEFAULT_SECONDS);
	printf("seed 0x%" PRIx64 " (replay: FUZZ_SEED=0x%" PRIx64 "; in the simulator, SIM_GUEST_ENV=\"FUZZ_SEED=0x%" PRIx64 "\")\n",
	       seed, seed, seed);

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	region_init(&argr, 32 * PAGE);
	region_init(&datr, 32 * PAGE);
	/*
	 * Kept reserved, never unmapped: a later mmap() (a BO's, the
	 * command buffer's) could land on a page given back, and a pointer
	 * meant to fault would then read, or write, that mapping.
	 */
	hole = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(hole != MAP_FAILED, "mmap: %s", strerror(errno));
	efd = eventfd(0, EFD_CLOEXEC);
	CHECK(efd >= 0, "eventfd: %s", strerror(errno));

	file_open(0);
	file_open(1);
	forseti = is_forseti(files[0].fd);
	unsupported_ok = forseti && !topic_complete(GROUPS_TOPIC);
	setup_allowed();
	printf("driver: %s; EOPNOTSUPP for topic %s's async/sparse binds, tiler heaps and user MMIO: %s; known reports: %s\n",
	       forseti ? "forseti" : "panthor", GROUPS_TOPIC,
	       unsupported_ok ? "allowed (the topic is not complete)" : "not allowed",
	       known ? "made (FUZZ_KNOWN=1)" : "avoided");
	gpu = query_gpu_info(files[0].fd);
	for (i = 0; i < 5; i++) {
		struct drm_panthor_dev_query q = { .type = i };

		CHECK_IOCTL(files[0].fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		query_size[i] = q.size;
	}

	t0 = now_ms();
	next_report = 10000;
	for (call_nr = 0; calls < n; call_nr++) {
		step();
		if (calls >= next_report) {
			printf("%lu calls in %ld s\n", calls, (now_ms() - t0) / 1000);
			next_report += 10000;
			if (now_ms() - t0 > (long)limit_s * 1000)
				break;
		}
	}
	printf("%lu calls (%lu steps) in %.1f s; %lu submits ran a stream\n", calls, call_nr,
	       (now_ms() - t0) / 1000.0, streams);
	print_histogram();

	for (i = 0; i < nmaps; i++) {
		touch(maps[i].p, maps[i].writable, "a mapping kept past its handle");
		munmap(maps[i].p, maps[i].len);
	}
	for (i = 0; i < nxfds; i++)
		close(xfds[i].fd);
	file_close(0);
	file_close(1);

	/* the GPU still runs a job, on a new file */
	i = open_render();
	job_init(&j, i);
	job_check_healthy(&j, "after the fuzzing");
	job_fini(&j);
	close(i);
	printf("ok: a job ran after the fuzzing\n");
	/*
	 * A host too loaded to make the calls within the guest's limit for a
	 * test: what ran passed, but it is not the run the test stands for.
	 */
	if (calls < n)
		PARTIAL("%lu of %lu calls in FUZZ_SECONDS=%lu s (a loaded host?)", calls, n, limit_s);
	return 0;
}
