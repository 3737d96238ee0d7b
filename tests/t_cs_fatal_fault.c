// SPDX-License-Identifier: GPL-2.0-only
/*
 * cs_fatal_fault: a CS fatal error (the simulator's cs_fatal knob, and an
 * invalid instruction) is reported on the group: FATAL_FAULT with the
 * queue in fatal_queues; the fence still signals; new groups still run.
 *
 * The knob's error is of the CS_UNRECOVERABLE kind, which needs a GPU
 * reset (panthor's and forseti's reading of it): forseti must log the
 * reset it asks for, with its reason, and a GPU reset done line. An
 * invalid instruction (CS_INSTR_INVALID) concerns its group only: no
 * reset follows it.
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
	/* klog_grep() consumes what it reads: one reader per question. */
	int fd = open_render(), kdone = klog_open(), kwhy = klog_open(), kfd, i;
	bool forseti = is_forseti(fd);
	struct job_ctx a, b, c;
	char line[512] = "";

	job_init(&a, fd);
	job_emit(&a, cs_move48(0, a.data_va));
	knob_set("cs_fatal", "1");
	expect_fatal(fd, &a, "cs_fatal knob");
	knob_set("cs_fatal", "0");
	if (forseti) {
		for (i = 0; i < 100 && !klog_grep(kdone, "GPU reset", line, sizeof(line)); i++)
			msleep(50);
		printf("after CS_UNRECOVERABLE: %s\n", line[0] ? line : "no GPU reset logged");
		CHECK(klog_grep(kwhy, "resetting the GPU: a command stream met an unrecoverable error",
				NULL, 0),
		      "no GPU reset asked for after a CS_UNRECOVERABLE fatal error");
		CHECK(line[0], "no \"GPU reset ... done\" line within 5 s of the CS_UNRECOVERABLE error");
	}

	kfd = klog_open();
	job_init(&b, fd);
	job_emit(&b, cs_raw(0x7f, 0));	/* no such opcode */
	expect_fatal(fd, &b, "invalid opcode");
	if (forseti)
		CHECK(!klog_grep(kfd, "resetting the GPU", NULL, 0),
		      "an invalid instruction asked for a GPU reset");

	job_init(&c, fd);
	job_check_healthy(&c, "healthy job after the faults");
	job_fini(&c);
	printf("ok\n");
	return 0;
}
