// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm_pwr_stall: a power transition that never completes (the simulator's
 * pwr_stall knob: PWRTRANS stays set, READY unchanged, until the next GPU
 * reset, which also disarms the knob) during a runtime suspend, and
 * separately during a runtime resume.
 *
 * A. Armed before a runtime suspend (the GPU held powered with
 *    power/control "on" while the knob is set, then given back to
 *    "auto"): the driver must report the stalled power-off (an error line
 *    naming the GPU's device in the kernel log) and nothing worse (a
 *    WARN, an oops or a lockdep report fails the run's kernel-log). What
 *    runtime PM made of it is printed (runtime_status "suspended": the
 *    driver went on; "error": its callback failed; "active": it refused
 *    for now).
 * B. Armed while the GPU is runtime-suspended, then a job submitted: the
 *    driver must report the stalled power-on in that resume (the GPU is
 *    kept from suspending again meanwhile: autosuspend_delay_ms 10 s,
 *    given back after), and the job's fence must signal within 20 s (with
 *    or without an error: printed), not hang. (panthor does not notice:
 *    its wait for READY after PWRON, "(mask & val) == val", holds for
 *    READY 0; it reports the stall only at the next power-off.)
 *
 * After each, with the knob off: a job runs, the GPU runtime-suspends
 * again, and a job runs on it again (runtime PM is not wedged). Whether
 * the driver reset the GPU (the knob reads N before the test turns it
 * off) is printed, and so is whether it still reports power errors once
 * the knob is off: the stalled transition stays stalled until a reset, so
 * a driver that does not reset keeps failing its power transitions (a
 * NOTE, not a failure: the test asks that the device works again). Before
 * B, and at the end, when the driver did not reset the GPU after the
 * stall, the test makes it do so (the fw_hang knob, as fw_hang_reset
 * does), so that B, and the tests after this one, start from a power
 * controller that works; after that reset a suspend and resume must log
 * no error. Times in ms.
 */
#include "common.h"

#define KNOB_DIR "/sys/module/mali_sim/parameters/"

/*
 * A stall that was not reported is a failure, but the test goes on to
 * give the GPU back with a working power controller (the tests after this
 * one must not inherit the stall), and fails at the end with the first.
 */
static char first_failure[600];
#define LATER(cond, ...)						\
	do {								\
		if (!(cond) && !first_failure[0]) {			\
			snprintf(first_failure, sizeof(first_failure), __VA_ARGS__); \
			printf("FAILED (failing at the end): %s\n", first_failure); \
		}							\
	} while (0)

static bool knob_on(const char *name)
{
	char path[128], buf[8] = "";

	snprintf(path, sizeof(path), KNOB_DIR "%s", name);
	read_file(path, buf, sizeof(buf));
	return buf[0] == 'Y' || buf[0] == '1';
}

static char old_delay[32];

static void restore_delay(void)
{
	char path[256];

	/* no CHECK here: exit() must not run again from an atexit handler */
	snprintf(path, sizeof(path), "%s/power/autosuspend_delay_ms", getenv("SIMGPU"));
	if (old_delay[0])
		write_file(path, old_delay);
}

/* Wait for runtime_status to leave "active" (or @ms to pass); the status. */
static const char *status_after(int ms)
{
	static char buf[32];
	long end = now_ms() + ms;

	do {
		msleep(5);
		CHECK(!pm_read("runtime_status", buf, sizeof(buf)), "cannot read runtime_status");
	} while (!strcmp(buf, "active") && now_ms() < end);
	return buf;
}

/* With the knob off: a job runs, the GPU suspends again, a job runs again. */
static void works_again(struct job_ctx *j, int kfd, const char *dev, const char *c)
{
	char what[128], first[512] = "";
	long t = now_ms();
	int n;

	snprintf(what, sizeof(what), "%s: a job with the knob off", c);
	job_check_healthy(j, what);
	printf("%s: a job ran %ld ms after the knob was turned off\n", c, now_ms() - t);
	CHECK(!pm_wait_status("suspended", 5000),
	      "%s: the GPU does not runtime-suspend any more after the stall", c);
	snprintf(what, sizeof(what), "%s: a job on the GPU suspended again", c);
	job_check_healthy(j, what);
	n = klog_errors(kfd, dev, first, sizeof(first));
	if (n)
		printf("NOTE %s: %d error line(s) for %s after the knob was off (the stall was not cleared by a reset), the first: %s\n",
		       c, n, dev, first);
	else
		printf("%s: no error after the knob was off\n", c);
}

/*
 * A GPU reset of the test's own (a firmware hang, as fw_hang_reset makes
 * one), for a driver that did not reset the GPU after a stall: the stalled
 * transition stays pending until a reset, and the next case, or the next
 * test, must start from a power controller that works. @j gets a fresh
 * group (the hung job's may be dead).
 */
static void clear_stall(struct job_ctx *j, int kfd, const char *dev, const char *c)
{
	char first[512] = "";
	long t = now_ms();
	uint32_t s;
	int i, n;

	pm_write("control", "on");
	CHECK(!pm_wait_status("active", 5000), "%s: power/control 'on' did not resume the GPU", c);
	knob_set("fw_hang", "Y");
	s = job_submit(j, 0);
	syncobj_wait(j->fd, s, 30000);
	drmSyncobjDestroy(j->fd, s);
	for (i = 0; i < 300 && knob_on("fw_hang"); i++)
		msleep(100);
	CHECK(!knob_on("fw_hang"), "%s: no GPU reset within 30 s of a firmware hang (to clear the stall)", c);
	pm_write("control", "auto");
	printf("%s: the GPU reset by a firmware hang in %ld ms, to clear the stall\n", c, now_ms() - t);
	job_fini(j);
	job_init(j, j->fd);
	job_check_healthy(j, "a job after the reset");
	CHECK(!pm_wait_status("suspended", 5000), "%s: the GPU did not runtime-suspend after the reset", c);
	job_check_healthy(j, "a job on a suspended GPU after the reset");
	n = klog_errors(kfd, dev, first, sizeof(first));
	printf("%s: %d error line(s) for %s from the reset\n", c, n, dev);
}

int main(void)
{
	int fd = open_render(), kfd, n, r;
	char dev[64], ctl[32], first[512] = "";
	struct job_ctx j;
	const char *st;
	bool reset;
	uint32_t s;
	long t;

	dev_name(dev, sizeof(dev));
	CHECK(!pm_read("control", ctl, sizeof(ctl)), "cannot read power/control");
	CHECK(!strcmp(ctl, "auto"),
	      "power/control is '%s': the driver forbids runtime suspend, nothing to test", ctl);
	job_init(&j, fd);
	kfd = klog_open();

	/* --- A: stalled power-off in a runtime suspend ----------------------- */
	CHECK(!pm_wait_status("suspended", 5000), "A: the idle GPU did not runtime-suspend");
	job_check_healthy(&j, "A: a job before the stall");
	pm_write("control", "on");
	CHECK(!pm_wait_status("active", 5000), "A: power/control 'on' did not resume the GPU");
	klog_errors(kfd, NULL, NULL, 0);
	knob_set("pwr_stall", "Y");
	t = now_ms();
	pm_write("control", "auto");
	st = status_after(3000);
	t = now_ms() - t;
	msleep(100);
	n = klog_errors(kfd, dev, first, sizeof(first));
	reset = !knob_on("pwr_stall");
	printf("A: runtime_status '%s' %ld ms after suspend was allowed; %d error line(s), the first: %s; %s\n",
	       st, t, n, n ? first : "-",
	       reset ? "the driver reset the GPU (the knob was disarmed)" : "no GPU reset (the knob still armed)");
	LATER(n > 0, "A: the stalled power-off was not reported (no error line naming %s)", dev);
	knob_set("pwr_stall", "N");
	works_again(&j, kfd, dev, "A");

	if (!reset)
		clear_stall(&j, kfd, dev, "B");

	/* --- B: stalled power-on in a runtime resume ------------------------- */
	CHECK(!pm_wait_status("suspended", 5000), "B: the idle GPU did not runtime-suspend");
	n = klog_errors(kfd, dev, first, sizeof(first));
	CHECK(!n, "B: power errors before the knob is armed (the reset did not clear A's stall?): %s", first);
	/*
	 * The GPU must not suspend again before the log is read: an error
	 * then would be the next power-off's, not the resume's.
	 */
	CHECK(!pm_read("autosuspend_delay_ms", old_delay, sizeof(old_delay)),
	      "cannot read power/autosuspend_delay_ms");
	atexit(restore_delay);
	pm_write("autosuspend_delay_ms", "10000");
	knob_set("pwr_stall", "Y");
	job_reset(&j);
	j.data[0] = 0;
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 0x600d));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));
	t = now_ms();
	s = job_submit(&j, 0);
	r = syncobj_wait(fd, s, 20000);
	t = now_ms() - t;
	CHECK(!r, "B: the job submitted on a stalled resume: its fence did not signal within 20 s");
	r = syncobj_fence_status(fd, s);
	drmSyncobjDestroy(fd, s);
	__sync_synchronize();
	msleep(100);
	n = klog_errors(kfd, dev, first, sizeof(first));
	reset = !knob_on("pwr_stall");
	printf("B: the job's fence signalled %ld ms after its submit, %s (data 0x%x, group state 0x%x); %d error line(s), the first: %s; %s\n",
	       t, r == 1 ? "without error" : strerror(-r), j.data[0], group_state(fd, j.group, NULL), n,
	       n ? first : "-",
	       reset ? "the driver reset the GPU (the knob was disarmed)" : "no GPU reset (the knob still armed)");
	LATER(n > 0, "B: the stalled power-on was not reported by the resume (no error line naming %s)", dev);
	pm_write("autosuspend_delay_ms", old_delay);
	knob_set("pwr_stall", "N");
	if (group_state(fd, j.group, NULL)) {
		/* a killed group is the driver's right; the device must work */
		job_fini(&j);
		job_init(&j, fd);
	}
	works_again(&j, kfd, dev, "B");
	/* the tests after this one start from a power controller that works */
	if (!reset)
		clear_stall(&j, kfd, dev, "end");
	CHECK(!pm_wait_status("suspended", 5000), "end: the idle GPU did not runtime-suspend");
	job_check_healthy(&j, "end: a job on a suspended GPU");
	n = klog_errors(kfd, dev, first, sizeof(first));
	CHECK(!n, "end: %d error line(s) for %s after the GPU reset, the first: %s", n, dev, first);

	job_fini(&j);
	CHECK(!first_failure[0], "%s", first_failure);
	printf("ok\n");
	return 0;
}
