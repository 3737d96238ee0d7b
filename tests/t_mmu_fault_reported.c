// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_fault_reported: a GPU access to an unmapped VA faults: the group is
 * reported with exactly a fatal fault (not a timeout: the fault is
 * reported, not found by a watchdog), its fence signals, and a new group
 * on a new VM still runs. The simulator's mmu_fault knob makes a mapped
 * access fault the same way. The faulting VM's state is checked too:
 * forseti declares it unusable; panthor (7.3) keeps it usable (it only
 * notes an unhandled fault).
 */
#include "common.h"

static void expect_fault(int fd, struct job_ctx *j, const char *what)
{
	uint32_t s = job_submit(j, 0), st;
	struct drm_panthor_vm_get_state vs = { .vm_id = j->vm };
	uint32_t want_vm = is_forseti(fd) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
					    DRM_PANTHOR_VM_STATE_USABLE;

	CHECK(!syncobj_wait(fd, s, 15000), "%s: fence not signalled", what);
	st = group_state(fd, j->group, NULL);
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs);
	printf("%s: group state 0x%x, VM state %u\n", what, st, vs.state);
	CHECK(st == DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      "%s: group state 0x%x, want exactly FATAL_FAULT (0x%x)", what, st,
	      DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
	CHECK(vs.state == want_vm, "%s: VM state %u, want %u", what, vs.state, want_vm);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx a, b, c;

	job_init(&a, fd);
	job_emit(&a, cs_move48(0, 0x7000000ull));	/* nothing mapped there */
	job_emit(&a, cs_load_multiple(2, 0, 0x1, 0));
	expect_fault(fd, &a, "unmapped VA");

	job_init(&b, fd);
	job_emit(&b, cs_move48(0, b.data_va));
	job_emit(&b, cs_move32(2, 1));
	job_emit(&b, cs_store_multiple(2, 0, 0x1, 0));
	knob_set("mmu_fault", "1");
	expect_fault(fd, &b, "mmu_fault knob");
	knob_set("mmu_fault", "0");

	job_init(&c, fd);
	job_check_healthy(&c, "healthy job after the fault");
	job_fini(&c);
	printf("ok\n");
	return 0;
}
