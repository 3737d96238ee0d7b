# SPDX-License-Identifier: GPL-2.0-only
# KUnit helpers shared by kunit.sh and bench-jobqueue.sh: run kunit.py on UML,
# scan the kernel log for checker reports, count the test cases.
# Sourced after lib.sh, never run.

# Kernel log lines that fail a run whatever the tests said: lockdep,
# KASAN, kmemleak, WARN, BUG, oops, sleeping in atomic, hung tasks.
KUNIT_REPORT_RE='(WARNING:|BUG:|BUG kmalloc|Kernel panic|Oops|general protection fault|KASAN:|UBSAN:|kmemleak: [0-9]+ new suspected|unreferenced object 0x|possible circular locking|possible recursive locking|inconsistent lock state|DEBUG_LOCKS_WARN_ON|INFO: task .* blocked|Call Trace:|------------\[ cut here \]------------)'

# kunit_run TREE KUNITCONFIG BUILD_DIR FILTER [KERNEL-ARGS]: build and run
# on UML; the kernel log is left in BUILD_DIR/test.log, kunit.py's output
# in BUILD_DIR/kunit.out. KERNEL-ARGS is a space-separated list ("ncpus=2
# seccomp=on"): each word goes to the kernel as an argument of its own.
# Returns kunit.py's status.
kunit_run() {
	local tree=$1 kconfig=$2 bdir=$3 filter=$4 kargs=${5:-}
	local extra=() a
	for a in $kargs; do
		extra+=(--kernel_args="$a")
	done
	[ -x "$tree/tools/testing/kunit/kunit.py" ] ||
		die "$tree: not a kernel tree (no tools/testing/kunit/kunit.py)"
	[ -r "$kconfig" ] || die "$kconfig: no such kunitconfig"
	need_tool ccache ccache
	mkdir -p "$bdir"
	info "building and running $(basename "$kconfig") in $bdir (log: $bdir/kunit.out)"
	(cd "$tree" && nice -n 5 ./tools/testing/kunit/kunit.py run \
		--arch=um --kunitconfig="$kconfig" --build_dir="$bdir" \
		--jobs=2 --timeout=900 "${extra[@]}" \
		--make_options CC="ccache gcc" --make_options "$KPY" "$filter" >"$bdir/kunit.out" 2>&1)
}

# kunit_counts BUILD_DIR: set PASSED and FAILED (test cases; crashed and
# errored ones count as failed, skipped ones as neither) from kunit.py's
# summary line.
kunit_counts() {
	local line
	line=$(grep -E 'Ran [0-9]+ tests?:' "$1/kunit.out" | tail -n 1 || true)
	PASSED=$(printf '%s' "$line" | sed -nE 's/.*passed: ([0-9]+).*/\1/p')
	FAILED=0
	local k n
	for k in failed crashed errors; do
		n=$(printf '%s' "$line" | sed -nE "s/.*$k: ([0-9]+).*/\1/p")
		FAILED=$((FAILED + ${n:-0}))
	done
	PASSED=${PASSED:-0}
	[ -n "$line" ] || FAILED=$((FAILED + 1))
}

# kunit_scan_log BUILD_DIR [tests]: print checker reports found in the
# kernel log; returns 1 when there is any. With "tests", only the log from
# the first KTAP line on counts (the tests' part); a report before it is
# printed as the base kernel's and does not fail the run. The SMP lane uses
# this: UML's secondary CPU bring-up in 7.3 warns "Callback enqueued on
# offline CPU" at every boot, before any test code runs.
kunit_scan_log() {
	local log=$1/test.log from=1 boot
	[ -r "$log" ] || { info "no kernel log at $log"; return 1; }
	if [ "${2:-}" = tests ]; then
		from=$(grep -n -m1 'KTAP version' "$log" | cut -d: -f1)
		[ -n "$from" ] || { info "$log: no KTAP output: no test ran"; return 1; }
		boot=$(head -n "$((from - 1))" "$log" | grep -Ec "$KUNIT_REPORT_RE" || true)
		[ "$boot" -eq 0 ] ||
			info "$log: $boot report line(s) at boot, before any test (base kernel; not counted): $(head -n "$((from - 1))" "$log" | grep -E -m1 -A3 'WARNING:|BUG:' | tr '\n' ' ' | cut -c1-200)"
	fi
	if tail -n "+$from" "$log" | grep -Eq "$KUNIT_REPORT_RE"; then
		info "kernel log has checker reports (from $log, line $from on):"
		tail -n "+$from" "$log" | grep -En -A3 "$KUNIT_REPORT_RE" | head -n 60 >&2
		return 1
	fi
	return 0
}
