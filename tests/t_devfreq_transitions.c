// SPDX-License-Identifier: GPL-2.0-only
/*
 * devfreq_transitions: the GPU's clock follows its load. Idle, devfreq
 * brings the clock to its lowest OPP; under a stream of jobs that keeps
 * the GPU busy (the simulator's slow_job_ms knob holds each job for
 * SLOW_MS, and LOAD_WINDOW are in flight), it goes up to the highest OPP;
 * once the jobs are done, it comes back down to the lowest.
 *
 * The frequency is the devfreq device's cur_freq, which both drivers
 * read from the core clock: a driver that only moves devfreq's own
 * record of the OPP, not the clock, fails. trans_stat must count a
 * transition from the lowest OPP up and one from the highest down during
 * the test. The test prints when each transition was seen and
 * trans_stat's table.
 *
 * The GPU is kept powered during the test (power/control "on", given
 * back at exit): a runtime-suspended GPU's devfreq device is suspended,
 * and its clock stays at the OPP it had until the GPU resumes.
 *
 * Each wait is bounded (WAIT_MS) generously: the governor reads the load
 * every 50 ms, but a guest on a loaded host may not run for a while.
 */
#include <dirent.h>
#include <stdlib.h>

#include "common.h"

#define SLOW_MS		"20"
#define LOAD_WINDOW	4
#define WAIT_MS		20000
#define MAX_OPPS	32

static char pm_control[256], pm_saved[32];
static char df_dir[600];

/* At exit, failed or not: no CHECK here, exit() must not run again. */
static void restore(void)
{
	write_file("/sys/module/mali_sim/parameters/slow_job_ms", "0");
	if (pm_saved[0])
		write_file(pm_control, pm_saved);
}

/* The devfreq device of the GPU: the one directory under its devfreq/. */
static void find_devfreq(void)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/devfreq", gpu_sysfs());
	d = opendir(path);
	CHECK(d, "the GPU has no devfreq device (%s: %s)", path, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		CHECK(!df_dir[0], "the GPU has more than one devfreq device in %s", path);
		snprintf(df_dir, sizeof(df_dir), "%s/%s", path, de->d_name);
	}
	closedir(d);
	CHECK(df_dir[0], "the GPU has no devfreq device in %s", path);
}

static int read_attr(const char *name, char *buf, size_t len)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", df_dir, name);
	return read_file(path, buf, len);
}

static unsigned long cur_freq(void)
{
	char buf[32];

	CHECK(!read_attr("cur_freq", buf, sizeof(buf)), "cannot read cur_freq");
	return strtoul(buf, NULL, 10);
}

/* The OPPs from available_frequencies: *lo and *hi, and how many. */
static unsigned int opp_range(unsigned long *lo, unsigned long *hi)
{
	char buf[1024], *p = buf, *end;
	unsigned int n = 0;

	CHECK(!read_attr("available_frequencies", buf, sizeof(buf)),
	      "cannot read available_frequencies");
	*lo = ~0ul;
	*hi = 0;
	for (;;) {
		unsigned long f = strtoul(p, &end, 10);

		if (end == p)
			break;
		*lo = f < *lo ? f : *lo;
		*hi = f > *hi ? f : *hi;
		n++;
		p = end;
	}
	return n;
}

/*
 * trans_stat's matrix: tt[i][j] transitions from freq[i] to freq[j], and
 * the total. Returns the number of OPPs in it.
 */
struct trans {
	unsigned int n;
	unsigned long freq[MAX_OPPS];
	unsigned int tt[MAX_OPPS][MAX_OPPS];
	unsigned int total;
	char text[4096];
};

static void read_trans(struct trans *t)
{
	char *line, *save = NULL, copy[4096];
	unsigned int row = 0;

	memset(t, 0, sizeof(*t));
	CHECK(!read_attr("trans_stat", t->text, sizeof(t->text)), "cannot read trans_stat");
	snprintf(copy, sizeof(copy), "%s", t->text);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, *end;
		unsigned int j;

		if (sscanf(line, "Total transition : %u", &t->total) == 1)
			continue;
		if (*p == '*' || *p == ' ')
			p++;
		while (*p == ' ')
			p++;
		if (*p == ':') {
			/* The header: the frequencies, then "time(ms)". */
			for (p++;;) {
				unsigned long f = strtoul(p, &end, 10);

				if (end == p)
					break;
				CHECK(t->n < MAX_OPPS, "trans_stat: more than %d OPPs", MAX_OPPS);
				t->freq[t->n++] = f;
				p = end;
			}
			continue;
		}
		if (strtoul(p, &end, 10) == 0 || *end != ':')
			continue;
		CHECK(row < t->n, "trans_stat: more rows than OPPs:\n%s", t->text);
		p = end + 1;
		for (j = 0; j < t->n; j++) {
			t->tt[row][j] = strtoul(p, &end, 10);
			CHECK(end != p, "trans_stat: short row %u:\n%s", row, t->text);
			p = end;
		}
		row++;
	}
	CHECK(t->n >= 2 && row == t->n, "trans_stat: cannot parse:\n%s", t->text);
}

static unsigned int trans_index(const struct trans *t, unsigned long f)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->freq[i] == f)
			return i;
	FAIL("trans_stat has no OPP at %lu Hz:\n%s", f, t->text);
}

/* Wait until the clock is at or above @hi (@up) or at or below @lo. */
static long wait_freq(bool up, unsigned long lo, unsigned long hi, long timeout_ms)
{
	long start = now_ms();

	for (;;) {
		unsigned long f = cur_freq();

		if (up ? f >= hi : f <= lo)
			return now_ms() - start;
		if (now_ms() - start > timeout_ms)
			return -1;
		msleep(10);
	}
}

int main(void)
{
	unsigned long lo, hi, f;
	unsigned int nopps, jobs = 0, i, k, il, ih;
	uint32_t sync[LOAD_WINDOW];
	struct trans before, after;
	struct job_ctx j;
	char gov[64] = "";
	long t_idle, t_up = -1, t_down, start;
	int fd = open_render();

	find_devfreq();
	nopps = opp_range(&lo, &hi);
	read_attr("governor", gov, sizeof(gov));
	printf("devfreq %s: %u OPPs, %lu to %lu Hz, governor %s, at %lu Hz\n",
	       df_dir, nopps, lo, hi, gov, cur_freq());
	CHECK(nopps >= 2 && lo < hi, "the GPU needs two OPPs for this test (the board's DT has them)");

	snprintf(pm_control, sizeof(pm_control), "%s/power/control", gpu_sysfs());
	CHECK(!read_file(pm_control, pm_saved, sizeof(pm_saved)), "cannot read %s", pm_control);
	atexit(restore);
	CHECK(!write_file(pm_control, "on"), "cannot keep the GPU powered (%s)", pm_control);

	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 1));
	job_emit(&j, cs_sync_add32(0, 2));
	__sync_synchronize();
	for (i = 0; i < LOAD_WINDOW; i++)
		sync[i] = syncobj_create(fd);

	/* Idle: the lowest OPP. */
	t_idle = wait_freq(false, lo, hi, WAIT_MS);
	CHECK(t_idle >= 0, "idle GPU: the clock stays at %lu Hz, above the lowest OPP (%lu Hz), for %d ms",
	      cur_freq(), lo, WAIT_MS);
	printf("idle: at %lu Hz after %ld ms\n", cur_freq(), t_idle);
	read_trans(&before);

	/* Load: slow jobs, LOAD_WINDOW in flight, until the clock is up. */
	knob_set("slow_job_ms", SLOW_MS);
	start = now_ms();
	while (now_ms() - start < WAIT_MS) {
		uint32_t out = sync[jobs % LOAD_WINDOW];
		int r;

		if (jobs >= LOAD_WINDOW)
			CHECK(!syncobj_wait(fd, out, 30000),
			      "job %u's fence did not signal within 30 s", jobs - LOAD_WINDOW);
		r = submit(fd, j.group, j.cmd_va, j.n * 8, 0, out);
		CHECK(!r, "submit %u failed: %s", jobs, strerror(-r));
		jobs++;
		if (cur_freq() >= hi) {
			t_up = now_ms() - start;
			break;
		}
	}
	f = cur_freq();
	knob_set("slow_job_ms", "0");
	for (k = 0; k < LOAD_WINDOW && k < jobs; k++)
		CHECK(!syncobj_wait(fd, sync[k], 30000),
		      "a fence of the last %u jobs did not signal within 30 s", LOAD_WINDOW);
	CHECK(t_up >= 0, "busy GPU: the clock stays at %lu Hz, below the highest OPP (%lu Hz), after %u jobs in %d ms",
	      f, hi, jobs, WAIT_MS);
	printf("load: up to %lu Hz after %ld ms (%u jobs of %s ms, %d in flight)\n",
	       f, t_up, jobs, SLOW_MS, LOAD_WINDOW);

	/* The load stopped: back to the lowest OPP. */
	t_down = wait_freq(false, lo, hi, WAIT_MS);
	CHECK(t_down >= 0, "the load stopped: the clock stays at %lu Hz, above the lowest OPP (%lu Hz), for %d ms",
	      cur_freq(), lo, WAIT_MS);
	printf("done: down to %lu Hz %ld ms after the last job\n", cur_freq(), t_down);

	read_trans(&after);
	printf("trans_stat before:\n%s\ntrans_stat after:\n%s\n", before.text, after.text);
	CHECK(after.n == before.n, "trans_stat's OPPs changed");
	il = trans_index(&after, lo);
	ih = trans_index(&after, hi);
	for (i = 0, k = 0; i < after.n; i++)
		k += after.tt[il][i] - before.tt[il][i];
	CHECK(k >= 1, "trans_stat counts no transition from %lu Hz during the load", lo);
	for (i = 0, k = 0; i < after.n; i++)
		k += after.tt[i][il] - before.tt[i][il];
	CHECK(k >= 1, "trans_stat counts no transition to %lu Hz after the load", lo);
	for (i = 0, k = 0; i < after.n; i++)
		k += after.tt[i][ih] - before.tt[i][ih];
	CHECK(k >= 1, "trans_stat counts no transition to %lu Hz during the load", hi);
	CHECK(after.total >= before.total + 2, "trans_stat's total went from %u to %u",
	      before.total, after.total);
	printf("transitions: %u during the test (total %u -> %u)\n",
	       after.total - before.total, before.total, after.total);

	__sync_synchronize();
	CHECK(j.data[0] == jobs, "counter %u after %u jobs", j.data[0], jobs);
	CHECK(!group_state(fd, j.group, NULL), "the group is not healthy after the load");
	job_fini(&j);
	printf("ok\n");
	return 0;
}
