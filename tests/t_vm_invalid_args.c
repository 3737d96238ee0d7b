// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_invalid_args: the VM ioctls reject bad arguments with EINVAL:
 * VM_CREATE (unknown flags, a user VA range beyond the GPU's), VM_DESTROY
 * (non-zero pad, unknown id), VM_GET_STATE (unknown id), VM_BIND (unknown
 * VM, unaligned VA or size, a range beyond the user VA range, unknown BO,
 * another file's BO handle, a range larger than the BO or past its end
 * from an offset, a range that wraps around, a BO handle in an unmap,
 * unknown map flags, an unknown operation type, sync operations on a
 * synchronous bind). A bind stops at its first bad operation, with
 * ops.count saying how many went through. forseti also refuses
 * asynchronous binds (EOPNOTSUPP) until its JobQueue topic, and unknown
 * bind flags (EINVAL). Sparse binds are vm_sparse's.
 *
 * None of the refused binds may leave a mapping behind. They all name a
 * 32 MiB BO that nothing else maps; mapping any part of a BO pins all its
 * pages, and closing its handle frees them only when no mapping holds it:
 * so Shmem must be back where it was once the handle is closed.
 */
#include <unistd.h>

#include "common.h"

#define BIG	(32ull << 20)

static long shmem_kb(void)
{
	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
	msleep(100);
	return meminfo_kb("Shmem:");
}

static void bind_expect(int fd, uint32_t vm, struct drm_panthor_vm_bind_op op, int err,
			const char *what)
{
	struct drm_panthor_vm_bind b = { .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	int r = drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? errno : 0;

	CHECK(r == err, "VM_BIND with %s: got %s, want %s", what,
	      r ? strerror(r) : "success", strerror(err));
}

/* A bind stops at its first bad operation and says how far it got. */
static void check_partial_bind(int fd, uint32_t vm, uint32_t bo)
{
	const uint32_t map = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	struct drm_panthor_vm_bind_op ops[3] = {
		{ .flags = map, .bo_handle = bo, .va = 0x200000, .size = 0x4000 },
		{ .flags = map, .bo_handle = bo, .va = 0x300800, .size = 0x4000 },
		{ .flags = map, .bo_handle = bo, .va = 0x400000, .size = 0x4000 },
	};
	struct drm_panthor_vm_bind b = { .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(3, ops) };

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b, EINVAL);
	CHECK(b.ops.count == 1, "a bind failing at its second operation reports ops.count %u",
	      b.ops.count);
	vm_unmap(fd, vm, 0x200000, 0x4000);
}

/*
 * forseti has no VM_BIND queue before its JobQueue topic: asynchronous
 * binds are refused with EOPNOTSUPP until then, and run after (see
 * vm_bind_async). panthor runs them; that is only noted.
 */
static void check_async(int fd, uint32_t vm, uint32_t bo)
{
	bool forseti = is_forseti(fd);
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = bo,
		.va = 0x500000, .size = 0x4000,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	if (!forseti) {
		printf("asynchronous binds: not checked on panthor, which runs them\n");
		return;
	}
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b)) {
		CHECK(errno == EOPNOTSUPP, "asynchronous bind: %s, not EOPNOTSUPP",
		      strerror(errno));
	} else {
		/* A synchronous unbind applies after the queued bind. */
		printf("asynchronous binds run\n");
		vm_unmap(fd, vm, 0x500000, 0x4000);
	}
	b.flags = 1u << 5;
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b, EINVAL);
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_vm_create c = { .flags = 1 };
	struct drm_panthor_vm_destroy d = { .id = 99 };
	struct drm_panthor_vm_get_state st = { .vm_id = 99 };
	struct drm_panthor_sync_op so = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	uint32_t vm, bo, other, small;
	long shmem0, shmem1;
	int other_fd;
	const uint32_t map = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c, EINVAL);
	c = (struct drm_panthor_vm_create){ .user_va_range = 1ull << 60 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st, EINVAL);

	/* VM_CREATE returns the user VA range it actually gave the VM. */
	c = (struct drm_panthor_vm_create){ .user_va_range = USER_VA_RANGE };
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c);
	vm = c.id;
	CHECK(c.user_va_range >= USER_VA_RANGE, "user VA range shrank to 0x%llx",
	      (unsigned long long)c.user_va_range);
	shmem0 = shmem_kb();
	bo = bo_create(fd, BIG, 0, 0);
	d = (struct drm_panthor_vm_destroy){ .id = vm, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, EINVAL);

	bind_expect(fd, 99, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = 0x100000, .size = 0x4000 }, EINVAL,
		    "an unknown VM");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = 0x100800, .size = 0x4000 }, EINVAL,
		    "an unaligned VA");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = 0x100000, .size = 0x3800 }, EINVAL,
		    "an unaligned size");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = c.user_va_range - 0x2000, .size = 0x4000 }, EINVAL,
		    "a range past the user VA range");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = 0x7777, .va = 0x100000, .size = 0x4000 }, EINVAL,
		    "an unknown BO");
	/* Handles are per file: another file's handle names nothing here. */
	other_fd = open_render();
	bo_create(other_fd, 0x4000, 0, 0);
	other = bo_create(other_fd, 0x4000, 0, 0);
	CHECK(other != bo, "the second file's second BO has this file's handle %u", bo);
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = other, .va = 0x100000, .size = 0x4000 }, EINVAL,
		    "another file's BO handle");
	close(other_fd);
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = 0x100000, .size = BIG + 0x4000 }, EINVAL,
		    "a range larger than the BO");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .bo_offset = 0x2000, .va = 0x100000, .size = BIG },
		    EINVAL, "a BO offset that leaves the range past the BO's end");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = ~0xfffull, .size = 0x4000 }, EINVAL,
		    "a range that wraps around");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){
		    .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .bo_handle = bo,
		    .va = 0x100000, .size = 0x4000 }, EINVAL, "a BO handle in an unmap");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map | (1u << 20),
		    .bo_handle = bo, .va = 0x100000, .size = 0x4000 }, EINVAL,
		    "an unknown map flag");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = 3u << 28,
		    .va = 0x100000, .size = 0x4000 }, EINVAL,
		    "an unknown operation type");
	bind_expect(fd, vm, (struct drm_panthor_vm_bind_op){ .flags = map,
		    .bo_handle = bo, .va = 0x100000, .size = 0x4000,
		    .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &so) }, EINVAL,
		    "sync operations on a synchronous bind");

	/* Nothing of the above may have left a mapping (and a pin) behind. */
	bo_close(fd, bo);
	shmem1 = shmem_kb();
	printf("Shmem %ld -> %ld kB after the refused binds and the BO's close\n",
	       shmem0, shmem1);
	CHECK(shmem1 - shmem0 < (long)(BIG >> 10) / 2,
	      "a refused bind left a mapping behind: the closed 32 MiB BO still holds %ld kB",
	      shmem1 - shmem0);

	small = bo_create(fd, 0x4000, 0, 0);
	check_partial_bind(fd, vm, small);
	check_async(fd, vm, small);
	bo_close(fd, small);
	vm_destroy(fd, vm);
	printf("ok\n");
	return 0;
}
