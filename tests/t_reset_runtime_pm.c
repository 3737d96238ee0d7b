// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_runtime_pm: a firmware that hangs or crashes around a runtime
 * suspend or resume of the GPU, so that a reset (or a cold boot) is
 * needed in the middle of a power transition, does not leave the GPU
 * dead, powered for good, or with a fence that never signals.
 *
 * Each case is driven by a simulator knob armed at a known point, not by
 * luck: the knob takes effect at the next firmware request or boot, which
 * is the transition's. power/autosuspend_delay_ms is raised to 1000 ms
 * where the knob must be armed while the GPU is powered and idle, and set
 * back (which lets the GPU suspend at once).
 *
 * 1. resume-hang: the GPU runtime-suspended, fw_hang=1: the firmware
 *    that the resume boots answers nothing (not even its configuration).
 *    A job submitted then wakes the GPU; it must run, without an error
 *    (the firmware stopped and booted again, cold: nothing was lost),
 *    and fw_hang read back cleared.
 * 2. resume-then-hang: the GPU runtime-suspended, fw_hang_rearm=1: the
 *    resume's boot goes well, then the firmware hangs: the job that woke
 *    the GPU needs a reset right after the resume. Its fence signals, and
 *    a new group's job runs.
 * 3. idle-hang: the GPU powered and idle (a group that ran a job, with
 *    no work), fw_hang=1, then the autosuspend: the power-down meets a
 *    hung firmware. The GPU must runtime-suspend within BOUND_MS (the
 *    power-down does not wait for the firmware forever, nor stay powered
 *    for good), the MCU stopped (fw_hang cleared), and a new group's job
 *    run afterwards (the firmware booted cold, as it did not halt).
 * 4. suspend-csg-hang: the same, with csg_hang=1 instead: the first CSG
 *    request, the power-down's suspend of the idle group on its slot,
 *    never gets an answer: a reset is asked for while the GPU suspends.
 *    Same checks (csg_hang read back 0: the request was made).
 * 5. resume-boot-fail: the GPU runtime-suspended, boot_fail=2: both the
 *    resume's boot and a cold boot after a GPU reset crash. The job that
 *    woke the GPU must end (its fence signals: fine, or with an error and
 *    its group flagged) and a later job run: a failed resume is not the
 *    end of the device.
 *
 * After each case the GPU must runtime-suspend again once idle. Prints
 * each case's times (from the knob to the GPU suspended, to the job's
 * fence, to the first good job) and the driver's and the simulator's log
 * lines about resets and boots.
 *
 * The base tree's panthor fails it (tests/known-defects): in resume-hang
 * its resume does not notice a firmware that hangs in its boot, the
 * job's CSG requests time out, the reset then hits a WARNING in
 * panthor_gpu_soft_reset() (a soft reset already pending) and the job
 * fails with -ETIMEDOUT (2026-12-07).
 */
#include <unistd.h>

#include "common.h"

#define BOUND_MS	15000
#define VAL		0x7e57

static char old_delay[32];
static int kfd;
static char logbuf[1 << 16];

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/fw_hang", "N");
	write_file("/sys/module/mali_sim/parameters/boot_fail", "0");
	write_file("/sys/module/mali_sim/parameters/fw_hang_rearm", "0");
	write_file("/sys/module/mali_sim/parameters/csg_hang", "0");
	if (old_delay[0]) {
		char path[256];

		snprintf(path, sizeof(path), "%s/power/autosuspend_delay_ms", getenv("SIMGPU"));
		write_file(path, old_delay);
	}
}

/* The driver's and the simulator's lines about resets and boots since the last look. */
static void show_log(const char *what)
{
	static const char *const needles[] = {
		"reset", "boot", "firmware", "MCU", "CSG", "stays powered", "resume", "suspend",
		"lost", "timeout", "timedout", NULL
	};
	char prefix[64];

	logbuf[0] = 0;
	klog_text(kfd, logbuf, sizeof(logbuf), 0);
	snprintf(prefix, sizeof(prefix), "%s: log: ", what);
	klog_print_matching(logbuf, needles, prefix);
}

static void suspended(const char *what, const char *when)
{
	CHECK(!pm_wait_status("suspended", 5000), "%s: the idle GPU did not runtime-suspend %s",
	      what, when);
}

static bool status_is(const char *want)
{
	char buf[32] = "";

	return !pm_read("runtime_status", buf, sizeof(buf)) && !strcmp(buf, want);
}

/*
 * Submit a job storing VAL to @j's group and wait for its fence, up to
 * BOUND_MS after @t0. It must signal: fine with VAL stored, or (unless
 * @must_run) with an error and the group flagged. Returns when it
 * signalled (ms after @t0).
 */
static long job_end(struct job_ctx *j, const char *what, long t0, bool must_run)
{
	struct fence_set fs;
	uint32_t s, st;
	long at;
	int fi;

	job_reset(j);
	j->data[0] = 0;
	job_emit(j, cs_move48(0, j->data_va));
	job_emit(j, cs_move32(2, VAL));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	fset_init(&fs, t0);
	s = job_submit(j, 0);
	fi = fset_add(&fs, j->fd, s);
	fset_wait(&fs, BOUND_MS);
	__sync_synchronize();
	st = group_state(j->fd, j->group, NULL);
	at = fs.at[fi];
	printf("%s: the job's fence %ld ms after the knob (status %d), group state 0x%x, data 0x%x\n",
	       what, at, fs.status[fi], st, j->data[0]);
	CHECK(at >= 0, "%s: the job's fence did not signal within %d ms (group state 0x%x)", what,
	      BOUND_MS, st);
	CHECK(fs.status[fi] == 1 || !must_run,
	      "%s: the job failed (fence error %d, group state 0x%x): nothing it did needed that", what,
	      fs.status[fi], st);
	if (fs.status[fi] == 1)
		CHECK(j->data[0] == VAL, "%s: the job's fence signalled fine but it stored 0x%x", what,
		      j->data[0]);
	else
		CHECK(st, "%s: the job's fence has error %d but its group's state is 0", what,
		      fs.status[fi]);
	fset_fini(&fs);
	drmSyncobjDestroy(j->fd, s);
	return at;
}

/* A new group's job runs; returns when it was done (ms after @t0). */
static long new_job(int fd, const char *what, long t0)
{
	struct job_ctx k;
	char when[128];
	long done;

	snprintf(when, sizeof(when), "%s: a new group's job", what);
	job_init(&k, fd);
	job_check_healthy(&k, when);
	done = now_ms() - t0;
	job_fini(&k);
	CHECK(done <= BOUND_MS, "%s: the first good job came %ld ms after the knob, bound %d ms",
	      what, done, BOUND_MS);
	return done;
}

/* Cases 1-3: arm @knob=@val while the GPU is runtime-suspended, then a job wakes it. */
static void from_suspended(int fd, const char *what, const char *knob, const char *val,
			   bool must_run)
{
	struct job_ctx j;
	long t0, fence, done;

	job_init(&j, fd);
	suspended(what, "before the knob");
	show_log(what);
	knob_set(knob, val);
	t0 = now_ms();
	fence = job_end(&j, what, t0, must_run);
	done = new_job(fd, what, t0);
	printf("%s: %s=%s while suspended: job fence %ld ms, first good job %ld ms; %s reads %ld\n",
	       what, knob, val, fence, done, knob, knob_get(knob));
	show_log(what);
	CHECK(!knob_get(knob), "%s: %s still reads %ld: the transition it was armed for did not happen",
	      what, knob, knob_get(knob));
	CHECK(!knob_get("fw_hang"), "%s: fw_hang is set after the recovery", what);
	job_fini(&j);
	suspended(what, "again after the recovery");
}

/* Cases 4-5: arm @knob=@val while the GPU is powered and idle, then let it suspend. */
static void from_idle(int fd, const char *what, const char *knob, const char *val)
{
	struct job_ctx j;
	long t0, susp = -1, done;

	job_init(&j, fd);
	pm_write("autosuspend_delay_ms", "1000");
	job_check_healthy(&j, what);
	CHECK(status_is("active"), "%s: the GPU is not active right after a job (1 s autosuspend delay)",
	      what);
	show_log(what);
	knob_set(knob, val);
	t0 = now_ms();
	pm_write("autosuspend_delay_ms", old_delay);
	while (now_ms() - t0 < BOUND_MS) {
		if (status_is("suspended")) {
			susp = now_ms() - t0;
			break;
		}
		msleep(5);
	}
	printf("%s: %s=%s with the GPU idle: runtime-suspended %ld ms later; %s reads %ld, fw_hang %ld\n",
	       what, knob, val, susp, knob, knob_get(knob), knob_get("fw_hang"));
	CHECK(susp >= 0, "%s: the GPU did not runtime-suspend within %d ms of the knob", what,
	      BOUND_MS);
	CHECK(!knob_get(knob), "%s: %s still reads %ld: the power-down asked the firmware nothing",
	      what, knob, knob_get(knob));
	CHECK(!knob_get("fw_hang"), "%s: the GPU suspended with fw_hang still set: the MCU was not stopped",
	      what);
	done = new_job(fd, what, t0);
	printf("%s: first good job %ld ms after the knob; the old group's state 0x%x\n", what, done,
	       group_state(fd, j.group, NULL));
	show_log(what);
	job_fini(&j);
	suspended(what, "again after the recovery");
}

int main(void)
{
	int fd = open_render();
	char ctl[32];

	CHECK(!pm_read("control", ctl, sizeof(ctl)), "cannot read power/control");
	if (strcmp(ctl, "auto"))
		PARTIAL("power/control is '%s': the GPU does not runtime-suspend", ctl);
	CHECK(!pm_read("autosuspend_delay_ms", old_delay, sizeof(old_delay)),
	      "cannot read power/autosuspend_delay_ms");
	atexit(restore);
	printf("autosuspend delay %s ms\n", old_delay);
	kfd = klog_open();

	from_suspended(fd, "resume-hang", "fw_hang", "1", true);
	from_suspended(fd, "resume-then-hang", "fw_hang_rearm", "1", false);
	from_idle(fd, "idle-hang", "fw_hang", "1");
	from_idle(fd, "suspend-csg-hang", "csg_hang", "1");
	from_suspended(fd, "resume-boot-fail", "boot_fail", "2", false);
	printf("ok\n");
	return 0;
}
