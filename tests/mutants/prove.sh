#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# prove.sh: show that each simulator test fails on the defect it exists to
# catch. For each mutant of plant.sh, plant it in the panthor lane's own
# worktree ($SIM_DIR/src), run only the tests that must catch it, undo it,
# and print one line: "CAUGHT <mutant>: <the failing line>" or "MISSED
# <mutant>: <what passed>". Exit status 0 only when every mutant is caught.
#
# Usage: SIM_DIR=<folder> tests/mutants/prove.sh [MUTANT...]
#   SIM_DIR must be a folder of its own (not the shared build): its
#   worktree is spoiled and restored. The first run builds the lane there.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${SIM_DIR:?SIM_DIR: a folder of its own for the mutant runs}"
SRC=$SIM_DIR/src

# mutant: the tests to run, then the line (a regular expression) that must
# appear in the results.
declare -A TESTS=(
	[skip-unlock]="vm_bind_unbind"
	[no-wait]="vm_bind_unbind"
	[remap-unmaps-all]="vm_bind_unbind"
	[sync-after-map]="vm_invalid_args"
	[vm-leak]="vm_bind_cycles"
	[fault-unreported]="mmu_fault_reported vm_isolation"
	[no-rotation]="group_slot_rotation"
	[close-keeps-vms]="unbind_rebind module_reload"
	[timeout-ignored]="job_hang_timeout"
	[no-reset]="fw_hang_reset"
	[probe-fails]="query_gpu_info"
)
declare -A MUST=(
	[skip-unlock]="^FAIL vm_bind_unbind"
	[no-wait]="^FAIL (vm_bind_unbind|kernel-log)"
	[remap-unmaps-all]="^FAIL vm_bind_unbind"
	[sync-after-map]="^FAIL vm_invalid_args"
	[vm-leak]="^FAIL vm_bind_cycles"
	[fault-unreported]="^FAIL (mmu_fault_reported|vm_isolation)"
	[no-rotation]="^FAIL group_slot_rotation"
	[close-keeps-vms]="^FAIL (unbind_rebind|module_reload|kernel-log)"
	[timeout-ignored]="^FAIL job_hang_timeout"
	[no-reset]="^FAIL fw_hang_reset"
	[probe-fails]="^FAIL driver-load"
)
ORDER=(skip-unlock no-wait remap-unmaps-all sync-after-map vm-leak fault-unreported
       no-rotation close-keeps-vms timeout-ignored no-reset probe-fails)
[ $# -eq 0 ] || ORDER=("$@")

restore() {
	[ ! -d "$SRC" ] || git -C "$SRC" checkout -q -- drivers/gpu/drm/panthor
}
trap restore EXIT

missed=0
for m in "${ORDER[@]}"; do
	[ -n "${TESTS[$m]:-}" ] || { echo "prove.sh: unknown mutant $m" >&2; exit 2; }
	log=$SIM_DIR/prove-$m.log
	# The first run creates the worktree: plant only once it exists.
	[ -d "$SRC" ] || SIM_TESTS=query_gpu_info "$TOP/scripts/sim-test.sh" panthor >/dev/null 2>&1 || true
	restore
	"$TOP/tests/mutants/plant.sh" "$SRC" "$m" >/dev/null
	SIM_TESTS=${TESTS[$m]} "$TOP/scripts/sim-test.sh" panthor >"$log" 2>&1 || true
	restore
	if line=$(grep -E "${MUST[$m]}" "$log" | head -n 1); then
		echo "CAUGHT $m: $line"
	else
		echo "MISSED $m: $(grep -E '^(PASS|FAIL) |passed,' "$log" | tr '\n' ';')"
		missed=$((missed + 1))
	fi
done
[ "$missed" = 0 ]
