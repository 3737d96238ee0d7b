// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_bind_unbind: a new VM is reported usable; a BO is mapped, unmapped
 * and mapped again at the same VA; mapping part of a mapped range with
 * other flags (a remap) succeeds; unmapping a range with nothing in it
 * succeeds; the VM is still usable afterwards; once destroyed, its id is
 * unknown to VM_GET_STATE and VM_DESTROY (EINVAL).
 *
 * Where the driver runs jobs (GROUP_CREATE works: panthor; forseti from
 * its groups topic), the GPU reads every page back: after an unmap and a
 * map of another BO at the same VA it must see the new BO (a missing TLB
 * flush leaves it reading the old one), a remap of the middle of a mapping
 * must leave both ends mapped to the old BO and the middle to the new one,
 * a 4 KiB unmap in a 2 MiB mapping must leave every other page mapped, and
 * a read of the unmapped page must fault. The simulator's AS commands take
 * a millisecond here (as_busy_us), so that a driver that does not wait for
 * one to complete is caught (the command it writes next is dropped, and
 * the simulator reports a protocol violation in the kernel log).
 */
#include <sys/mman.h>

#include "common.h"

#define VA	0x1000000ull	/* 16 pages */
#define BIG_VA	0x4000000ull	/* 2 MiB aligned */
#define SZ_2M	0x200000ull

/* A BO of @size whose page i starts with @tag + i. */
static uint32_t tagged_bo(int fd, uint64_t size, uint32_t tag)
{
	uint32_t bo = bo_create(fd, size, 0, 0);
	uint32_t *p = bo_mmap(fd, bo, size);
	uint64_t i;

	for (i = 0; i < size / 0x1000; i++)
		p[i * 0x400] = tag + i;
	munmap(p, size);
	return bo;
}

/* The GPU reads pages [first, first + n) at @va: page i must hold want[i]. */
static void gpu_expect(struct job_ctx *j, uint64_t va, unsigned int n,
		       const uint32_t *want, const char *what)
{
	unsigned int i;

	CHECK(!job_read_pages(j, va, n), "%s: the GPU's read job did not complete", what);
	for (i = 0; i < n; i++)
		CHECK(j->data[i] == want[i], "%s: the GPU reads 0x%x at page %u, want 0x%x",
		      what, j->data[i], i, want[i]);
	printf("%s: the GPU reads what it should\n", what);
}

/*
 * Can the driver run jobs: does GROUP_CREATE work? panthor must; forseti
 * can from its groups topic on, and then the read-back runs on it too.
 */
static bool runs_jobs(int fd)
{
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	struct drm_panthor_group_create gc = {
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gi.shader_present,
		.fragment_core_mask = gi.shader_present,
		.tiler_core_mask = gi.tiler_present,
	};
	int r;

	gc.vm_id = vm_create(fd);
	r = group_create_ret(fd, &gc, &q, 1);
	if (!r)
		group_destroy(fd, gc.group_handle);
	vm_destroy(fd, gc.vm_id);
	CHECK(!r || is_forseti(fd), "GROUP_CREATE failed: %s", strerror(-r));
	return !r;
}

static void gpu_checks(int fd)
{
	uint32_t a = tagged_bo(fd, 0x10000, 0xa000), b = tagged_bo(fd, 0x10000, 0xb000);
	uint32_t big = tagged_bo(fd, SZ_2M, 0xc0000);
	uint32_t want[16], st;
	struct job_ctx j;
	unsigned int i;

	knob_set("as_busy_us", "1000");
	job_init(&j, fd);

	vm_map(fd, j.vm, a, VA, 0x10000, 0);
	for (i = 0; i < 16; i++)
		want[i] = 0xa000 + i;
	gpu_expect(&j, VA, 16, want, "BO A mapped");

	/* The same VA, another BO: what the GPU cached of A must be gone. */
	vm_unmap(fd, j.vm, VA, 0x10000);
	vm_map(fd, j.vm, b, VA, 0x10000, 0);
	for (i = 0; i < 16; i++)
		want[i] = 0xb000 + i;
	gpu_expect(&j, VA, 16, want, "BO B mapped where A was");

	/* A remap of the middle: pages 4-7 from A, the rest stays B. */
	vm_map(fd, j.vm, a, VA + 0x4000, 0x4000, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	for (i = 4; i < 8; i++)
		want[i] = 0xa000 + i - 4;
	gpu_expect(&j, VA, 16, want, "middle remapped");

	/* A 4 KiB hole in a 2 MiB mapping: every other page stays mapped. */
	{
		static const unsigned int pages[] = { 0, 1, 255, 257, 511 };
		uint32_t bw[5];

		vm_map(fd, j.vm, big, BIG_VA, SZ_2M, 0);
		vm_unmap(fd, j.vm, BIG_VA + 256 * 0x1000ull, 0x1000);
		for (i = 0; i < 5; i++) {
			CHECK(!job_read_pages(&j, BIG_VA + pages[i] * 0x1000ull, 1),
			      "2 MiB split: the read of page %u did not complete", pages[i]);
			bw[i] = j.data[0];
			CHECK(bw[i] == 0xc0000 + pages[i],
			      "2 MiB split: the GPU reads 0x%x at page %u, want 0x%x",
			      bw[i], pages[i], 0xc0000 + pages[i]);
		}
		printf("2 MiB mapping with a 4 KiB hole: the pages around it stay mapped\n");
	}

	/* The hole itself faults. */
	job_read_pages(&j, BIG_VA + 256 * 0x1000ull, 1);
	st = group_state(fd, j.group, NULL);
	CHECK(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      "a read of the unmapped page did not fault (group state 0x%x, read 0x%x)",
	      st, j.data[0]);
	printf("a read of the unmapped page faults\n");

	vm_unmap(fd, j.vm, BIG_VA, SZ_2M);
	vm_unmap(fd, j.vm, VA, 0x10000);
	bo_close(fd, a);
	bo_close(fd, b);
	bo_close(fd, big);
	job_fini(&j);
}

int main(void)
{
	int fd = open_render();
	uint32_t vm = vm_create(fd);
	uint32_t bo = bo_create(fd, 0x10000, 0, 0);
	struct drm_panthor_vm_get_state st = { .vm_id = vm };
	struct drm_panthor_vm_destroy d = { .id = vm };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	CHECK(st.state == DRM_PANTHOR_VM_STATE_USABLE, "new VM state %u", st.state);

	vm_map(fd, vm, bo, 0x1000000, 0x10000, 0);
	vm_unmap(fd, vm, 0x1000000, 0x10000);
	vm_map(fd, vm, bo, 0x1000000, 0x10000, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	/* Remapping part of the range with other flags splits the mapping. */
	vm_map(fd, vm, bo, 0x1004000, 0x4000, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	vm_unmap(fd, vm, 0x1000000, 0x10000);
	/* Unmapping nothing is fine. */
	vm_unmap(fd, vm, 0x2000000, 0x1000);

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	CHECK(st.state == DRM_PANTHOR_VM_STATE_USABLE, "VM state %u after binds", st.state);

	bo_close(fd, bo);
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, EINVAL);

	if (runs_jobs(fd))
		gpu_checks(fd);
	else
		printf("GPU read-back: not run, forseti has no GROUP_CREATE before its groups topic\n");
	printf("ok\n");
	return 0;
}
