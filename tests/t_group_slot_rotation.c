// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_slot_rotation: more busy groups than the firmware has CSG slots
 * (12 for 8) all make progress, which needs the scheduler to rotate
 * runnable groups through the slots: each group's job adds one to a shared
 * counter and then spins (busy, never waiting on a sync object, so never
 * idle) until the counter reaches 12, then stores its own value into its
 * own word. Without rotation the four groups left without a slot never
 * count, and the eight with one spin until their jobs time out. Every
 * fence must signal and every value land. It prints the time from the
 * first submit to the last fence (a figure, not checked).
 */
#include "common.h"

#define NGROUPS 12
#define JOB_SIZE 0x100

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g[NGROUPS], s[NGROUPS], st;
	long start;
	int i, r;

	/* Spinning is the point: no instruction budget. */
	knob_set("budget", "4000000000");
	job_init(&j, fd);
	for (i = 0; i < NGROUPS; i++) {
		uint64_t *b = j.cmd + i * JOB_SIZE / 8;
		unsigned int n = 0;

		g[i] = group_create(fd, j.vm);
		b[n++] = cs_move48(0, j.data_va + 0x100);	/* the counter */
		b[n++] = cs_move32(6, 1);
		b[n++] = cs_sync_add32(0, 6);
		b[n++] = cs_load_multiple(2, 0, 0x1, 0);	/* loop: r2 = counter */
		b[n++] = cs_add_imm32(3, 2, -NGROUPS);
		b[n++] = cs_branch(-3, 4 /* LT */, 3);		/* while r2 < 12 */
		b[n++] = cs_move48(4, j.data_va + 4 * i);	/* r4:r5 */
		b[n++] = cs_move32(6, 0x1000 + i);
		b[n++] = cs_store_multiple(6, 4, 0x1, 0);
		CHECK(n * 8 <= JOB_SIZE, "job %d too long", i);
	}
	for (i = 0; i < NGROUPS; i++)
		s[i] = syncobj_create(fd);
	start = now_ms();
	for (i = 0; i < NGROUPS; i++) {
		r = submit(fd, g[i], j.cmd_va + i * JOB_SIZE, 9 * 8, 0, s[i]);
		CHECK(!r, "submit on group %d failed: %s", i, strerror(-r));
	}
	for (i = 0; i < NGROUPS; i++)
		CHECK(!syncobj_wait(fd, s[i], 30000), "group %d's job did not complete", i);
	printf("counter %u; %d groups' jobs done in %ld ms\n", j.data[0x100 / 4], NGROUPS,
	       now_ms() - start);
	for (i = 0; i < NGROUPS; i++) {
		st = group_state(fd, g[i], NULL);
		CHECK(j.data[i] == 0x1000u + i,
		      "group %d stored 0x%x (group state 0x%x, counter %u): not every group got a slot",
		      i, j.data[i], st, j.data[0x100 / 4]);
		CHECK(!st, "group %d's state is 0x%x", i, st);
	}
	for (i = 0; i < NGROUPS; i++)
		group_destroy(fd, g[i]);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
