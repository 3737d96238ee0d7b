// SPDX-License-Identifier: GPL-2.0-only
/*
 * glb_counter: uAPI 1.6, the driver enables the firmware's GLB_COUNTER_EN,
 * so that the GPU's cycle counter and timestamp reach the command streams:
 * a job's STORE_STATE of the cycle count stores a value between the GPU
 * cycle counts that DEV_QUERY TIMESTAMP_INFO reads before and after the
 * job, and its STORE_STATE of the timestamp stores a non-zero value. (The
 * simulator stores 0 for both until the firmware has acknowledged
 * GLB_COUNTER_EN: sim/sim_mcu.c.) The job runs twice, the second time on
 * a new file and group, to see the setting is the firmware's, not a
 * group's.
 */
#include <stddef.h>
#include <unistd.h>

#include "common.h"

#define CS_OP_STORE_STATE	40
#define CS_STATE_TIMESTAMP	0
#define CS_STATE_CYCLE_COUNT	1

/* STORE_STATE of @state to the address in r@addr_reg + @offset. */
static uint64_t cs_store_state(unsigned int addr_reg, unsigned int state,
			       int16_t offset)
{
	return cs_raw(CS_OP_STORE_STATE, ((uint64_t)addr_reg << 40) |
		      ((uint64_t)state << 32) | (uint16_t)offset);
}

static uint64_t gpu_cycles(int fd)
{
	struct drm_panthor_timestamp_info ti = {
		.flags = DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT,
	};
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
		.size = sizeof(ti), .pointer = (uint64_t)(uintptr_t)&ti,
	};

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return ti.cycle_count;
}

static void run(int round)
{
	int fd = open_render();
	uint64_t c0, c1, cycles, ts;
	struct job_ctx j;
	uint32_t s;

	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_store_state(0, CS_STATE_CYCLE_COUNT, 0));
	job_emit(&j, cs_store_state(0, CS_STATE_TIMESTAMP, 8));
	c0 = gpu_cycles(fd);
	s = job_submit(&j, 0);
	CHECK(!syncobj_wait(fd, s, 10000), "round %d: the job did not complete", round);
	drmSyncobjDestroy(fd, s);
	c1 = gpu_cycles(fd);
	__sync_synchronize();
	memcpy(&cycles, &j.data[0], 8);
	memcpy(&ts, &j.data[2], 8);
	printf("round %d: cycle count %llu <= STORE_STATE %llu <= %llu; timestamp %llu\n",
	       round, (unsigned long long)c0, (unsigned long long)cycles,
	       (unsigned long long)c1, (unsigned long long)ts);
	CHECK(cycles && ts,
	      "round %d: STORE_STATE stored cycle count %llu, timestamp %llu: the counters do not reach the command streams (GLB_COUNTER_EN)",
	      round, (unsigned long long)cycles, (unsigned long long)ts);
	CHECK(c0 <= cycles && cycles <= c1,
	      "round %d: STORE_STATE's cycle count %llu is not within the GPU's %llu..%llu",
	      round, (unsigned long long)cycles, (unsigned long long)c0,
	      (unsigned long long)c1);
	job_fini(&j);
	close(fd);
}

int main(void)
{
	run(1);
	run(2);
	printf("ok\n");
	return 0;
}
