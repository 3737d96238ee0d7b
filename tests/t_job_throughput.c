// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_throughput: no-op jobs through one queue, as fast as the driver
 * takes them, with 1 and then 64 jobs in flight. Each job adds one to a
 * counter with a sync object operation (three instructions, the same
 * stream for every job); each signals one of a ring of out-syncobjs, and
 * the submit of job i first waits for job i-W's (W jobs in flight). The
 * test checks that every fence signals and that the counter reads the
 * number of jobs (every job ran once); it prints jobs/s for each window,
 * after a warm-up of 64 jobs that is not counted.
 *
 * It prints figures but asserts none: a timed test would measure the
 * host's load. By default it runs 200 jobs per window (make test checks
 * that the path completes); JOB_THROUGHPUT_JOBS=<n> on the guest's
 * command line (scripts/sim-test.sh's SIM_GUEST_ENV) runs n, for the
 * figures.
 */
#include <unistd.h>

#include "common.h"

#define DEFAULT_JOBS	200
#define WARMUP		64
#define MAX_WINDOW	64

static unsigned int jobs_per_window(void)
{
	const char *s = getenv("JOB_THROUGHPUT_JOBS");
	char *end;
	unsigned long n;

	if (!s)
		return DEFAULT_JOBS;
	n = strtoul(s, &end, 10);
	CHECK(*s && !*end && n > 0 && n <= 1000000,
	      "JOB_THROUGHPUT_JOBS=%s: want a number of jobs from 1 to 1000000", s);
	return n;
}

/* @n jobs with @window in flight; returns the milliseconds they took. */
static long run(struct job_ctx *j, uint32_t *sync, unsigned int n,
		unsigned int window)
{
	long start = now_ms();
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		uint32_t out = sync[i % window];
		int r;

		if (i >= window)
			CHECK(!syncobj_wait(j->fd, out, 30000),
			      "window %u: job %u's fence did not signal within 30 s",
			      window, i - window);
		r = submit(j->fd, j->group, j->cmd_va, j->n * 8, 0, out);
		CHECK(!r, "window %u: submit %u failed: %s", window, i, strerror(-r));
	}
	for (k = 0; k < window && k < n; k++)
		CHECK(!syncobj_wait(j->fd, sync[k], 30000),
		      "window %u: a fence of the last %u jobs did not signal within 30 s",
		      window, window);
	return now_ms() - start;
}

int main(void)
{
	static const unsigned int windows[] = { 1, MAX_WINDOW };
	unsigned int n = jobs_per_window(), w, i, total = 0;
	struct job_ctx j;
	uint32_t sync[MAX_WINDOW];
	long ms;

	job_init(&j, open_render());
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 1));
	job_emit(&j, cs_sync_add32(0, 2));
	__sync_synchronize();
	for (i = 0; i < MAX_WINDOW; i++)
		sync[i] = syncobj_create(j.fd);

	run(&j, sync, WARMUP, MAX_WINDOW);
	total += WARMUP;
	for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		ms = run(&j, sync, n, windows[w]);
		total += n;
		printf("%u no-op jobs, %u in flight: %ld ms, %.0f jobs/s\n", n,
		       windows[w], ms, ms ? n * 1000.0 / ms : 0.0);
	}
	__sync_synchronize();
	CHECK(j.data[0] == total, "counter %u after %u jobs", j.data[0], total);
	CHECK(!group_state(j.fd, j.group, NULL), "the group is not healthy after %u jobs",
	      total);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
