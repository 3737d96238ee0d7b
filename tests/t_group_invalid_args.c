// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_invalid_args: the group, submit, tiler-heap and user-MMIO ioctls
 * reject bad arguments with the documented errno: GROUP_CREATE (no
 * queues, more queues than CS slots, a bad ring size, an unknown priority,
 * core masks outside the present cores, more cores than the mask has, an
 * unknown VM, non-zero pad: EINVAL), GROUP_DESTROY/GROUP_GET_STATE
 * (unknown handle, pad: EINVAL), GROUP_SUBMIT (unknown group, pad,
 * misaligned stream, size without address, unknown queue index: EINVAL),
 * TILER_HEAP_CREATE/DESTROY (unknown VM/handle: EINVAL),
 * SET_USER_MMIO_OFFSET (anything but the two documented offsets: EINVAL).
 */
#include "common.h"

static struct drm_panthor_group_create base_gc(int fd, uint32_t vm)
{
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);

	return (struct drm_panthor_group_create){
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_LOW,
		.compute_core_mask = gi.shader_present,
		.fragment_core_mask = gi.shader_present,
		.tiler_core_mask = gi.tiler_present,
		.vm_id = vm,
	};
}

static void create_expect(int fd, struct drm_panthor_group_create gc,
			  struct drm_panthor_queue_create *q, uint32_t nq, int err,
			  const char *what)
{
	int r = group_create_ret(fd, &gc, q, nq);

	CHECK(r == -err, "GROUP_CREATE with %s: got %s, want %s", what,
	      r ? strerror(-r) : "success", strerror(err));
}

static void submit_expect(int fd, uint32_t group, struct drm_panthor_queue_submit qs,
			  uint32_t pad, int err, const char *what)
{
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .pad = pad,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};
	int r = drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) ? errno : 0;

	CHECK(r == err, "GROUP_SUBMIT with %s: got %s, want %s", what,
	      r ? strerror(r) : "success", strerror(err));
}

int main(void)
{
	int fd = open_render();
	uint32_t vm = vm_create(fd), g;
	struct drm_panthor_queue_create q[9];
	struct drm_panthor_group_create gc;
	struct drm_panthor_group_destroy gd = { .group_handle = 0x77 };
	struct drm_panthor_group_get_state gst = { .group_handle = 0x77 };
	struct drm_panthor_tiler_heap_create thc = { .vm_id = 0x77, .initial_chunk_count = 1,
		.chunk_size = 0x40000, .max_chunks = 4, .target_in_flight = 1 };
	struct drm_panthor_tiler_heap_destroy thd = { .handle = 0x770001 };
	struct drm_panthor_set_user_mmio_offset mo = { .offset = 0x1000 };
	int i;

	for (i = 0; i < 9; i++)
		q[i] = (struct drm_panthor_queue_create){ .ringbuf_size = 0x1000 };

	create_expect(fd, base_gc(fd, vm), q, 0, EINVAL, "no queues");
	create_expect(fd, base_gc(fd, vm), q, 9, EINVAL, "9 queues");
	q[0].ringbuf_size = 0x1800;
	create_expect(fd, base_gc(fd, vm), q, 1, EINVAL, "a 6 KiB ring");
	q[0].ringbuf_size = 0x800;
	create_expect(fd, base_gc(fd, vm), q, 1, EINVAL, "a 2 KiB ring");
	q[0].ringbuf_size = 0x1000;
	gc = base_gc(fd, vm);
	gc.priority = 9;
	create_expect(fd, gc, q, 1, EINVAL, "priority 9");
	gc = base_gc(fd, vm);
	gc.compute_core_mask |= 1ull << 40;
	create_expect(fd, gc, q, 1, EINVAL, "a core that is not present");
	gc = base_gc(fd, vm);
	gc.max_fragment_cores = 64;
	create_expect(fd, gc, q, 1, EINVAL, "more cores than the mask");
	gc = base_gc(fd, vm);
	gc.vm_id = 0x77;
	create_expect(fd, gc, q, 1, EINVAL, "an unknown VM");
	gc = base_gc(fd, vm);
	gc.pad = 1;
	create_expect(fd, gc, q, 1, EINVAL, "non-zero pad");

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gst, EINVAL);

	g = group_create(fd, vm);
	gd = (struct drm_panthor_group_destroy){ .group_handle = g, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd, EINVAL);
	gst = (struct drm_panthor_group_get_state){ .group_handle = g, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gst, EINVAL);

	submit_expect(fd, 0x77, (struct drm_panthor_queue_submit){ 0 }, 0, EINVAL,
		      "an unknown group");
	submit_expect(fd, g, (struct drm_panthor_queue_submit){ 0 }, 1, EINVAL, "pad");
	submit_expect(fd, g, (struct drm_panthor_queue_submit){
		      .stream_addr = 0x10000020, .stream_size = 8 }, 0, EINVAL,
		      "a stream not 64-byte aligned");
	submit_expect(fd, g, (struct drm_panthor_queue_submit){
		      .stream_addr = 0x10000000, .stream_size = 12 }, 0, EINVAL,
		      "a size not a multiple of 8");
	submit_expect(fd, g, (struct drm_panthor_queue_submit){ .stream_size = 8 }, 0,
		      EINVAL, "a size without an address");
	submit_expect(fd, g, (struct drm_panthor_queue_submit){ .queue_index = 3 }, 0,
		      EINVAL, "an unknown queue");
	/* A sync-only submission (no stream) is valid. */
	submit_expect(fd, g, (struct drm_panthor_queue_submit){ 0 }, 0, 0, "no stream");

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &thc, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &thd, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &mo, EINVAL);

	group_destroy(fd, g);
	vm_destroy(fd, vm);
	printf("ok\n");
	return 0;
}
