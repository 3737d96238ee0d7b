// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_fault_readonly: the GPU cannot write through a read-only mapping
 * (VM_BIND with DRM_PANTHOR_VM_BIND_OP_MAP_READONLY), nor where nothing is
 * mapped. A job reads the read-only page (which must work: it copies the
 * word it finds), then stores to it: its group's state is exactly
 * FATAL_FAULT with its queue in fatal_queues, its fence signals, and the
 * read-only BO's contents are unchanged (seen from the CPU). A job on a
 * second group and VM stores outside any mapping: the same. A third group
 * on a third VM runs a job before and after both faults, and keeps working.
 */
#include <sys/mman.h>

#include "common.h"

#define RO_VA		0x30000000ull
#define HOLE_VA		0x50000000ull
#define RO_SIZE		0x1000
#define PATTERN		0x5eed0000u

static void expect_fault(int fd, struct job_ctx *j, const char *what)
{
	uint32_t s = job_submit(j, 0), fq = 0, st;
	int r;

	r = syncobj_wait(fd, s, 15000);
	CHECK(!r, "%s: the faulting job's fence did not signal (%d)", what, r);
	st = group_state(fd, j->group, &fq);
	printf("%s: group state 0x%x, fatal queues 0x%x\n", what, st, fq);
	CHECK(st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      "%s: the group's state is 0x%x, want exactly FATAL_FAULT", what, st);
	CHECK(fq == 1, "%s: fatal_queues 0x%x, want 0x1", what, fq);
	drmSyncobjDestroy(fd, s);
}

int main(void)
{
	long start = now_ms();
	int fd = open_render();
	struct job_ctx a, b, c;
	uint32_t ro, *ro_map, i;

	job_init(&c, fd);
	job_check_healthy(&c, "the healthy group, before the faults");

	/* A read-only page, filled by the CPU. */
	job_init(&a, fd);
	ro = bo_create(fd, RO_SIZE, 0, 0);
	ro_map = bo_mmap(fd, ro, RO_SIZE);
	for (i = 0; i < RO_SIZE / 4; i++)
		ro_map[i] = PATTERN + i;
	vm_map(fd, a.vm, ro, RO_VA, RO_SIZE, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);

	/* data[0] = ro[1] (a read must work); then ro[1] = 0xbad, and ro[0] = 0xbad. */
	job_emit(&a, cs_move48(0, RO_VA));
	job_emit(&a, cs_load_multiple(2, 0, 0x1, 4));
	job_emit(&a, cs_move48(4, a.data_va));
	job_emit(&a, cs_store_multiple(2, 4, 0x1, 0));
	job_emit(&a, cs_move32(6, 0xbad));
	job_emit(&a, cs_store_multiple(6, 0, 0x1, 4));
	job_emit(&a, cs_store_multiple(6, 0, 0x1, 0));
	expect_fault(fd, &a, "store to a read-only mapping");
	printf("read through the read-only mapping: 0x%x; the BO holds 0x%x 0x%x\n", a.data[0],
	       ro_map[0], ro_map[1]);
	CHECK(a.data[0] == PATTERN + 1, "a read through the read-only mapping gave 0x%x, want 0x%x",
	      a.data[0], PATTERN + 1);
	for (i = 0; i < RO_SIZE / 4; i++)
		CHECK(ro_map[i] == PATTERN + i,
		      "the read-only BO changed: word %u is 0x%x, want 0x%x", i, ro_map[i], PATTERN + i);

	/* A store where nothing is mapped, on another group and VM. */
	job_init(&b, fd);
	job_emit(&b, cs_move48(0, HOLE_VA));
	job_emit(&b, cs_move32(2, 0xbad));
	job_emit(&b, cs_store_multiple(2, 0, 0x1, 0));
	job_emit(&b, cs_move48(4, b.data_va));
	job_emit(&b, cs_store_multiple(2, 4, 0x1, 0));
	expect_fault(fd, &b, "store outside any mapping");
	CHECK(b.data[0] == 0, "the job went on past its faulting store: data 0x%x", b.data[0]);

	/* The other group and VM keep working. */
	job_reset(&c);
	c.data[0] = 0;
	job_check_healthy(&c, "the healthy group, after the faults");
	CHECK(!group_state(fd, c.group, NULL), "the healthy group's state changed");

	/* The faulted VMs are left to the file's release (forseti makes them unusable). */
	munmap(ro_map, RO_SIZE);
	job_fini(&c);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
