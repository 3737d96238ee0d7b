// SPDX-License-Identifier: GPL-2.0-only
/*
 * tiler_heap_teardown: tiler heaps torn down while in use.
 * 1. A heap destroyed while a job of its group is queued to use it (the
 *    stream waits on a gate another group opens after the destroy): the destroy
 *    succeeds, the job ends in bounded time, having completed or faulted
 *    (a freed chunk is unmapped: the group gets a fatal fault), and a new
 *    group runs: on the same VM, or, where the fault made the VM unusable
 *    (forseti: any GPU fault does), on a new one.
 * 2. Files closed with heaps live (several heaps of initial chunks, one
 *    grown by TILER_OOM, neither heaps, groups nor VM destroyed), three
 *    times: the heaps' memory is given back (the guest's Shmem returns to
 *    where it was, within 4 MiB of the 21 MiB the rounds used) and
 *    kmemleak (the harness's scan) finds nothing.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "heap.h"

#define GATE_OFF	0x100
#define ROUNDS		3
#define HEAPS		4
#define CHUNK		(512u * 1024)

static long shmem_kb(void)
{
	char buf[8192], *p;

	CHECK(!read_file("/proc/meminfo", buf, sizeof(buf)), "cannot read /proc/meminfo");
	p = strstr(buf, "\nShmem:");
	CHECK(p, "no Shmem line in /proc/meminfo");
	return strtol(p + 7, NULL, 10);
}

static void destroy_while_queued(int fd)
{
	struct drm_panthor_tiler_heap_create h = {};
	struct drm_panthor_vm_get_state vs = {};
	struct job_ctx j, k;
	uint32_t out, fq = 0, g2, s2;
	uint64_t *b;
	int r;

	job_init(&j, fd);
	heap_create_or_partial(fd, j.vm, 128u * 1024, 1, 8, 1, &h);
	j.data[GATE_OFF / 4] = 0;
	j.data[DONE_OFF / 4] = 0;
	job_emit(&j, cs_move48(20, j.data_va + GATE_OFF));
	job_emit(&j, cs_move32(22, 0));
	job_emit(&j, cs_sync_wait32(20, 22, true));
	emit_pass(&j, &h, 3, 0xd00e);
	out = job_submit(&j, 0);
	msleep(200);
	CHECK(syncobj_wait(fd, out, 0) == -ETIME, "the job did not wait for its gate");

	/* The gate's group first: its memory must not reuse the heap's VAs. */
	g2 = group_create(fd, j.vm);
	r = heap_destroy_ret(fd, h.handle);
	printf("destroy of the heap while its job is queued: %s\n", r ? strerror(-r) : "success");
	CHECK(!r, "destroy while in use failed: %s", strerror(-r));
	/* Open the gate from another group (a SYNC_SET wakes the waiter). */
	b = j.cmd + 0x1000 / 8;
	b[0] = cs_move48(0, j.data_va + GATE_OFF);
	b[1] = cs_move32(2, 1);
	b[2] = cs_sync_set32(0, 2);
	s2 = syncobj_create(fd);
	r = submit(fd, g2, j.cmd_va + 0x1000, 3 * 8, 0, s2);
	CHECK(!r, "the gate's submit failed: %s", strerror(-r));
	CHECK(!syncobj_wait(fd, s2, 10000), "the gate's job did not complete");
	drmSyncobjDestroy(fd, s2);
	group_destroy(fd, g2);

	CHECK(!syncobj_wait(fd, out, 10000), "the job did not end within 10 s of the destroy");
	j.state = group_state(fd, j.group, &fq);
	printf("job ended: mark 0x%x, group state 0x%x, fatal queues 0x%x\n",
	       j.data[DONE_OFF / 4], j.state, fq);
	CHECK(j.data[DONE_OFF / 4] == 0xd00e || (j.state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
	      "the job neither completed nor faulted (state 0x%x)", j.state);
	drmSyncobjDestroy(fd, out);

	/*
	 * The driver is still good for a new group: on the same VM, unless
	 * the fault made it unusable (forseti's rule for any GPU fault, which
	 * VM_GET_STATE reports; panthor keeps it usable), then on a new one.
	 */
	vs.vm_id = j.vm;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs);
	printf("VM state after the job: %u\n", vs.state);
	CHECK(vs.state == DRM_PANTHOR_VM_STATE_USABLE ||
	      (vs.state == DRM_PANTHOR_VM_STATE_UNUSABLE && is_forseti(fd) &&
	       (j.state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT)),
	      "VM state %u after the job (group state 0x%x)", vs.state, j.state);
	if (vs.state == DRM_PANTHOR_VM_STATE_USABLE) {
		k = j;
		k.group = group_create(fd, j.vm);
		job_reset(&k);
		job_check_healthy(&k, "a new group after the destroy");
		group_destroy(fd, k.group);
	} else {
		job_init(&k, fd);
		job_check_healthy(&k, "a new VM and group after the destroy");
		job_fini(&k);
	}
	job_fini(&j);
}

static long close_with_heaps(void)
{
	long live;
	int fd = open_render();
	struct drm_panthor_tiler_heap_create h[HEAPS] = {};
	struct job_ctx j;
	int i;

	job_init(&j, fd);
	for (i = 0; i < HEAPS; i++)
		heap_create_or_partial(fd, j.vm, CHUNK, 3, 8, 1, &h[i]);
	/* Grow one by two chunks through TILER_OOM. */
	job_reset(&j);
	emit_pass(&j, &h[0], 5, 0xc105e);
	job_run(&j, "growing pass");
	CHECK(!j.state && j.data[DONE_OFF / 4] == 0xc105e, "the growing pass failed (state 0x%x)",
	      j.state);
	live = shmem_kb();
	munmap(j.cmd, BUF_SIZE);
	munmap(j.data, BUF_SIZE);
	close(fd);
	return live;
}

int main(void)
{
	int fd = open_render();
	long before, after = 0;
	int i;

	destroy_while_queued(fd);

	before = shmem_kb();
	for (i = 0; i < ROUNDS; i++) {
		long live = close_with_heaps();

		printf("round %d: Shmem %ld kB with the heaps, %ld kB after the close (before: %ld kB)\n",
		       i, live, shmem_kb(), before);
		/* 4 heaps of 3 chunks, one grown by 2: 7 MiB */
		CHECK(live - before >= 6 * 1024, "the live heaps are not counted in Shmem (%ld kB more): nothing to measure",
		      live - before);
	}
	for (i = 0; i < 40; i++) {
		after = shmem_kb();
		if (after - before < 4096)
			break;
		msleep(100);
	}
	printf("Shmem after closing: %ld kB (before: %ld kB)\n", after, before);
	CHECK(after - before < 4096, "%ld kB of Shmem not given back after closing files with live heaps",
	      after - before);

	/* The driver still works. */
	{
		struct job_ctx j;

		job_init(&j, fd);
		job_check_healthy(&j, "after the closes");
		job_fini(&j);
	}
	printf("ok\n");
	return 0;
}
