// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_priorities: a group of higher priority gets a CSG slot ahead of
 * the lower-priority groups waiting for one, and takes it from a group of
 * lower priority. As many MEDIUM groups as the firmware has CSG slots
 * take every slot with a job that spins (busy, never idle) until the test
 * releases it. Twice as many LOW groups then each submit a job that adds
 * one to a counter and stores a word of its own: none may get a slot
 * while every slot holds a busy MEDIUM group (the counter stays 0). Then
 * a HIGH group submits a job that stores the counter: it must run at
 * once, in a MEDIUM group's slot, ahead of every waiting LOW group (it
 * stores 0). A scheduler that ignores priority rotates the LOW groups in
 * as it would any waiting group, and queues the late group behind them.
 * Then the test releases the MEDIUM groups, and every fence must signal
 * and every LOW group store its word.
 *
 * Nothing here depends on the machine's speed. The test used to fill the
 * slots with LOW groups as well, and count how many of the waiting ones
 * rotation had let in before the late group ran; but a scheduler that
 * swaps every waiting group in at each tick (forseti's does; panthor's
 * swaps one) had let all but one in before the test got to submit the
 * late group (seen on forseti on a loaded host: "23 LOW jobs running",
 * then a false "priority ignored").
 *
 * Without HIGH in GROUP_PRIORITIES_INFO (an unprivileged client) there is
 * no late group: the test checks that LOW groups wait for the MEDIUM
 * ones, and passes as partial.
 *
 * The simulator does not model CSG priority (the firmware's choice among
 * resident groups, and preemption by it): this tests the driver's slot
 * assignment only.
 */
#include <time.h>

#include "common.h"

/*
 * Twice as many LOW groups as slots; the MEDIUM groups' spinning streams
 * keep the simulated firmware busy, and it must still answer each CSG
 * request at once (panthor waits 100 ms, then resets the GPU).
 */
#define LOW_PER_SLOT	2
#define MAX_GROUPS	64
#define JOB_SIZE	0x100
#define COUNTER		0x1000		/* byte offsets in the data buffer */
#define HIGH_WORD	0x1004
#define RELEASE		0x1010		/* the MEDIUM jobs spin while it is 0 */
#define MED_STARTED	0x1014
#define MED_JOB		0x8000		/* byte offsets in the command buffer */
#define HIGH_JOB	0x9000

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
	uint32_t allowed = allowed_priorities(fd), g[MAX_GROUPS], s[MAX_GROUPS], m[MAX_GROUPS],
		 sm[MAX_GROUPS], gh = 0, sh, st, seen;
	unsigned int nlow, nmed, slots = ci.csg_slot_count, waited = 0, i, n;
	volatile uint32_t *counter, *started;
	bool high = allowed & (1u << PANTHOR_GROUP_PRIORITY_HIGH);
	struct job_ctx j;
	uint64_t *b;
	int r;

	nmed = slots;
	nlow = LOW_PER_SLOT * slots;
	printf("%u CSG slots, %u MEDIUM groups, %u LOW groups, priorities allowed 0x%x\n",
	       slots, nmed, nlow, allowed);
	CHECK(slots >= 1 && nlow <= MAX_GROUPS, "csg_slot_count %u", slots);
	CHECK(allowed & (1u << PANTHOR_GROUP_PRIORITY_MEDIUM),
	      "GROUP_PRIORITIES_INFO allows 0x%x: not even MEDIUM", allowed);

	/* Spinning is the point: no instruction budget. */
	knob_set("budget", "4000000000");
	job_init(&j, fd);
	counter = (volatile uint32_t *)(j.data + COUNTER / 4);
	started = (volatile uint32_t *)(j.data + MED_STARTED / 4);

	/* The MEDIUM groups' job: say it started, then spin until released. */
	b = j.cmd + MED_JOB / 8;
	n = 0;
	b[n++] = cs_move48(0, j.data_va + MED_STARTED);
	b[n++] = cs_move32(6, 1);
	b[n++] = cs_sync_add32(0, 6);
	b[n++] = cs_move48(0, j.data_va + RELEASE);
	b[n++] = cs_load_multiple(2, 0, 0x1, 0);	/* loop: r2 = release */
	b[n++] = cs_branch(-2, 2 /* EQ */, 2);		/* while r2 == 0 */
	for (i = 0; i < nmed; i++)
		m[i] = group_create_prio(fd, j.vm, PANTHOR_GROUP_PRIORITY_MEDIUM);
	/* The LOW groups' jobs: count, then store a word of their own. */
	for (i = 0; i < nlow; i++) {
		b = j.cmd + i * JOB_SIZE / 8;
		g[i] = group_create_prio(fd, j.vm, PANTHOR_GROUP_PRIORITY_LOW);
		b[0] = cs_move48(0, j.data_va + COUNTER);
		b[1] = cs_move32(6, 1);
		b[2] = cs_sync_add32(0, 6);
		b[3] = cs_move48(4, j.data_va + 4 * i);
		b[4] = cs_move32(6, 0x1000 + i);
		b[5] = cs_store_multiple(6, 4, 0x1, 0);
	}
	/* The late group's job: store what the counter says when it runs. */
	if (high)
		gh = group_create_prio(fd, j.vm, PANTHOR_GROUP_PRIORITY_HIGH);
	b = j.cmd + HIGH_JOB / 8;
	b[0] = cs_move48(0, j.data_va + COUNTER);
	b[1] = cs_load_multiple(2, 0, 0x1, 0);
	b[2] = cs_move32(3, 0x80000000);
	b[3] = cs_store_multiple(2, 0, 0x3, HIGH_WORD - COUNTER);
	j.data[HIGH_WORD / 4] = 0xdead;

	/* Every slot busy with a spinning MEDIUM job. */
	for (i = 0; i < nmed; i++) {
		sm[i] = syncobj_create(fd);
		r = submit(fd, m[i], j.cmd_va + MED_JOB, n * 8, 0, sm[i]);
		CHECK(!r, "submit on MEDIUM group %u failed: %s", i, strerror(-r));
	}
	while (*started < nmed && waited < 10000) {
		msleep(10);
		waited += 10;
	}
	CHECK(*started == nmed, "only %u of %u MEDIUM jobs started in 10 s, for %u slots",
	      *started, nmed, slots);
	printf("%u MEDIUM jobs running after %u ms\n", *started, waited);

	/* The LOW groups wait: ten rotation ticks go by, and none gets a slot. */
	for (i = 0; i < nlow; i++) {
		s[i] = syncobj_create(fd);
		r = submit(fd, g[i], j.cmd_va + i * JOB_SIZE, 6 * 8, 0, s[i]);
		CHECK(!r, "submit on LOW group %u failed: %s", i, strerror(-r));
	}
	msleep(100);
	CHECK(*counter == 0,
	      "%u LOW groups got a slot while busy MEDIUM groups held all %u: priority ignored",
	      *counter, slots);

	if (high) {
		sh = syncobj_create(fd);
		r = submit(fd, gh, j.cmd_va + HIGH_JOB, 4 * 8, 0, sh);
		CHECK(!r, "submit on the late group failed: %s", strerror(-r));
		CHECK(!syncobj_wait(fd, sh, 30000), "the late group's job did not complete");
		seen = j.data[HIGH_WORD / 4];
		printf("the late group ran with the counter at %u of %u\n", seen, nlow);
		CHECK(j.data[HIGH_WORD / 4 + 1] == 0x80000000,
		      "the late group's job did not store (0x%x)", j.data[HIGH_WORD / 4 + 1]);
		CHECK(seen == 0,
		      "the late group ran only after %u of the %u waiting LOW groups had a slot: priority ignored",
		      seen, nlow);
		st = group_state(fd, gh, NULL);
		CHECK(!st, "the late group's state is 0x%x", st);
		group_destroy(fd, gh);
		drmSyncobjDestroy(fd, sh);
	}

	/* Release the MEDIUM groups: then the LOW groups run. */
	j.data[RELEASE / 4] = 1;
	for (i = 0; i < nmed; i++)
		CHECK(!syncobj_wait(fd, sm[i], 30000), "MEDIUM group %u's job did not complete", i);
	for (i = 0; i < nlow; i++)
		CHECK(!syncobj_wait(fd, s[i], 30000), "LOW group %u's job did not complete (counter %u)",
		      i, *counter);
	for (i = 0; i < nlow; i++) {
		st = group_state(fd, g[i], NULL);
		CHECK(j.data[i] == 0x1000u + i, "LOW group %u stored 0x%x (state 0x%x, counter %u)",
		      i, j.data[i], st, *counter);
		CHECK(!st, "LOW group %u's state is 0x%x", i, st);
	}
	for (i = 0; i < nmed; i++) {
		st = group_state(fd, m[i], NULL);
		CHECK(!st, "MEDIUM group %u's state is 0x%x", i, st);
		group_destroy(fd, m[i]);
		drmSyncobjDestroy(fd, sm[i]);
	}
	for (i = 0; i < nlow; i++) {
		group_destroy(fd, g[i]);
		drmSyncobjDestroy(fd, s[i]);
	}
	job_fini(&j);
	knob_set("budget", "100000");
	if (!high)
		PARTIAL("GROUP_PRIORITIES_INFO allows no HIGH (0x%x): LOW groups waited for MEDIUM ones, but no group of higher priority came late (%ld ms)",
			allowed, now_ms() - start);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
