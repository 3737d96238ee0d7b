// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_gpu_cpu_visibility: a job submitted through GROUP_SUBMIT runs the
 * user command stream: values the GPU stores (STORE_MULTIPLE, SYNC_SET32,
 * SYNC_ADD32) are visible to the CPU through the BO's mapping once the
 * out-fence signals, and a value the CPU writes before submitting is what
 * the GPU loads (LOAD_MULTIPLE), in two rounds so a stale copy shows.
 */
#include "common.h"

static void round_trip(struct job_ctx *j, uint32_t cpu_val, uint32_t want_add)
{
	uint32_t out;

	j->data[2] = cpu_val;
	out = job_submit(j, 0);
	CHECK(!syncobj_wait(j->fd, out, 10000), "job did not complete in 10 s");
	printf("data: %08x %08x %08x %08x\n", j->data[0], j->data[2], j->data[4], j->data[8]);
	CHECK(j->data[0] == 0xdeadbeef, "GPU store not visible: 0x%x", j->data[0]);
	CHECK(j->data[4] == cpu_val, "GPU did not see the CPU's 0x%x (copied 0x%x)",
	      cpu_val, j->data[4]);
	CHECK(j->data[6] == 0x600d, "SYNC_SET32 result 0x%x", j->data[6]);
	CHECK(j->data[8] == want_add, "SYNC_ADD32 result %u, want %u", j->data[8], want_add);
	drmSyncobjDestroy(j->fd, out);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;

	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 0xdeadbeef));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));
	job_emit(&j, cs_load_multiple(4, 0, 0x1, 8));
	job_emit(&j, cs_store_multiple(4, 0, 0x1, 16));
	job_emit(&j, cs_move48(6, j.data_va + 24));
	job_emit(&j, cs_move32(8, 0x600d));
	job_emit(&j, cs_sync_set32(6, 8));
	job_emit(&j, cs_move48(10, j.data_va + 32));
	job_emit(&j, cs_move32(12, 5));
	job_emit(&j, cs_sync_add32(10, 12));

	round_trip(&j, 0x12345678, 5);
	round_trip(&j, 0xcafef00d, 10);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
