// SPDX-License-Identifier: GPL-2.0-only
/*
 * tiler_heap: TILER_HEAP_CREATE returns a heap context and a first chunk
 * that are mapped in the VM (the GPU reads both without a fault: a zeroed
 * context, and the initial chunks linked one to the next, each header's
 * next word the next chunk's VA | its size in 4 KiB pages, the last 0).
 * A render pass that needs more chunks than the heap has makes the
 * simulated firmware raise TILER_OOM once per missing chunk; the driver
 * answers each with a new chunk, which the firmware links in: read back
 * through the GPU, the linkage then has one chunk more per OOM, all
 * distinct, each with the right size, each used by the pass (its mark).
 * At max_chunks the driver answers 0: the pass still completes (the
 * fallback is counted in the context) and the linkage stops at
 * max_chunks. A pass that fits raises no OOM. Destroy works once.
 */
#include "heap.h"

#define CHUNK		(128u * 1024)
#define MAXC		4

/* Check heap @h's linkage: @want chunks, distinct, sized, marked @pass. */
static void check_linkage(struct job_ctx *j, const struct drm_panthor_tiler_heap_create *h,
			  unsigned int want, uint32_t pass, const char *when)
{
	uint64_t va[16], links[16];
	uint32_t marks[16];
	unsigned int n, i, k;

	n = heap_walk(j, h->first_heap_chunk_gpu_va, 16, va, links, marks);
	for (i = 0; i < n; i++)
		printf("%s: chunk %u at 0x%llx: next 0x%llx, mark %u\n", when, i,
		       (unsigned long long)va[i], (unsigned long long)links[i], marks[i]);
	CHECK(n == want, "%s: the linkage has %u chunks, want %u", when, n, want);
	for (i = 0; i < n; i++) {
		CHECK(!(va[i] & 0xfff), "%s: chunk %u at 0x%llx is not page aligned", when, i,
		      (unsigned long long)va[i]);
		for (k = 0; k < i; k++)
			CHECK(va[k] != va[i], "%s: chunks %u and %u are the same (0x%llx)", when,
			      k, i, (unsigned long long)va[i]);
		if (i + 1 < n)
			CHECK(CHUNK_PAGES(links[i]) == CHUNK >> 12,
			      "%s: chunk %u links the next with size %u pages, want %u", when, i,
			      CHUNK_PAGES(links[i]), CHUNK >> 12);
		else
			CHECK(!links[i], "%s: the last chunk links 0x%llx", when,
			      (unsigned long long)links[i]);
		if (pass)
			CHECK(marks[i] == pass, "%s: chunk %u was not used by pass %u (mark %u)",
			      when, i, pass, marks[i]);
	}
}

static void check_ctx(const struct sim_heap_ctx *c, uint32_t passes, uint32_t oom,
		      uint32_t grown, uint32_t fallbacks, uint32_t chunks, const char *when)
{
	heap_ctx_print(when, c);
	CHECK(c->vt_start == passes && c->vt_end == passes && c->frag_end == passes,
	      "%s: passes %u..%u, fragments %u, want %u", when, c->vt_start, c->vt_end,
	      c->frag_end, passes);
	CHECK(c->oom == oom, "%s: %u TILER_OOM events, want %u", when, c->oom, oom);
	CHECK(c->grown == grown, "%s: %u chunks given by the driver, want %u", when,
	      c->grown, grown);
	CHECK(c->fallbacks == fallbacks, "%s: %u zero answers, want %u", when, c->fallbacks,
	      fallbacks);
	CHECK(c->chunks == chunks, "%s: the pass used %u chunks, want %u", when, c->chunks,
	      chunks);
}

static void run_pass(struct job_ctx *j, const struct drm_panthor_tiler_heap_create *h,
		     uint32_t chunks, uint32_t mark, const char *when)
{
	job_reset(j);
	j->data[DONE_OFF / 4] = 0;
	emit_pass(j, h, chunks, mark);
	job_run(j, when);
	CHECK(!j->state, "%s: the group's state is 0x%x", when, j->state);
	CHECK(j->data[DONE_OFF / 4] == mark, "%s: the job did not get past the pass (0x%x)",
	      when, j->data[DONE_OFF / 4]);
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_tiler_heap_create h1 = {}, h3 = {};
	struct sim_heap_ctx c;
	struct job_ctx j;
	uint32_t w[8];
	unsigned int i;

	job_init(&j, fd);

	/* Created: both addresses mapped, the context zeroed, one chunk. */
	heap_create_or_partial(fd, j.vm, CHUNK, 1, MAXC, 1, &h1);
	printf("heap 1: handle 0x%x, context 0x%llx, first chunk 0x%llx\n", h1.handle,
	       (unsigned long long)h1.tiler_heap_ctx_gpu_va,
	       (unsigned long long)h1.first_heap_chunk_gpu_va);
	CHECK(h1.tiler_heap_ctx_gpu_va && h1.first_heap_chunk_gpu_va,
	      "a zero address came back");
	gpu_read(&j, h1.tiler_heap_ctx_gpu_va, 8, w);
	for (i = 0; i < 8; i++)
		CHECK(!w[i], "the new heap context's word %u is 0x%x, not zeroed", i, w[i]);
	check_linkage(&j, &h1, 1, 0, "heap 1 created");

	/* Three initial chunks come linked. */
	heap_create_or_partial(fd, j.vm, CHUNK, 3, 8, 1, &h3);
	CHECK(h3.handle != h1.handle, "two heaps share handle 0x%x", h3.handle);
	CHECK(h3.tiler_heap_ctx_gpu_va != h1.tiler_heap_ctx_gpu_va,
	      "two heaps share context 0x%llx", (unsigned long long)h3.tiler_heap_ctx_gpu_va);
	check_linkage(&j, &h3, 3, 0, "heap 3 created");

	/* A pass that needs 3 chunks of heap 1 (1 chunk): two OOMs, two chunks. */
	run_pass(&j, &h1, 3, 0x1001, "pass 1");
	c = heap_ctx_read(&j, h1.tiler_heap_ctx_gpu_va);
	check_ctx(&c, 1, 2, 2, 0, 3, "after pass 1");
	CHECK(c.chunk_pages == CHUNK >> 12, "the driver's chunks have %u pages, want %u",
	      c.chunk_pages, CHUNK >> 12);
	check_linkage(&j, &h1, 3, 1, "after pass 1");

	/* 6 chunks with max_chunks 4: one more chunk, then a zero answer. */
	run_pass(&j, &h1, 6, 0x1002, "pass 2 (beyond max_chunks)");
	c = heap_ctx_read(&j, h1.tiler_heap_ctx_gpu_va);
	check_ctx(&c, 2, 4, 3, 1, MAXC, "after pass 2");
	check_linkage(&j, &h1, MAXC, 2, "after pass 2");

	/* A pass that fits raises no OOM. */
	run_pass(&j, &h1, 2, 0x1003, "pass 3 (fits)");
	c = heap_ctx_read(&j, h1.tiler_heap_ctx_gpu_va);
	check_ctx(&c, 3, 4, 3, 1, 2, "after pass 3");

	/* Heap 3 was not touched by any of it. */
	c = heap_ctx_read(&j, h3.tiler_heap_ctx_gpu_va);
	check_ctx(&c, 0, 0, 0, 0, 0, "heap 3");
	check_linkage(&j, &h3, 3, 0, "heap 3 at the end");

	CHECK(!heap_destroy_ret(fd, h1.handle), "destroy of heap 1 failed");
	CHECK(heap_destroy_ret(fd, h1.handle) == -EINVAL, "a second destroy of heap 1 did not fail with EINVAL");
	CHECK(!heap_destroy_ret(fd, h3.handle), "destroy of heap 3 failed");
	job_reset(&j);
	job_check_healthy(&j, "after the heaps were destroyed");
	job_fini(&j);
	printf("ok\n");
	return 0;
}
