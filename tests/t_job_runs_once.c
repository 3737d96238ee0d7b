// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_runs_once: the GPU runs each submitted job once, and touches no
 * memory of a job whose fence has signalled, across what makes a stream
 * start again: a CSG slot rotation in the middle of a job (suspend, then
 * resume from the ring's extract), a group rescheduled onto a slot for its
 * next job, a doorbell rung on a stream that went idle.
 * - First, more busy groups than CSG slots (12 for 8): each group's job adds
 *   one to a shared counter and one to its own counter, copies a word of a
 *   scratch buffer into its own word, then spins until the shared counter
 *   reaches 12 (so groups are suspended and resumed mid-job), then stores
 *   its mark. Every fence signals; the shared counter is exactly 12, each
 *   group's counter exactly 1, each copy the scratch word, each mark there
 *   (a stream resumed past its job's end would skip the store).
 * - The scratch buffer is then unmapped and freed: a stream that ran a
 *   first job's instructions again would fault on it.
 * - Twice (the second after 200 ms idle, time for a scheduler to take the
 *   idle groups off their slots): each group gets a new job, a fresh
 *   stream that adds one to its own counter. Every group's counter goes
 *   up by exactly one each time, the shared counter stays 12, and no group
 *   is killed.
 */
#include <sys/mman.h>

#include "common.h"

#define NGROUPS		12
#define JOB_SIZE	0x100
#define SCRATCH_VA	0x30000000ull
#define SCRATCH_SIZE	0x1000ull
#define SHARED_OFF	0x100
#define OWN_OFF		0x200	/* each group's counter */
#define COPY_OFF	0x300	/* each group's copy of the scratch word */
#define DONE_OFF	0x400	/* each group's mark, stored after its spin */
#define DONE_MARK	0xd0e00000u
#define SCRATCH_WORD	0x5eed1dea

static uint32_t dword(const struct job_ctx *j, unsigned int off)
{
	return j->data[off / 4];
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g[NGROUPS], s[NGROUPS], len[NGROUPS], st, sbo;
	uint32_t *scratch;
	unsigned int round;
	int i, r;

	/* The first jobs spin until every group has counted. */
	knob_set("budget", "4000000000");
	job_init(&j, fd);
	sbo = bo_create(fd, SCRATCH_SIZE, 0, 0);
	scratch = bo_mmap(fd, sbo, SCRATCH_SIZE);
	scratch[0] = SCRATCH_WORD;
	vm_map(fd, j.vm, sbo, SCRATCH_VA, SCRATCH_SIZE, 0);

	for (i = 0; i < NGROUPS; i++) {
		uint64_t *b = j.cmd + i * JOB_SIZE / 8;
		unsigned int n = 0;

		g[i] = group_create(fd, j.vm);
		b[n++] = cs_move32(6, 1);
		b[n++] = cs_move48(0, j.data_va + SHARED_OFF);
		b[n++] = cs_sync_add32(0, 6);
		b[n++] = cs_move48(8, j.data_va + OWN_OFF + 4 * i);
		b[n++] = cs_sync_add32(8, 6);
		b[n++] = cs_move48(10, SCRATCH_VA);
		b[n++] = cs_load_multiple(12, 10, 0x1, 0);
		b[n++] = cs_move48(14, j.data_va + COPY_OFF + 4 * i);
		b[n++] = cs_store_multiple(12, 14, 0x1, 0);
		b[n++] = cs_load_multiple(2, 0, 0x1, 0);	/* loop: r2 = shared */
		b[n++] = cs_add_imm32(3, 2, -NGROUPS);
		b[n++] = cs_branch(-3, 4 /* LT */, 3);		/* while r2 < 12 */
		b[n++] = cs_move32(16, DONE_MARK + i);
		b[n++] = cs_move48(18, j.data_va + DONE_OFF + 4 * i);
		b[n++] = cs_store_multiple(16, 18, 0x1, 0);
		CHECK(n * 8 <= JOB_SIZE, "job %d too long", i);
		len[i] = n * 8;
		s[i] = syncobj_create(fd);
	}
	__sync_synchronize();
	for (i = 0; i < NGROUPS; i++) {
		r = submit(fd, g[i], j.cmd_va + i * JOB_SIZE, len[i], 0, s[i]);
		CHECK(!r, "submit on group %d failed: %s", i, strerror(-r));
	}
	for (i = 0; i < NGROUPS; i++) {
		CHECK(!syncobj_wait(fd, s[i], 30000), "group %d's first job did not complete", i);
		drmSyncobjDestroy(fd, s[i]);
	}
	__sync_synchronize();
	CHECK(dword(&j, SHARED_OFF) == NGROUPS,
	      "the shared counter is %u after %d first jobs: a job ran %s",
	      dword(&j, SHARED_OFF), NGROUPS,
	      dword(&j, SHARED_OFF) > NGROUPS ? "again (restarted after a suspend?)" : "short");
	for (i = 0; i < NGROUPS; i++) {
		st = group_state(fd, g[i], NULL);
		CHECK(!st, "group %d's state is 0x%x after its first job", i, st);
		CHECK(dword(&j, OWN_OFF + 4 * i) == 1,
		      "group %d's counter is %u after its first job, want 1", i,
		      dword(&j, OWN_OFF + 4 * i));
		CHECK(dword(&j, COPY_OFF + 4 * i) == SCRATCH_WORD,
		      "group %d copied 0x%x from the scratch buffer, want 0x%x", i,
		      dword(&j, COPY_OFF + 4 * i), SCRATCH_WORD);
		CHECK(dword(&j, DONE_OFF + 4 * i) == DONE_MARK + i,
		      "group %d's first job ended without its mark (0x%x): cut short?", i,
		      dword(&j, DONE_OFF + 4 * i));
	}
	printf("%d first jobs (suspended and resumed mid-job) each ran once\n", NGROUPS);

	/* Nothing the GPU may still run reads it now. */
	vm_unmap(fd, j.vm, SCRATCH_VA, SCRATCH_SIZE);
	munmap(scratch, SCRATCH_SIZE);
	bo_close(fd, sbo);

	for (round = 0; round < 2; round++) {
		if (round)
			msleep(200);	/* idle: the groups may leave their slots */
		for (i = 0; i < NGROUPS; i++) {
			uint64_t *b = j.cmd + ((1 + round) * NGROUPS + i) * JOB_SIZE / 8;

			b[0] = cs_move32(6, 1);
			b[1] = cs_move48(8, j.data_va + OWN_OFF + 4 * i);
			b[2] = cs_sync_add32(8, 6);
			s[i] = syncobj_create(fd);
		}
		__sync_synchronize();
		for (i = 0; i < NGROUPS; i++) {
			r = submit(fd, g[i], j.cmd_va + ((1 + round) * NGROUPS + i) * JOB_SIZE,
				   3 * 8, 0, s[i]);
			CHECK(!r, "round %u: submit on group %d failed: %s", round, i,
			      strerror(-r));
		}
		for (i = 0; i < NGROUPS; i++) {
			CHECK(!syncobj_wait(fd, s[i], 30000),
			      "round %u: group %d's job did not complete", round, i);
			drmSyncobjDestroy(fd, s[i]);
		}
		__sync_synchronize();
		for (i = 0; i < NGROUPS; i++) {
			st = group_state(fd, g[i], NULL);
			CHECK(!st,
			      "round %u: group %d's state is 0x%x: a fault on the freed scratch buffer (a first job's instructions ran again)?",
			      round, i, st);
			CHECK(dword(&j, OWN_OFF + 4 * i) == 2 + round,
			      "round %u: group %d's counter is %u, want %u: a job ran %s", round, i,
			      dword(&j, OWN_OFF + 4 * i), 2 + round,
			      dword(&j, OWN_OFF + 4 * i) > 2 + round ? "again" : "short");
		}
		CHECK(dword(&j, SHARED_OFF) == NGROUPS,
		      "round %u: the shared counter is %u, want %d: a first job ran again",
		      round, dword(&j, SHARED_OFF), NGROUPS);
	}
	printf("then 2 x %d jobs on the same groups (the second after 200 ms idle): each ran once\n",
	       NGROUPS);

	for (i = 0; i < NGROUPS; i++)
		group_destroy(fd, g[i]);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
