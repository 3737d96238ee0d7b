// SPDX-License-Identifier: GPL-2.0-only
/*
 * cs_fatal_fault: a CS fatal error (the simulator's cs_fatal knob, and an
 * invalid instruction) is reported on the group: FATAL_FAULT with the
 * queue in fatal_queues; the fence still signals; new groups still run.
 */
#include "common.h"

static void expect_fatal(int fd, struct job_ctx *j, const char *what)
{
	uint32_t s = job_submit(j, 0), fq = 0, st;

	CHECK(!syncobj_wait(fd, s, 15000), "%s: fence not signalled", what);
	st = group_state(fd, j->group, &fq);
	printf("%s: group state 0x%x fatal queues 0x%x\n", what, st, fq);
	CHECK(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, "%s: group state 0x%x", what, st);
	CHECK(fq == 1, "%s: fatal_queues 0x%x, want 0x1", what, fq);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx a, b, c;

	job_init(&a, fd);
	job_emit(&a, cs_move48(0, a.data_va));
	knob_set("cs_fatal", "1");
	expect_fatal(fd, &a, "cs_fatal knob");
	knob_set("cs_fatal", "0");

	job_init(&b, fd);
	job_emit(&b, cs_raw(0x7f, 0));	/* no such opcode */
	expect_fatal(fd, &b, "invalid opcode");

	job_init(&c, fd);
	job_check_healthy(&c, "healthy job after the faults");
	job_fini(&c);
	printf("ok\n");
	return 0;
}
