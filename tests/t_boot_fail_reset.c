// SPDX-License-Identifier: GPL-2.0-only
/*
 * boot_fail_reset: a firmware boot that crashes after a GPU reset does not
 * leave the GPU dead: the driver notices the failed boot and tries again
 * (another reset, or a cold boot), and jobs run afterwards.
 *
 * A job runs (slow_job_ms makes it take SLOW_MS); meanwhile boot_fail=1
 * (the next firmware boot crashes: MCU FATAL, no global interface) and
 * fw_hang=1 (the firmware stops answering). The driver resets for the
 * hang (fw_hang reads back cleared), the boot after that reset fails
 * (boot_fail reads back 0), and it must recover from that too.
 *
 * What a driver must do, within BOUND_MS of the hang: the job's fence
 * signals (fine with its value stored, or with an error and a non-zero
 * group state), and a new group's job runs.
 *
 * Prints the time from the hang to the reset, to the failed boot, to the
 * job's fence and to the new job done.
 *
 * panthor (tests/known-defects) fails it: its reset after the hang is a
 * slow one (the firmware did not halt), that boot crashes, and
 * panthor_device_reset_work() then unplugs the device ("Failed to boot MCU
 * after reset, making device unusable.") instead of resetting and booting
 * again: the new group is refused and the render node goes away until the
 * driver is bound again (2026-12-07: GROUP_CREATE -ENOSPC, then no node).
 */
#include <unistd.h>

#include "common.h"

#define SLOW_MS_STR	"300"
#define BOUND_MS	60000
#define VAL		0xb007

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/slow_job_ms", "0");
	write_file("/sys/module/mali_sim/parameters/boot_fail", "0");
	write_file("/sys/module/mali_sim/parameters/fw_hang", "N");
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	struct fence_set fs;
	long t0, th, reset_at = -1, boot_failed_at = -1;
	uint32_t st;
	int fi;

	atexit(restore);
	job_init(&j, fd);
	CHECK(!knob_get("fw_hang"), "the fw_hang knob is set before the test");
	CHECK(!knob_get("boot_fail"), "the boot_fail knob is set before the test");

	fi = hang_job_start(&j, &fs, VAL, SLOW_MS_STR);
	t0 = fs.t0;
	/* the GPU is busy: no runtime resume's boot takes the failure first */
	knob_set("boot_fail", "1");
	knob_set("fw_hang", "1");
	th = now_ms();
	printf("firmware hang and boot_fail=1 %ld ms after the submit\n", th - t0);

	while (now_ms() - th < BOUND_MS) {
		int left = fset_poll(&fs, 20);

		if (reset_at < 0 && !knob_get("fw_hang"))
			reset_at = now_ms() - th;
		if (boot_failed_at < 0 && !knob_get("boot_fail"))
			boot_failed_at = now_ms() - th;
		if (!left && reset_at >= 0 && boot_failed_at >= 0)
			break;
	}
	knob_set("slow_job_ms", "0");
	__sync_synchronize();
	st = group_state(fd, j.group, NULL);
	printf("hang->reset (fw_hang cleared) %ld ms, hang->failed boot (boot_fail 0) %ld ms, hang->job fence %ld ms (status %d), state 0x%x, data 0x%x\n",
	       reset_at, boot_failed_at, fs.at[fi] < 0 ? -1 : fs.at[fi] - (th - t0), fs.status[fi],
	       st, j.data[0]);

	CHECK(reset_at >= 0, "no GPU reset within %d ms of the firmware hang (fw_hang still set)",
	      BOUND_MS);
	CHECK(boot_failed_at >= 0,
	      "boot_fail still 1 %d ms after the hang: no firmware boot was tried after the reset",
	      BOUND_MS);
	hang_job_check(&j, &fs, fi, VAL, st, BOUND_MS);
	fset_fini(&fs);

	printf("a new group %ld ms after the hang\n", now_ms() - th);
	new_group_healthy(fd, th, BOUND_MS, "a new group after the failed boot");
	printf("ok\n");
	return 0;
}
