// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_timeline_syncobjs: jobs wait on and signal points of a timeline
 * syncobj (DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ), in a chain
 * across two groups: group A's job waits on point 1, which the CPU
 * signalled; it is slow (the simulator's slow_job_ms knob) and signals
 * point 5; group B's job waits on point 5 and signals point 6. B copies
 * the word A stores, so a B that ran before A copies zero. While A is held
 * the syncobj's payload (drmSyncobjQuery) stays 1 and points 5 and 6 are
 * not reached; then drmSyncobjTimelineWait() waits for each, the payload
 * reads 6, and a point no job signals (7) is never reached.
 */
#include <time.h>

#include "common.h"

static void submit_tl(int fd, uint32_t group, uint64_t addr, uint32_t size,
		      uint32_t syncobj, uint64_t wait_point, uint64_t signal_point)
{
	struct drm_panthor_sync_op ops[2] = {
		{ .flags = DRM_PANTHOR_SYNC_OP_WAIT |
			   DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ,
		  .handle = syncobj, .timeline_value = wait_point },
		{ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			   DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ,
		  .handle = syncobj, .timeline_value = signal_point },
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = 0, .stream_size = size, .stream_addr = addr,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(2, ops),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	__sync_synchronize();
	CHECK(!drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs),
	      "submit waiting on point %llu, signalling point %llu, failed: %s",
	      (unsigned long long)wait_point, (unsigned long long)signal_point, strerror(errno));
}

static uint64_t payload(int fd, uint32_t syncobj)
{
	uint64_t v = ~0ull;

	CHECK(!drmSyncobjQuery(fd, &syncobj, &v, 1), "drmSyncobjQuery: %s", strerror(errno));
	return v;
}

/* 0 when @point signalled within @ms, -errno otherwise. */
static int tl_wait(int fd, uint32_t syncobj, uint64_t point, int ms, uint32_t flags)
{
	struct timespec ts;
	int64_t deadline;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec * 1000000000LL + ts.tv_nsec + ms * 1000000LL;
	return drmSyncobjTimelineWait(fd, &syncobj, &point, 1, deadline, flags, NULL) ? -errno : 0;
}

int main(void)
{
	long start = now_ms();
	int fd = open_render();
	struct job_ctx j;
	uint32_t gb, tl;
	uint64_t *b, one = 1, v;
	int r;

	knob_set("slow_job_ms", "0");
	job_init(&j, fd);
	gb = group_create(fd, j.vm);
	CHECK(!drmSyncobjCreate(fd, 0, &tl), "syncobj create: %s", strerror(errno));
	CHECK(payload(fd, tl) == 0, "a new timeline's payload is %llu", (unsigned long long)payload(fd, tl));

	/* Job A: data[0] = 0xa11ce. */
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 0xa11ce));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));

	/* Job B, at cmd + 0x1000: data[1] = data[0]. */
	b = j.cmd + 0x1000 / 8;
	b[0] = cs_move48(0, j.data_va);
	b[1] = cs_load_multiple(4, 0, 0x1, 0);
	b[2] = cs_store_multiple(4, 0, 0x1, 4);

	/*
	 * Point 1 comes from the CPU. A job can only wait on a point that
	 * exists (panthor's submit has no WAIT_FOR_SUBMIT): A waits on 1 and
	 * signals 5, B (submitted after A) waits on 5 and signals 6.
	 */
	r = drmSyncobjTimelineSignal(fd, &tl, &one, 1);
	CHECK(!r, "CPU signal of point 1: %s", strerror(errno));
	CHECK(payload(fd, tl) == 1, "payload %llu after the CPU signalled point 1",
	      (unsigned long long)payload(fd, tl));
	knob_set("slow_job_ms", "700");
	submit_tl(fd, j.group, j.cmd_va, j.n * 8, tl, 1, 5);
	submit_tl(fd, gb, j.cmd_va + 0x1000, 3 * 8, tl, 5, 6);
	/* A is held for 700 ms by slow_job_ms: nothing past 1 yet. */
	v = payload(fd, tl);
	printf("while A is held: payload %llu, data %x %x\n", (unsigned long long)v,
	       j.data[0], j.data[1]);
	CHECK(v == 1, "payload %llu while group A's job is held, want 1", (unsigned long long)v);
	r = tl_wait(fd, tl, 5, 0, 0);
	CHECK(r == -ETIME, "point 5 reached while group A's job is held: wait returned %d", r);
	r = tl_wait(fd, tl, 6, 0, 0);
	CHECK(r == -ETIME, "point 6 reached while group A's job is held: wait returned %d", r);
	CHECK(j.data[1] == 0, "group B's job ran before point 5: data %x %x", j.data[0], j.data[1]);

	CHECK(!tl_wait(fd, tl, 5, 15000, 0), "point 5 (group A's job) did not signal");
	knob_set("slow_job_ms", "0");
	CHECK(!tl_wait(fd, tl, 6, 15000, 0), "point 6 (group B's job) did not signal");
	v = payload(fd, tl);
	printf("after the jobs: payload %llu, data %x %x\n", (unsigned long long)v,
	       j.data[0], j.data[1]);
	CHECK(v == 6, "payload %llu after both jobs, want 6", (unsigned long long)v);
	CHECK(j.data[0] == 0xa11ce, "group A's store missing: 0x%x", j.data[0]);
	CHECK(j.data[1] == 0xa11ce, "group B's job ran before point 5: copied 0x%x", j.data[1]);

	/* A point nothing signals is never reached. */
	r = tl_wait(fd, tl, 7, 100, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
	CHECK(r == -ETIME, "point 7, which no job signals: wait returned %d", r);
	CHECK(group_state(fd, j.group, NULL) == 0 && group_state(fd, gb, NULL) == 0,
	      "a group reports a problem");

	drmSyncobjDestroy(fd, tl);
	group_destroy(fd, gb);
	job_fini(&j);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
