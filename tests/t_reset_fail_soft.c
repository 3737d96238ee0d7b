// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_fail_soft: a soft GPU reset that never completes does not leave
 * the GPU dead: the driver gives up on it and falls back to a hard reset,
 * and jobs run afterwards.
 *
 * A job runs (slow_job_ms makes it take SLOW_MS); meanwhile reset_fail=1
 * (a SOFT_RESET command does nothing and never completes; a HARD_RESET
 * still works) and fw_hang=1 (the firmware stops answering: the driver
 * must reset). Only a completed reset clears fw_hang, so its reading back
 * cleared shows a hard reset took place.
 *
 * What a driver must do, within BOUND_MS of the hang: reset (fw_hang
 * cleared), the job's fence signals (fine with its value stored, or with
 * an error and a non-zero group state), and a new group's job runs, with
 * reset_fail still set (it stays until cleared: at exit).
 *
 * Prints the time from the hang to the reset, to the job's fence and to
 * the new job done.
 */
#include <unistd.h>

#include "common.h"

#define SLOW_MS_STR	"300"
#define BOUND_MS	30000
#define VAL		0x50f7

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/reset_fail", "0");
	write_file("/sys/module/mali_sim/parameters/slow_job_ms", "0");
	write_file("/sys/module/mali_sim/parameters/fw_hang", "N");
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	struct fence_set fs;
	long t0, th, reset_at = -1;
	uint32_t st;
	int fi;

	atexit(restore);
	job_init(&j, fd);
	CHECK(!knob_get("fw_hang"), "the fw_hang knob is set before the test");
	CHECK(!knob_get("reset_fail"), "the reset_fail knob is set before the test");

	fi = hang_job_start(&j, &fs, VAL, SLOW_MS_STR);
	t0 = fs.t0;
	knob_set("reset_fail", "1");
	knob_set("fw_hang", "1");
	th = now_ms();
	printf("firmware hang and reset_fail=1 %ld ms after the submit\n", th - t0);

	while (now_ms() - th < BOUND_MS) {
		int left = fset_poll(&fs, 20);

		if (reset_at < 0 && !knob_get("fw_hang"))
			reset_at = now_ms() - th;
		if (!left && reset_at >= 0)
			break;
	}
	knob_set("slow_job_ms", "0");
	__sync_synchronize();
	st = group_state(fd, j.group, NULL);
	printf("hang->reset (fw_hang cleared) %ld ms, hang->job fence %ld ms (status %d), state 0x%x, data 0x%x\n",
	       reset_at, fs.at[fi] < 0 ? -1 : fs.at[fi] - (th - t0), fs.status[fi], st, j.data[0]);

	CHECK(reset_at >= 0,
	      "no completed GPU reset within %d ms of the firmware hang with soft resets failing (fw_hang still set)",
	      BOUND_MS);
	hang_job_check(&j, &fs, fi, VAL, st, BOUND_MS);
	fset_fini(&fs);

	CHECK(knob_get("reset_fail") == 1, "reset_fail no longer reads 1 (it stays until cleared)");
	new_group_healthy(fd, th, BOUND_MS, "a new group after the failed soft reset");
	printf("ok\n");
	return 0;
}
