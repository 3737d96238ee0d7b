// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_submit_batch: one GROUP_SUBMIT with several queue submits that wait
 * for each other. A wait on a syncobj point that an earlier queue submit
 * of the same ioctl signals takes that job's done fence (the syncobj has
 * no fence for the point yet: it is published when the ioctl returns).
 * On a group with two queues, in one ioctl:
 *   A (queue 0) spins a while, then stores 1 in data[0]; signals S@1;
 *   B (queue 1) waits for S@1, twice (the same dependency named twice),
 *     then copies data[0] into data[1]; signals a binary syncobj;
 *   C (queue 0) waits for S@1 too (a job of its own queue: the ring keeps
 *     the order), then stores 3 in data[2]; signals another.
 * B must find A's store: without the wait it runs beside A's spin, on its
 * own queue, and copies 0. Every fence signals and the group stays
 * healthy. The waits that exist only once an earlier job of the ioctl is
 * armed are those that a driver may be tempted to allocate for after that
 * arm.
 */
#include "common.h"

/*
 * A's spin: 200,000 instructions, long enough for B's job to reach its ring
 * meanwhile if nothing holds it (5,000 were not: A was done first).
 */
#define SPIN		100000
#define JOB_SIZE	0x100

static struct drm_panthor_sync_op timeline(uint32_t flags, uint32_t h, uint64_t point)
{
	return (struct drm_panthor_sync_op){
		.flags = flags | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ,
		.handle = h, .timeline_value = point,
	};
}

static struct drm_panthor_sync_op binary_signal(uint32_t h)
{
	return (struct drm_panthor_sync_op){
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = h,
	};
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_queue_create q[2] = {
		{ .priority = 0, .ringbuf_size = 0x4000 },
		{ .priority = 0, .ringbuf_size = 0x4000 },
	};
	struct drm_panthor_group_create gc;
	uint32_t s = 0, ob = syncobj_create(fd), oc = syncobj_create(fd);
	struct drm_panthor_sync_op a_ops[1], b_ops[3], c_ops[2];
	struct drm_panthor_queue_submit qs[3];
	struct drm_panthor_group_submit gs;
	uint64_t *a, *b, *c;
	struct job_ctx j;
	unsigned int n;
	int r;

	CHECK(!drmSyncobjCreate(fd, 0, &s), "syncobj create: %s", strerror(errno));
	/* A spins on purpose: no instruction budget. */
	knob_set("budget", "4000000000");
	job_init(&j, fd);
	gc = group_args(fd, j.vm);
	r = group_create_ret(fd, &gc, q, 2);
	CHECK(!r, "GROUP_CREATE with two queues failed: %s", strerror(-r));

	a = j.cmd;
	b = j.cmd + JOB_SIZE / 8;
	c = j.cmd + 2 * JOB_SIZE / 8;
	n = 0;
	a[n++] = cs_move32(4, -SPIN);			/* loop: r4 += 1 while r4 < 0 */
	a[n++] = cs_add_imm32(4, 4, 1);
	a[n++] = cs_branch(-2, 4 /* LT */, 4);
	a[n++] = cs_move48(0, j.data_va);
	a[n++] = cs_move32(6, 1);
	a[n++] = cs_store_multiple(6, 0, 0x1, 0);
	qs[0] = (struct drm_panthor_queue_submit){
		.queue_index = 0, .stream_addr = j.cmd_va, .stream_size = n * 8,
	};
	a_ops[0] = timeline(DRM_PANTHOR_SYNC_OP_SIGNAL, s, 1);
	qs[0].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, a_ops);

	n = 0;
	b[n++] = cs_move48(0, j.data_va);
	b[n++] = cs_load_multiple(2, 0, 0x1, 0);
	b[n++] = cs_move48(4, j.data_va + 4);
	b[n++] = cs_store_multiple(2, 4, 0x1, 0);
	qs[1] = (struct drm_panthor_queue_submit){
		.queue_index = 1, .stream_addr = j.cmd_va + JOB_SIZE, .stream_size = n * 8,
	};
	b_ops[0] = timeline(DRM_PANTHOR_SYNC_OP_WAIT, s, 1);
	b_ops[1] = timeline(DRM_PANTHOR_SYNC_OP_WAIT, s, 1);
	b_ops[2] = binary_signal(ob);
	qs[1].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(3, b_ops);

	n = 0;
	c[n++] = cs_move48(4, j.data_va + 8);
	c[n++] = cs_move32(6, 3);
	c[n++] = cs_store_multiple(6, 4, 0x1, 0);
	qs[2] = (struct drm_panthor_queue_submit){
		.queue_index = 0, .stream_addr = j.cmd_va + 2 * JOB_SIZE, .stream_size = n * 8,
	};
	c_ops[0] = timeline(DRM_PANTHOR_SYNC_OP_WAIT, s, 1);
	c_ops[1] = binary_signal(oc);
	qs[2].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, c_ops);

	__sync_synchronize();
	gs = (struct drm_panthor_group_submit){
		.group_handle = gc.group_handle, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(3, qs),
	};
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);

	CHECK(!syncobj_wait(fd, ob, 30000), "B's fence did not signal");
	CHECK(!syncobj_wait(fd, oc, 30000), "C's fence did not signal");
	__sync_synchronize();
	printf("data: %u %u %u\n", j.data[0], j.data[1], j.data[2]);
	CHECK(j.data[0] == 1, "A did not store 1 (data[0] is %u)", j.data[0]);
	CHECK(j.data[1] == 1,
	      "B copied %u: it did not wait for A, whose done fence it waits on through a point A signals in the same ioctl",
	      j.data[1]);
	CHECK(j.data[2] == 3, "C did not store 3 (data[2] is %u)", j.data[2]);
	r = group_state(fd, gc.group_handle, NULL);
	CHECK(!r, "the group's state is 0x%x", r);

	group_destroy(fd, gc.group_handle);
	drmSyncobjDestroy(fd, s);
	drmSyncobjDestroy(fd, ob);
	drmSyncobjDestroy(fd, oc);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
