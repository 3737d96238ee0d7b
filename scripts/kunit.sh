#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/kunit.sh [KERNEL-TREE]
# Run the KUnit suites that the landed topics bring, on the head of the
# series (or on KERNEL-TREE, a tree with work in progress), under UML
# with KASAN, lockdep and kmemleak on (the checkers of
# ci/kunit/debug.config), all suites in one kernel, booted twice: on one
# CPU and on two (KUNIT_LANES="up smp"). A checker report in the kernel
# log fails the run. A suite whose topic has not landed is not
# run, and said so. Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kunit-lib.sh"

[ $# -le 1 ] || die "usage: scripts/kunit.sh [KERNEL-TREE]"
if [ $# -eq 1 ]; then
	src=$(cd "$1" && pwd) || die "$1: no such kernel tree"
	info "KUnit on $src ($(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null || echo 'not a git tree'))"
else
	need_ktree
	head=$(head_of_series)
	src=$BUILD/kunit-src
	worktree_at "$src" "$head"
	info "KUnit on ${head#refs/*/} ($(git -C "$src" rev-parse --short=12 HEAD))"
fi

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

# One lane per CPU count: uniprocessor, then two CPUs, where the cases
# that race teardown against fence callbacks (drm_jobqueue's
# destroy_races_deps, dep_cb_walk) can meet on two CPUs. UML runs SMP
# only with its seccomp userspace (ncpus=2 seccomp=on). KUNIT_LANES="up"
# runs the first lane alone.
# run_lane NAME KUNITCONFIG BUILD_DIR KERNEL-ARGS SCAN-MODE
run_lane() {
	local name=$1 kconf=$2 dir=$3 kargs=$4 scan=$5 lrc=0
	info "lane $name${kargs:+ ($kargs)}"
	kunit_run "$src" "$kconf" "$dir" '*' "$kargs" || lrc=1
	kunit_counts "$dir"
	if [ $lrc -ne 0 ] || [ "$FAILED" -ne 0 ]; then
		info "lane $name: kunit.py reported failures: see $dir/kunit.out"
		tail -n 30 "$dir/kunit.out" >&2
		lrc=1
	fi
	kunit_scan_log "$dir" "$scan" || lrc=1
	# one line per test case, as kunit.py printed it, with its lane
	grep -E '\[(PASSED|FAILED|SKIPPED|CRASHED)\]' "$dir/kunit.out" |
		sed "s/^\[[0-9:]*\] */$name: /" || true
	[ "$PASSED" -gt 0 ] || { info "lane $name: no test case passed"; lrc=1; }
	# a checker report with every case passing still fails the lane
	[ $lrc -eq 0 ] || [ "$FAILED" -gt 0 ] || FAILED=1
	TOTAL_PASSED=$((TOTAL_PASSED + PASSED))
	TOTAL_FAILED=$((TOTAL_FAILED + FAILED))
	return $lrc
}

rc=0
TOTAL_PASSED=0
TOTAL_FAILED=0
for lane in ${KUNIT_LANES:-up smp}; do
	case $lane in
	up)
		run_lane up "$conf" "$bdir" "" "" || rc=1 ;;
	smp)
		{ cat "$conf"; printf 'CONFIG_SMP=y\nCONFIG_NR_CPUS=2\n'; } >"$conf-smp"
		run_lane smp "$conf-smp" "$bdir-smp" "ncpus=2 seccomp=on" tests || rc=1 ;;
	*)
		die "KUNIT_LANES: unknown lane '$lane' (up, smp)" ;;
	esac
done
printf '%s passed, %s failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
exit "$rc"
