// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_priorities: a group of higher priority gets a CSG slot ahead of
 * the lower-priority groups waiting for one. LOW groups each run a job
 * that adds one to a shared counter, then spins (busy, never idle) until
 * every LOW group has counted, as group_slot_rotation's do: only rotation
 * lets them all finish. First a gate group and one LOW group per other
 * CSG slot take every slot (the gate's job spins until the test opens
 * it); the other LOW groups (twice as many as there are slots) are
 * submitted behind the gate job's fence, so that none of them can take a
 * slot yet. The test opens the gate: they all want a slot at once, and
 * right after, a HIGH group (MEDIUM if GROUP_PRIORITIES_INFO does not
 * allow HIGH) submits a job that stores the counter. It must run at once,
 * while LOW groups are still waiting for a slot (the counter below the
 * number of LOW groups); a scheduler that ignores priority queues it
 * behind every waiting LOW group, and it stores the full count. Then
 * every fence must signal and every LOW group store its word.
 *
 * The gate is what makes this independent of the machine's speed: the
 * LOW groups used to be submitted one after the other, all runnable at
 * once, and a scheduler that swaps every waiting group in at each tick
 * (forseti's does; panthor's swaps one) had given all but one of them a
 * slot before the test got to submit the late group (seen on forseti on
 * a loaded host: "23 LOW jobs running", then "priority ignored").
 *
 * The simulator does not model CSG priority (the firmware's choice among
 * resident groups, and preemption by it): this tests the driver's slot
 * assignment only.
 */
#include <time.h>

#include "common.h"

/*
 * Twice as many waiting LOW groups as slots. With one slot's worth, a
 * scheduler that ignored priority (plant.sh's priority-ignored) still let
 * the late group in before the last LOW group had started. Eight spinning
 * streams keep the simulated firmware busy: it must still answer each CSG
 * request at once (panthor waits 100 ms, then resets the GPU).
 */
#define WAIT_PER_SLOT	2
#define MAX_LOW		96
#define JOB_SIZE	0x100
#define COUNTER		0x1000		/* byte offsets in the data buffer */
#define HIGH_WORD	0x1004
#define GATE		0x1010		/* the gate job spins while it is 0 */
#define GATE_STARTED	0x1014
#define HIGH_JOB	0x8000		/* byte offsets in the command buffer */
#define GATE_JOB	0x9000

static uint32_t group_create_prio(int fd, uint32_t vm, uint8_t prio)
{
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	struct drm_panthor_group_create gc = {
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = prio,
		.compute_core_mask = gi.shader_present,
		.fragment_core_mask = gi.shader_present,
		.tiler_core_mask = gi.tiler_present,
		.vm_id = vm,
	};
	int r = group_create_ret(fd, &gc, &q, 1);

	CHECK(!r, "GROUP_CREATE with priority %u failed: %s", prio, strerror(-r));
	return gc.group_handle;
}

static uint32_t allowed_priorities(int fd)
{
	struct drm_panthor_group_priorities_info pi;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
		.size = sizeof(pi), .pointer = (uintptr_t)&pi,
	};

	memset(&pi, 0, sizeof(pi));
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return pi.allowed_mask;
}

int main(void)
{
	long start = now_ms();
	int fd = open_render();
	struct drm_panthor_csif_info ci = query_csif_info(fd);
	uint32_t allowed = allowed_priorities(fd), g[MAX_LOW], s[MAX_LOW], gh, sh, gate, sg, st, seen,
		 at_submit;
	unsigned int nlow, nfirst, slots = ci.csg_slot_count, waited = 0;
	volatile uint32_t *counter, *started;
	uint8_t hprio;
	struct job_ctx j;
	unsigned int i, n;
	uint64_t *b;
	int r;

	hprio = allowed & (1u << PANTHOR_GROUP_PRIORITY_HIGH) ? PANTHOR_GROUP_PRIORITY_HIGH :
								 PANTHOR_GROUP_PRIORITY_MEDIUM;
	nfirst = slots - 1;
	nlow = nfirst + WAIT_PER_SLOT * slots;
	printf("%u CSG slots, %u LOW groups (%u behind the gate), priorities allowed 0x%x: the late group is %s\n",
	       slots, nlow, nlow - nfirst, allowed,
	       hprio == PANTHOR_GROUP_PRIORITY_HIGH ? "HIGH" : "MEDIUM");
	CHECK(slots >= 1 && nlow <= MAX_LOW, "csg_slot_count %u", slots);
	CHECK(allowed & (1u << PANTHOR_GROUP_PRIORITY_MEDIUM),
	      "GROUP_PRIORITIES_INFO allows 0x%x: not even MEDIUM", allowed);

	/* Spinning is the point: no instruction budget. */
	knob_set("budget", "4000000000");
	job_init(&j, fd);
	counter = (volatile uint32_t *)(j.data + COUNTER / 4);
	started = (volatile uint32_t *)(j.data + GATE_STARTED / 4);
	for (i = 0; i < nlow; i++) {
		n = 0;
		b = j.cmd + i * JOB_SIZE / 8;
		g[i] = group_create_prio(fd, j.vm, PANTHOR_GROUP_PRIORITY_LOW);
		b[n++] = cs_move48(0, j.data_va + COUNTER);
		b[n++] = cs_move32(6, 1);
		b[n++] = cs_sync_add32(0, 6);
		b[n++] = cs_load_multiple(2, 0, 0x1, 0);	/* loop: r2 = counter */
		b[n++] = cs_add_imm32(3, 2, -(int32_t)nlow);
		b[n++] = cs_branch(-3, 4 /* LT */, 3);		/* while r2 < nlow */
		b[n++] = cs_move48(4, j.data_va + 4 * i);
		b[n++] = cs_move32(6, 0x1000 + i);
		b[n++] = cs_store_multiple(6, 4, 0x1, 0);
		CHECK(n * 8 <= JOB_SIZE, "job %u too long", i);
	}
	/* The gate: say it started, then spin while the gate word is 0. */
	gate = group_create_prio(fd, j.vm, PANTHOR_GROUP_PRIORITY_LOW);
	b = j.cmd + GATE_JOB / 8;
	n = 0;
	b[n++] = cs_move48(0, j.data_va + GATE_STARTED);
	b[n++] = cs_move32(6, 1);
	b[n++] = cs_sync_add32(0, 6);
	b[n++] = cs_move48(0, j.data_va + GATE);
	b[n++] = cs_load_multiple(2, 0, 0x1, 0);	/* loop: r2 = gate */
	b[n++] = cs_branch(-2, 2 /* EQ */, 2);		/* while r2 == 0 */
	/* The late group's job: store what the counter says when it runs. */
	gh = group_create_prio(fd, j.vm, hprio);
	b = j.cmd + HIGH_JOB / 8;
	b[0] = cs_move48(0, j.data_va + COUNTER);
	b[1] = cs_load_multiple(2, 0, 0x1, 0);
	b[2] = cs_move32(3, 0x80000000);
	b[3] = cs_store_multiple(2, 0, 0x3, HIGH_WORD - COUNTER);
	j.data[HIGH_WORD / 4] = 0xdead;

	/* Every slot busy: the gate and one spinning LOW job per other slot. */
	sg = syncobj_create(fd);
	r = submit(fd, gate, j.cmd_va + GATE_JOB, n * 8, 0, sg);
	CHECK(!r, "submit on the gate group failed: %s", strerror(-r));
	for (i = 0; i < nfirst; i++) {
		s[i] = syncobj_create(fd);
		r = submit(fd, g[i], j.cmd_va + i * JOB_SIZE, 9 * 8, 0, s[i]);
		CHECK(!r, "submit on LOW group %u failed: %s", i, strerror(-r));
	}
	while ((*counter < nfirst || !*started) && waited < 10000) {
		msleep(10);
		waited += 10;
	}
	CHECK(*counter >= nfirst && *started,
	      "only %u of the first %u LOW jobs (and %s gate) started in 10 s, for %u slots",
	      *counter, nfirst, *started ? "the" : "not the", slots);
	/* The others wait behind the gate's fence: none can want a slot yet. */
	for (i = nfirst; i < nlow; i++) {
		s[i] = syncobj_create(fd);
		r = submit(fd, g[i], j.cmd_va + i * JOB_SIZE, 9 * 8, sg, s[i]);
		CHECK(!r, "submit on LOW group %u failed: %s", i, strerror(-r));
	}
	msleep(50);
	CHECK(*counter == nfirst, "%u LOW jobs ran while the gate was closed, for %u slots",
	      *counter, nfirst);
	printf("%u LOW jobs and the gate running after %u ms\n", *counter, waited);

	/*
	 * Open the gate: every waiting LOW group wants a slot, and the late
	 * group comes right after (each rotation tick may give a slot's
	 * worth of them a slot: it must not be ticks late).
	 */
	sh = syncobj_create(fd);
	j.data[GATE / 4] = 1;
	CHECK(!syncobj_wait(fd, sg, 30000), "the gate's job did not complete");
	at_submit = *counter;
	r = submit(fd, gh, j.cmd_va + HIGH_JOB, 4 * 8, 0, sh);
	CHECK(!r, "submit on the late group failed: %s", strerror(-r));
	CHECK(!syncobj_wait(fd, sh, 30000), "the late group's job did not complete");
	seen = j.data[HIGH_WORD / 4];
	printf("the late group ran with the counter at %u of %u (%u when it was submitted)\n", seen,
	       nlow, at_submit);
	CHECK(j.data[HIGH_WORD / 4 + 1] == 0x80000000, "the late group's job did not store (0x%x)",
	      j.data[HIGH_WORD / 4 + 1]);
	CHECK(seen < nlow,
	      "the late group ran only after all %u LOW groups had a slot (counter %u): priority ignored",
	      nlow, seen);
	st = group_state(fd, gh, NULL);
	CHECK(!st, "the late group's state is 0x%x", st);

	for (i = 0; i < nlow; i++)
		CHECK(!syncobj_wait(fd, s[i], 30000), "LOW group %u's job did not complete (counter %u)",
		      i, *counter);
	for (i = 0; i < nlow; i++) {
		st = group_state(fd, g[i], NULL);
		CHECK(j.data[i] == 0x1000u + i, "LOW group %u stored 0x%x (state 0x%x, counter %u)",
		      i, j.data[i], st, *counter);
		CHECK(!st, "LOW group %u's state is 0x%x", i, st);
	}
	st = group_state(fd, gate, NULL);
	CHECK(!st, "the gate group's state is 0x%x", st);
	for (i = 0; i < nlow; i++) {
		group_destroy(fd, g[i]);
		drmSyncobjDestroy(fd, s[i]);
	}
	group_destroy(fd, gate);
	drmSyncobjDestroy(fd, sg);
	group_destroy(fd, gh);
	drmSyncobjDestroy(fd, sh);
	job_fini(&j);
	knob_set("budget", "100000");
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
