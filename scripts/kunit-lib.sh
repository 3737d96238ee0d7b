# SPDX-License-Identifier: GPL-2.0-only
# KUnit helpers shared by kunit.sh and bench-jobqueue.sh: run kunit.py on UML,
# scan the kernel log for checker reports, count the test cases.
# Sourced after lib.sh, never run.

# Kernel log lines that fail a run whatever the tests said: lockdep,
# KASAN, kmemleak, WARN, BUG, oops, sleeping in atomic, hung tasks.
KUNIT_REPORT_RE='(WARNING:|BUG:|BUG kmalloc|Kernel panic|Oops|general protection fault|KASAN:|UBSAN:|kmemleak: [0-9]+ new suspected|unreferenced object 0x|possible circular locking|possible recursive locking|inconsistent lock state|DEBUG_LOCKS_WARN_ON|INFO: task .* blocked|Call Trace:|------------\[ cut here \]------------)'

# kunit_run TREE KUNITCONFIG BUILD_DIR FILTER [KERNEL-ARGS]: build and run
# on UML; the kernel log is left in BUILD_DIR/test.log, kunit.py's output
# in BUILD_DIR/kunit.out. Returns kunit.py's status.
kunit_run() {
	local tree=$1 kconfig=$2 bdir=$3 filter=$4 kargs=${5:-}
	local extra=()
	[ -z "$kargs" ] || extra=(--kernel_args="$kargs")
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

# kunit_scan_log BUILD_DIR: print checker reports found in the kernel log;
# returns 1 when there is any.
kunit_scan_log() {
	local log=$1/test.log
	[ -r "$log" ] || { info "no kernel log at $log"; return 1; }
	if grep -Eq "$KUNIT_REPORT_RE" "$log"; then
		info "kernel log has checker reports (from $log):"
		grep -En -A3 "$KUNIT_REPORT_RE" "$log" | head -n 60 >&2
		return 1
	fi
	return 0
}
