#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# plant.sh: plant known defects in a throwaway copy of the base tree's
# panthor, to show that a simulator test fails on each (the tests are only
# worth what they can catch). Test equipment, never part of the series.
#
# Usage: tests/mutants/plant.sh SRC MUTANT...
#   SRC     a kernel worktree to spoil, e.g. the panthor lane's own
#           ($SIM_DIR/src); undo with: git -C SRC checkout drivers/gpu/drm/panthor
# Then run that lane with SIM_DIR and SIM_TESTS, e.g.
#   tests/mutants/plant.sh /work/x/src skip-unlock
#   SIM_DIR=/work/x SIM_TESTS=vm_bind_unbind scripts/sim-test.sh panthor
#
# Mutants, and the test each must fail:
#   skip-unlock       no AS UNLOCK after a page-table change: the simulator's
#                     TLB keeps the old translation (vm_bind_unbind)
#   no-wait           AS commands written without waiting for AS_ACTIVE
#                     (vm_bind_unbind, and kernel-log: mali_sim protocol
#                     violation)
#   no-wait-after     each AS command waits for the one before it, but not
#                     for itself: the simulator completes a command only
#                     when AS_STATUS is read, so the MCU boots on an address
#                     space whose UPDATE has not completed and the probe
#                     fails (driver-load; before that, a job started on such
#                     an address space, or read translations that a bind's
#                     last UNLOCK had not dropped yet: vm_bind_unbind), and
#                     kernel-log: mali_sim protocol violation, an access
#                     during an UPDATE that sets the address space up
#   bad-as-cmd        the unlock is written as an AS command the GPU does not
#                     know (vm_bind_unbind, and kernel-log: mali_sim protocol
#                     violation: unknown AS command)
#   unmap-no-flush    an unmap changes the page tables without the UNLOCK that
#                     flushes the GPU's TLB (a map still flushes):
#                     vm_bind_unbind's unmap with nothing mapped after it
#   remap-unmaps-all  a remap unmaps the kept parts too (vm_bind_unbind)
#   sync-after-map    a sync op on a synchronous bind is refused only after
#                     the mapping was made (vm_invalid_args)
#   vm-leak           a destroyed VM is never freed (vm_bind_cycles)
#   unmap-no-lock     an unmap that splits a mapping (a 4 KiB hole in 2 MiB)
#                     neither LOCKs nor UNLOCKs: nothing flushes the GPU's
#                     TLB, and no locked region stalls it (vm_bind_unbind's
#                     hole check; an unmap of whole mappings still flushes,
#                     so the checks before it pass)
#   pt-uncounted      the page-table cache has another name, so the page
#                     tables are counted nowhere (vm_bind_cycles must not
#                     pass that as "not counted" on panthor)
#   fault-unreported  a CS fault does not flag the group: it times out
#                     instead (mmu_fault_reported, vm_isolation)
#   no-rotation       busy groups are never rotated (group_slot_rotation)
#   close-keeps-vms   closing a file keeps its VMs (unbind_rebind,
#                     module_reload: kmemleak in kernel-log)
#   timeout-ignored   job timeouts are ignored (job_hang_timeout; not
#                     fw_hang_reset, whose reset ends the job anyway)
#   no-reset          a reset is never scheduled: a firmware hang is
#                     noticed but not recovered from (fw_hang_reset)
#   probe-fails       the module loads, its probe fails (driver-load)
#   pm-forbidden      the probe forbids runtime suspend (power/control "on"):
#                     runtime_suspend_resume, which guest-init no longer
#                     hides by writing "auto" before each test
#   timeline-no-point a job's signal of a timeline syncobj point replaces the
#                     syncobj's fence instead of adding the point: the chain
#                     of points is lost (job_timeline_syncobjs)
#   priority-ignored  every group is scheduled as LOW, whatever priority it
#                     was created with (group_priorities)
#   job-leak          a finished job's own allocation is never freed (its
#                     references are still dropped): job_submit_cycles'
#                     Slab check (kmemleak reports it too)
#   fence-leak        a finished job's done fence (a 64-byte dma_fence) is
#                     never put: the smallest per-job leak job_submit_cycles'
#                     Slab check must still see
#   destroy-no-tick   GROUP_DESTROY (and so a file's close) of a group on a
#                     CSG slot does not kick the scheduler: its jobs end only
#                     when something else ticks, here the running job's 5 s
#                     timeout (group_teardown_busy)
#   ro-writable       MAP_READONLY is ignored: a read-only mapping is
#                     writable (job_fault_readonly)
#   version-low       the driver reports uAPI 1.8 while it implements 1.9
#                     (uapi_version: a working feature hidden from Mesa)
#   sparse-refused    MAP_SPARSE, a 1.9 feature, is refused while the
#                     driver reports 1.9 (uapi_version)
#   batch-wait-lost   in a GROUP_SUBMIT of several queue submits, a wait on
#                     a point that an earlier one signals is dropped
#                     (job_submit_batch)
#   sparse-unmapped   a sparse MAP maps no page: GPU reads of the range
#                     fault (vm_sparse)
#   sparse-readonly   a sparse MAP drops write permission: GPU writes to the
#                     range fault (vm_sparse)
#   sparse-shared     one dummy object for every file: what one file's GPU
#                     writes to a sparse range, another file's reads
#                     (vm_sparse)
#   bo-over-sparse-dummy a BO mapped over part of a sparse range gets the
#                     dummy's pages, not its own (vm_sparse)
#   bo-unmap-restores unmapping a BO maps the dummy back where it was, once
#                     the file has a sparse mapping: no hole (vm_sparse)
#   sparse-hole-kept  a partial UNMAP of a sparse range maps the dummy back
#                     over the hole too (vm_sparse)
#   sparse-handle-ok  a sparse MAP with a BO handle or offset is accepted
#                     (vm_sparse)
#   bind-no-wait      an asynchronous MAP waits for none of its WAIT sync ops:
#                     it maps and signals while the job it waits on is held
#                     (vm_bind_async's wait-then-map)
#   unmap-no-wait     an asynchronous UNMAP waits for none of its WAIT sync
#                     ops: the range goes while the job using it is held
#                     (vm_bind_async's unmap-after-use)
#   sync-only-no-wait a SYNC_ONLY waits for none of its WAIT sync ops
#                     (vm_bind_async's sync-only)
#   bind-signal-early an asynchronous bind's done fence signals before its
#                     page tables are written (half a second later, from
#                     the job's cleanup): the job waiting on it reads
#                     nothing (vm_bind_async's wait-then-map)
#   bind-job-leak     a finished VM_BIND job is never freed (vm_bind_async's
#                     many binds: kmemleak in kernel-log)
#   bind-err-leak     an asynchronous VM_BIND job whose preparation fails
#                     (an allocation) is never freed (vm_bind_async's
#                     allocation failures: kmemleak in kernel-log)
#   sync-only-empty   a SYNC_ONLY without sync ops is accepted
#                     (vm_bind_async's bad input)
#   heap-same-chunk   a tiler heap grows by answering TILER_OOM with a chunk
#                     the heap already has (its oldest): the linkage loops
#                     and the pass asks no more (tiler_heap)
#   heap-oom-unacked  TILER_OOM is never acknowledged: the stream stays
#                     blocked until the job times out (tiler_heap)
#   heap-max-ignored  max_chunks is ignored: the heap grows past it instead
#                     of answering 0 (tiler_heap)
#   heap-no-size      the chunk answered to TILER_OOM lacks its size bits
#                     (tiler_heap: the stream faults; kernel-log: mali_sim
#                     protocol violation)
#   heap-initial-over-max  initial_chunk_count above max_chunks is accepted
#                     (tiler_heap_invalid_args)
#   heap-close-keeps  a file's close (its VM's heap pool destroyed) keeps the
#                     heaps and their chunks (tiler_heap_teardown: Shmem not
#                     given back; kmemleak too)
#   heap-unlinked     a tiler heap's initial chunks are not linked: every
#                     chunk header's next link stays 0 (heap_chunks)
#   mmio-offset-ignored SET_USER_MMIO_OFFSET succeeds but changes nothing:
#                     the LATEST_FLUSH page does not map at the 32-bit
#                     offset (user_mmio)
#   mmio-writable     the LATEST_FLUSH page may be mapped writable
#                     (user_mmio)
#   mmio-fork-copied  the LATEST_FLUSH mapping is copied into a fork()
#                     child (user_mmio)
#   counter-off       GLB_COUNTER_EN is not requested: the command streams'
#                     STORE_STATE of the cycle count stores 0 (glb_counter)
#   async-sparse-skipped an asynchronous sparse MAP signals without mapping
#                     anything: GPU reads of the range fault (vm_sparse)
#   stale-extract     a queue put on a CS slot (a group scheduled, or
#                     resumed after a suspend) starts from the ring's
#                     beginning, not from where the firmware left it: every
#                     job the ring holds runs again (job_runs_once)
#   devfreq-never-busy the scheduler's busy records count as idle: the
#                     governor reads no load and the clock never goes up
#                     (devfreq_transitions)
#   syncwait-keeps-awake  a group blocked on a GPU-side sync wait keeps the
#                     scheduler's runtime PM reference: the GPU never
#                     runtime-suspends while a job waits (pm_sync_wait_resume)
#   suspend-drops-waiter  a suspend forgets a group whose queues are
#                     blocked on a sync wait (on no list, off the waiting
#                     list): the setter's sync update never releases it,
#                     and its job times out (pm_sync_wait_resume)
#   sleep-drops-groups  a system suspend puts the groups it takes off their
#                     CSG slots on no list: after the resume nothing
#                     schedules them and their jobs never run
#                     (system_suspend_resume; runtime suspends keep them)
#   sleep-resume-error  the device's resume fails (-EIO) during a system
#                     resume (pm_runtime_force_resume): the PM core reports
#                     it (system_suspend_resume)
#   pwr-no-wait       powering a block off does not wait for its transition:
#                     a stalled power-off goes unnoticed (pm_pwr_stall)
#   pwr-stall-wedges  a runtime suspend whose L2 power-off stalled returns
#                     an error: runtime PM records it (runtime_error) and
#                     the GPU never resumes again (pm_pwr_stall)
#   submit-pm-leak    each GROUP_SUBMIT takes a runtime PM reference it
#                     never drops: the GPU never suspends again
#                     (runtime_pm_cycles)
#   resume-leak       each runtime resume leaks a 64-byte allocation
#                     (runtime_pm_cycles: kmemleak in kernel-log)
#   hang-kills-all    a job timeout marks every group on a CSG slot timed
#                     out, not only the hung job's: the innocent groups'
#                     jobs are cancelled (hang_one_of_four)
#   fault-blames-all  a CS fatal error is charged to the queue of that index
#                     in every group on a CSG slot, not only the faulty
#                     group's: innocent groups are reported FATAL_FAULT
#                     (fault_innocent_groups)
#   state-unknown-ok  GROUP_GET_STATE of a handle it does not know returns
#                     success and state 0, as for a new group
#                     (group_state_bad_input)
#
# A test of a forseti-only behaviour, which panthor has no code for, is
# shown to fail on a throwaway forseti commit instead (SIM_REV):
#   heap-no-adapt     forseti_heap_reserve_target() returns the target it
#                     is given (the reserve stays at 2 chunks):
#                     heap_burst's run 3 still has a zero answer (and the
#                     kunit-forseti_kunit reserve_target case fails)
set -euo pipefail

[ $# -ge 2 ] || { sed -n '/^# Usage/,/^# Mutants/p' "$0" | sed '$d' >&2; exit 2; }
src=$1
shift
d=$src/drivers/gpu/drm/panthor
[ -f "$d/panthor_mmu.c" ] || { echo "plant.sh: no panthor in $src" >&2; exit 1; }

# edit FILE OLD NEW: replace the one occurrence of OLD in FILE by NEW.
edit() {
	python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1:4]
s = open(path).read()
if s.count(old) != 1:
    sys.exit("plant.sh: %s: the text to replace occurs %d times" % (path, s.count(old)))
open(path, "w").write(s.replace(old, new))
PY
}

for m in "$@"; do
	case $m in
	skip-unlock)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		if (!ret)
			ret = as_send_cmd_and_wait(ptdev, vm->as.id, AS_COMMAND_UNLOCK);
OLD
)" "$(cat <<'NEW'
		/* MUTANT skip-unlock: no UNLOCK */
NEW
)"
		;;
	no-wait)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	status = wait_ready(ptdev, as_nr);
	if (!status) {
		gpu_write(ptdev->mmu->iomem, AS_COMMAND(as_nr), cmd);
		status = wait_ready(ptdev, as_nr);
	}
OLD
)" "$(cat <<'NEW'
	status = 0; /* MUTANT no-wait */
	gpu_write(ptdev->mmu->iomem, AS_COMMAND(as_nr), cmd);
NEW
)"
		;;
	no-wait-after)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	status = wait_ready(ptdev, as_nr);
	if (!status) {
		gpu_write(ptdev->mmu->iomem, AS_COMMAND(as_nr), cmd);
		status = wait_ready(ptdev, as_nr);
	}
OLD
)" "$(cat <<'NEW'
	status = wait_ready(ptdev, as_nr);
	if (!status) {
		gpu_write(ptdev->mmu->iomem, AS_COMMAND(as_nr), cmd);
		/* MUTANT no-wait-after: return before the command is done */
	}
NEW
)"
		;;
	bad-as-cmd)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		if (!ret)
			ret = as_send_cmd_and_wait(ptdev, vm->as.id, AS_COMMAND_UNLOCK);
OLD
)" "$(cat <<'NEW'
		if (!ret) /* MUTANT bad-as-cmd: a command the GPU does not know */
			ret = as_send_cmd_and_wait(ptdev, vm->as.id, AS_COMMAND_UNLOCK + 8);
NEW
)"
		;;
	unmap-no-flush)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	panthor_vm_unlock_region(vm);

out:
OLD
)" "$(cat <<'NEW'
	if (op_type != DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		panthor_vm_unlock_region(vm);
	} else {
		/* MUTANT unmap-no-flush: forget the region, never UNLOCK it */
		vm->locked_region.start = 0;
		vm->locked_region.size = 0;
	}

out:
NEW
)"
		;;
	unmap-no-lock)
		# One flag for every VM: a bind on another VM while it is set
		# (the FW VM's kernel-BO maps while a group is created) skips
		# its LOCK too. vm_bind_unbind creates no group during its
		# partial unmaps, so only the test's own unmap is affected.
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
static int panthor_vm_lock_region(struct panthor_vm *vm, u64 start, u64 size)
{
	struct panthor_device *ptdev = vm->ptdev;
	int ret = 0;
OLD
)" "$(cat <<'NEW'
static bool mutant_no_lock; /* MUTANT unmap-no-lock */

static int panthor_vm_lock_region(struct panthor_vm *vm, u64 start, u64 size)
{
	struct panthor_device *ptdev = vm->ptdev;
	int ret = 0;

	if (mutant_no_lock)
		return 0;
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
static void panthor_vm_unlock_region(struct panthor_vm *vm)
{
	struct panthor_device *ptdev = vm->ptdev;
OLD
)" "$(cat <<'NEW'
static void panthor_vm_unlock_region(struct panthor_vm *vm)
{
	struct panthor_device *ptdev = vm->ptdev;

	if (mutant_no_lock)
		return;
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	vm->op_ctx = op;

	ret = panthor_vm_lock_region(vm, op->va.addr, op->va.range);
OLD
)" "$(cat <<'NEW'
	vm->op_ctx = op;

	/* MUTANT unmap-no-lock: an unmap inside a mapping skips LOCK and UNLOCK */
	if (op_type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		struct drm_gpuva *va = drm_gpuva_find_first(&vm->base, op->va.addr,
							    op->va.range);

		mutant_no_lock = va && (va->va.addr < op->va.addr ||
					va->va.addr + va->va.range >
					op->va.addr + op->va.range);
	}

	ret = panthor_vm_lock_region(vm, op->va.addr, op->va.range);
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
out:
	if (ret && flag_vm_unusable_on_failure)
OLD
)" "$(cat <<'NEW'
out:
	mutant_no_lock = false;
	if (ret && flag_vm_unusable_on_failure)
NEW
)"
		;;
	pt-uncounted)
		edit "$d/panthor_mmu.c" 'kmem_cache_create("panthor-mmu-pt",' \
			'kmem_cache_create("panthor-mmu-px", /* MUTANT pt-uncounted */'
		;;
	remap-unmaps-all)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		panthor_vm_lock_region(vm, unmap_start, unmap_range);
		panthor_vm_unmap_pages(vm, unmap_start, unmap_range);
OLD
)" "$(cat <<'NEW'
		/* MUTANT remap-unmaps-all */
		panthor_vm_lock_region(vm, unmap_vma->base.va.addr, unmap_vma->base.va.range);
		panthor_vm_unmap_pages(vm, unmap_vma->base.va.addr, unmap_vma->base.va.range);
NEW
)"
		;;
	sync-after-map)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	/* No sync objects allowed on synchronous operations. */
	if (op->syncs.count)
		return -EINVAL;

	if (!op->size)
		return 0;

	ret = panthor_vm_bind_prepare_op_ctx(file, vm, op, &op_ctx);
	if (ret)
		return ret;

	ret = panthor_vm_exec_op(vm, &op_ctx, false);
	panthor_vm_cleanup_op_ctx(&op_ctx, vm);
OLD
)" "$(cat <<'NEW'
	if (!op->size)
		return 0;

	ret = panthor_vm_bind_prepare_op_ctx(file, vm, op, &op_ctx);
	if (ret)
		return ret;

	ret = panthor_vm_exec_op(vm, &op_ctx, false);
	panthor_vm_cleanup_op_ctx(&op_ctx, vm);
	/* MUTANT sync-after-map: refused after the mapping was made */
	if (op->syncs.count)
		return -EINVAL;
NEW
)"
		;;
	vm-leak)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		    panthor_vm_unmap_range(vm, vm->base.mm_start, vm->base.mm_range));
	panthor_vm_put(vm);
}
OLD
)" "$(cat <<'NEW'
		    panthor_vm_unmap_range(vm, vm->base.mm_start, vm->base.mm_range));
	/* MUTANT vm-leak: no panthor_vm_put() */
}
NEW
)"
		;;
	close-keeps-vms)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	xa_for_each(&pfile->vms->xa, i, vm)
		panthor_vm_destroy(vm);
OLD
)" "$(cat <<'NEW'
	xa_for_each(&pfile->vms->xa, i, vm)
		; /* MUTANT close-keeps-vms */
NEW
)"
		;;
	no-rotation)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		/* Pull out the group with the highest prio for rotation. */
		if (old_highest_prio_group)
			list_del(&old_highest_prio_group->run_node);
OLD
)" "$(cat <<'NEW'
		old_highest_prio_group = NULL; /* MUTANT no-rotation */
NEW
)"
		;;
	timeout-ignored)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	drm_warn(&ptdev->base, "job timeout: pid=%d, comm=%s, seqno=%llu\n",
		 group->task_info.pid, group->task_info.comm, job->done_fence->seqno);
OLD
)" "$(cat <<'NEW'
	drm_warn(&ptdev->base, "job timeout: pid=%d, comm=%s, seqno=%llu\n",
		 group->task_info.pid, group->task_info.comm, job->done_fence->seqno);
	return DRM_GPU_SCHED_STAT_NO_HANG; /* MUTANT timeout-ignored */
NEW
)"
		;;
	no-reset)
		edit "$d/panthor_device.h" "$(cat <<'OLD'
static inline void panthor_device_schedule_reset(struct panthor_device *ptdev)
{
OLD
)" "$(cat <<'NEW'
static inline void panthor_device_schedule_reset(struct panthor_device *ptdev)
{
	return; /* MUTANT no-reset */
NEW
)"
		;;
	probe-fails)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
static int panthor_probe(struct platform_device *pdev)
{
OLD
)" "$(cat <<'NEW'
static int panthor_probe(struct platform_device *pdev)
{
	return -EIO; /* MUTANT probe-fails */
NEW
)"
		;;
	fault-unreported)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		group->fatal_queues |= BIT(cs_id);
	}

	if (CS_EXCEPTION_TYPE(fatal) == DRM_PANTHOR_EXCEPTION_CS_UNRECOVERABLE) {
OLD
)" "$(cat <<'NEW'
		/* MUTANT fault-unreported: the group is not flagged */
	}

	if (CS_EXCEPTION_TYPE(fatal) == DRM_PANTHOR_EXCEPTION_CS_UNRECOVERABLE) {
NEW
)"
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
			if (!group->fatal_queues)
				group->fatal_queues |= GENMASK(group->queue_count - 1, 0);
OLD
)" "$(cat <<'NEW'
			/* MUTANT fault-unreported: nor here */
NEW
)"
		;;
	pm-forbidden)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
	pm_runtime_set_autosuspend_delay(ptdev->base.dev, 50);
	pm_runtime_use_autosuspend(ptdev->base.dev);
OLD
)" "$(cat <<'NEW'
	pm_runtime_set_autosuspend_delay(ptdev->base.dev, 50);
	pm_runtime_use_autosuspend(ptdev->base.dev);
	pm_runtime_forbid(ptdev->base.dev); /* MUTANT pm-forbidden */
NEW
)"
		;;
	timeline-no-point)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
		if (sig_sync->chain) {
			drm_syncobj_add_point(sig_sync->syncobj, sig_sync->chain,
					      sig_sync->fence, sig_sync->point);
			sig_sync->chain = NULL;
		} else {
OLD
)" "$(cat <<'NEW'
		if (sig_sync->chain) {
			/* MUTANT timeline-no-point: the point is not added */
			drm_syncobj_replace_fence(sig_sync->syncobj, sig_sync->fence);
		} else {
NEW
)"
		;;
	priority-ignored)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	group->priority = group_args->priority;
OLD
)" "$(cat <<'NEW'
	group->priority = PANTHOR_CSG_PRIORITY_LOW; /* MUTANT priority-ignored */
NEW
)"
		;;
	job-leak)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	group_put(job->group);

	kfree(job);
}
OLD
)" "$(cat <<'NEW'
	group_put(job->group);

	/* MUTANT job-leak: no kfree(job) */
}
NEW
)"
		;;
	fence-leak)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	if (dma_fence_was_initialized(job->done_fence))
		dma_fence_put(job->done_fence);
	else
OLD
)" "$(cat <<'NEW'
	if (dma_fence_was_initialized(job->done_fence)) {
		/* MUTANT fence-leak: no dma_fence_put() */
	} else
NEW
)"
		;;
	destroy-no-tick)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	group->destroyed = true;
	if (group->csg_id >= 0) {
		sched_queue_delayed_work(sched, tick, 0);
	} else if (!atomic_read(&sched->reset.in_progress)) {
OLD
)" "$(cat <<'NEW'
	group->destroyed = true;
	if (group->csg_id >= 0) {
		; /* MUTANT destroy-no-tick */
	} else if (!atomic_read(&sched->reset.in_progress)) {
NEW
)"
		;;
	ro-writable)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY)
		prot |= IOMMU_READ;
	else
		prot |= IOMMU_READ | IOMMU_WRITE;
OLD
)" "$(cat <<'NEW'
	prot |= IOMMU_READ | IOMMU_WRITE; /* MUTANT ro-writable */
NEW
)"
		;;
	version-low)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
	.major = 1,
	.minor = 9,
OLD
)" "$(cat <<'NEW'
	.major = 1,
	.minor = 8, /* MUTANT version-low */
NEW
)"
		;;
	sparse-refused)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	/* uAPI mandates sparsely bound regions must not be executable. */
	if (is_sparse && !(op->flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))
		return -EINVAL;
OLD
)" "$(cat <<'NEW'
	if (is_sparse) /* MUTANT sparse-refused */
		return -EINVAL;
NEW
)"
		;;
	batch-wait-lost)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
		if (sig_sync) {
			if (drm_WARN_ON(&ptdev->base, !sig_sync->fence))
				return -EINVAL;
OLD
)" "$(cat <<'NEW'
		if (sig_sync) {
			continue; /* MUTANT batch-wait-lost */
NEW
)"
		;;
	sparse-unmapped)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return panthor_vm_map_sparse(vm, op->va.addr, prot,
					     bo->dmap.sgt, op->va.range);
OLD
)" "$(cat <<'NEW'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return 0; /* MUTANT sparse-unmapped */
NEW
)"
		;;
	sparse-readonly)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return panthor_vm_map_sparse(vm, op->va.addr, prot,
					     bo->dmap.sgt, op->va.range);
OLD
)" "$(cat <<'NEW'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) /* MUTANT sparse-readonly */
		return panthor_vm_map_sparse(vm, op->va.addr, prot & ~IOMMU_WRITE,
					     bo->dmap.sgt, op->va.range);
NEW
)"
		;;
	sparse-shared)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	dummy = panthor_dummy_bo_create(pfile->ptdev);
	if (IS_ERR(dummy)) {
OLD
)" "$(cat <<'NEW'
	{
		static struct panthor_gem_object *mutant_dummy; /* MUTANT sparse-shared */

		if (!mutant_dummy)
			mutant_dummy = panthor_dummy_bo_create(pfile->ptdev);
		dummy = mutant_dummy;
		if (!IS_ERR(dummy))
			drm_gem_object_get(&dummy->base);
	}
	if (IS_ERR(dummy)) {
NEW
)"
		;;
	bo-over-sparse-dummy)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return panthor_vm_map_sparse(vm, op->va.addr, prot,
					     bo->dmap.sgt, op->va.range);
OLD
)" "$(cat <<'NEW'
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return panthor_vm_map_sparse(vm, op->va.addr, prot,
					     bo->dmap.sgt, op->va.range);
	if (mutant_over_sparse) { /* MUTANT bo-over-sparse-dummy */
		mutant_over_sparse = false;
		return panthor_vm_map_sparse(vm, op->va.addr, prot,
					     vm->dummy->dmap.sgt, op->va.range);
	}
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
static int
panthor_vm_exec_map_op(struct panthor_vm *vm, u32 flags,
OLD
)" "$(cat <<'NEW'
static bool mutant_over_sparse; /* MUTANT bo-over-sparse-dummy */

static int
panthor_vm_exec_map_op(struct panthor_vm *vm, u32 flags,
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	drm_gpuva_op_remap_to_unmap_range(&op->remap, &unmap_start, &unmap_range);
OLD
)" "$(cat <<'NEW'
	drm_gpuva_op_remap_to_unmap_range(&op->remap, &unmap_start, &unmap_range);
	if ((unmap_vma->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) &&
	    !(op_ctx->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) &&
	    (op_ctx->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		mutant_over_sparse = true; /* MUTANT bo-over-sparse-dummy */
NEW
)"
		;;
	bo-unmap-restores)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (!unmap_vma->evicted) {
		panthor_vm_unmap_pages(vm, unmap_vma->base.va.addr,
				       unmap_vma->base.va.range);
	}
OLD
)" "$(cat <<'NEW'
	if (!unmap_vma->evicted) {
		panthor_vm_unmap_pages(vm, unmap_vma->base.va.addr,
				       unmap_vma->base.va.range);
		/* MUTANT bo-unmap-restores: the dummy goes back where a BO was */
		if (!(unmap_vma->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) &&
		    vm->dummy && vm->dummy->dmap.sgt && unmap_vma->base.va.range < SZ_2M &&
		    vm->op_ctx && vm->op_ctx->flags == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP)
			panthor_vm_map_sparse(vm, unmap_vma->base.va.addr,
					      flags_to_prot(unmap_vma->flags),
					      vm->dummy->dmap.sgt,
					      unmap_vma->base.va.range);
	}
NEW
)"
		;;
	sparse-hole-kept)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	drm_gpuva_remap(prev_vma ? &prev_vma->base : NULL,
OLD
)" "$(cat <<'NEW'
	if ((unmap_vma->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) &&
	    op->remap.prev && op->remap.next &&
	    (op_ctx->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		/* MUTANT sparse-hole-kept: the hole is mapped back too */
		u64 hole = op->remap.prev->va.addr + op->remap.prev->va.range;
		struct drm_gpuva_op_map map_op = {
			.va.addr = hole,
			.va.range = op->remap.next->va.addr - hole,
			.gem.obj = op->remap.prev->gem.obj,
		};

		panthor_fix_sparse_map_offset(&map_op, unmap_vma->flags);
		ret = panthor_vm_exec_map_op(vm, unmap_vma->flags, &map_op);
		if (ret)
			return ret;
	}
	drm_gpuva_remap(prev_vma ? &prev_vma->base : NULL,
NEW
)"
		;;
	sparse-handle-ok)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	if (is_sparse && (op->bo_handle || op->bo_offset))
		return -EINVAL;
OLD
)" "$(cat <<'NEW'
	/* MUTANT sparse-handle-ok: a BO handle or offset is ignored */
NEW
)"
		;;
	bind-no-wait|unmap-no-wait|sync-only-no-wait)
		case $m in
		bind-no-wait) type=MAP ;;
		unmap-no-wait) type=UNMAP ;;
		*) type=SYNC_ONLY ;;
		esac
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
	/** @syncop_count: Number of sync operations. */
	u32 syncop_count;
};
OLD
)" "$(cat <<'NEW'
	/** @syncop_count: Number of sync operations. */
	u32 syncop_count;

	bool mutant_no_wait; /* MUTANT: waits ignored */
};
NEW
)"
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
	u32 sync_op_count = ctx->jobs[job_idx].syncop_count;
	int ret = 0;

OLD
)" "$(cat <<'NEW'
	u32 sync_op_count = ctx->jobs[job_idx].syncop_count;
	int ret = 0;

	if (ctx->jobs[job_idx].mutant_no_wait)
		return 0;
NEW
)"
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
		ret = panthor_submit_ctx_add_job(&ctx, i, job, &op->syncs);
		if (ret)
			goto out_cleanup_submit_ctx;
OLD
)" "$(cat <<NEW
		ret = panthor_submit_ctx_add_job(&ctx, i, job, &op->syncs);
		if (ret)
			goto out_cleanup_submit_ctx;
		/* MUTANT $m */
		ctx.jobs[i].mutant_no_wait = (op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) ==
					     DRM_PANTHOR_VM_BIND_OP_TYPE_$type;
NEW
)"
		;;
	bind-signal-early)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	cookie = dma_fence_begin_signalling();
	ret = panthor_vm_exec_op(job->vm, &job->ctx, true);
	dma_fence_end_signalling(cookie);

	return ret ? ERR_PTR(ret) : NULL;
OLD
)" "$(cat <<'NEW'
	/* MUTANT bind-signal-early: the cleanup work writes the page tables */
	cookie = false;
	ret = cookie;

	return ret ? ERR_PTR(ret) : NULL;
NEW
)"
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		container_of(work, struct panthor_vm_bind_job, cleanup_op_ctx_work);

	panthor_vm_bind_job_put(&job->base);
OLD
)" "$(cat <<'NEW'
		container_of(work, struct panthor_vm_bind_job, cleanup_op_ctx_work);

	msleep(500); /* MUTANT bind-signal-early */
	panthor_vm_exec_op(job->vm, &job->ctx, true);
	panthor_vm_bind_job_put(&job->base);
NEW
)"
		;;
	bind-job-leak)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	panthor_vm_cleanup_op_ctx(&job->ctx, job->vm);
	panthor_vm_put(job->vm);
	kfree(job);
OLD
)" "$(cat <<'NEW'
	panthor_vm_cleanup_op_ctx(&job->ctx, job->vm);
	panthor_vm_put(job->vm);
	/* MUTANT bind-job-leak: the job is never freed */
NEW
)"
		;;
	bind-err-leak)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	ret = panthor_vm_bind_prepare_op_ctx(file, vm, op, &job->ctx);
	if (ret) {
		kfree(job);
		return ERR_PTR(ret);
	}
OLD
)" "$(cat <<'NEW'
	ret = panthor_vm_bind_prepare_op_ctx(file, vm, op, &job->ctx);
	if (ret) {
		/* MUTANT bind-err-leak: the job is never freed */
		return ERR_PTR(ret);
	}
NEW
)"
		;;
	async-sparse-skipped)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
	cookie = dma_fence_begin_signalling();
	ret = panthor_vm_exec_op(job->vm, &job->ctx, true);
	dma_fence_end_signalling(cookie);
OLD
)" "$(cat <<'NEW'
	cookie = dma_fence_begin_signalling();
	if (job->ctx.flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		ret = 0; /* MUTANT async-sparse-skipped */
	else
		ret = panthor_vm_exec_op(job->vm, &job->ctx, true);
	dma_fence_end_signalling(cookie);
NEW
)"
		;;
	sync-only-empty)
		edit "$d/panthor_mmu.c" "$(cat <<'OLD'
		if (!op->syncs.count)
			return -EINVAL;
OLD
)" "$(cat <<'NEW'
		/* MUTANT sync-only-empty: no sync op needed */
	heap-same-chunk)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
	chunk = list_first_entry(&heap->chunks,
				 struct panthor_heap_chunk,
				 node);
	*new_chunk_gpu_va =
OLD
)" "$(cat <<'NEW'
	chunk = list_last_entry(&heap->chunks, /* MUTANT heap-same-chunk */
				struct panthor_heap_chunk,
				node);
	*new_chunk_gpu_va =
NEW
)"
		;;
	heap-oom-unacked)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		panthor_fw_update_reqs(cs_iface, req, cs_iface->output->ack, CS_TILER_OOM);
OLD
)" "$(cat <<'NEW'
		/* MUTANT heap-oom-unacked: no acknowledgment */
NEW
)"
		;;
	heap-max-ignored)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
	if (renderpasses_in_flight > heap->target_in_flight ||
	    heap->chunk_count >= heap->max_chunks) {
OLD
)" "$(cat <<'NEW'
	if (renderpasses_in_flight > heap->target_in_flight) { /* MUTANT heap-max-ignored */
NEW
)"
		;;
	heap-no-size)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
	*new_chunk_gpu_va = (panthor_kernel_bo_gpuva(chunk->bo) & GENMASK_ULL(63, 12)) |
			    (heap->chunk_size >> 12);
OLD
)" "$(cat <<'NEW'
	/* MUTANT heap-no-size */
	*new_chunk_gpu_va = panthor_kernel_bo_gpuva(chunk->bo) & GENMASK_ULL(63, 12);
NEW
)"
		;;
	heap-initial-over-max)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
	if (initial_chunk_count > max_chunks)
		return -EINVAL;
OLD
)" "$(cat <<'NEW'
	/* MUTANT heap-initial-over-max */
NEW
)"
		;;
	heap-close-keeps)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
	xa_for_each(&pool->xa, i, heap)
		drm_WARN_ON(&pool->ptdev->base, panthor_heap_destroy_locked(pool, i));
OLD
)" "$(cat <<'NEW'
	/* MUTANT heap-close-keeps */
NEW
)"
		;;
	heap-unlinked)
		edit "$d/panthor_heap.c" "$(cat <<'OLD'
		hdr->next = (prev_gpuva & GENMASK_ULL(63, 12)) |
			    (heap->chunk_size >> 12);
OLD
)" "$(cat <<'NEW'
		hdr->next = 0; /* MUTANT heap-unlinked */
NEW
)"
		;;
	mmio-offset-ignored)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
	WRITE_ONCE(pfile->user_mmio.offset, args->offset);
OLD
)" "$(cat <<'NEW'
	/* MUTANT mmio-offset-ignored */
NEW
)"
		;;
	mmio-writable)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
		if (vma->vm_end - vma->vm_start != PAGE_SIZE ||
		    (vma->vm_flags & (VM_WRITE | VM_EXEC)))
			return -EINVAL;
		vm_flags_clear(vma, VM_MAYWRITE);
OLD
)" "$(cat <<'NEW'
		if (vma->vm_end - vma->vm_start != PAGE_SIZE ||
		    (vma->vm_flags & VM_EXEC)) /* MUTANT mmio-writable */
			return -EINVAL;
NEW
)"
		;;
	mmio-fork-copied)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
		     VM_IO | VM_DONTCOPY | VM_DONTEXPAND |
OLD
)" "$(cat <<'NEW'
		     VM_IO | /* MUTANT mmio-fork-copied */ VM_DONTEXPAND |
NEW
)"
		;;
	counter-off)
		edit "$d/panthor_fw.c" "$(cat <<'OLD'
	panthor_fw_update_reqs(glb_iface, req, GLB_IDLE_EN | GLB_COUNTER_EN,
			       GLB_IDLE_EN | GLB_COUNTER_EN);
OLD
)" "$(cat <<'NEW'
	panthor_fw_update_reqs(glb_iface, req, GLB_IDLE_EN, /* MUTANT counter-off */
			       GLB_IDLE_EN | GLB_COUNTER_EN);
NEW
)"
		;;
	stale-extract)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	queue->iface.input->extract = queue->iface.output->extract;
	drm_WARN_ON(&ptdev->base, queue->iface.input->insert < queue->iface.input->extract);
OLD
)" "$(cat <<'NEW'
	queue->iface.input->extract = 0; /* MUTANT stale-extract */
	drm_WARN_ON(&ptdev->base, queue->iface.input->insert < queue->iface.input->extract);
NEW
)"
		;;
	devfreq-never-busy)
		edit "$d/panthor_devfreq.c" "$(cat <<'OLD'
	pdevfreq->last_busy_state = true;
OLD
)" "$(cat <<'NEW'
	pdevfreq->last_busy_state = false; /* MUTANT devfreq-never-busy */
NEW
)"
		;;
	syncwait-keeps-awake)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	if (ctx.idle_group_count == ctx.group_count) {
		panthor_devfreq_record_idle(sched->ptdev);
OLD
)" "$(cat <<'NEW'
	/* MUTANT syncwait-keeps-awake: a group waiting on a sync object keeps the GPU on */
	if (ctx.idle_group_count == ctx.group_count && list_empty(&sched->groups.waiting)) {
		panthor_devfreq_record_idle(sched->ptdev);
NEW
)"
		;;
	suspend-drops-waiter)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		if (group_can_run(group)) {
			list_add(&group->run_node,
				 &sched->groups.idle[group->priority]);
		} else {
OLD
)" "$(cat <<'NEW'
		if (group_can_run(group) && group->blocked_queues) {
			/* MUTANT suspend-drops-waiter: a blocked group is forgotten */
			list_del_init(&group->wait_node);
		} else if (group_can_run(group)) {
			list_add(&group->run_node,
				 &sched->groups.idle[group->priority]);
		} else {
NEW
)"
		;;
	sleep-drops-groups)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
#include <linux/pm_runtime.h>
OLD
)" "$(cat <<'NEW'
#include <linux/pm_runtime.h>
#include <linux/suspend.h>
NEW
)"
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		if (group_can_run(group)) {
			list_add(&group->run_node,
				 &sched->groups.idle[group->priority]);
		} else {
OLD
)" "$(cat <<'NEW'
		if (group_can_run(group) && pm_suspend_target_state != PM_SUSPEND_ON) {
			/* MUTANT sleep-drops-groups: lost in a system suspend */
		} else if (group_can_run(group)) {
			list_add(&group->run_node,
				 &sched->groups.idle[group->priority]);
		} else {
NEW
)"
		;;
	sleep-resume-error)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
#include <linux/pm_runtime.h>
OLD
)" "$(cat <<'NEW'
#include <linux/pm_runtime.h>
#include <linux/suspend.h>
NEW
)"
		edit "$d/panthor_device.c" "$(cat <<'OLD'
	if (atomic_read(&ptdev->pm.state) != PANTHOR_DEVICE_PM_STATE_SUSPENDED)
		return -EINVAL;

	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_RESUMING);
OLD
)" "$(cat <<'NEW'
	if (atomic_read(&ptdev->pm.state) != PANTHOR_DEVICE_PM_STATE_SUSPENDED)
		return -EINVAL;

	/* MUTANT sleep-resume-error: a system resume fails */
	if (pm_suspend_target_state != PM_SUSPEND_ON)
		return -EIO;

	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_RESUMING);
NEW
)"
		;;
	pwr-no-wait)
		edit "$d/panthor_gpu.c" "$(cat <<'OLD'
	gpu_write64(gpu->iomem, pwroff_reg, mask);

	ret = gpu_read64_relaxed_poll_timeout(gpu->iomem, pwrtrans_reg, val,
					      !(mask & val), 100, timeout_us);
	if (ret) {
OLD
)" "$(cat <<'NEW'
	gpu_write64(gpu->iomem, pwroff_reg, mask);

	ret = 0; /* MUTANT pwr-no-wait: the transition is not waited for */
	if (ret) {
NEW
)"
		;;
	pwr-stall-wedges)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
	clk_disable_unprepare(ptdev->clks.core);
	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_SUSPENDED);
	return 0;
}
OLD
)" "$(cat <<'NEW'
	clk_disable_unprepare(ptdev->clks.core);
	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_SUSPENDED);
	/* MUTANT pwr-stall-wedges: a stalled L2 power-off (L2_PWRTRANS) fails the suspend */
	if (gpu_read64(ptdev->iomem, 0x220))
		return -ETIMEDOUT;
	return 0;
}
NEW
)"
		;;
	submit-pm-leak)
		edit "$d/panthor_drv.c" "$(cat <<'OLD'
	ret = PANTHOR_UOBJ_GET_ARRAY(jobs_args, &args->queue_submits);
OLD
)" "$(cat <<'NEW'
	pm_runtime_get_noresume(ddev->dev); /* MUTANT submit-pm-leak: never put */

	ret = PANTHOR_UOBJ_GET_ARRAY(jobs_args, &args->queue_submits);
NEW
)"
		;;
	resume-leak)
		edit "$d/panthor_device.c" "$(cat <<'OLD'
	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_RESUMING);
OLD
)" "$(cat <<'NEW'
	atomic_set(&ptdev->pm.state, PANTHOR_DEVICE_PM_STATE_RESUMING);
	(void)kmalloc(64, GFP_KERNEL); /* MUTANT resume-leak: never freed */
NEW
)"
		;;
	hang-kills-all)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	mutex_lock(&sched->lock);
	group->timedout = true;
	if (group->csg_id >= 0) {
OLD
)" "$(cat <<'NEW'
	mutex_lock(&sched->lock);
	group->timedout = true;
	/* MUTANT hang-kills-all: every resident group is blamed for the hang */
	for (u32 i = 0; i < sched->csg_slot_count; i++) {
		if (sched->csg_slots[i].group)
			sched->csg_slots[i].group->timedout = true;
	}
	if (group->csg_id >= 0) {
NEW
)"
		;;
	fault-blames-all)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
		drm_warn(&ptdev->base, "CS_FATAL: pid=%d, comm=%s\n",
			 group->task_info.pid, group->task_info.comm);

		group->fatal_queues |= BIT(cs_id);
	}
OLD
)" "$(cat <<'NEW'
		drm_warn(&ptdev->base, "CS_FATAL: pid=%d, comm=%s\n",
			 group->task_info.pid, group->task_info.comm);

		/* MUTANT fault-blames-all: every resident group's queue cs_id is flagged */
		for (u32 i = 0; i < sched->csg_slot_count; i++) {
			if (sched->csg_slots[i].group)
				sched->csg_slots[i].group->fatal_queues |= BIT(cs_id);
		}
	}
NEW
)"
		;;
	state-unknown-ok)
		edit "$d/panthor_sched.c" "$(cat <<'OLD'
	group = group_from_handle(gpool, get_state->group_handle);
	if (!group)
		return -EINVAL;

	memset(get_state, 0, sizeof(*get_state));
OLD
)" "$(cat <<'NEW'
	group = group_from_handle(gpool, get_state->group_handle);
	memset(get_state, 0, sizeof(*get_state));
	if (!group)
		return 0; /* MUTANT state-unknown-ok: reads as a new group */
NEW
)"
		;;
	*)
		echo "plant.sh: unknown mutant: $m" >&2
		exit 2
		;;
	esac
	echo "planted $m in $d"
done
