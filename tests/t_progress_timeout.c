// SPDX-License-Identifier: GPL-2.0-only
/*
 * progress_timeout: the firmware's progress timer ends a hung job long
 * before the driver's job timeout would.
 *
 * The simulator's progress_timer_ms knob (PROGRESS_MS here) makes its
 * firmware raise the CSG's PROGRESS_TIMER event on a group whose stream
 * has work and makes no progress for that long. A job that branches to
 * itself stalls in the simulator once it has run the instruction budget
 * (lowered by the budget knob, so that the stall comes at once).
 *
 * What a driver must do: act on the event: the group is reported TIMEDOUT
 * (GROUP_GET_STATE) within PROGRESS_BOUND_MS of the submit, well under the
 * driver's own 5 s job timeout (so it was the event, not the watchdog),
 * and the job's fence signals with an error; then a new group runs (with
 * the knob cleared: it stays armed otherwise).
 *
 * Prints the time from the submit to TIMEDOUT and to the fence.
 */
#include "common.h"

#define PROGRESS_MS		"500"
#define PROGRESS_BOUND_MS	3000
#define BUDGET			"10000"

static char old_budget[32];

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/progress_timer_ms", "0");
	if (old_budget[0])
		write_file("/sys/module/mali_sim/parameters/budget", old_budget);
}

int main(void)
{
	int fd = open_render(), status;
	long t0, timedout_at = -1, fence_at = -1;
	struct job_ctx j, k;
	uint32_t s, st;

	CHECK(!knob_get("progress_timer_ms"), "progress_timer_ms is set before the test");
	snprintf(old_budget, sizeof(old_budget), "%ld", knob_get("budget"));
	atexit(restore);
	knob_set("budget", BUDGET);
	knob_set("progress_timer_ms", PROGRESS_MS);

	job_init(&j, fd);
	job_emit(&j, cs_move32(0, 1));
	job_emit(&j, cs_branch(-1, 6 /* always */, 0));
	t0 = now_ms();
	s = job_submit(&j, 0);
	while (now_ms() - t0 <= 10000 && (timedout_at < 0 || fence_at < 0)) {
		if (timedout_at < 0 &&
		    (group_state(fd, j.group, NULL) & DRM_PANTHOR_GROUP_STATE_TIMEDOUT))
			timedout_at = now_ms() - t0;
		if (fence_at < 0 && !syncobj_wait(fd, s, 0))
			fence_at = now_ms() - t0;
		msleep(10);
	}
	st = group_state(fd, j.group, NULL);
	status = fence_at >= 0 ? syncobj_fence_status(fd, s) : 0;
	printf("progress timer %s ms: TIMEDOUT %ld ms after the submit, fence at %ld ms (status %d), state 0x%x\n",
	       PROGRESS_MS, timedout_at, fence_at, status, st);
	CHECK(timedout_at >= 0, "the hung group was not reported TIMEDOUT within 10 s");
	CHECK(timedout_at <= PROGRESS_BOUND_MS,
	      "the hung group was reported TIMEDOUT only %ld ms after its submit (bound %d ms, progress timer %s ms): the job timeout, not the firmware's progress event?",
	      timedout_at, PROGRESS_BOUND_MS, PROGRESS_MS);
	CHECK(!(st & DRM_PANTHOR_GROUP_STATE_INNOCENT), "the hung group is reported INNOCENT (0x%x)", st);
	CHECK(fence_at >= 0, "the hung job's fence did not signal within 10 s");
	CHECK(status < 0, "the hung job's fence signalled without an error (status %d)", status);

	knob_set("progress_timer_ms", "0");
	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the progress timeout");
	job_fini(&k);
	printf("ok\n");
	return 0;
}
