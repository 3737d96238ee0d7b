// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_bind_async: asynchronous VM_BIND (DRM_PANTHOR_VM_BIND_ASYNC) and its
 * sync operations, checked through what the GPU reads:
 *
 * - wait-then-map: a MAP that waits on the syncobj of a job held in the GPU
 *   (SYNC_WAIT32 on a word a job of another group sets later) does not
 *   signal its own syncobj while that job is held; a job of a third group
 *   that waits on the bind's syncobj then reads the new mapping, and
 *   stores what it read, the CPU's pattern, in the data buffer;
 * - unmap-after-use: an UNMAP that waits on the syncobj of a held job that
 *   reads the range does not signal before that job ends, and the job
 *   read the mapping (no fault); at the very end, a job reading the range
 *   faults: the UNMAP did unmap it;
 * - sync-only: a SYNC_ONLY operation waits for its WAIT sync operations,
 *   and a SYNC_ONLY queued behind it does not signal before it (the VM's
 *   queue is in order);
 * - teardown: VM_DESTROY, and a file's close, with binds waiting on held
 *   jobs: their syncobjs still signal, nothing is left behind (the
 *   harness's kmemleak scan and lockdep see the rest); VM_DESTROY's only
 *   on forseti, since the base tree's panthor leaks the VM then;
 * - many binds: VM_BIND_ASYNC_COUNT (default 200) asynchronous MAPs and
 *   UNMAPs in a row, then a MAP whose mapping a job reads (the harness
 *   scans kmemleak afterwards);
 * - bad input: unknown sync-op flags, handle types, a timeline point on a
 *   binary syncobj, short strides, non-zero bytes past the structs, a
 *   SYNC_ONLY without sync operations or with object or range fields, sync
 *   operations or SYNC_ONLY in a synchronous bind, an unknown syncobj (to
 *   signal: only on forseti, since the base tree's panthor oopses):
 *   each gets the uAPI's errno, and a batch that fails on its second
 *   operation leaves the first one's mapping unmade and its syncobj
 *   without a fence;
 * - allocation failures: with fault injection (CONFIG_FAULT_INJECTION,
 *   CONFIG_FAILSLAB and their debugfs), the n-th slab allocation of an
 *   asynchronous MAP is made to fail (the task's fail-nth), for n = 1,
 *   2, ... until the bind makes fewer than n allocations: each bind that
 *   fails returns an error with its syncobj left without a fence and the
 *   old mapping in place (read by the GPU), so it failed before it was
 *   armed; a bind that goes through (every allocation made, or one it
 *   could do without failed) maps. Without fault injection, the test
 *   passes as partial.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define TGT_VA		0x30000000ull
#define TGT_SIZE	0x4000ull
#define ASYNC		DRM_PANTHOR_VM_BIND_ASYNC
#define MAP		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP		DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define SYNC_ONLY	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY
#define DEFAULT_COUNT	200

static struct drm_panthor_sync_op sop_wait(uint32_t h)
{
	return (struct drm_panthor_sync_op){
		.flags = DRM_PANTHOR_SYNC_OP_WAIT | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = h,
	};
}

static struct drm_panthor_sync_op sop_signal(uint32_t h)
{
	return (struct drm_panthor_sync_op){
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = h,
	};
}

static int bind(int fd, uint32_t vm, uint32_t flags,
		struct drm_panthor_vm_bind_op *ops, uint32_t n)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = flags, .ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? -errno : 0;
}

/* A MAP or UNMAP of TGT_SIZE at @va with @n sync operations. */
static struct drm_panthor_vm_bind_op op_of(uint32_t type, uint32_t bo, uint64_t va,
					   struct drm_panthor_sync_op *s, uint32_t n)
{
	return (struct drm_panthor_vm_bind_op){
		.flags = type, .bo_handle = type == MAP ? bo : 0,
		.va = va, .size = TGT_SIZE,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(n, s),
	};
}

static void bind_ok(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *ops, uint32_t n,
		    const char *what)
{
	int r = bind(fd, vm, ASYNC, ops, n);

	CHECK(!r, "%s: asynchronous VM_BIND failed: %s", what, strerror(-r));
}

/* Write @n instructions at @off in the command buffer, run them on @group. */
static uint32_t run_at(struct job_ctx *j, uint32_t group, unsigned int off,
		       const uint64_t *ins, unsigned int n, uint32_t in)
{
	uint32_t out = syncobj_create(j->fd);
	int r;

	memcpy((char *)j->cmd + off, ins, n * 8);
	__sync_synchronize();
	r = submit(j->fd, group, j->cmd_va + off, n * 8, in, out);
	CHECK(!r, "GROUP_SUBMIT failed: %s", strerror(-r));
	return out;
}

/*
 * A job on @group held in the GPU until the data word at @woff is set
 * (release()); then, if @va, it copies the word at GPU address @va to the
 * data word at @doff.
 */
static uint32_t held_job(struct job_ctx *j, uint32_t group, unsigned int off,
			 unsigned int woff, uint64_t va, unsigned int doff)
{
	uint64_t ins[] = {
		cs_move48(0, j->data_va + woff),
		cs_move32(2, 0),
		cs_sync_wait32(0, 2, true),
		cs_move48(4, va),
		cs_load_multiple(6, 4, 0x1, 0),
		cs_move48(8, j->data_va + doff),
		cs_store_multiple(6, 8, 0x1, 0),
	};

	return run_at(j, group, off, ins, va ? 7 : 3, 0);
}

/* A job on @group, after @in, that copies the word at @va to data at @doff. */
static uint32_t reader(struct job_ctx *j, uint32_t group, unsigned int off,
		       uint64_t va, unsigned int doff, uint32_t in)
{
	uint64_t ins[] = {
		cs_move48(4, va),
		cs_load_multiple(6, 4, 0x1, 0),
		cs_move48(8, j->data_va + doff),
		cs_store_multiple(6, 8, 0x1, 0),
	};

	return run_at(j, group, off, ins, 4, in);
}

/* Release the jobs held on the data word at @woff, from a job on @group. */
static void release(struct job_ctx *j, uint32_t group, unsigned int off,
		    unsigned int woff)
{
	uint64_t ins[] = {
		cs_move48(0, j->data_va + woff),
		cs_move32(2, 1),
		cs_sync_set32(0, 2),
	};
	uint32_t s = run_at(j, group, off, ins, 3, 0);

	CHECK(!syncobj_wait(j->fd, s, 10000), "the releasing job did not complete");
	drmSyncobjDestroy(j->fd, s);
}

static bool pending(int fd, uint32_t s)
{
	return syncobj_wait(fd, s, 0) == -ETIME;
}

static uint32_t pattern_bo(int fd, uint32_t *pattern)
{
	uint32_t bo = bo_create(fd, TGT_SIZE, 0, 0);
	uint32_t *p = bo_mmap(fd, bo, TGT_SIZE);

	*pattern = 0x5a000000u ^ (uint32_t)(now_ms() * 2654435761u) ^ bo;
	memset(p, 0, TGT_SIZE);
	p[0] = *pattern;
	munmap(p, TGT_SIZE);
	return bo;
}

static void check_wait_then_map(struct job_ctx *j, uint32_t g2, uint32_t g3)
{
	struct drm_panthor_sync_op s[2];
	struct drm_panthor_vm_bind_op op;
	uint32_t pattern, bo, sa, sb, sc;

	bo = pattern_bo(j->fd, &pattern);
	sa = held_job(j, j->group, 0x0, 0x100, 0, 0);
	sb = syncobj_create(j->fd);
	s[0] = sop_wait(sa);
	s[1] = sop_signal(sb);
	op = op_of(MAP, bo, TGT_VA, s, 2);
	bind_ok(j->fd, j->vm, &op, 1, "wait-then-map");

	msleep(300);
	CHECK(pending(j->fd, sa), "wait-then-map: the held job ended before its release");
	CHECK(pending(j->fd, sb), "wait-then-map: the bind signalled before the job it waits on");

	sc = reader(j, g2, 0x1000, TGT_VA, 0x200, sb);
	msleep(100);
	CHECK(pending(j->fd, sc), "wait-then-map: the reader ran before the bind signalled");

	release(j, g3, 0x2000, 0x100);
	CHECK(!syncobj_wait(j->fd, sa, 10000), "wait-then-map: the held job did not end");
	CHECK(!syncobj_wait(j->fd, sb, 10000), "wait-then-map: the bind did not signal");
	CHECK(!syncobj_wait(j->fd, sc, 10000), "wait-then-map: the reader did not end");
	CHECK(j->data[0x200 / 4] == pattern,
	      "wait-then-map: the reader read 0x%x through the new mapping, not 0x%x",
	      j->data[0x200 / 4], pattern);
	CHECK(group_state(j->fd, g2, NULL) == 0, "wait-then-map: the reader's group reports a problem");
	printf("wait-then-map: ok (0x%x)\n", pattern);

	vm_unmap(j->fd, j->vm, TGT_VA, TGT_SIZE);
	bo_close(j->fd, bo);
}

static void check_sync_only(struct job_ctx *j, uint32_t g3)
{
	struct drm_panthor_sync_op s1[2], s2[1];
	struct drm_panthor_vm_bind_op op;
	uint32_t sa, st, ss;

	sa = held_job(j, j->group, 0x3000, 0x104, 0, 0);
	st = syncobj_create(j->fd);
	ss = syncobj_create(j->fd);

	s1[0] = sop_wait(sa);
	s1[1] = sop_signal(st);
	op = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY,
					      .syncs = DRM_PANTHOR_OBJ_ARRAY(2, s1) };
	bind_ok(j->fd, j->vm, &op, 1, "sync-only with a wait");

	s2[0] = sop_signal(ss);
	op = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY,
					      .syncs = DRM_PANTHOR_OBJ_ARRAY(1, s2) };
	bind_ok(j->fd, j->vm, &op, 1, "sync-only behind it");

	msleep(300);
	CHECK(pending(j->fd, st), "sync-only: signalled before the job it waits on ended");
	CHECK(pending(j->fd, ss), "sync-only: a SYNC_ONLY signalled before the one queued before it");

	release(j, g3, 0x4000, 0x104);
	CHECK(!syncobj_wait(j->fd, sa, 10000), "sync-only: the held job did not end");
	CHECK(!syncobj_wait(j->fd, st, 10000), "sync-only: its syncobj never signalled");
	CHECK(!syncobj_wait(j->fd, ss, 10000), "sync-only: the second one never signalled");
	printf("sync-only: ok\n");
}

/* Returns the syncobj of the job that read the mapped range, for the end. */
static void check_unmap_after_use(struct job_ctx *j, uint32_t g3, uint32_t *bo_out)
{
	struct drm_panthor_sync_op s[2];
	struct drm_panthor_vm_bind_op op;
	uint32_t pattern, bo, su, sx;
	uint64_t va = TGT_VA + 0x100000;

	bo = pattern_bo(j->fd, &pattern);
	vm_map(j->fd, j->vm, bo, va, TGT_SIZE, 0);
	su = held_job(j, j->group, 0x5000, 0x108, va, 0x300);
	sx = syncobj_create(j->fd);
	s[0] = sop_wait(su);
	s[1] = sop_signal(sx);
	op = op_of(UNMAP, 0, va, s, 2);
	bind_ok(j->fd, j->vm, &op, 1, "unmap-after-use");

	msleep(300);
	CHECK(pending(j->fd, sx), "unmap-after-use: the unmap signalled before the job using the range ended");

	release(j, g3, 0x6000, 0x108);
	CHECK(!syncobj_wait(j->fd, su, 10000), "unmap-after-use: the job using the range did not end");
	CHECK(!syncobj_wait(j->fd, sx, 10000), "unmap-after-use: the unmap did not signal");
	CHECK(group_state(j->fd, j->group, NULL) == 0,
	      "unmap-after-use: the job using the range faulted (unmapped under it?)");
	CHECK(j->data[0x300 / 4] == pattern,
	      "unmap-after-use: the job read 0x%x, not 0x%x: the range was unmapped under it",
	      j->data[0x300 / 4], pattern);
	printf("unmap-after-use: ok (0x%x)\n", pattern);
	*bo_out = bo;
}

/*
 * VM_BIND_ASYNC_SKIP: a comma-separated list of the parts not to run
 * (bad-input, alloc-failures, wait-then-map, sync-only, many, teardown,
 * teardown-destroy, teardown-close, unmap-after-use), to narrow a failure
 * down.
 */
static bool part(const char *name)
{
	const char *skip = getenv("VM_BIND_ASYNC_SKIP");
	size_t len = strlen(name);
	const char *p;

	for (p = skip; p && (p = strstr(p, name)); p += len) {
		if ((p == skip || p[-1] == ',') && (!p[len] || p[len] == ','))
			return false;
	}
	return true;
}

static unsigned int bind_count(void)
{
	const char *s = getenv("VM_BIND_ASYNC_COUNT");
	char *end;
	unsigned long n;

	if (!s)
		return DEFAULT_COUNT;
	n = strtoul(s, &end, 10);
	CHECK(*s && !*end && n > 0 && n <= 1000000,
	      "VM_BIND_ASYNC_COUNT=%s: want a number of binds from 1 to 1000000", s);
	return n;
}

static void check_many(struct job_ctx *j)
{
	unsigned int n = bind_count(), i;
	struct drm_panthor_sync_op s[1];
	struct drm_panthor_vm_bind_op op;
	uint64_t va = TGT_VA + 0x200000;
	uint32_t pattern, bo, sf;
	long start = now_ms();
	int r;

	bo = pattern_bo(j->fd, &pattern);
	sf = syncobj_create(j->fd);
	for (i = 0; i < n; i++) {
		/* Every 64th bind signals, and the test waits: a bounded queue. */
		s[0] = sop_signal(sf);
		op = op_of(i % 2 ? UNMAP : MAP, bo, va, s, i % 64 == 63);
		bind_ok(j->fd, j->vm, &op, 1, "many binds");
		if (i % 64 == 63)
			CHECK(!syncobj_wait(j->fd, sf, 10000), "many binds: bind %u never signalled", i);
	}
	s[0] = sop_signal(sf);
	op = op_of(n % 2 ? UNMAP : MAP, bo, va, s, 1);
	bind_ok(j->fd, j->vm, &op, 1, "many binds, the last");
	CHECK(!syncobj_wait(j->fd, sf, 10000), "many binds: the last never signalled");
	if (n % 2 == 0) {
		/* The last was an UNMAP: map once more, to read. */
		op = op_of(MAP, bo, va, s, 1);
		bind_ok(j->fd, j->vm, &op, 1, "many binds, the read's map");
		CHECK(!syncobj_wait(j->fd, sf, 10000), "many binds: the read's map never signalled");
	}
	printf("many binds: %u in %ld ms\n", n + 2, now_ms() - start);

	r = job_read_pages(j, va, 1);
	CHECK(!r, "many binds: reading the mapping: %s", job_read_why(j, r));
	CHECK(j->data[0] == pattern, "many binds: read 0x%x, not 0x%x", j->data[0], pattern);
	vm_unmap(j->fd, j->vm, va, TGT_SIZE);
	bo_close(j->fd, bo);
	drmSyncobjDestroy(j->fd, sf);
}

static void check_teardown(struct job_ctx *j, uint32_t g3)
{
	struct drm_panthor_sync_op s[2];
	struct drm_panthor_vm_bind_op ops[2];
	struct job_ctx j2;
	uint32_t pattern, bo, bo2, vm, sa, sb;
	int fd2;

	if (!part("teardown-destroy"))
		goto close;
	/*
	 * The base tree's panthor applies a bind queued before VM_DESTROY
	 * after it (panthor_vm_exec_op() looks at vm->unusable, not at
	 * vm->destroyed): the mapping it makes holds the VM, whose page
	 * tables leak ("Objects remaining" in panthor-mmu-pt at rmmod).
	 */
	if (!is_forseti(j->fd)) {
		printf("teardown: VM_DESTROY with a bind pending: not checked on panthor, which leaks the VM\n");
		goto close;
	}

	/* VM_DESTROY with a bind waiting on a job held in another VM. */
	vm = vm_create(j->fd);
	bo = pattern_bo(j->fd, &pattern);
	sa = held_job(j, j->group, 0x7000, 0x10c, 0, 0);
	sb = syncobj_create(j->fd);
	s[0] = sop_wait(sa);
	s[1] = sop_signal(sb);
	ops[0] = op_of(MAP, bo, TGT_VA, s, 2);
	bind_ok(j->fd, vm, ops, 1, "teardown");
	vm_destroy(j->fd, vm);
	release(j, g3, 0x8000, 0x10c);
	CHECK(!syncobj_wait(j->fd, sa, 10000), "teardown: the held job did not end");
	CHECK(!syncobj_wait(j->fd, sb, 10000),
	      "teardown: the bind of a destroyed VM never signalled");
	bo_close(j->fd, bo);
	printf("teardown: VM_DESTROY with a bind pending: ok\n");

close:
	if (!part("teardown-close"))
		return;
	/*
	 * The same panthor bug at close: the file's VMs are destroyed with
	 * the bind still queued, which may then run after (timing decides)
	 * and leak the VM's page tables (make test's panthor lane saw it at
	 * module_reload's rmmod, one run in two).
	 */
	if (!is_forseti(j->fd)) {
		printf("teardown: close with binds pending: not checked on panthor, which may leak the VM\n");
		return;
	}

	/* A file closed with its binds waiting on its held job. */
	fd2 = open_render();
	job_init(&j2, fd2);
	bo2 = pattern_bo(fd2, &pattern);
	sa = held_job(&j2, j2.group, 0x0, 0x100, 0, 0);
	sb = syncobj_create(fd2);
	s[0] = sop_wait(sa);
	s[1] = sop_signal(sb);
	ops[0] = op_of(MAP, bo2, TGT_VA, s, 2);
	ops[1] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY,
						  .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &s[1]) };
	bind_ok(fd2, j2.vm, ops, 2, "teardown by close");
	msleep(100);
	CHECK(pending(fd2, sb), "teardown: the bind signalled before the job it waits on");
	munmap(j2.cmd, BUF_SIZE);
	munmap(j2.data, BUF_SIZE);
	close(fd2);
	printf("teardown: close with binds pending: ok\n");
}

static void check_errno(int fd, uint32_t vm, uint32_t flags,
			struct drm_panthor_vm_bind_op *ops, uint32_t n, int want,
			const char *what)
{
	int r = bind(fd, vm, flags, ops, n);

	CHECK(r == -want, "bad input, %s: got %s, not %s", what,
	      r ? strerror(-r) : "success", strerror(want));
}

static void check_bad_input(struct job_ctx *j)
{
	struct drm_panthor_vm_bind_op ops[2];
	struct drm_panthor_sync_op s[2];
	struct {
		struct drm_panthor_sync_op op;
		uint64_t extra;
	} big;
	struct drm_panthor_vm_bind b;
	uint32_t pattern, pattern2, bo, bo2, sn, sy;
	uint64_t va = TGT_VA + 0x300000;
	int r;

	bo = pattern_bo(j->fd, &pattern);
	bo2 = pattern_bo(j->fd, &pattern2);
	vm_map(j->fd, j->vm, bo, va, TGT_SIZE, 0);
	sn = syncobj_create(j->fd);
	sy = syncobj_create(j->fd);

	/* Sync operations. */
	s[0] = sop_signal(sy);
	s[0].flags |= 1u << 20;
	ops[0] = op_of(MAP, bo2, va, s, 1);
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "an unknown sync-op flag");
	s[0] = sop_signal(sy);
	s[0].flags = (s[0].flags & ~DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK) | 7;
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "an unknown handle type");
	s[0] = sop_signal(sy);
	s[0].timeline_value = 3;
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "a point on a binary syncobj");
	s[0] = sop_signal(sy);
	ops[0].syncs.stride = sizeof(s[0]) - 4;
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "a short sync-op stride");
	big.op = sop_signal(sy);
	big.extra = 1;
	ops[0].syncs = (struct drm_panthor_obj_array){
		.stride = sizeof(big), .count = 1, .array = (uintptr_t)&big };
	check_errno(j->fd, j->vm, ASYNC, ops, 1, E2BIG, "non-zero bytes past a sync op");
	/*
	 * The base tree's panthor oopses on this one (and so on a GROUP_SUBMIT
	 * signalling an unknown syncobj): the error path of
	 * panthor_submit_ctx_add_sync_signal() calls drm_syncobj_put(NULL).
	 */
	s[0] = sop_signal(0xdead);
	ops[0] = op_of(MAP, bo2, va, s, 1);
	if (is_forseti(j->fd))
		check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "an unknown syncobj to signal");
	else
		printf("bad input: an unknown syncobj to signal: not checked on panthor, which oopses\n");
	s[0] = sop_wait(0xdead);
	check_errno(j->fd, j->vm, ASYNC, ops, 1, ENOENT, "an unknown syncobj to wait on");

	/* Operations. */
	s[0] = sop_signal(sy);
	ops[0] = op_of(MAP, bo2, va, s, 1);
	b = (struct drm_panthor_vm_bind){ .vm_id = j->vm, .flags = ASYNC,
		.ops = { .stride = sizeof(ops[0]) - 8, .count = 1, .array = (uintptr_t)ops } };
	r = drmIoctl(j->fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? errno : 0;
	CHECK(r == EINVAL, "bad input, a short op stride: got %s", r ? strerror(r) : "success");
	ops[0] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY };
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "SYNC_ONLY without sync ops");
	ops[0] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY, .va = va,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, s) };
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "SYNC_ONLY with a range");
	ops[0] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY, .bo_handle = bo2,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, s) };
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "SYNC_ONLY with an object");
	ops[0] = (struct drm_panthor_vm_bind_op){
		.flags = SYNC_ONLY | DRM_PANTHOR_VM_BIND_OP_MAP_READONLY,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, s) };
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "SYNC_ONLY with a map flag");
	ops[0] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, s) };
	check_errno(j->fd, j->vm, 0, ops, 1, EINVAL, "SYNC_ONLY in a synchronous bind");
	ops[0] = op_of(MAP, bo2, va, s, 1);
	check_errno(j->fd, j->vm, 0, ops, 1, EINVAL, "sync ops in a synchronous bind");
	ops[0] = op_of(3u << 28, bo2, va, s, 1);
	check_errno(j->fd, j->vm, ASYNC, ops, 1, EINVAL, "an unknown op type");

	/* A batch failing at its second operation changes nothing. */
	s[0] = sop_signal(sn);
	ops[0] = op_of(MAP, bo2, va, s, 1);
	ops[1] = (struct drm_panthor_vm_bind_op){ .flags = SYNC_ONLY };
	check_errno(j->fd, j->vm, ASYNC, ops, 2, EINVAL, "a batch with a bad second op");
	s[1] = sop_wait(0xdead);
	ops[1] = op_of(UNMAP, 0, va, &s[1], 1);
	check_errno(j->fd, j->vm, ASYNC, ops, 2, ENOENT, "a batch waiting on no syncobj");
	/* No fence at all: -EINVAL, where a pending one would be -ETIME. */
	r = syncobj_wait(j->fd, sn, 0);
	CHECK(r == -EINVAL, "bad input: a failed batch's syncobj got a fence (%s)",
	      r ? "not signalled yet" : "signalled");
	msleep(50);
	r = job_read_pages(j, va, 1);
	CHECK(!r, "bad input: reading the old mapping: %s", job_read_why(j, r));
	CHECK(j->data[0] == pattern, "bad input: a failed batch changed the mapping: read 0x%x, not 0x%x",
	      j->data[0], pattern);
	printf("bad input: ok\n");

	vm_unmap(j->fd, j->vm, va, TGT_SIZE);
	bo_close(j->fd, bo);
	bo_close(j->fd, bo2);
	drmSyncobjDestroy(j->fd, sn);
	drmSyncobjDestroy(j->fd, sy);
}

static void fault_attr(const char *attr, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", attr, file);
	CHECK(!write_file(path, val), "fault injection: cannot write %s", path);
}

/* Returns false when the kernel has no fault injection to use. */
static bool check_alloc_failures(struct job_ctx *j)
{
	struct drm_panthor_sync_op s[1];
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_vm_bind b;
	uint32_t pattern, pattern2, bo, bo2, sn;
	uint64_t va = TGT_VA + 0x400000;
	unsigned int n, failed = 0, survived = 0;
	char path[64], buf[16];
	int nth, r, err;
	ssize_t left;
	bool injected;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth", (long)syscall(SYS_gettid));
	nth = open(path, O_RDWR);
	if (nth < 0 || access("/sys/kernel/debug/failslab", F_OK)) {
		printf("allocation failures: no fault injection in this kernel\n");
		if (nth >= 0)
			close(nth);
		return false;
	}
	/*
	 * Every slab allocation may fail, sleeping or not, quietly. Page
	 * allocations are left alone: a failed one prints a call trace
	 * (warn_alloc()), which the harness counts as a kernel report.
	 */
	fault_attr("failslab", "ignore-gfp-wait", "N");
	fault_attr("failslab", "verbose", "0");

	bo = pattern_bo(j->fd, &pattern);
	bo2 = pattern_bo(j->fd, &pattern2);
	vm_map(j->fd, j->vm, bo, va, TGT_SIZE, 0);

	for (n = 1; n <= 2000; n++) {
		sn = syncobj_create(j->fd);
		s[0] = sop_signal(sn);
		op = op_of(MAP, bo2, va, s, 1);

		snprintf(buf, sizeof(buf), "%u", n);
		CHECK(pwrite(nth, buf, strlen(buf), 0) > 0, "fault injection: cannot arm fail-nth");
		/* Not drmIoctl(), which would retry an EINTR past the fault. */
		b = (struct drm_panthor_vm_bind){ .vm_id = j->vm, .flags = ASYNC,
						  .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
		r = ioctl(j->fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? -errno : 0;
		err = -r;
		/* 0: the n-th allocation failed; else the bind made fewer. */
		left = pread(nth, buf, sizeof(buf) - 1, 0);
		CHECK(left > 0, "fault injection: cannot read fail-nth");
		buf[left] = 0;
		injected = atoi(buf) == 0;
		/* Disarm, whether it fired or not. */
		CHECK(pwrite(nth, "0", 1, 0) > 0, "fault injection: cannot disarm fail-nth");

		if (!r) {
			/*
			 * It went through: with every allocation made (none
			 * was failed), or with one it could do without (a
			 * kvmalloc() falls back to vmalloc()). It maps.
			 */
			CHECK(!syncobj_wait(j->fd, sn, 10000),
			      "allocation failures: a bind that went through (allocation %u %s) never signalled",
			      n, injected ? "failed" : "not reached");
			r = job_read_pages(j, va, 1);
			CHECK(!r, "allocation failures: reading the new mapping: %s", job_read_why(j, r));
			CHECK(j->data[0] == pattern2,
			      "allocation failures: a bind that went through (allocation %u %s) read 0x%x, not 0x%x",
			      n, injected ? "failed" : "not reached", j->data[0], pattern2);
			drmSyncobjDestroy(j->fd, sn);
			if (!injected)
				break;
			survived++;
			/* Back to the old mapping, for the next one. */
			vm_map(j->fd, j->vm, bo, va, TGT_SIZE, 0);
			continue;
		}
		CHECK(injected, "allocation failures: the bind failed (%s) with no allocation failed",
		      strerror(err));
		failed++;
		r = syncobj_wait(j->fd, sn, 0);
		CHECK(r == -EINVAL,
		      "allocation failures: allocation %u failed the bind (%s), but its syncobj got a fence (%s)",
		      n, strerror(err), r ? "not signalled yet" : "signalled");
		drmSyncobjDestroy(j->fd, sn);
		r = job_read_pages(j, va, 1);
		CHECK(!r, "allocation failures: reading the old mapping: %s", job_read_why(j, r));
		CHECK(j->data[0] == pattern,
		      "allocation failures: allocation %u failed the bind (%s), yet the mapping changed: read 0x%x, not 0x%x",
		      n, strerror(err), j->data[0], pattern);
	}
	CHECK(n <= 2000, "allocation failures: the bind still made allocations after 2000");
	/* The count includes kmemleak's own objects, which it does without. */
	printf("allocation failures: the bind makes %u slab allocations (kmemleak's included): %u failing ones failed it and changed nothing, %u it did without; then one mapped\n",
	       n - 1, failed, survived);
	CHECK(failed > 0, "allocation failures: no allocation failed: is fail-nth counting?");

	close(nth);
	/* failslab's defaults, for whatever runs next. */
	fault_attr("failslab", "ignore-gfp-wait", "Y");
	fault_attr("failslab", "verbose", "2");
	vm_unmap(j->fd, j->vm, va, TGT_SIZE);
	bo_close(j->fd, bo);
	bo_close(j->fd, bo2);
	return true;
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g2, g3, bo;
	bool injected;
	int r;

	if (is_forseti(fd) && !topic_landed(GROUPS_TOPIC)) {
		printf("forseti: no groups before %s\n", GROUPS_TOPIC);
		return 0;
	}

	job_init(&j, fd);
	g2 = group_create(fd, j.vm);
	g3 = group_create(fd, j.vm);

	injected = part("alloc-failures") && check_alloc_failures(&j);
	if (part("wait-then-map"))
		check_wait_then_map(&j, g2, g3);
	if (part("sync-only"))
		check_sync_only(&j, g3);
	if (part("many"))
		check_many(&j);
	if (part("teardown"))
		check_teardown(&j, g3);
	bo = 0;
	if (part("unmap-after-use"))
		check_unmap_after_use(&j, g3, &bo);
	/* After the parts that wait: a mutant ignoring waits fails there. */
	if (part("bad-input"))
		check_bad_input(&j);

	CHECK(group_state(fd, j.group, NULL) == 0 && group_state(fd, g2, NULL) == 0 &&
	      group_state(fd, g3, NULL) == 0, "a group reports a problem");

	/* Last, since it faults: the UNMAP did unmap the range. */
	if (bo) {
		r = job_read_pages(&j, TGT_VA + 0x100000, 1);
		CHECK(r == -EIO, "unmap-after-use: reading the unmapped range: %s, not a fault",
		      r ? job_read_why(&j, r) : "it read");
		printf("unmap-after-use: the range faults afterwards\n");
		bo_close(fd, bo);
	}

	group_destroy(fd, g2);
	group_destroy(fd, g3);
	group_destroy(fd, j.group);
	munmap(j.cmd, BUF_SIZE);
	munmap(j.data, BUF_SIZE);
	bo_close(fd, j.cmd_bo);
	bo_close(fd, j.data_bo);
	vm_destroy(fd, j.vm);
	if (part("alloc-failures") && !injected)
		PARTIAL("no fault injection (CONFIG_FAILSLAB): allocation failures not checked");
	printf("ok\n");
	return 0;
}
