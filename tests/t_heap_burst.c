// SPDX-License-Identifier: GPL-2.0-only
/*
 * heap_burst: a render pass that needs many more chunks (8 MiB each) than
 * its heap has, in one burst of TILER_OOM events, run again and again. A
 * driver that answers from a reserve of chunks it refills behind the
 * requests (forseti) may answer part of a burst with none: the pass then
 * completes short, after the chunks it was given (a fallback, counted in
 * the heap context). It must adapt: by the third run of the same pass,
 * every TILER_OOM it raises is answered with a chunk, and the pass uses
 * all the chunks it needs (with a reserve that stays at 2 chunks, a run
 * typically gets 2 more chunks, then a zero answer, when the refill work
 * loses the race with the requests, which 8 MiB chunks make likely but
 * not certain: KUnit checks the adaptation itself). The counters are the
 * simulated firmware's, read back from the heap context through the GPU;
 * the linkage is walked through the GPU at the end: NEED chunks,
 * distinct, sized, each marked by the last pass. panthor allocates on
 * each request and answers every burst, the first one included.
 */
#include "heap.h"

/*
 * Large chunks: a driver that refills a small reserve behind the requests
 * (a work queued by each answer) then falls behind a burst; 128 KiB ones
 * are refilled as fast as the simulated firmware asks.
 */
#define CHUNK		(8u << 20)
#define MAXC		24	/* room for the pass, and for a reserve beyond it */
#define NEED		16	/* chunks the pass needs; the heap starts with 1 */
#define RUNS		3	/* by this run, no TILER_OOM is answered with none */

int main(void)
{
	int fd = open_render();
	struct drm_panthor_tiler_heap_create h = {};
	struct sim_heap_ctx c, prev = {};
	uint64_t va[NEED + 1], links[NEED + 1];
	uint32_t marks[NEED + 1];
	unsigned int run, n, i, k;
	struct job_ctx j;

	job_init(&j, fd);
	heap_create_or_partial(fd, j.vm, CHUNK, 1, MAXC, 1, &h);

	for (run = 1; run <= RUNS; run++) {
		uint32_t oom, grown, fallbacks;
		char when[32];

		snprintf(when, sizeof(when), "run %u", run);
		job_reset(&j);
		j.data[DONE_OFF / 4] = 0;
		emit_pass(&j, &h, NEED, 0x2000 + run);
		job_run(&j, when);
		CHECK(!j.state, "%s: the group's state is 0x%x", when, j.state);
		CHECK(j.data[DONE_OFF / 4] == 0x2000 + run,
		      "%s: the job did not get past the pass (0x%x)", when, j.data[DONE_OFF / 4]);

		c = heap_ctx_read(&j, h.tiler_heap_ctx_gpu_va);
		heap_ctx_print(when, &c);
		CHECK(c.vt_start == run && c.vt_end == run && c.frag_end == run,
		      "%s: passes %u..%u, fragments %u, want %u", when, c.vt_start, c.vt_end,
		      c.frag_end, run);
		oom = c.oom - prev.oom;
		grown = c.grown - prev.grown;
		fallbacks = c.fallbacks - prev.fallbacks;
		printf("%s: %u TILER_OOM, %u answered with a chunk, %u with none\n", when, oom,
		       grown, fallbacks);
		CHECK(oom == grown + fallbacks,
		      "%s: %u TILER_OOM events but %u chunks and %u zero answers", when, oom,
		      grown, fallbacks);
		CHECK(c.grown + 1 <= MAXC, "%s: the heap has %u chunks, more than its maximum %u",
		      when, c.grown + 1, MAXC);
		prev = c;
		if (!fallbacks) {
			CHECK(c.chunks == NEED, "%s: every TILER_OOM answered, yet the pass used %u chunks, want %u",
			      when, c.chunks, NEED);
			break;
		}
		/* A short pass stops at its first zero answer, after the chunks linked. */
		CHECK(c.chunks < NEED, "%s: a zero answer, yet the pass used all %u chunks", when,
		      c.chunks);
	}
	CHECK(run <= RUNS,
	      "the heap did not adapt: TILER_OOM still answered with none in run %u (%u zero answers in all, %u chunks given)",
	      RUNS, c.fallbacks, c.grown);
	printf("every TILER_OOM answered with a chunk from run %u on\n", run);

	n = heap_walk(&j, h.first_heap_chunk_gpu_va, NEED + 1, va, links, marks);
	CHECK(n == NEED, "the linkage has %u chunks, want %u", n, NEED);
	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			CHECK(va[k] != va[i], "chunks %u and %u are the same (0x%llx)", k, i,
			      (unsigned long long)va[i]);
		if (i + 1 < n)
			CHECK(CHUNK_PAGES(links[i]) == CHUNK >> 12,
			      "chunk %u links the next with size %u pages, want %u", i,
			      CHUNK_PAGES(links[i]), CHUNK >> 12);
		CHECK(marks[i] == run, "chunk %u was not used by pass %u (mark %u)", i, run,
		      marks[i]);
	}

	CHECK(!heap_destroy_ret(fd, h.handle), "destroy of the heap failed");
	job_check_healthy(&j, "after the heap was destroyed");
	job_fini(&j);
	printf("ok\n");
	return 0;
}
