// SPDX-License-Identifier: GPL-2.0-only
/*
 * csg_hang_reset: a CSG slot that stops answering (the simulator's csg_hang
 * knob: the slot that gets the next CSG request acknowledges nothing more,
 * its streams stop, while the global interface and the other slots go on)
 * is recovered from: the driver notices the request that is never
 * acknowledged and resets (a firmware boot is what makes the slot answer
 * again), no fence is left pending, the group on the healthy slot is not
 * blamed, and a new group runs afterwards.
 *
 * Two groups, A and B, each on a VM of its own. csg_hang=1, then a job to
 * A: A's slot's START (or the next request to it) hangs; the knob reading
 * back 0 shows the hang was armed on a slot. Then a job to B.
 *
 * What a driver must do, within FENCE_BOUND_MS of the submit to A: both
 * fences signal; A either completed (fence fine, its value stored) or its
 * fence has an error and its state is non-zero (INNOCENT, TIMEDOUT or
 * whatever the driver reports: the figures say which); B either completed
 * with its value or is reported INNOCENT (never TIMEDOUT or FATAL_FAULT
 * alone: it did nothing wrong). A new group's job then runs.
 *
 * Prints the time from the submit to A's and B's fences and to the new
 * group's job done.
 */
#include <unistd.h>

#include "common.h"

#define ARM_BOUND_MS	2000
#define FENCE_BOUND_MS	30000
#define VAL_A		0xa11a
#define VAL_B		0xb22b

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/csg_hang", "0");
}

static uint32_t submit_store(struct job_ctx *j, uint32_t val)
{
	job_reset(j);
	j->data[0] = 0;
	job_emit(j, cs_move48(0, j->data_va));
	job_emit(j, cs_move32(2, val));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	return job_submit(j, 0);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx a, b, k;
	struct fence_set fs;
	int fa, fb, left;
	long t0, armed, done;
	uint32_t sa, sb, sta, stb;

	atexit(restore);
	job_init(&a, fd);
	job_init(&b, fd);
	CHECK(!knob_get("csg_hang"), "the csg_hang knob is set before the test");
	CHECK(!knob_get("fw_hang"), "the fw_hang knob is set before the test");

	knob_set("csg_hang", "1");
	t0 = now_ms();
	fset_init(&fs, t0);
	sa = submit_store(&a, VAL_A);
	fa = fset_add(&fs, fd, sa);
	while (knob_get("csg_hang") && now_ms() - t0 < ARM_BOUND_MS)
		msleep(5);
	armed = now_ms() - t0;
	CHECK(!knob_get("csg_hang"),
	      "no CSG request reached a slot within %d ms of the submit to A (csg_hang still 1)",
	      ARM_BOUND_MS);
	printf("a slot hung %ld ms after the submit to A\n", armed);

	sb = submit_store(&b, VAL_B);
	fb = fset_add(&fs, fd, sb);
	left = fset_wait(&fs, FENCE_BOUND_MS);
	__sync_synchronize();
	sta = group_state(fd, a.group, NULL);
	stb = group_state(fd, b.group, NULL);
	printf("A: fence at %ld ms (status %d), state 0x%x, data 0x%x\n", fs.at[fa], fs.status[fa],
	       sta, a.data[0]);
	printf("B: fence at %ld ms (status %d), state 0x%x, data 0x%x\n", fs.at[fb], fs.status[fb],
	       stb, b.data[0]);

	CHECK(!left, "%d fence(s) still pending %d ms after the submit to A (A at %ld, B at %ld)",
	      left, FENCE_BOUND_MS, fs.at[fa], fs.at[fb]);
	if (fs.status[fa] == 1) {
		CHECK(a.data[0] == VAL_A, "A's fence signalled fine but it stored 0x%x, want 0x%x",
		      a.data[0], VAL_A);
		printf("A completed (after a recovery that made its slot answer)\n");
	} else {
		CHECK(sta, "A's fence has error %d but its state is 0: a job lost without a word",
		      fs.status[fa]);
		printf("A killed: fence error %d, state 0x%x%s%s%s\n", fs.status[fa], sta,
		       sta & DRM_PANTHOR_GROUP_STATE_INNOCENT ? " INNOCENT" : "",
		       sta & DRM_PANTHOR_GROUP_STATE_TIMEDOUT ? " TIMEDOUT" : "",
		       sta & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT ? " FATAL_FAULT" : "");
	}
	if (stb == 0) {
		CHECK(fs.status[fb] == 1,
		      "B: state 0 but its fence has error %d: a job lost without a word",
		      fs.status[fb]);
		CHECK(b.data[0] == VAL_B, "B: fence fine but it stored 0x%x, want 0x%x", b.data[0],
		      VAL_B);
		printf("B completed\n");
	} else {
		CHECK(stb & DRM_PANTHOR_GROUP_STATE_INNOCENT,
		      "B is blamed for A's hung slot: state 0x%x without INNOCENT (0x%x)", stb,
		      DRM_PANTHOR_GROUP_STATE_INNOCENT);
		CHECK(fs.status[fb] != 1 || b.data[0] == VAL_B,
		      "B (INNOCENT): fence fine but it stored 0x%x, want 0x%x", b.data[0], VAL_B);
		printf("B INNOCENT: fence status %d, state 0x%x\n", fs.status[fb], stb);
	}
	fset_fini(&fs);

	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the hung slot");
	done = now_ms() - t0;
	printf("submit->A fence %ld ms, submit->B fence %ld ms, submit->new job done %ld ms\n",
	       fs.at[fa], fs.at[fb], done);
	job_fini(&k);
	printf("ok\n");
	return 0;
}
