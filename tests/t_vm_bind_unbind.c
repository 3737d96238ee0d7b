// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_bind_unbind: a new VM is reported usable; a BO is mapped, unmapped
 * and mapped again at the same VA; mapping part of a mapped range with
 * other flags (a remap) succeeds; unmapping a range with nothing in it
 * succeeds; the VM is still usable afterwards; once destroyed, its id is
 * unknown to VM_GET_STATE and VM_DESTROY (EINVAL).
 *
 * Where the driver runs jobs (panthor; forseti once its topic 5-jobqueue,
 * which brings GROUP_CREATE, has landed: SIMLANDED), the GPU reads every
 * page back, and must: after an unmap and a map of another BO at the same
 * VA it must see the new BO (a missing TLB flush leaves it reading the old
 * one); a remap of the middle of a mapping must leave both ends mapped to
 * the old BO and the middle to the new one; an unmap with no map after it,
 * of pages the GPU has just read (so its TLB holds them), must make a read
 * of them fault (a driver that flushes on map but not on unmap is caught
 * here only: a map after the unmap flushes anyway); and a 4 KiB unmap in a
 * 2 MiB mapping must leave every other page mapped and the page itself
 * faulting, with the job's fence signalled (on UML the 2 MiB mapping is
 * made of 4 KiB pages: without transparent huge pages shmem gives no 2 MiB
 * folio, so normally no driver maps a block there: a run of contiguous,
 * aligned pages could still be; tests/sim-model checks the split
 * of a block in the simulator). Before each such unmap the
 * simulator's TLB (debugfs mali_sim/tlb) must hold the page, in a set with
 * room for the read job's own pages, or the check says it is blind. A
 * read job the driver killed (timed out, or faulted where it should not)
 * is reported as such, never as data read. Before forseti's groups topic
 * has landed, GROUP_CREATE may only answer EOPNOTSUPP (not implemented
 * yet); the test then passes in part (exit 77) and says so. The
 * simulator's AS commands take a millisecond here (as_busy_us), and
 * complete only when the driver reads AS_STATUS (as_done_on_read), so that
 * a driver that does not wait for one to complete is caught: a read job
 * that starts on an address space whose UPDATE has not completed is
 * killed by a fault (and the simulator reports a protocol violation in
 * the kernel log), one that runs before a bind's UNLOCK has completed
 * reads translations that should be gone, and a command written while
 * another is in progress is dropped (a protocol violation too).
 */
#include <sys/mman.h>

#include "common.h"

#define VA	0x1000000ull	/* 16 pages */
#define BIG_VA	0x4000000ull	/* 2 MiB aligned */
#define SZ_2M	0x200000ull
#define HOLE	300		/* the page unmapped in the 2 MiB mapping */

#define HOLE_VA	(BIG_VA + HOLE * 0x1000ull)
#define UNMAP_VA (VA + 5 * 0x1000ull)	/* the page read after the unmap of VA */

/*
 * A check of an unmapped page catches a missing flush only while the
 * GPU's TLB still holds the page when it is read again: in the simulator,
 * SIM_TLB_WAYS translations per set (common.h), the least recently used
 * replaced. So the pages the read jobs touch between the page's last read
 * and its read after the unmap must not fill its set: every page of
 * pages[] and the jobs' command and data pages sit in other sets (checked
 * in gpu_checks()), and the driver's own pages (ring buffer, sync object,
 * at VAs it chooses) are checked at run time: tlb_precondition() reads
 * mali_sim/tlb just before the unmap, after a job that touched them all.
 */

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
	int r = job_read_pages(j, va, n);

	CHECK(!r, "%s: the GPU's read job did not complete: %s", what, job_read_why(j, r));
	for (i = 0; i < n; i++)
		CHECK(j->data[i] == want[i], "%s: the GPU reads 0x%x at page %u, want 0x%x",
		      what, j->data[i], i, want[i]);
	printf("%s: the GPU reads what it should\n", what);
}

/*
 * Can the driver run jobs: does GROUP_CREATE work? panthor must, and so
 * must forseti once GROUPS_TOPIC has landed; before that forseti may only
 * answer EOPNOTSUPP (the ioctl is not implemented yet).
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
	bool landed = topic_landed(GROUPS_TOPIC);	/* on panthor too: the name must exist */
	bool must = !is_forseti(fd) || landed;
	int r;

	gc.vm_id = vm_create(fd);
	r = group_create_ret(fd, &gc, &q, 1);
	if (!r)
		group_destroy(fd, gc.group_handle);
	vm_destroy(fd, gc.vm_id);
	CHECK(!r || !must, "GROUP_CREATE failed: %s (the GPU read-back is mandatory%s)",
	      strerror(-r), is_forseti(fd) ? ": forseti's " GROUPS_TOPIC " has landed" : "");
	CHECK(!r || r == -EOPNOTSUPP,
	      "GROUP_CREATE failed: %s; before " GROUPS_TOPIC " has landed only %s (not implemented yet) is allowed",
	      strerror(-r), strerror(EOPNOTSUPP));
	if (r)
		printf("GROUP_CREATE answers %s (errno %d): forseti's " GROUPS_TOPIC " has not landed\n",
		       strerror(-r), -r);
	else if (!must)
		printf("GROUP_CREATE works before " GROUPS_TOPIC " has landed: the read-back runs\n");
	return !r;
}

/*
 * Page @va was just read by the GPU (its TLB may hold it) and has been
 * unmapped: a read of it must fault, and the read job's fence signal.
 */
static void gpu_expect_fault(struct job_ctx *j, uint64_t va, const char *what)
{
	int r = job_read_pages(j, va, 1);

	CHECK(r != -ETIME,
	      "%s: the fence of the GPU's read of the unmapped page did not signal", what);
	CHECK(r == -EIO && (j->state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
	      "%s: the GPU read the unmapped page without a fault (read 0x%x, group state 0x%x): %s",
	      what, j->data[0], j->state, r ? job_read_why(j, r) : "no TLB flush on unmap?");
	printf("%s: a read of the unmapped page faults\n", what);
}

/*
 * Before @va is unmapped: the GPU's TLB holds it (the job just run read
 * it), in a set that the job's own pages, all touched by that job, did not
 * fill, so that the read after the unmap still finds it cached unless the
 * driver flushed it, as long as at most one page that this job did not
 * touch enters its set meanwhile (a full set has no room for even that
 * one). Else the check after the unmap is blind: say so.
 */
static void tlb_precondition(uint64_t va, const char *what)
{
	unsigned int in_set;

	CHECK(sim_tlb_holds(va, &in_set),
	      "%s: the check is blind: the GPU's TLB does not hold page 0x%llx before its unmap (mali_sim/tlb)",
	      what, (unsigned long long)va);
	CHECK(in_set < SIM_TLB_WAYS,
	      "%s: the check is blind: page 0x%llx's TLB set %u is full (%u of %u ways) before its unmap: the read job's own pages may evict it",
	      what, (unsigned long long)va, (unsigned int)SIM_TLB_SET(va), in_set, SIM_TLB_WAYS);
	printf("%s: the GPU's TLB holds page 0x%llx before its unmap (set %u: %u of %u ways)\n",
	       what, (unsigned long long)va, (unsigned int)SIM_TLB_SET(va), in_set, SIM_TLB_WAYS);
}

static void gpu_checks(int fd)
{
	uint32_t a = tagged_bo(fd, 0x10000, 0xa000), b = tagged_bo(fd, 0x10000, 0xb000);
	uint32_t big = tagged_bo(fd, SZ_2M, 0xc0000);
	static const unsigned int pages[] = { 0, 1, HOLE - 1, HOLE, HOLE + 1, 511 };
	uint32_t want[16];
	struct job_ctx j, h;
	char ctl[256], pm0[32];
	unsigned int i;
	int r;

	/* The pages each check reads after its unmap leave its TLB set alone. */
	for (i = 0; i < 6; i++)
		CHECK(pages[i] == HOLE ||
		      SIM_TLB_SET(BIG_VA + pages[i] * 0x1000ull) != SIM_TLB_SET(HOLE_VA),
		      "page %u shares the hole's TLB set %u: move HOLE", pages[i],
		      (unsigned int)SIM_TLB_SET(HOLE_VA));
	CHECK(SIM_TLB_SET(CMD_VA) != SIM_TLB_SET(HOLE_VA) &&
	      SIM_TLB_SET(DATA_VA) != SIM_TLB_SET(HOLE_VA) &&
	      SIM_TLB_SET(CMD_VA) != SIM_TLB_SET(UNMAP_VA) &&
	      SIM_TLB_SET(DATA_VA) != SIM_TLB_SET(UNMAP_VA),
	      "the read job's command or data page shares the TLB set of a page read after its unmap");

	knob_set("as_busy_us", "1000");
	/*
	 * A runtime suspend resets the GPU and empties its TLB: with panthor's
	 * 50 ms autosuspend, a loaded machine's gaps between the read jobs are
	 * enough, and the unmap checks would see a fault whether or not the
	 * driver flushed (tlb_precondition() caught it). Keep the GPU powered
	 * until the checks are done, then give the setting back (guest-init
	 * gives it back before the next test, should this one stop on the
	 * way, and fails a test that passes without giving it back).
	 */
	snprintf(ctl, sizeof(ctl), "%s/power/control", gpu_sysfs());
	CHECK(!read_file(ctl, pm0, sizeof(pm0)), "cannot read %s", ctl);
	CHECK(!write_file(ctl, "on"), "cannot keep the GPU powered: %s", ctl);
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

	/* An unmap with nothing mapped after it: the pages just read fault. */
	tlb_precondition(UNMAP_VA, "VA unmapped, nothing mapped after");
	vm_unmap(fd, j.vm, VA, 0x10000);
	gpu_expect_fault(&j, UNMAP_VA, "VA unmapped, nothing mapped after");

	/*
	 * A 4 KiB hole in a 2 MiB mapping, in a VM of its own (a VM that
	 * faulted is flushed when it is used again): every other page stays
	 * mapped, and the hole, read just before and still in the GPU's TLB
	 * (tlb_precondition()), faults.
	 */
	job_init(&h, fd);
	vm_map(fd, h.vm, big, BIG_VA, SZ_2M, 0);
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < 6; i++) {
			if (pass && pages[i] == HOLE)
				continue;
			r = job_read_pages(&h, BIG_VA + pages[i] * 0x1000ull, 1);
			CHECK(!r, "2 MiB mapping%s: the read of page %u did not complete: %s",
			      pass ? " with a hole" : "", pages[i], job_read_why(&h, r));
			CHECK(h.data[0] == 0xc0000 + pages[i],
			      "2 MiB mapping%s: the GPU reads 0x%x at page %u, want 0x%x",
			      pass ? " with a hole" : "", h.data[0], pages[i], 0xc0000 + pages[i]);
		}
		if (!pass) {
			tlb_precondition(HOLE_VA, "the 4 KiB hole in 2 MiB");
			vm_unmap(fd, h.vm, HOLE_VA, 0x1000);
		}
	}
	printf("2 MiB mapping with a 4 KiB hole: the pages around it stay mapped\n");
	gpu_expect_fault(&h, HOLE_VA, "the 4 KiB hole in 2 MiB");

	vm_unmap(fd, h.vm, BIG_VA, SZ_2M);
	job_fini(&h);
	bo_close(fd, a);
	bo_close(fd, b);
	bo_close(fd, big);
	job_fini(&j);
	CHECK(!write_file(ctl, pm0), "cannot give %s back its value %s", ctl, pm0);
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

	if (!runs_jobs(fd))
		PARTIAL("GPU read-back not run: GROUP_CREATE answers EOPNOTSUPP before " GROUPS_TOPIC " has landed");
	gpu_checks(fd);
	printf("ok\n");
	return 0;
}
