// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_sparse: sparse VM_BIND mappings (DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE,
 * uAPI 1.9), checked by GPU jobs that read and write the ranges.
 *
 * The uAPI says a sparse range maps a dummy object cyclically, reads
 * there return undefined values, and the bind must have NOEXEC and no
 * BO handle or offset. panthor backs the ranges with a zeroed 2 MiB
 * object per file; forseti with a zeroed page per VM. What both
 * guarantee, and this test checks:
 *
 * - a fresh sparse range reads zero everywhere (at both ends, across
 *   2 MiB boundaries), and the GPU's reads do not fault;
 * - GPU writes there do not fault either, and what a later read returns
 *   is undefined: it must be zero or the value written (panthor and
 *   forseti give the value written; printed, not required);
 * - nothing written leaks to another file: a second file's sparse range
 *   at the same address still reads zero;
 * - a BO mapped over part of a sparse range replaces the dummy there (the
 *   GPU reads the BO's data, written by the CPU), and the sparse pages
 *   either side stay readable;
 * - unmapping that BO leaves a hole, as panthor does (drm_gpuvm does not
 *   bring the sparse mapping back): a GPU read there faults (group
 *   FATAL_FAULT), while the rest of the range stays readable;
 * - a partial UNMAP of a sparse range (across a 2 MiB boundary) faults at
 *   both ends of the hole, while the rest stays readable;
 * - bad sparse binds (a BO handle, a BO offset, no NOEXEC, an unknown
 *   flag, an unaligned VA or size, an empty range) fail with EINVAL and
 *   change nothing: the BO mapped where they aimed still reads its data,
 *   and the hole where they aimed still faults. panthor (7.3) takes an
 *   empty range as a bind that does nothing (success); forseti refuses
 *   it, as it refuses any empty MAP; that it changed nothing is checked
 *   on both;
 * - an asynchronous sparse MAP (DRM_PANTHOR_VM_BIND_ASYNC), the first of
 *   its VM, reads zero and takes a GPU write once its fence signals.
 *
 * After a fault, forseti makes the VM unusable; panthor (7.3) keeps it
 * usable and notes the fault: each fault is checked on a VM of its own,
 * with the state each driver documents.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define SPARSE_VA	0x40000000ull
#define SPARSE_SIZE	0x400000ull		/* 4 MiB: two 2 MiB blocks */
#define BO_OFF		0x100000ull		/* where a BO goes over the range */
#define BO_SIZE		0x10000ull
#define HOLE_OFF	(0x200000ull - 0x2000)	/* a hole across the 2 MiB boundary */
#define HOLE_SIZE	0x4000ull
#define SENTINEL	0xdeadbeefu
#define PATTERN		0x5a5a0000u
#define WRITTEN		0xabcd1234u

static const uint32_t sparse_noexec = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
				      DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
				      DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;

static int bind_one(int fd, uint32_t vm, struct drm_panthor_vm_bind_op op)
{
	struct drm_panthor_vm_bind b = { .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? errno : 0;
}

static void map_sparse(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	int r = bind_one(fd, vm, (struct drm_panthor_vm_bind_op){
		.flags = sparse_noexec, .va = va, .size = size });

	CHECK(!r, "sparse VM_BIND of %#llx+%#llx failed: %s", (unsigned long long)va,
	      (unsigned long long)size, strerror(r));
}

/* A job stores @val at GPU address @va, then 0x600d in j->data[0]. */
static int gpu_write(struct job_ctx *j, uint64_t va, uint32_t val)
{
	uint32_t s;
	int r;

	j->data[0] = 0;
	job_reset(j);
	job_emit(j, cs_move48(0, va));
	job_emit(j, cs_move32(2, val));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	job_emit(j, cs_move48(4, j->data_va));
	job_emit(j, cs_move32(6, 0x600d));
	job_emit(j, cs_store_multiple(6, 4, 0x1, 0));
	s = job_submit(j, 0);
	r = syncobj_wait(j->fd, s, 10000);
	drmSyncobjDestroy(j->fd, s);
	__sync_synchronize();
	if (r)
		return r;
	j->state = group_state(j->fd, j->group, NULL);
	return j->state || j->data[0] != 0x600d ? -EIO : 0;
}

/* The GPU reads @n words of sparse pages: each must be 0, or @alt when non-zero. */
static void expect_sparse(struct job_ctx *j, const uint64_t *va, unsigned int n,
			  uint32_t alt, const char *what)
{
	unsigned int i;
	int r = job_read_words(j, va, n, SENTINEL);

	CHECK(!r, "%s: the GPU's read of the sparse range did not complete: %s", what,
	      job_read_why(j, r));
	for (i = 0; i < n; i++)
		CHECK(j->data[i] == 0 || (alt && j->data[i] == alt),
		      "%s: the GPU read 0x%x at %#llx, want 0%s", what, j->data[i],
		      (unsigned long long)va[i], alt ? " or the value written" : "");
}

/* A GPU read at @va faults: the group has exactly a fatal fault. */
static void expect_fault(struct job_ctx *j, uint64_t va, const char *what)
{
	struct drm_panthor_vm_get_state vs = { .vm_id = j->vm };
	uint32_t want_vm = is_forseti(j->fd) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
					       DRM_PANTHOR_VM_STATE_USABLE;
	int r = job_read_words(j, &va, 1, SENTINEL);

	CHECK_IOCTL(j->fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs);
	printf("%s: read at %#llx: %s, group state 0x%x, VM state %u\n", what,
	       (unsigned long long)va, r ? job_read_why(j, r) : "no fault", j->state, vs.state);
	CHECK(r == -EIO && j->state == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      "%s: the GPU read %#llx without a fault (%s, word 0x%x)", what,
	      (unsigned long long)va, r ? job_read_why(j, r) : "it completed", j->data[0]);
	CHECK(j->data[0] == SENTINEL, "%s: the faulting job stored 0x%x", what, j->data[0]);
	CHECK(vs.state == want_vm, "%s: VM state %u, want %u", what, vs.state, want_vm);
}

/* Every checked address of the whole sparse range, ends and 2 MiB edges included. */
static const uint64_t spots[] = {
	SPARSE_VA, SPARSE_VA + 0x1000, SPARSE_VA + 0x1ffffc, SPARSE_VA + 0x200000,
	SPARSE_VA + 0x2abcd0, SPARSE_VA + SPARSE_SIZE - 4,
};
#define NSPOTS	(sizeof(spots) / sizeof(spots[0]))

/* A BO of @size filled by the CPU with PATTERN + word index. */
static uint32_t pattern_bo(int fd, uint64_t size, uint32_t **map)
{
	uint32_t bo = bo_create(fd, size, 0, 0), i;

	*map = bo_mmap(fd, bo, size);
	for (i = 0; i < size / 4; i++)
		(*map)[i] = PATTERN + i;
	return bo;
}

static void check_zero_write_leak(int fd)
{
	struct job_ctx a, b;
	uint64_t wva = SPARSE_VA + 0x3000 + 0x40;
	int fd2, r;

	job_init(&a, fd);
	map_sparse(fd, a.vm, SPARSE_VA, SPARSE_SIZE);
	expect_sparse(&a, spots, NSPOTS, 0, "a fresh sparse range");
	printf("a fresh sparse range reads zero at %zu spots\n", NSPOTS);

	r = gpu_write(&a, wva, WRITTEN);
	CHECK(!r, "a GPU write to the sparse range faulted or stalled: %s (data 0x%x)",
	      job_read_why(&a, r), a.data[0]);
	r = job_read_words(&a, &wva, 1, SENTINEL);
	CHECK(!r, "the read after the write did not complete: %s", job_read_why(&a, r));
	printf("a GPU write to the sparse range completed; reading it back gives 0x%x\n",
	       a.data[0]);
	CHECK(a.data[0] == 0 || a.data[0] == WRITTEN,
	      "after a write of 0x%x, the sparse range reads 0x%x", WRITTEN, a.data[0]);
	expect_sparse(&a, spots, NSPOTS, WRITTEN, "the sparse range after a write");

	/* Another file's sparse range at the same address sees none of it. */
	fd2 = open_render();
	job_init(&b, fd2);
	map_sparse(fd2, b.vm, SPARSE_VA, SPARSE_SIZE);
	expect_sparse(&b, &wva, 1, 0, "another file's sparse range, where the first wrote");
	expect_sparse(&b, spots, NSPOTS, 0, "another file's sparse range");
	printf("another file's sparse range still reads zero\n");

	vm_unmap(fd2, b.vm, SPARSE_VA, SPARSE_SIZE);
	job_fini(&b);
	close(fd2);
	vm_unmap(fd, a.vm, SPARSE_VA, SPARSE_SIZE);
	job_fini(&a);
}

static void check_bo_over_sparse(int fd)
{
	uint64_t in_bo[] = { SPARSE_VA + BO_OFF, SPARSE_VA + BO_OFF + 0x1004,
			     SPARSE_VA + BO_OFF + BO_SIZE - 4 };
	uint64_t beside[] = { SPARSE_VA + BO_OFF - 4, SPARSE_VA + BO_OFF + BO_SIZE,
			      SPARSE_VA, SPARSE_VA + SPARSE_SIZE - 4 };
	struct job_ctx c;
	uint32_t bo, *map;
	unsigned int i;
	int r;

	job_init(&c, fd);
	map_sparse(fd, c.vm, SPARSE_VA, SPARSE_SIZE);
	bo = pattern_bo(fd, BO_SIZE, &map);
	vm_map(fd, c.vm, bo, SPARSE_VA + BO_OFF, BO_SIZE, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);

	r = job_read_words(&c, in_bo, 3, SENTINEL);
	CHECK(!r, "reading the BO mapped over the sparse range: %s", job_read_why(&c, r));
	for (i = 0; i < 3; i++)
		CHECK(c.data[i] == map[(in_bo[i] - SPARSE_VA - BO_OFF) / 4],
		      "the BO mapped over the sparse range: the GPU read 0x%x at %#llx, want the BO's 0x%x",
		      c.data[i], (unsigned long long)in_bo[i],
		      map[(in_bo[i] - SPARSE_VA - BO_OFF) / 4]);
	expect_sparse(&c, beside, 4, WRITTEN, "the sparse pages beside the BO");
	printf("a BO mapped over the sparse range replaces it there; the rest reads zero\n");

	/* Unmapping the BO leaves a hole; the sparse rest stays. */
	vm_unmap(fd, c.vm, SPARSE_VA + BO_OFF, BO_SIZE);
	expect_sparse(&c, beside, 4, WRITTEN, "the sparse pages beside the unmapped BO");
	expect_fault(&c, SPARSE_VA + BO_OFF + 0x1000, "where the BO was unmapped");

	munmap(map, BO_SIZE);
	bo_close(fd, bo);
	/* The faulted VM and its group go with the file. */
}

/* A hole unmapped from a sparse range faults at @va; the rest stays. */
static void check_partial_unmap(int fd, uint64_t va, const char *what)
{
	uint64_t rest[] = { SPARSE_VA, SPARSE_VA + HOLE_OFF - 4,
			    SPARSE_VA + HOLE_OFF + HOLE_SIZE,
			    SPARSE_VA + SPARSE_SIZE - 4 };
	struct job_ctx d;

	job_init(&d, fd);
	map_sparse(fd, d.vm, SPARSE_VA, SPARSE_SIZE);
	vm_unmap(fd, d.vm, SPARSE_VA + HOLE_OFF, HOLE_SIZE);
	expect_sparse(&d, rest, 4, WRITTEN, "the sparse range around a hole");
	expect_fault(&d, va, what);
}

/*
 * An asynchronous sparse MAP, the first sparse map of its VM: once its
 * fence signals, the range reads zero and takes a GPU write.
 */
static void check_async_sparse(int fd)
{
	struct drm_panthor_sync_op sop = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
	};
	struct drm_panthor_vm_bind_op op = {
		.flags = sparse_noexec, .va = SPARSE_VA, .size = SPARSE_SIZE,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sop),
	};
	struct drm_panthor_vm_bind b = {
		.flags = DRM_PANTHOR_VM_BIND_ASYNC, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	uint64_t wva = SPARSE_VA + 0x200040;
	struct job_ctx j;
	int r;

	job_init(&j, fd);
	sop.handle = syncobj_create(fd);
	b.vm_id = j.vm;
	r = drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? errno : 0;
	CHECK(!r, "an asynchronous sparse VM_BIND failed: %s", strerror(r));
	r = syncobj_wait(fd, sop.handle, 10000);
	CHECK(!r, "the asynchronous sparse bind's fence did not signal: %s", strerror(-r));
	expect_sparse(&j, spots, NSPOTS, 0, "an asynchronous sparse range");
	r = gpu_write(&j, wva, WRITTEN);
	CHECK(!r, "a GPU write to the asynchronous sparse range faulted or stalled: %s",
	      job_read_why(&j, r));
	expect_sparse(&j, spots, NSPOTS, WRITTEN, "the asynchronous sparse range after a write");
	printf("an asynchronous sparse range reads zero and takes a write\n");

	drmSyncobjDestroy(fd, sop.handle);
	vm_unmap(fd, j.vm, SPARSE_VA, SPARSE_SIZE);
	job_fini(&j);
}

static void check_bad_input(int fd)
{
	/* A BO stands where the bad binds aim; a hole is beside it. */
	uint64_t bo_va = SPARSE_VA, hole_va = SPARSE_VA + 0x200000;
	uint64_t in_bo[] = { bo_va, bo_va + BO_SIZE - 4 };
	struct {
		struct drm_panthor_vm_bind_op op;
		const char *what;
	} bad[] = {
		{ { .flags = sparse_noexec, .bo_handle = 0 /* set below */, .size = BO_SIZE },
		  "a BO handle" },
		{ { .flags = sparse_noexec, .bo_offset = 0x1000, .size = BO_SIZE },
		  "a BO offset" },
		{ { .flags = sparse_noexec & ~DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
		    .size = BO_SIZE }, "no NOEXEC" },
		{ { .flags = sparse_noexec | (1u << 4), .size = BO_SIZE },
		  "an unknown flag" },
		{ { .flags = sparse_noexec, .size = BO_SIZE + 0x800 }, "an unaligned size" },
		{ { .flags = sparse_noexec, .size = 0 }, "an empty range" },
	};
	struct job_ctx e;
	uint32_t bo, *map;
	unsigned int i, k;
	int r;

	job_init(&e, fd);
	bo = pattern_bo(fd, BO_SIZE, &map);
	vm_map(fd, e.vm, bo, bo_va, BO_SIZE, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	bad[0].op.bo_handle = bo;

	for (k = 0; k < 2; k++) {
		uint64_t va = k ? hole_va : bo_va;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			bad[i].op.va = va;
			r = bind_one(fd, e.vm, bad[i].op);
			if (!bad[i].op.size && !is_forseti(fd) && !r)
				continue;	/* panthor: an empty bind does nothing */
			CHECK(r == EINVAL, "a sparse bind with %s at %#llx: got %s, want EINVAL",
			      bad[i].what, (unsigned long long)va, r ? strerror(r) : "success");
		}
		r = bind_one(fd, e.vm, (struct drm_panthor_vm_bind_op){
			.flags = sparse_noexec, .va = va + 0x800, .size = BO_SIZE });
		CHECK(r == EINVAL, "a sparse bind at an unaligned VA: got %s, want EINVAL",
		      r ? strerror(r) : "success");
	}
	printf("bad sparse binds: EINVAL\n");

	r = job_read_words(&e, in_bo, 2, SENTINEL);
	CHECK(!r, "reading the BO after the refused binds: %s", job_read_why(&e, r));
	CHECK(e.data[0] == map[0] && e.data[1] == map[BO_SIZE / 4 - 1],
	      "a refused sparse bind replaced the BO: the GPU read 0x%x 0x%x, want 0x%x 0x%x",
	      e.data[0], e.data[1], map[0], map[BO_SIZE / 4 - 1]);
	expect_fault(&e, hole_va, "where the refused sparse binds aimed, nothing mapped before");

	munmap(map, BO_SIZE);
	bo_close(fd, bo);
}

int main(void)
{
	long start = now_ms();
	int fd = open_render();

	check_zero_write_leak(fd);
	check_bo_over_sparse(fd);
	check_partial_unmap(fd, SPARSE_VA + HOLE_OFF, "the hole's first page");
	check_partial_unmap(fd, SPARSE_VA + HOLE_OFF + HOLE_SIZE - 4, "the hole's last page");
	check_async_sparse(fd);
	check_bad_input(fd);

	close(fd);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
