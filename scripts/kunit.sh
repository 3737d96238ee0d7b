#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/kunit.sh
# Run the KUnit suites that the landed topics bring, on the head of the
# series, under UML with KASAN, lockdep and kmemleak on (the checkers of
# ci/kunit/debug.config), all suites in one kernel. A checker report in
# the kernel log fails the run. A suite whose topic has not landed is not
# run, and said so. Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kunit-lib.sh"

[ $# -eq 0 ] || die "usage: scripts/kunit.sh (it takes no arguments)"
need_ktree
head=$(head_of_series)
src=$BUILD/kunit-src
worktree_at "$src" "$head"
info "KUnit on ${head#refs/*/} ($(git -C "$src" rev-parse --short=12 HEAD))"

# The suites: a kunitconfig each, found where their topic puts them, all
# built into one kernel with the checkers on, so that CI pays for one UML
# build. (drm_jobqueue's no-allocation-after-arm case counts only the
# allocations made on its queues' behalf, so another suite in the kernel
# does not disturb it.) kunit.py's kernel has no userspace to ask kmemleak
# for a scan: the forseti lane of scripts/sim-test.sh runs the same suites
# as modules and scans after them.
conf=$BUILD/kunit-all.kunitconfig
bdir=$BUILD/kunit-all
cat "$CI_DIR/kunit/debug.config" >"$conf.new"
suites=()
if [ -f "$src/drivers/gpu/drm/drm_jobqueue.c" ]; then
	grep -v '^#' "$CI_DIR/kunit/jobqueue.kunitconfig" >>"$conf.new"
	suites+=(drm_jobqueue)
else
	info "drm_jobqueue has not landed: its suite is not run"
fi
if [ -f "$src/drivers/gpu/drm/forseti/tests/.kunitconfig" ]; then
	grep -v '^#' "$src/drivers/gpu/drm/forseti/tests/.kunitconfig" >>"$conf.new"
	suites+=(forseti)
else
	info "forseti has no KUnit tests yet: none run"
fi
if [ ${#suites[@]} -eq 0 ]; then
	rm -f "$conf.new"
	info "no landed topic has KUnit tests yet"
	printf '0 passed, 0 failed\n'
	exit 0
fi
# the same symbol twice (KUNIT, DRM...) is fine, but keep the file tidy
awk '!seen[$0]++' "$conf.new" >"$conf"
rm -f "$conf.new"
info "suites: ${suites[*]}"
rc=0
kunit_run "$src" "$conf" "$bdir" '*' || rc=1
kunit_counts "$bdir"
if [ $rc -ne 0 ] || [ "$FAILED" -ne 0 ]; then
	info "kunit.py reported failures: see $bdir/kunit.out"
	tail -n 30 "$bdir/kunit.out" >&2
	rc=1
fi
kunit_scan_log "$bdir" || rc=1
# one line per test case, as kunit.py printed it
grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]' "$bdir/kunit.out" | sed 's/^\[[0-9:]*\] *//' || true
[ "$PASSED" -gt 0 ] || { info "no test case passed"; rc=1; }
# a checker report with every case passing still fails the run
[ $rc -eq 0 ] || [ "$FAILED" -gt 0 ] || FAILED=1
printf '%s passed, %s failed\n' "$PASSED" "$FAILED"
exit "$rc"
