// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_syncobj_fences: a job's out-syncobj does not signal before the job
 * ran (the simulator's slow_job_ms knob holds it back), and a job on
 * another group that waits on it as an in-syncobj runs only after it: it
 * copies the first job's value, so running early would copy zero.
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g2, s1, s2;
	uint64_t *b;
	int r;

	knob_set("slow_job_ms", "0");
	job_init(&j, fd);
	g2 = group_create(fd, j.vm);

	/* Job A: data[0] = 0xa11ce. */
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 0xa11ce));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));

	/* Job B, at cmd + 0x1000: data[1] = data[0]. */
	b = j.cmd + 0x1000 / 8;
	b[0] = cs_move48(0, j.data_va);
	b[1] = cs_load_multiple(4, 0, 0x1, 0);
	b[2] = cs_store_multiple(4, 0, 0x1, 4);

	knob_set("slow_job_ms", "700");
	s1 = job_submit(&j, 0);
	r = syncobj_wait(fd, s1, 0);
	CHECK(r == -ETIME, "out-fence of a job still running: wait returned %d", r);

	s2 = syncobj_create(fd);
	r = submit(fd, g2, j.cmd_va + 0x1000, 3 * 8, s1, s2);
	CHECK(!r, "submit with an in-fence failed: %s", strerror(-r));

	CHECK(!syncobj_wait(fd, s2, 15000), "second job did not complete");
	knob_set("slow_job_ms", "0");
	CHECK(!syncobj_wait(fd, s1, 0), "first job's fence not signalled after the second");
	printf("data: %x %x\n", j.data[0], j.data[1]);
	CHECK(j.data[0] == 0xa11ce, "first job's store missing: 0x%x", j.data[0]);
	CHECK(j.data[1] == 0xa11ce, "second job ran before the first: copied 0x%x", j.data[1]);

	group_destroy(fd, g2);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
