/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * heap.h: helpers of the tiler heap tests (t_tiler_heap*.c): heap
 * creation, GPU read-back of heap contexts and chunks, and the render pass
 * of the simulator's tiler heap model (sim/sim_cs.c): HEAP_SET with the
 * heap context, the first chunk in r40:r41, the chunks the pass needs in
 * r42, RUN_IDVS, FINISH_FRAGMENT. The simulator keeps its per-heap
 * counters in the heap context (sim/sim_regs.h, MSIM_HEAP_CTX_*), which a
 * job copies out.
 */
#ifndef TESTS_HEAP_H
#define TESTS_HEAP_H

#include <unistd.h>

#include "common.h"

#define OP_RUN_IDVS		6
#define OP_FINISH_FRAGMENT	11
#define OP_HEAP_SET		48

/* The heap context as the simulator keeps it (32 bytes). */
struct sim_heap_ctx {
	uint32_t vt_start, vt_end, frag_end;
	uint32_t oom, grown, fallbacks;
	uint32_t chunks, chunk_pages;
};

#define CHUNK_PAGES(link)	((uint32_t)((link) & 0xfff))
#define CHUNK_VA(link)		((link) & ~0xfffull)
/* Where the simulated tiler writes the pass number in each chunk it uses. */
#define CHUNK_MARK_OFF		64

/* Scratch words of j->data the helpers use (the rest is the test's). */
#define RB_OFF			0x800	/* read-back: 16 words */
#define DONE_OFF		0x880	/* a job's completion mark */

static inline int heap_create_ret(int fd, uint32_t vm, uint32_t chunk_size, uint32_t initial,
				  uint32_t max, uint32_t in_flight,
				  struct drm_panthor_tiler_heap_create *out)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm,
		.initial_chunk_count = initial,
		.chunk_size = chunk_size,
		.max_chunks = max,
		.target_in_flight = in_flight,
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c))
		return -errno;
	if (out)
		*out = c;
	return 0;
}

static inline int heap_destroy_ret(int fd, uint32_t handle)
{
	struct drm_panthor_tiler_heap_destroy d = { .handle = handle };

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d) ? -errno : 0;
}

/*
 * Before the topic that brings tiler heaps is complete, forseti may answer
 * EOPNOTSUPP (not implemented yet): then there is nothing more to check.
 */
static inline void heap_create_or_partial(int fd, uint32_t vm, uint32_t chunk_size,
					  uint32_t initial, uint32_t max, uint32_t in_flight,
					  struct drm_panthor_tiler_heap_create *out)
{
	int r = heap_create_ret(fd, vm, chunk_size, initial, max, in_flight, out);

	if (r == -EOPNOTSUPP && is_forseti(fd) && !topic_complete(GROUPS_TOPIC))
		PARTIAL("TILER_HEAP_CREATE answers EOPNOTSUPP while " GROUPS_TOPIC
			" is in progress: tiler heaps not implemented yet");
	CHECK(!r, "TILER_HEAP_CREATE (chunk 0x%x, initial %u, max %u, in flight %u) failed: %s",
	      chunk_size, initial, max, in_flight, strerror(-r));
}

/* Run the job written in @j; fail unless its fence signals within 10 s. */
static inline void job_run(struct job_ctx *j, const char *what)
{
	uint32_t out = job_submit(j, 0);

	CHECK(!syncobj_wait(j->fd, out, 10000), "%s: the job did not complete in 10 s", what);
	drmSyncobjDestroy(j->fd, out);
	j->state = group_state(j->fd, j->group, NULL);
}

/*
 * Copy @n (<= 16) words at GPU VA @va into @dst through the GPU
 * (LOAD_MULTIPLE, STORE_MULTIPLE): fails the test when the job does not
 * complete or the group faulted (the address is not mapped).
 */
static inline void gpu_read(struct job_ctx *j, uint64_t va, unsigned int n, uint32_t *dst)
{
	unsigned int i;

	job_reset(j);
	memset(&j->data[RB_OFF / 4], 0xa5, 64);
	job_emit(j, cs_move48(60, va));
	job_emit(j, cs_move48(62, j->data_va + RB_OFF));
	job_emit(j, cs_load_multiple(0, 60, (1u << n) - 1, 0));
	job_emit(j, cs_store_multiple(0, 62, (1u << n) - 1, 0));
	job_run(j, "GPU read-back");
	CHECK(!j->state, "GPU read of 0x%llx: the group's state is 0x%x (a fault?)",
	      (unsigned long long)va, j->state);
	for (i = 0; i < n; i++)
		dst[i] = j->data[RB_OFF / 4 + i];
}

static inline struct sim_heap_ctx heap_ctx_read(struct job_ctx *j, uint64_t ctx_va)
{
	struct sim_heap_ctx c;

	gpu_read(j, ctx_va, 8, (uint32_t *)&c);
	return c;
}

static inline void heap_ctx_print(const char *when, const struct sim_heap_ctx *c)
{
	printf("%s: heap context: passes tiled %u..%u, fragments to %u, oom %u, grown %u, fallbacks %u, last pass used %u chunks of %u pages\n",
	       when, c->vt_start, c->vt_end, c->frag_end, c->oom, c->grown, c->fallbacks,
	       c->chunks, c->chunk_pages);
}

/*
 * Emit one render pass over heap @h that needs @chunks chunks, and a
 * completion mark (@mark at DONE_OFF) after it.
 */
static inline void emit_pass(struct job_ctx *j, const struct drm_panthor_tiler_heap_create *h,
			     uint32_t chunks, uint32_t mark)
{
	job_emit(j, cs_move48(50, h->tiler_heap_ctx_gpu_va));
	job_emit(j, cs_raw(OP_HEAP_SET, 50ull << 40));
	job_emit(j, cs_move48(40, h->first_heap_chunk_gpu_va));
	job_emit(j, cs_move32(42, chunks));
	job_emit(j, cs_raw(OP_RUN_IDVS, 0));
	job_emit(j, cs_raw(OP_FINISH_FRAGMENT, 0));
	job_emit(j, cs_move48(62, j->data_va + DONE_OFF));
	job_emit(j, cs_move32(0, mark));
	job_emit(j, cs_store_multiple(0, 62, 0x1, 0));
}

/*
 * Walk a heap's chunk linkage through the GPU from its first chunk: up to
 * @max chunks into @va (their addresses), @links (each header's next word)
 * and @marks (the pass number the tiler left in each). Returns how many.
 */
static inline unsigned int heap_walk(struct job_ctx *j, uint64_t first, unsigned int max,
				     uint64_t *va, uint64_t *links, uint32_t *marks)
{
	uint64_t cur = first;
	unsigned int n = 0;

	while (cur && n < max) {
		uint32_t w[2];

		va[n] = cur;
		gpu_read(j, cur, 2, w);
		links[n] = w[0] | (uint64_t)w[1] << 32;
		gpu_read(j, cur + CHUNK_MARK_OFF, 1, &marks[n]);
		cur = CHUNK_VA(links[n]);
		n++;
	}
	return n;
}

#endif /* TESTS_HEAP_H */
