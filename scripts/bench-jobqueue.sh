#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/bench-jobqueue.sh [KERNEL-TREE]
# Benchmark drm_jobqueue against drm_sched (one entity per scheduler) on
# the same mock driver, in one UML kernel without the debug checkers
# (ci/kunit/jobqueue-bench.kunitconfig), and print the figures: medians of
# 5 runs, absolute and as ratios. KERNEL-TREE defaults to a worktree at the
# head of the series (build/bench-src). Figures on a shared 2-core machine move by tens of percent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kunit-lib.sh"

[ $# -le 1 ] || die "usage: scripts/bench-jobqueue.sh [KERNEL-TREE]"
if [ $# -eq 1 ]; then
	tree=$(cd "$1" && pwd) || die "$1: no such kernel tree"
else
	need_ktree
	tree=$BUILD/bench-src
	worktree_at "$tree" "$(head_of_series)"
fi
[ -f "$tree/drivers/gpu/drm/drm_jobqueue.c" ] ||
	die "$tree has no drm_jobqueue (topic jobqueue has not landed there)"
bdir=${JQ_BENCH_BUILD_DIR:-$BUILD/jq-bench}

status=0
kunit_run "$tree" "$CI_DIR/kunit/jobqueue-bench.kunitconfig" "$bdir" 'drm_jobqueue_bench*' || status=1
kunit_counts "$bdir"
kunit_scan_log "$bdir" || status=1
if ! grep -q 'jq-bench:' "$bdir/test.log" 2>/dev/null; then
	info "the benchmark printed no figures: see $bdir/kunit.out"
	tail -n 30 "$bdir/kunit.out" >&2
	status=1
fi
grep -o 'jq-bench: .*' "$bdir/test.log" 2>/dev/null | sed 's/^jq-bench: //' || true
printf '%s passed, %s failed\n' "$PASSED" "$FAILED"
exit "$status"
