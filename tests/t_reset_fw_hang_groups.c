// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_fw_hang_groups: a GPU reset after a firmware hang loses no job
 * silently and blames no group.
 *
 * Four groups, each on a VM of its own, each with NJOBS jobs queued that
 * store a value of their own in data[k]; the simulator's slow_job_ms knob
 * makes each job take SLOW_MS. While the first jobs run, the firmware
 * hangs (the fw_hang knob: nothing is acknowledged, no stream runs, until
 * the MCU is stopped or the GPU reset, which clears the knob).
 *
 * What a driver must do: reset the GPU within RESET_BOUND_MS of the hang
 * (the knob reads back cleared); every fence signals within FENCE_BOUND_MS;
 * and each group either
 *  - completed: every fence signalled without error, its state is 0 and
 *    every job's value reads back; or
 *  - was killed by the reset, not through a fault of its own: its state
 *    has INNOCENT (DRM_PANTHOR_GROUP_STATE_INNOCENT, uAPI 1.3) and no
 *    FATAL_FAULT, at least one of its fences has an error, each job whose
 *    fence is fine stored its value, and each job whose fence failed
 *    stored its value or nothing (it may have run before the reset);
 * none is lost (a fence that does not signal, an error on a group of
 * state 0, a missing value) and none is blamed (TIMEDOUT or FATAL_FAULT
 * without INNOCENT: no group did anything wrong). A new group runs after.
 *
 * Prints the time from the hang to the reset, to each group's fences, and
 * to the first job completed after the reset (one of the four groups', or
 * else the new group's).
 */
#include <unistd.h>

#include "common.h"

#define NGROUPS		4
#define NJOBS		3
#define SLOW_MS_STR	"300"
#define RESET_BOUND_MS	30000
#define FENCE_BOUND_MS	40000

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/slow_job_ms", "0");
}

static uint32_t value(int g, int k)
{
	return 0x100 * (g + 1) + k + 1;
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j[NGROUPS], k;
	struct fence_set fs;
	int fi[NGROUPS][NJOBS], g, i, r, completed = 0, innocent = 0;
	long t0, th, reset_at = -1, first_after = -1;
	uint32_t s, st;

	atexit(restore);
	for (g = 0; g < NGROUPS; g++) {
		job_init(&j[g], fd);
		for (i = 0; i < NJOBS; i++) {
			uint64_t *c = j[g].cmd + i * 0x100 / 8;

			c[0] = cs_move48(0, j[g].data_va + 4 * i);
			c[1] = cs_move32(2, value(g, i));
			c[2] = cs_store_multiple(2, 0, 0x1, 0);
		}
	}
	CHECK(!knob_get("fw_hang"), "the fw_hang knob is set before the test");

	knob_set("slow_job_ms", SLOW_MS_STR);
	t0 = now_ms();
	fset_init(&fs, t0);
	for (g = 0; g < NGROUPS; g++)
		for (i = 0; i < NJOBS; i++) {
			s = syncobj_create(fd);
			__sync_synchronize();
			r = submit(fd, j[g].group, j[g].cmd_va + i * 0x100, 3 * 8, 0, s);
			CHECK(!r, "group %d: submit of job %d failed: %s", g, i, strerror(-r));
			fi[g][i] = fset_add(&fs, fd, s);
		}
	msleep(150);
	if (fset_poll(&fs, 0) != NGROUPS * NJOBS) {
		for (i = 0; i < fs.n; i++)
			if (fs.status[i])
				printf("fence %d (group %d job %d) signalled %ld ms after the first submit, status %d\n",
				       i, i / NJOBS, i % NJOBS, fs.at[i], fs.status[i]);
		CHECK(0, "a job completed %ld ms after the first submit, within 150 ms of the last, although each takes %s ms: the hang would come too late",
		      now_ms() - t0, SLOW_MS_STR);
	}
	knob_set("fw_hang", "1");
	th = now_ms();
	printf("firmware hang %ld ms after the submits of %d jobs to each of %d groups\n", th - t0,
	       NJOBS, NGROUPS);

	for (;;) {
		int left = fset_poll(&fs, 20);

		if (reset_at < 0 && !knob_get("fw_hang"))
			reset_at = now_ms() - th;
		if (!left && reset_at >= 0)
			break;
		if (reset_at < 0 && now_ms() - th > RESET_BOUND_MS)
			break;
		if (now_ms() - th > FENCE_BOUND_MS)
			break;
	}
	knob_set("slow_job_ms", "0");
	__sync_synchronize();

	printf("reset seen (fw_hang cleared) %ld ms after the hang\n", reset_at);
	for (g = 0; g < NGROUPS; g++) {
		printf("group %d: state 0x%x; fences at", g, group_state(fd, j[g].group, NULL));
		for (i = 0; i < NJOBS; i++) {
			long at = fs.at[fi[g][i]];

			printf(" %ld (status %d)", at < 0 ? -1 : at - (th - t0), fs.status[fi[g][i]]);
			if (reset_at >= 0 && fs.status[fi[g][i]] == 1 && at - (th - t0) > reset_at &&
			    (first_after < 0 || at - (th - t0) < first_after))
				first_after = at - (th - t0);
		}
		printf(" ms after the hang; data");
		for (i = 0; i < NJOBS; i++)
			printf(" %x", j[g].data[i]);
		printf("\n");
	}

	CHECK(reset_at >= 0, "no GPU reset within %d ms of the firmware hang (fw_hang still set)",
	      RESET_BOUND_MS);
	for (g = 0; g < NGROUPS; g++) {
		bool failed = false;

		st = group_state(fd, j[g].group, NULL);
		for (i = 0; i < NJOBS; i++)
			CHECK(fs.at[fi[g][i]] >= 0, "group %d: job %d's fence did not signal within %d ms of the hang (state 0x%x)",
			      g, i, FENCE_BOUND_MS, st);
		CHECK(!(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
		      "group %d is reported FATAL_FAULT (state 0x%x) after a firmware hang", g, st);
		if (st == 0) {
			for (i = 0; i < NJOBS; i++) {
				CHECK(fs.status[fi[g][i]] == 1,
				      "group %d: state 0 but job %d's fence has error %d: a job lost without a word",
				      g, i, fs.status[fi[g][i]]);
				CHECK(j[g].data[i] == value(g, i),
				      "group %d: state 0, job %d's fence fine, but it stored 0x%x, want 0x%x",
				      g, i, j[g].data[i], value(g, i));
			}
			completed++;
			continue;
		}
		CHECK(st & DRM_PANTHOR_GROUP_STATE_INNOCENT,
		      "group %d is blamed for the firmware hang: state 0x%x without INNOCENT (0x%x)", g,
		      st, DRM_PANTHOR_GROUP_STATE_INNOCENT);
		for (i = 0; i < NJOBS; i++) {
			int f = fs.status[fi[g][i]];

			if (f == 1) {
				CHECK(j[g].data[i] == value(g, i),
				      "group %d (INNOCENT): job %d's fence fine, but it stored 0x%x, want 0x%x",
				      g, i, j[g].data[i], value(g, i));
				continue;
			}
			failed = true;
			CHECK(j[g].data[i] == value(g, i) || !j[g].data[i],
			      "group %d (INNOCENT): job %d (fence error %d) stored 0x%x: neither its value 0x%x nor nothing",
			      g, i, f, j[g].data[i], value(g, i));
		}
		CHECK(failed, "group %d is INNOCENT (0x%x) but every fence of it signalled without error",
		      g, st);
		innocent++;
	}
	fset_fini(&fs);

	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the reset");
	if (first_after < 0)
		first_after = now_ms() - th;
	printf("%d group(s) completed, %d INNOCENT; hang->reset %ld ms, hang->first job done after the reset %ld ms\n",
	       completed, innocent, reset_at, first_after);
	printf("ok\n");
	return 0;
}
