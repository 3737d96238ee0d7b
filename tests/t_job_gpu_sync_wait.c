// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_gpu_sync_wait: a job that waits in the GPU on a sync object
 * (SYNC_WAIT32, "greater than") blocks until a job on another group sets
 * it (SYNC_SET32), then goes on: the waiter's store lands after the
 * setter ran, and both fences signal.
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g2, s1, s2;
	uint64_t *b;
	int r;

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

	s1 = job_submit(&j, 0);
	msleep(300);
	CHECK(syncobj_wait(fd, s1, 0) == -ETIME, "waiter finished before its sync object was set");
	CHECK(j.data[1] == 0, "waiter ran past its wait: data[1] = %u", j.data[1]);

	s2 = syncobj_create(fd);
	r = submit(fd, g2, j.cmd_va + 0x1000, 3 * 8, 0, s2);
	CHECK(!r, "setter submit failed: %s", strerror(-r));
	CHECK(!syncobj_wait(fd, s2, 10000), "setter did not complete");
	CHECK(!syncobj_wait(fd, s1, 10000), "waiter not released by the sync object");
	printf("data: %u %u\n", j.data[0], j.data[1]);
	CHECK(j.data[0] == 41 && j.data[1] == 42, "waiter saw %u, stored %u", j.data[0], j.data[1]);
	CHECK(group_state(fd, j.group, NULL) == 0 && group_state(fd, g2, NULL) == 0,
	      "a group reports a problem");

	group_destroy(fd, g2);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
