// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_hang_timeout: a job that never finishes (a branch to itself: the
 * simulated stream stalls when it exhausts its instruction budget, as a
 * hung GPU would) is detected by the driver's job timeout: its fence
 * signals, its group is reported TIMEDOUT, and a job on a new group
 * afterwards runs normally.
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct job_ctx j, k;
	uint32_t s, st;

	job_init(&j, fd);
	job_emit(&j, cs_move32(0, 1));
	job_emit(&j, cs_branch(-1, 6 /* always */, 0));
	s = job_submit(&j, 0);
	CHECK(syncobj_wait(fd, s, 1000) == -ETIME, "a hung job completed");
	CHECK(!syncobj_wait(fd, s, 30000), "hung job's fence not signalled after 30 s");
	st = group_state(fd, j.group, NULL);
	printf("hung group state 0x%x\n", st);
	CHECK(st & DRM_PANTHOR_GROUP_STATE_TIMEDOUT, "hung group not reported timed out (0x%x)",
	      st);

	job_init(&k, fd);
	job_check_healthy(&k, "job after the hang");
	CHECK(group_state(fd, k.group, NULL) == 0, "healthy group reports a problem");
	job_fini(&k);
	printf("ok\n");
	return 0;
}
