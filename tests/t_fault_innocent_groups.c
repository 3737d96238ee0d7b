// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault_innocent_groups: a fault in one group's job kills that group only.
 *
 * Groups B and C, each on a VM of its own, have a job in flight in the
 * GPU: blocked on a SYNC_WAIT for a word of their data buffer that the CPU
 * sets later, then a store; a second job queued behind it stores too.
 * Group A, on a third VM, then faults:
 *  1. cs_fatal: the simulator's cs_fatal knob makes A's CALL raise
 *     CS_FATAL with CS_UNRECOVERABLE (an exception a driver may answer with
 *     a GPU reset: panthor does);
 *  2. mmu: A's job reads an unmapped VA (an MMU translation fault and a
 *     CS_FATAL). The mmu_fault knob is not used: it takes the next memory
 *     access of any stream, and B's and C's waits read memory all along.
 * B and C are blocked past their CALL, so the cs_fatal knob's CALL is A's
 * (the knob reads back 0 when it was used).
 *
 * What a driver must do: A's fence signals within 15 s, A is reported
 * FATAL_FAULT with fatal_queues 0x1; once the CPU releases B's and C's
 * waits, each of B and C either completes (both fences fine, state 0,
 * both values read back), or, if the driver had to reset the GPU and could
 * not keep them, is reported INNOCENT (no FATAL_FAULT), with a fence error,
 * and stored its values or nothing; never a lost job (a fence that does
 * not signal within 15 s of the release, an error with state 0) or a
 * wrong value. Then a new group runs.
 *
 * Prints A's fault time, and B's and C's outcome and times after the
 * release.
 */
#include <unistd.h>

#include "common.h"

#define FAULT_BOUND_MS	15000
#define DONE_BOUND_MS	15000
#define WAIT_WORD	0x40	/* data[] index the blocked jobs wait on */

struct innocent {
	struct job_ctx j;
	uint32_t s[2];
	char name;
};

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/cs_fatal", "0");
}

static uint32_t value(char name, int k)
{
	return (name << 8) + k + 1;
}

/* B or C: job 0 waits for data[WAIT_WORD] > 0, then data[0] = value; job 1: data[1] = value. */
static void start_innocent(int fd, struct innocent *in, char name, const char *what)
{
	struct job_ctx *j = &in->j;
	uint64_t *c;
	int r;

	in->name = name;
	job_init(j, fd);
	job_emit(j, cs_move48(0, j->data_va + 4 * WAIT_WORD));
	job_emit(j, cs_move32(2, 0));
	job_emit(j, cs_sync_wait32(0, 2, true));
	job_emit(j, cs_move48(4, j->data_va));
	job_emit(j, cs_move32(6, value(name, 0)));
	job_emit(j, cs_store_multiple(6, 4, 0x1, 0));
	c = j->cmd + 0x100 / 8;
	c[0] = cs_move48(0, j->data_va + 4);
	c[1] = cs_move32(2, value(name, 1));
	c[2] = cs_store_multiple(2, 0, 0x1, 0);
	in->s[0] = job_submit(j, 0);
	in->s[1] = syncobj_create(fd);
	__sync_synchronize();
	r = submit(fd, j->group, j->cmd_va + 0x100, 3 * 8, 0, in->s[1]);
	CHECK(!r, "%s: %c: submit of its second job failed: %s", what, name, strerror(-r));
}

static void check_innocent(int fd, struct innocent *in, struct fence_set *fs, int f0,
			   const char *what)
{
	uint32_t st = group_state(fd, in->j.group, NULL);
	int i, failed = 0;

	__sync_synchronize();
	printf("%s: %c: state 0x%x, fences at %ld ms (status %d) and %ld ms (status %d) after the release, data %x %x\n",
	       what, in->name, st, fs->at[f0], fs->status[f0], fs->at[f0 + 1], fs->status[f0 + 1],
	       in->j.data[0], in->j.data[1]);
	for (i = 0; i < 2; i++)
		CHECK(fs->at[f0 + i] >= 0, "%s: %c: job %d's fence did not signal within %d ms of the release (state 0x%x)",
		      what, in->name, i, DONE_BOUND_MS, st);
	CHECK(!(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
	      "%s: %c, an innocent group, is reported FATAL_FAULT (0x%x)", what, in->name, st);
	for (i = 0; i < 2; i++) {
		int f = fs->status[f0 + i];

		if (f == 1) {
			CHECK(in->j.data[i] == value(in->name, i),
			      "%s: %c: job %d's fence is fine but it stored 0x%x, want 0x%x", what,
			      in->name, i, in->j.data[i], value(in->name, i));
		} else {
			failed++;
			CHECK(st & DRM_PANTHOR_GROUP_STATE_INNOCENT,
			      "%s: %c: job %d's fence has error %d but the group is not INNOCENT (state 0x%x): an innocent job lost or blamed",
			      what, in->name, i, f, st);
			CHECK(!in->j.data[i] || in->j.data[i] == value(in->name, i),
			      "%s: %c: job %d (fence error %d) stored 0x%x: neither its value 0x%x nor nothing",
			      what, in->name, i, f, in->j.data[i], value(in->name, i));
		}
	}
	CHECK(!st || failed, "%s: %c: every fence fine but state 0x%x", what, in->name, st);
	printf("%s: %c %s\n", what, in->name, failed ? "was killed, reported INNOCENT" : "completed");
}

static void one_case(int fd, bool knob)
{
	const char *what = knob ? "cs_fatal" : "mmu";
	struct innocent b, c;
	struct job_ctx a;
	struct fence_set fs;
	uint32_t sa, st, fq = 0;
	long t, tr;
	int fb, fc;

	start_innocent(fd, &b, 'B', what);
	start_innocent(fd, &c, 'C', what);
	msleep(300);
	CHECK(syncobj_wait(fd, b.s[0], 0) == -ETIME && syncobj_wait(fd, c.s[0], 0) == -ETIME,
	      "%s: a blocked job completed: its SYNC_WAIT did not block", what);

	job_init(&a, fd);
	if (knob) {
		job_emit(&a, cs_move48(0, a.data_va));
		knob_set("cs_fatal", "1");
	} else {
		job_emit(&a, cs_move48(0, 0x7000000ull));	/* nothing mapped there */
		job_emit(&a, cs_load_multiple(2, 0, 0x1, 0));
	}
	t = now_ms();
	sa = job_submit(&a, 0);
	CHECK(!syncobj_wait(fd, sa, FAULT_BOUND_MS), "%s: A's fence did not signal within %d ms", what,
	      FAULT_BOUND_MS);
	t = now_ms() - t;
	if (knob) {
		long left = knob_get("cs_fatal");

		knob_set("cs_fatal", "0");
		CHECK(!left, "%s: the cs_fatal knob was not used (reads %ld)", what, left);
	}
	st = group_state(fd, a.group, &fq);
	printf("%s: A faulted: fence after %ld ms, status %d, state 0x%x, fatal_queues 0x%x\n", what,
	       t, syncobj_fence_status(fd, sa), st, fq);
	CHECK(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, "%s: A's state 0x%x has no FATAL_FAULT", what, st);
	CHECK(!(st & DRM_PANTHOR_GROUP_STATE_INNOCENT), "%s: the faulty A is reported INNOCENT (0x%x)", what, st);
	CHECK(fq == 1, "%s: A's fatal_queues 0x%x, want 0x1", what, fq);
	CHECK(syncobj_fence_status(fd, sa) < 0, "%s: A's fence signalled without an error", what);

	/* Release B and C. */
	tr = now_ms();
	fset_init(&fs, tr);
	fb = fset_add(&fs, fd, b.s[0]);
	fset_add(&fs, fd, b.s[1]);
	fc = fset_add(&fs, fd, c.s[0]);
	fset_add(&fs, fd, c.s[1]);
	b.j.data[WAIT_WORD] = 1;
	c.j.data[WAIT_WORD] = 1;
	__sync_synchronize();
	fset_wait(&fs, DONE_BOUND_MS);
	check_innocent(fd, &b, &fs, fb, what);
	check_innocent(fd, &c, &fs, fc, what);
	fset_fini(&fs);
	job_fini(&b.j);
	job_fini(&c.j);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx k;

	CHECK(!knob_get("cs_fatal"), "the cs_fatal knob is set before the test");
	atexit(restore);
	one_case(fd, true);
	one_case(fd, false);

	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the faults");
	job_fini(&k);
	printf("ok\n");
	return 0;
}
