// SPDX-License-Identifier: GPL-2.0-only
/*
 * heap_chunks: TILER_HEAP_CREATE and TILER_HEAP_DESTROY as panthor does
 * them, checked through the GPU:
 * - bad arguments fail with EINVAL (no initial chunk, more initial chunks
 *   than the maximum, a chunk size not page-aligned or outside
 *   [128 KiB, 8 MiB], an unknown VM; on destroy a non-zero pad, a handle
 *   naming no heap or an unknown VM) and change nothing: the first heap
 *   made after them still gets index 0 of its VM, and a destroy refused
 *   for its pad leaves the handle valid;
 * - a heap's handle is its VM's ID << 16 | its index; its context is
 *   zeroed and cache-line aligned, the next heap's context one cache line
 *   (at least 32 bytes) further;
 * - the initial chunks form a chain the GPU reads (LOAD_MULTIPLE): each
 *   chunk's header holds the next chunk's address | its size in 4 KiB
 *   units, the last one 0, all distinct, and a chunk is GPU-writable
 *   past its header;
 * - a destroyed handle is invalid; a VM takes 128 heaps, the next one
 *   fails with EBUSY, and destroying them all lets a new one be made;
 * - closing a file with heaps and a group live frees them (the run's
 *   kmemleak scan checks it).
 */
#include <unistd.h>

#include "common.h"

#define CHUNK		(128u << 10)
#define MAX_HEAPS	128

static int heap_create(int fd, uint32_t vm, uint32_t initial, uint32_t size,
		       uint32_t max, struct drm_panthor_tiler_heap_create *out)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = initial, .chunk_size = size,
		.max_chunks = max, .target_in_flight = 4,
	};
	int r = drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c) ? errno : 0;

	if (out)
		*out = c;
	return r;
}

static int heap_destroy(int fd, uint32_t handle, uint32_t pad)
{
	struct drm_panthor_tiler_heap_destroy d = { .handle = handle, .pad = pad };

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d) ? errno : 0;
}

static void create_expect(int fd, uint32_t vm, uint32_t initial, uint32_t size,
			  uint32_t max, const char *what)
{
	int r = heap_create(fd, vm, initial, size, max, NULL);

	CHECK(r == EINVAL, "TILER_HEAP_CREATE with %s: got %s, want EINVAL",
	      what, r ? strerror(r) : "success");
}

/* Read @n 64-bit words at GPU address @va, through a job, into j->data. */
static void gpu_read(struct job_ctx *j, uint64_t va, unsigned int n, const char *what)
{
	unsigned int i;
	uint32_t s;

	memset(j->data, 0xa5, n * 8);
	job_reset(j);
	for (i = 0; i < n; i++) {
		job_emit(j, cs_move48(0, va + 8 * i));
		job_emit(j, cs_load_multiple(2, 0, 0x3, 0));
		job_emit(j, cs_move48(4, j->data_va + 8 * i));
		job_emit(j, cs_store_multiple(2, 4, 0x3, 0));
	}
	s = job_submit(j, 0);
	CHECK(!syncobj_wait(j->fd, s, 10000), "reading %s: the job did not complete in 10 s", what);
	drmSyncobjDestroy(j->fd, s);
	__sync_synchronize();
	CHECK(!(group_state(j->fd, j->group, NULL) & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
	      "reading %s at 0x%llx faulted: not mapped?", what, (unsigned long long)va);
}

static uint64_t word(const struct job_ctx *j, unsigned int i)
{
	return j->data[2 * i] | (uint64_t)j->data[2 * i + 1] << 32;
}

/* Write @val at GPU address @va through a job, then read it back. */
static void gpu_write_check(struct job_ctx *j, uint64_t va, uint32_t val)
{
	uint32_t s;

	job_reset(j);
	job_emit(j, cs_move48(0, va));
	job_emit(j, cs_move32(2, val));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	s = job_submit(j, 0);
	CHECK(!syncobj_wait(j->fd, s, 10000), "a write to a chunk did not complete in 10 s");
	drmSyncobjDestroy(j->fd, s);
	gpu_read(j, va, 1, "a word written in a chunk");
	CHECK((uint32_t)word(j, 0) == val, "a chunk is not GPU-writable: wrote 0x%x, read 0x%x",
	      val, (uint32_t)word(j, 0));
}

static void check_chain(struct job_ctx *j, uint64_t first, unsigned int count)
{
	uint64_t va = first, seen[8];
	unsigned int i, k;

	for (i = 0; i < count; i++) {
		uint64_t link;

		CHECK(va && !(va & 0xfff), "chunk %u's address 0x%llx is not page-aligned", i,
		      (unsigned long long)va);
		for (k = 0; k < i; k++)
			CHECK(seen[k] != va, "chunks %u and %u share address 0x%llx", k, i,
			      (unsigned long long)va);
		seen[i] = va;

		gpu_read(j, va, 8, "a chunk header");
		link = word(j, 0);
		printf("chunk %u at 0x%llx links 0x%llx\n", i, (unsigned long long)va,
		       (unsigned long long)link);
		for (k = 1; k < 8; k++)
			CHECK(!word(j, k), "chunk %u's header word %u is 0x%llx, not zero", i, k,
			      (unsigned long long)word(j, k));
		if (i == count - 1) {
			CHECK(!link, "the last chunk links 0x%llx, not 0", (unsigned long long)link);
			break;
		}
		CHECK((link & 0xfff) == CHUNK >> 12,
		      "chunk %u's header links 0x%llx: size field %llu, want %u (4 KiB units)", i,
		      (unsigned long long)link, (unsigned long long)(link & 0xfff), CHUNK >> 12);
		va = link & ~0xfffull;
	}
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);
	uint32_t line = 1u << (gi.l2_features & 0xff), stride = line > 32 ? line : 32;
	struct drm_panthor_tiler_heap_create h0, h1;
	uint32_t handles[MAX_HEAPS];
	struct job_ctx j;
	uint32_t vm2, i;
	int r, fd2;

	job_init(&j, fd);

	r = heap_create(fd, j.vm, 1, CHUNK, 1, NULL);
	if (r == EOPNOTSUPP && is_forseti(fd) && !topic_complete(GROUPS_TOPIC))
		PARTIAL("tiler heaps not implemented yet (%s in progress)", GROUPS_TOPIC);

	/* That one is destroyed below; bad arguments first. */
	create_expect(fd, j.vm, 0, CHUNK, 4, "no initial chunk");
	create_expect(fd, j.vm, 5, CHUNK, 4, "more initial chunks than the maximum");
	create_expect(fd, j.vm, 1, CHUNK + 0x800, 4, "a chunk size not page-aligned");
	create_expect(fd, j.vm, 1, 64u << 10, 4, "a 64 KiB chunk size");
	create_expect(fd, j.vm, 1, 16u << 20, 4, "a 16 MiB chunk size");
	create_expect(fd, 0x77, 1, CHUNK, 4, "an unknown VM");
	CHECK(!r, "TILER_HEAP_CREATE with good arguments failed: %s", strerror(r));

	/* A fresh VM: the heap made after bad arguments gets index 0. */
	vm2 = vm_create(fd);
	create_expect(fd, vm2, 0, CHUNK, 4, "no initial chunk");
	create_expect(fd, vm2, 1, 4096, 4, "a 4 KiB chunk size");
	r = heap_create(fd, vm2, 1, CHUNK, 2, &h1);
	CHECK(!r, "TILER_HEAP_CREATE failed: %s", strerror(r));
	CHECK(h1.handle == vm2 << 16, "the first heap of VM %u has handle 0x%x, want 0x%x",
	      vm2, h1.handle, vm2 << 16);

	/* Destroy: bad arguments change nothing. */
	r = heap_destroy(fd, h1.handle, 1);
	CHECK(r == EINVAL, "TILER_HEAP_DESTROY with pad 1: got %s, want EINVAL",
	      r ? strerror(r) : "success");
	r = heap_destroy(fd, h1.handle | 5, 0);
	CHECK(r == EINVAL, "TILER_HEAP_DESTROY of an index without heap: got %s, want EINVAL",
	      r ? strerror(r) : "success");
	r = heap_destroy(fd, 0x77 << 16, 0);
	CHECK(r == EINVAL, "TILER_HEAP_DESTROY in an unknown VM: got %s, want EINVAL",
	      r ? strerror(r) : "success");
	r = heap_destroy(fd, h1.handle, 0);
	CHECK(!r, "TILER_HEAP_DESTROY of a heap (after a refused one) failed: %s", strerror(r));
	r = heap_destroy(fd, h1.handle, 0);
	CHECK(r == EINVAL, "TILER_HEAP_DESTROY of a destroyed heap: got %s, want EINVAL",
	      r ? strerror(r) : "success");

	/* Two heaps in the job's VM: handles, contexts, chains. */
	r = heap_create(fd, j.vm, 3, CHUNK, 8, &h0);
	CHECK(!r, "TILER_HEAP_CREATE of 3 chunks failed: %s", strerror(r));
	r = heap_create(fd, j.vm, 2, CHUNK, 8, &h1);
	CHECK(!r, "TILER_HEAP_CREATE of 2 chunks failed: %s", strerror(r));
	printf("heaps 0x%x ctx 0x%llx first 0x%llx, 0x%x ctx 0x%llx first 0x%llx\n",
	       h0.handle, (unsigned long long)h0.tiler_heap_ctx_gpu_va,
	       (unsigned long long)h0.first_heap_chunk_gpu_va, h1.handle,
	       (unsigned long long)h1.tiler_heap_ctx_gpu_va,
	       (unsigned long long)h1.first_heap_chunk_gpu_va);
	CHECK(h0.handle >> 16 == j.vm && h1.handle >> 16 == j.vm,
	      "heap handles 0x%x, 0x%x do not carry VM %u in bits 31:16", h0.handle, h1.handle, j.vm);
	CHECK(h1.handle == h0.handle + 1, "heap handles 0x%x then 0x%x: indexes not consecutive",
	      h0.handle, h1.handle);
	CHECK(!(h0.tiler_heap_ctx_gpu_va % line), "heap context 0x%llx is not %u-byte aligned",
	      (unsigned long long)h0.tiler_heap_ctx_gpu_va, line);
	CHECK(h1.tiler_heap_ctx_gpu_va - h0.tiler_heap_ctx_gpu_va == stride,
	      "heap contexts 0x%llx and 0x%llx are not %u bytes apart",
	      (unsigned long long)h0.tiler_heap_ctx_gpu_va,
	      (unsigned long long)h1.tiler_heap_ctx_gpu_va, stride);

	gpu_read(&j, h0.tiler_heap_ctx_gpu_va, 4, "a heap context");
	for (i = 0; i < 4; i++)
		CHECK(!word(&j, i), "heap context word %u is 0x%llx, not zero", i,
		      (unsigned long long)word(&j, i));

	check_chain(&j, h0.first_heap_chunk_gpu_va, 3);
	check_chain(&j, h1.first_heap_chunk_gpu_va, 2);
	/* Past the header, in its page (panthor faulted at +4 KiB). */
	gpu_write_check(&j, h0.first_heap_chunk_gpu_va + 0x100, 0x600d);

	r = heap_destroy(fd, h0.handle, 0);
	CHECK(!r, "TILER_HEAP_DESTROY failed: %s", strerror(r));
	r = heap_destroy(fd, h0.handle, 0);
	CHECK(r == EINVAL, "TILER_HEAP_DESTROY twice: got %s, want EINVAL",
	      r ? strerror(r) : "success");
	job_check_healthy(&j, "after a heap of its VM was destroyed");

	/* The limit, in a VM without groups. */
	for (i = 0; i < MAX_HEAPS; i++) {
		r = heap_create(fd, vm2, 1, CHUNK, 1, &h1);
		CHECK(!r, "heap %u of a VM: TILER_HEAP_CREATE failed: %s", i, strerror(r));
		handles[i] = h1.handle;
	}
	r = heap_create(fd, vm2, 1, CHUNK, 1, NULL);
	CHECK(r == EBUSY, "heap %u of a VM: got %s, want EBUSY", MAX_HEAPS,
	      r ? strerror(r) : "success");
	for (i = 0; i < MAX_HEAPS; i++) {
		r = heap_destroy(fd, handles[i], 0);
		CHECK(!r, "destroying heap 0x%x failed: %s", handles[i], strerror(r));
	}
	r = heap_create(fd, vm2, 1, CHUNK, 1, &h1);
	CHECK(!r, "TILER_HEAP_CREATE once the VM's heaps were destroyed failed: %s", strerror(r));
	printf("%u heaps per VM, then EBUSY; the next after destroying them: 0x%x\n",
	       MAX_HEAPS, h1.handle);

	/* A file closed with heaps and a group live. */
	fd2 = open_render();
	i = vm_create(fd2);
	group_create(fd2, i);
	CHECK(!heap_create(fd2, i, 2, CHUNK, 4, NULL), "TILER_HEAP_CREATE in a second file failed");
	CHECK(!heap_create(fd2, i, 1, CHUNK, 4, NULL), "TILER_HEAP_CREATE in a second file failed");
	close(fd2);

	job_check_healthy(&j, "at the end");
	job_fini(&j);
	vm_destroy(fd, vm2);
	printf("ok\n");
	return 0;
}
