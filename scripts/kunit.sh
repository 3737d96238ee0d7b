#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/kunit.sh
# Run the KUnit suites that the landed topics bring, on the head of the
# series, under UML with KASAN, lockdep and kmemleak on (the checkers of
# ci/kunit/debug.config), one kernel per suite. A checker report in the
# kernel log fails the run. A suite
# whose topic has not landed is not run, and said so. Ends with
# "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kunit-lib.sh"

[ $# -eq 0 ] || die "usage: scripts/kunit.sh (it takes no arguments)"
need_ktree
head=$(head_of_series)
src=$BUILD/kunit-src
worktree_at "$src" "$head"
info "KUnit on ${head#refs/*/} ($(git -C "$src" rev-parse --short=12 HEAD))"

# The suites: a kunitconfig each, found where their topic puts them. Each
# runs in a kernel of its own: drm_jobqueue's no-allocation-after-arm case
# counts allocations system-wide, and a kernel with more built in (a
# worker thread spawned at the wrong moment) makes it fail spuriously.
P=0 F=0 status=0 ran=0
# suite NAME KUNITCONFIG: build and run one suite with the checkers on.
suite() {
	local name=$1 conf=$BUILD/kunit-$1.kunitconfig bdir=$BUILD/kunit-$1 rc=0
	cat "$CI_DIR/kunit/debug.config" >"$conf"
	grep -v '^#' "$2" >>"$conf"
	kunit_run "$src" "$conf" "$bdir" '*' || rc=1
	kunit_counts "$bdir"
	if [ $rc -ne 0 ] || [ "$FAILED" -ne 0 ]; then
		info "$name: kunit.py reported failures: see $bdir/kunit.out"
		tail -n 30 "$bdir/kunit.out" >&2
		rc=1
	fi
	kunit_scan_log "$bdir" || rc=1
	# one line per test case, as kunit.py printed it
	grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]' "$bdir/kunit.out" | sed 's/^\[[0-9:]*\] *//' || true
	[ "$PASSED" -gt 0 ] || { info "$name: no test case passed"; rc=1; }
	# a checker report with every case passing still fails the run
	[ $rc -eq 0 ] || [ "$FAILED" -gt 0 ] || FAILED=1
	P=$((P + PASSED))
	F=$((F + FAILED))
	[ $rc -eq 0 ] || status=1
	ran=1
}

if [ -f "$src/drivers/gpu/drm/drm_jobqueue.c" ]; then
	suite jobqueue "$CI_DIR/kunit/jobqueue.kunitconfig"
else
	info "drm_jobqueue has not landed: its suite is not run"
fi
if [ -f "$src/drivers/gpu/drm/forseti/tests/.kunitconfig" ]; then
	suite forseti "$src/drivers/gpu/drm/forseti/tests/.kunitconfig"
else
	info "forseti has no KUnit tests yet: none run"
fi
[ $ran -eq 1 ] || info "no landed topic has KUnit tests yet"
printf '%s passed, %s failed\n' "$P" "$F"
exit "$status"
