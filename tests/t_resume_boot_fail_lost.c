// SPDX-License-Identifier: GPL-2.0-only
/*
 * resume_boot_fail_lost: a runtime resume whose firmware never boots
 * again does not leave the jobs that needed it waiting for a GPU that will
 * not come: the job's fence signals with an error, the device is declared
 * lost after a bounded number of tries, and a rebind brings it back.
 *
 * The GPU is left to runtime-suspend; then boot_fail=BOOT_FAILS (the next
 * firmware boots crash: MCU FATAL, no global interface) and a job is
 * submitted, which resumes the GPU. The warm boot fails, so does the cold
 * one after a GPU reset, and every boot the driver tries after that
 * (BOOT_FAILS is more than a driver should try).
 *
 * What a driver must do, within BOUND_MS of the submit: the job's fence
 * signals with an error, nothing is written by the job, and a new group's
 * job does not complete successfully. forseti asks for a GPU reset, whose
 * boots fail too, and declares the device lost after three resets in a
 * row (its "GPU reset" DOC): the kernel log has drm_dev_wedged_event()'s
 * "device wedged" line, boot_fail has not run out, GROUP_CREATE gets EIO,
 * and the GPU still runtime-suspends once idle. Then, with the knob cleared, the driver is
 * unbound with the file open and bound again: a job runs.
 *
 * Prints the time from the submit to the fence, and to the wedged line.
 *
 * The base tree's panthor passes the test's own checks but leaves kernel
 * reports (tests/known-defects): the job that needed the failed resume
 * hits drm_WARN_ON(ret) in queue_run_job(), its resume error, and at the
 * module's unload its page-table cache still holds objects ("BUG
 * panthor-mmu-pt: Objects remaining on __kmem_cache_shutdown()").
 */
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define BOOT_FAILS	"20"
#define BOUND_MS	30000
#define VAL		0x10577

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/boot_fail", "0");
}

int main(void)
{
	int fd = open_render(), kfd, r, status;
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	struct drm_panthor_group_create gc;
	long t0, fence_at = -1, lost_at = -1;
	char line[512] = "";
	struct job_ctx j;
	uint32_t s;

	CHECK(!knob_get("boot_fail"), "the boot_fail knob is set before the test");
	atexit(restore);
	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, VAL));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));

	CHECK(!pm_wait_status("suspended", 10000), "the idle GPU did not runtime-suspend");
	kfd = klog_open();
	knob_set("boot_fail", BOOT_FAILS);
	t0 = now_ms();
	s = job_submit(&j, 0);

	while (now_ms() - t0 < BOUND_MS && (fence_at < 0 || (is_forseti(fd) && lost_at < 0))) {
		if (fence_at < 0 && !syncobj_wait(fd, s, 0))
			fence_at = now_ms() - t0;
		if (lost_at < 0 && klog_grep(kfd, "device wedged", line, sizeof(line)))
			lost_at = now_ms() - t0;
		msleep(20);
	}
	status = fence_at >= 0 ? syncobj_fence_status(fd, s) : 0;
	printf("boot_fail left %ld; fence %ld ms after the submit (status %d); device wedged %s at %ld ms%s%s\n",
	       knob_get("boot_fail"), fence_at, status, lost_at >= 0 ? "logged" : "not logged",
	       lost_at, line[0] ? ": " : "", line);
	CHECK(fence_at >= 0, "the job's fence did not signal within %d ms of a resume whose firmware does not boot",
	      BOUND_MS);
	CHECK(status < 0, "the job's fence signalled without an error (status %d): the firmware never booted",
	      status);
	__sync_synchronize();
	CHECK(j.data[0] != VAL, "the job stored its value although no firmware booted");

	gc = group_args(fd, j.vm);
	r = group_create_ret(fd, &gc, &q, 1);
	printf("GROUP_CREATE after the failed resume: %s\n", r ? strerror(-r) : "success");
	if (is_forseti(fd)) {
		CHECK(lost_at >= 0, "no \"device wedged\" line within %d ms: the device was not declared lost",
		      BOUND_MS);
		CHECK(knob_get("boot_fail") > 0, "the driver tried %s boots before it declared the device lost",
		      BOOT_FAILS);
		CHECK(r == -EIO, "GROUP_CREATE on the lost device: %s, want EIO", r ? strerror(-r) : "success");
		CHECK(!pm_wait_status("suspended", 10000),
		      "the lost device did not runtime-suspend once idle");
	} else if (!r) {
		group_destroy(fd, gc.group_handle);
	}

	/* Unbind with the file open, bind again: a working device. */
	knob_set("boot_fail", "0");
	driver_attr("unbind");
	CHECK(access("/dev/dri/renderD128", F_OK), "render node still there after unbind");
	munmap(j.cmd, BUF_SIZE);
	munmap(j.data, BUF_SIZE);
	close(fd);
	rebind_healthy();
	printf("ok\n");
	return 0;
}
