#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/bench-jobqueue.sh [KERNEL-TREE]
# Benchmark drm_jobqueue (from its work item, and with run_from_push where
# the tree has it) against drm_sched (one entity per scheduler) on the same
# mock driver, in UML kernels without the debug checkers, and print the
# figures of each lane: the median [min..max] of interleaved runs after
# warm-up runs, absolute and as ratios. Two lanes, one after the other:
#   up   ci/kunit/jobqueue-bench.kunitconfig as it is: one CPU;
#   smp  the same with CONFIG_SMP=y and CONFIG_NR_CPUS=2, booted with ncpus=2
#        and seccomp=on (UML's SMP needs the SECCOMP userspace: with the
#        default ptrace one it stops at boot, "SMP is not supported with
#        PTRACE userspace.").
# JQ_BENCH_LANES="up smp" picks lanes; JQ_BENCH_BUILD_DIR and
# JQ_BENCH_SMP_BUILD_DIR are their build directories. KERNEL-TREE defaults
# to a worktree at the head of the series (build/bench-src). Figures on a
# shared 2-core machine move by tens of percent; the load is printed.
# The SMP lane's absolute figures are not comparable with the UP lane's
# (a UML CPU is a host thread, and the bare fence operations are much
# slower there); compare the columns within a lane.
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
smp_bdir=${JQ_BENCH_SMP_BUILD_DIR:-$bdir-smp}
lanes=${JQ_BENCH_LANES:-up smp}
up_kconfig=$CI_DIR/kunit/jobqueue-bench.kunitconfig

# lane_config BUILD_DIR: the kernel configuration a lane ran, from its .config.
lane_config() {
	local c=$1/.config k v out=''
	[ -r "$c" ] || { echo 'no .config'; return; }
	for k in SMP NR_CPUS HZ PREEMPT_NONE PREEMPT_VOLUNTARY PREEMPT \
		PREEMPT_LAZY KASAN PROVE_LOCKING DEBUG_KMEMLEAK TRACEPOINTS; do
		v=$(sed -n "s/^CONFIG_$k=//p" "$c")
		[ -n "$v" ] || [ "$k" = SMP ] || continue
		out+=" CONFIG_$k=${v:-n}"
	done
	echo "${out# }"
}

# run_lane NAME KUNITCONFIG BUILD_DIR [KERNEL-ARGS]: build, boot, print.
run_lane() {
	local name=$1 kconfig=$2 dir=$3 kargs=${4:-} ok=1 load
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	kunit_run "$tree" "$kconfig" "$dir" 'drm_jobqueue_bench*' "$kargs" || ok=0
	kunit_counts "$dir"
	kunit_scan_log "$dir" || ok=0
	echo
	echo "== lane $name: ARCH=um, $(basename "$kconfig"): $(lane_config "$dir");" \
		"kernel args: ${kargs:-none}"
	echo "== host load (1, 5, 15 min): $load before the build, $(cut -d' ' -f1-3 /proc/loadavg) after the run"
	if ! grep -q 'jq-bench:' "$dir/test.log" 2>/dev/null; then
		echo "== lane $name printed no figures (UML did not run the benchmark): see $dir/kunit.out and $dir/test.log"
		tail -n 15 "$dir/kunit.out"
		tail -n 15 "$dir/test.log" 2>/dev/null || true
		ok=0
	fi
	grep -o 'jq-bench: .*' "$dir/test.log" 2>/dev/null | sed 's/^jq-bench: //' || true
	printf '%s: %s passed, %s failed\n' "$name" "$PASSED" "$FAILED"
	[ "$ok" = 1 ] && [ "$FAILED" = 0 ]
}

status=0
for lane in $lanes; do
	case $lane in
	up)
		run_lane UP "$up_kconfig" "$bdir" || status=1
		;;
	smp)
		mkdir -p "$smp_bdir"
		smp_kconfig=$smp_bdir/jobqueue-bench-smp.kunitconfig
		{
			cat "$up_kconfig"
			echo '# The SMP lane: two virtual CPUs (host threads).'
			echo 'CONFIG_SMP=y'
			echo 'CONFIG_NR_CPUS=2'
		} >"$smp_kconfig"
		run_lane SMP "$smp_kconfig" "$smp_bdir" 'ncpus=2 seccomp=on' || status=1
		;;
	*)
		die "JQ_BENCH_LANES: unknown lane $lane (up, smp)"
		;;
	esac
done
exit "$status"
