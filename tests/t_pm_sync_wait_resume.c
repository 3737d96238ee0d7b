// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm_sync_wait_resume: a job blocked in the GPU on a sync object
 * (SYNC_WAIT32, "greater than") does not keep the GPU awake, and is not
 * lost when the GPU runtime-suspends under it.
 *
 * Group A's job waits for data[0] > 0, then stores data[0] + 1 in
 * data[1]. With nothing else to run, the GPU must runtime-suspend
 * (runtime_status "suspended", its suspended time growing) while that job
 * is still blocked: the firmware reports a group whose streams all wait
 * on sync objects as idle, and panthor counts such a group as idle when
 * it decides whether to drop its runtime PM reference (the tick's
 * idle_group_count), so a blocked job is no reason to stay powered. The
 * waiter must still be blocked after the suspend (its fence unsignalled,
 * data[1] untouched). Then group B submits a job that sets data[0] = 41:
 * the GPU resumes, the setter runs, and the waiter is released (its group
 * came back from the suspend with its wait): both fences signal without
 * error, data[1] reads 42, neither group is flagged, and the GPU suspends
 * again once idle.
 *
 * Prints the times (ms) from the waiter's submit to the suspend, and from
 * the setter's submit to each fence.
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g2, s1, s2;
	unsigned long long t0, t1;
	long start, suspended_at, set_at, setter_done, waiter_done;
	uint64_t *b;
	char ctl[32];
	int r;

	CHECK(!pm_read("control", ctl, sizeof(ctl)), "cannot read power/control");
	CHECK(!strcmp(ctl, "auto"),
	      "power/control is '%s': the driver forbids runtime suspend, nothing to test", ctl);

	job_init(&j, fd);
	g2 = group_create(fd, j.vm);

	/* Waiter: wait for data[0] > 0, then data[1] = data[0] + 1. */
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 0));
	job_emit(&j, cs_sync_wait32(0, 2, true));
	job_emit(&j, cs_load_multiple(4, 0, 0x1, 0));
	job_emit(&j, cs_add_imm32(4, 4, 1));
	job_emit(&j, cs_store_multiple(4, 0, 0x1, 4));

	/* Setter, at cmd + 0x1000: data[0] = 41. */
	b = j.cmd + 0x1000 / 8;
	b[0] = cs_move48(0, j.data_va);
	b[1] = cs_move32(2, 41);
	b[2] = cs_sync_set32(0, 2);

	start = now_ms();
	s1 = job_submit(&j, 0);
	msleep(200);
	CHECK(syncobj_fence_status(fd, s1) == 0, "the waiter finished before its sync object was set");

	CHECK(!pm_wait_status("suspended", 5000),
	      "the GPU did not runtime-suspend while its only job waits on a sync object (a blocked job must not keep it awake)");
	suspended_at = now_ms();
	printf("waiter submitted; GPU runtime-suspended %ld ms later\n", suspended_at - start);
	t0 = pm_read_ll("runtime_suspended_time");
	msleep(300);
	t1 = pm_read_ll("runtime_suspended_time");
	printf("suspended time %llu -> %llu ms\n", t0, t1);
	CHECK(t1 >= t0 + 200, "the GPU did not stay suspended: suspended time grew by %llu ms in 300 ms",
	      t1 - t0);
	CHECK(syncobj_fence_status(fd, s1) == 0, "the waiter's fence signalled while the GPU was suspended");
	CHECK(j.data[1] == 0, "the waiter ran past its wait while suspended: data[1] = %u", j.data[1]);

	s2 = syncobj_create(fd);
	set_at = now_ms();
	r = submit(fd, g2, j.cmd_va + 0x1000, 3 * 8, 0, s2);
	CHECK(!r, "the setter's submit failed: %s", strerror(-r));
	CHECK(!syncobj_wait(fd, s2, 10000), "the setter did not complete within 10 s of its submit");
	setter_done = now_ms();
	CHECK(!syncobj_wait(fd, s1, 10000),
	      "the waiter was not released within 10 s of the setter (its group lost its wait in the suspend?)");
	waiter_done = now_ms();
	printf("setter submitted on a suspended GPU: setter done in %ld ms, waiter in %ld ms\n",
	       setter_done - set_at, waiter_done - set_at);
	__sync_synchronize();

	r = syncobj_fence_status(fd, s2);
	CHECK(r == 1, "the setter's fence signalled with an error: %s", strerror(-r));
	r = syncobj_fence_status(fd, s1);
	CHECK(r == 1, "the waiter's fence signalled with an error: %s", strerror(-r));
	printf("data: %u %u\n", j.data[0], j.data[1]);
	CHECK(j.data[0] == 41 && j.data[1] == 42, "the waiter saw %u, stored %u (want 41, 42)",
	      j.data[0], j.data[1]);
	CHECK(group_state(fd, j.group, NULL) == 0, "the waiter's group reports a problem (state 0x%x)",
	      group_state(fd, j.group, NULL));
	CHECK(group_state(fd, g2, NULL) == 0, "the setter's group reports a problem (state 0x%x)",
	      group_state(fd, g2, NULL));

	CHECK(!pm_wait_status("suspended", 5000), "the GPU did not suspend again once both jobs were done");
	job_check_healthy(&j, "a job after the waiter");

	drmSyncobjDestroy(fd, s1);
	drmSyncobjDestroy(fd, s2);
	group_destroy(fd, g2);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
