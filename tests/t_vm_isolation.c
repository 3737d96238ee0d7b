// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_isolation: two VMs map different BOs at the same GPU VA; a job in
 * each writes its own value there and each BO gets only its own VM's
 * value. A job in the second VM that writes to a VA mapped only in the
 * first VM faults (its group is reported faulty) and leaves the first
 * VM's BO untouched: its group reports exactly a fatal fault, and its VM
 * is unusable (forseti; panthor 7.3 keeps it usable). VM A's
 * group and VM are unaffected: its next job stores a new value, which
 * must land, with the group still healthy.
 */
#include "common.h"

#define ONLY_VA 0x30000000ull

int main(void)
{
	int fd = open_render();
	struct job_ctx a, b;
	uint32_t sa, sb, only, st;
	uint32_t *only_map;
	int r;

	job_init(&a, fd);
	job_init(&b, fd);
	only = bo_create(fd, 0x1000, 0, 0);
	only_map = bo_mmap(fd, only, 0x1000);
	only_map[0] = 0x5a5a5a5a;
	vm_map(fd, a.vm, only, ONLY_VA, 0x1000, 0);

	job_emit(&a, cs_move48(0, a.data_va));
	job_emit(&a, cs_move32(2, 0xaaaa));
	job_emit(&a, cs_store_multiple(2, 0, 0x1, 0));
	job_emit(&b, cs_move48(0, b.data_va));
	job_emit(&b, cs_move32(2, 0xbbbb));
	job_emit(&b, cs_store_multiple(2, 0, 0x1, 0));
	sa = job_submit(&a, 0);
	sb = job_submit(&b, 0);
	CHECK(!syncobj_wait(fd, sa, 10000) && !syncobj_wait(fd, sb, 10000),
	      "jobs did not complete");
	printf("VM A sees %x, VM B sees %x\n", a.data[0], b.data[0]);
	CHECK(a.data[0] == 0xaaaa && b.data[0] == 0xbbbb, "VMs not isolated: %x %x",
	      a.data[0], b.data[0]);

	/* VM B writes where only VM A has memory. */
	job_reset(&b);
	job_emit(&b, cs_move48(0, ONLY_VA));
	job_emit(&b, cs_move32(2, 0xbad));
	job_emit(&b, cs_store_multiple(2, 0, 0x1, 0));
	sb = job_submit(&b, 0);
	r = syncobj_wait(fd, sb, 15000);
	CHECK(!r, "faulting job's fence never signalled (%d)", r);
	st = group_state(fd, b.group, NULL);
	printf("group state after the fault: 0x%x, A's BO 0x%x\n", st, only_map[0]);
	CHECK(only_map[0] == 0x5a5a5a5a, "VM B wrote into VM A's memory");
	CHECK(st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      "faulting group's state 0x%x, want exactly FATAL_FAULT", st);
	{
		/* forseti declares the faulting VM unusable; panthor keeps it. */
		struct drm_panthor_vm_get_state vs = { .vm_id = b.vm };
		uint32_t want = is_forseti(fd) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
						 DRM_PANTHOR_VM_STATE_USABLE;

		CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs);
		CHECK(vs.state == want, "VM B's state %u after its fault, want %u", vs.state, want);
	}

	/* VM A is unaffected and still runs jobs: a new value must land. */
	a.data[0] = 0;
	job_reset(&a);
	job_emit(&a, cs_move48(0, a.data_va));
	job_emit(&a, cs_move32(2, 0xaaab));
	job_emit(&a, cs_store_multiple(2, 0, 0x1, 0));
	sa = job_submit(&a, 0);
	CHECK(!syncobj_wait(fd, sa, 10000), "VM A's job did not complete after VM B's fault");
	st = group_state(fd, a.group, NULL);
	CHECK(a.data[0] == 0xaaab && !st,
	      "VM A's job after VM B's fault stored 0x%x (group state 0x%x)", a.data[0], st);
	{
		struct drm_panthor_vm_get_state vs = { .vm_id = a.vm };

		CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs);
		CHECK(vs.state == DRM_PANTHOR_VM_STATE_USABLE, "VM A's state %u after B's fault",
		      vs.state);
	}
	printf("ok\n");
	return 0;
}
