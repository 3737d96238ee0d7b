// SPDX-License-Identifier: GPL-2.0-only
/*
 * hang_one_of_four: a hung job is the business of its own group only.
 *
 * Four groups, each on a VM of its own (a group that shares a VM with a
 * faulty one may die with it). Group H's job never finishes: a branch to
 * itself, which stalls in the simulator once it has run the instruction
 * budget (the budget knob, lowered here so that the stall comes at once).
 * Groups A, B and C each queue NJOBS jobs that store a value of their own
 * in data[k]; the simulator's slow_job_ms knob makes each job take SLOW_MS
 * (under the driver's 5 s job timeout), so that the three groups are
 * running, with work queued, before, while and after the driver deals with
 * the hang (NJOBS * SLOW_MS is well past the 5 s).
 *
 * What a driver must do: H is reported TIMEDOUT (GROUP_GET_STATE) within
 * the job timeout (5 s) plus a margin (HANG_BOUND_MS after its submit),
 * and its fence signals with an error; every fence of A, B and C signals
 * without error, in order, each group's state stays 0, and each job's
 * value reads back (nothing lost, nothing run twice: a job run again
 * after a reset would be harmless here, but a lost one is not). At least
 * one job of A, B or C must complete after H was reported TIMEDOUT, or
 * the test did not test anything (it says so). Then a new group runs.
 *
 * Prints the time from H's submit to TIMEDOUT and to its fence, and each
 * innocent fence's time.
 */
#include <unistd.h>

#include "common.h"

#define NINNOCENT	3
#define NJOBS		4
#define SLOW_MS		2000
#define SLOW_MS_STR	"2000"
#define JOB_TIMEOUT_MS	5000
#define HANG_BOUND_MS	(JOB_TIMEOUT_MS + SLOW_MS + 3000)
#define ALL_BOUND_MS	(NJOBS * SLOW_MS + 10000)
#define BUDGET		"10000"

static char old_budget[32];

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/slow_job_ms", "0");
	if (old_budget[0])
		write_file("/sys/module/mali_sim/parameters/budget", old_budget);
}

static uint32_t value(int g, int k)
{
	return 0x1000 * (g + 1) + k + 1;
}

int main(void)
{
	int fd = open_render();
	struct job_ctx h, in[NINNOCENT], k;
	struct fence_set fs;
	int fi[NINNOCENT][NJOBS], hi, g, i, r;
	uint32_t s, st, fq;
	long t0, th, timedout_at = -1, last_innocent = -1;

	snprintf(old_budget, sizeof(old_budget), "%ld", knob_get("budget"));
	atexit(restore);
	knob_set("budget", BUDGET);

	job_init(&h, fd);
	job_emit(&h, cs_move32(0, 1));
	job_emit(&h, cs_branch(-1, 6 /* always */, 0));

	for (g = 0; g < NINNOCENT; g++) {
		job_init(&in[g], fd);
		/* job k at cmd + k * 0x100: data[k] = value(g, k) */
		for (i = 0; i < NJOBS; i++) {
			uint64_t *c = in[g].cmd + i * 0x100 / 8;

			c[0] = cs_move48(0, in[g].data_va + 4 * i);
			c[1] = cs_move32(2, value(g, i));
			c[2] = cs_store_multiple(2, 0, 0x1, 0);
		}
	}

	knob_set("slow_job_ms", SLOW_MS_STR);
	t0 = now_ms();
	fset_init(&fs, t0);
	for (g = 0; g < NINNOCENT; g++)
		for (i = 0; i < NJOBS; i++) {
			s = syncobj_create(fd);
			__sync_synchronize();
			r = submit(fd, in[g].group, in[g].cmd_va + i * 0x100, 3 * 8, 0, s);
			CHECK(!r, "group %c: submit of job %d failed: %s", 'A' + g, i, strerror(-r));
			fi[g][i] = fset_add(&fs, fd, s);
		}
	s = job_submit(&h, 0);
	th = now_ms();
	hi = fset_add(&fs, fd, s);
	printf("submitted %d jobs to each of A, B, C (%d ms each) and the hanging job to H\n",
	       NJOBS, SLOW_MS);

	/* Until every fence signalled and H is reported, or the bounds pass. */
	for (;;) {
		int left = fset_poll(&fs, 10);

		if (timedout_at < 0 && (group_state(fd, h.group, NULL) & DRM_PANTHOR_GROUP_STATE_TIMEDOUT))
			timedout_at = now_ms() - th;
		if (!left && timedout_at >= 0)
			break;
		if (timedout_at < 0 && now_ms() - th > HANG_BOUND_MS)
			break;
		if (now_ms() - t0 > ALL_BOUND_MS)
			break;
	}
	knob_set("slow_job_ms", "0");

	st = group_state(fd, h.group, &fq);
	printf("H: state 0x%x, TIMEDOUT seen %ld ms after its submit; its fence %s %ld ms after, status %d\n",
	       st, timedout_at, fs.at[hi] >= 0 ? "signalled" : "not signalled",
	       fs.at[hi] >= 0 ? fs.at[hi] - (th - t0) : -1L, fs.status[hi]);
	for (g = 0; g < NINNOCENT; g++) {
		printf("%c: state 0x%x, fences at", 'A' + g, group_state(fd, in[g].group, NULL));
		for (i = 0; i < NJOBS; i++)
			printf(" %ld (status %d)", fs.at[fi[g][i]], fs.status[fi[g][i]]);
		printf(" ms; data");
		for (i = 0; i < NJOBS; i++)
			printf(" %x", in[g].data[i]);
		printf("\n");
	}

	CHECK(timedout_at >= 0, "the hung group H was not reported TIMEDOUT within %d ms of its submit",
	      HANG_BOUND_MS);
	CHECK(timedout_at <= HANG_BOUND_MS, "H was reported TIMEDOUT %ld ms after its submit, bound %d ms",
	      timedout_at, HANG_BOUND_MS);
	CHECK(!(st & DRM_PANTHOR_GROUP_STATE_INNOCENT), "the hung group H is reported INNOCENT (0x%x)", st);
	CHECK(fs.at[hi] >= 0, "H's fence did not signal within %d ms", ALL_BOUND_MS);
	CHECK(fs.status[hi] < 0, "H's fence signalled without an error (status %d)", fs.status[hi]);

	for (g = 0; g < NINNOCENT; g++) {
		st = group_state(fd, in[g].group, NULL);
		for (i = 0; i < NJOBS; i++) {
			int f = fi[g][i];

			CHECK(fs.at[f] >= 0, "%c: job %d's fence did not signal within %d ms", 'A' + g, i,
			      ALL_BOUND_MS);
			CHECK(fs.status[f] == 1, "%c: job %d's fence has error %d (group state 0x%x)",
			      'A' + g, i, fs.status[f], st);
			CHECK(!i || fs.at[f] >= fs.at[fi[g][i - 1]],
			      "%c: job %d's fence signalled before job %d's", 'A' + g, i, i - 1);
			if (fs.at[f] > last_innocent)
				last_innocent = fs.at[f];
		}
		__sync_synchronize();
		for (i = 0; i < NJOBS; i++)
			CHECK(in[g].data[i] == value(g, i), "%c: job %d stored 0x%x, want 0x%x", 'A' + g, i,
			      in[g].data[i], value(g, i));
		CHECK(st == 0, "%c: an innocent group's state is 0x%x, want 0", 'A' + g, st);
	}
	CHECK(last_innocent > (th - t0) + timedout_at,
	      "no job of A, B or C completed after H was reported TIMEDOUT (%ld ms, last at %ld ms): the innocent groups were not running through the hang, the test proved nothing",
	      (th - t0) + timedout_at, last_innocent);
	fset_fini(&fs);

	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the hang");
	printf("hang->TIMEDOUT %ld ms; innocent jobs done by %ld ms after the first submit\n",
	       timedout_at, last_innocent);
	printf("ok\n");
	return 0;
}
