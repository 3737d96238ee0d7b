#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/test.sh
# What `make test` and CI run: set up the tree (installing what is missing),
# apply the series, then every suite: the workbench's own tests, the
# per-patch checks of the whole series (the Kconfig matrix at the series'
# head only, arm64 at each topic's last patch only: `make check` runs the
# matrix at every topic's head and arm64 at every patch), and the simulator
# tests, whose forseti lane also runs the landed topics' KUnit suites as
# modules under KASAN, lockdep and kmemleak (`make kunit` runs them in
# kunit.py's own kernel). Each suite prints its own lines; then a table of
# the stages' times; the last line is the total,
# "N passed, N failed[, N skipped][, N partial]" (a partial pass, counted
# as passed too, is a simulator test that could check only part of what it
# covers: scripts/sim-test.sh).
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/test.sh (it takes no arguments)"

P=0 F=0 K=0 Q=0
SUMMARY=()
# one "label seconds result" line per stage, for the closing table
STAGES=()

# cpu_now: the CPU seconds (user + system) of every child this shell has
# waited for so far, from bash's `times`. A stage's CPU is what it adds:
# on a quiet 2-core machine, its wall time is about half of it plus its
# serial parts, whatever else shared the machine when it was measured.
# (`times` must run in this shell, not in a pipeline's or a substitution's.)
# (It sets CPU_NOW.)
cpu_now() {
	local f=$BUILD/.times.$BASHPID
	times >"$f"
	CPU_NOW=$(tail -n 1 "$f" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d\n", t }')
	rm -f "$f"
}

# stage_cpu C0: the CPU seconds of the foreground stage that began at C0
# (CPU_NOW then). Bash adds a background stage's CPU to its own when it
# reaps it, during whatever foreground stage runs then: the background
# stages that have ended since (their .cpu written) are taken out again,
# each once; they have their own line in the table. (It sets STAGE_CPU.)
declare -A BG_COUNTED
stage_cpu() {
	local l c bg=0
	for l in "${!BG_PID[@]}"; do
		[ -z "${BG_COUNTED[$l]:-}" ] && [ -f "$BUILD/test-$l.cpu" ] || continue
		wait "${BG_PID[$l]}" 2>/dev/null || true
		c=$(cat "$BUILD/test-$l.cpu" 2>/dev/null || echo 0)
		bg=$((bg + ${c:-0}))
		BG_COUNTED[$l]=1
	done
	cpu_now
	STAGE_CPU=$((CPU_NOW - $1 - bg))
	[ "$STAGE_CPU" -ge 0 ] || STAGE_CPU=0
}

# count LABEL LOG: add the suite's own closing line to the totals.
count() {
	local label=$1 log=$2 line p f k q
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
	if [ -z "$line" ]; then
		SUMMARY+=("$label: no result line (counted as one failure)")
		F=$((F + 1))
		return
	fi
	p=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(printf '%s' "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	k=$(printf '%s' "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	q=$(printf '%s' "$line" | sed -nE 's/.*, ([0-9]+) partial.*/\1/p')
	P=$((P + p))
	F=$((F + f))
	K=$((K + ${k:-0}))
	Q=$((Q + ${q:-0}))
	SUMMARY+=("$label: $line")
}

# run LABEL CMD...: run one suite with its output shown and kept.
run() {
	local label=$1 log=$BUILD/test-$1.log t0 c0 rc=0
	shift
	printf '\n===== %s: %s\n' "$label" "$*"
	t0=$(date +%s)
	cpu_now
	c0=$CPU_NOW
	"$@" 2>&1 | tee "$log" || rc=$?
	printf '===== %s: exit %d after %d s\n' "$label" "$rc" $(($(date +%s) - t0))
	stage_cpu "$c0"
	STAGES+=("$label $(($(date +%s) - t0)) $STAGE_CPU $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | tr ' ' '_' || true)")
	count "$label" "$log"
	if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
		# a suite that failed without counting a failure still fails
		F=$((F + 1))
		SUMMARY+=("$label: exit status $rc")
	fi
}

# bg_start LABEL CMD...: start a suite in the background, its output kept
# for bg_finish. Only suites that share no build folder with what runs
# meanwhile: on two cores, their serial parts (git, b4, make's startup, a
# guest) fill the gaps of the foreground's builds.
declare -A BG_PID BG_T0

# An interrupted make test stops its background stages too (a guest would
# otherwise keep a core busy after the run is gone). Each stage runs in a
# session of its own (bg_start), so that what it started is found even
# when its parent has died (Ctrl-C reaches the foreground's group only).
bg_stop_all() {
	local l g
	for l in "${!BG_PID[@]}"; do
		# (one that was waited for is gone: its number may be another's)
		[ -z "${BG_COUNTED[$l]:-}" ] || continue
		g=$(cat "$BUILD/test-$l.pgid" 2>/dev/null || true)
		[ -z "$g" ] || kill -TERM -- "-$g" 2>/dev/null || true
	done
	return 0
}
trap bg_stop_all EXIT
bg_start() {
	local label=$1
	shift
	printf '\n===== %s: started in the background: %s\n' "$label" "$*"
	BG_T0[$label]=$(date +%s)
	rm -f "$BUILD/test-$label.rc" "$BUILD/test-$label.cpu" "$BUILD/test-$label.start" \
		"$BUILD/test-$label.pgid"
	(
		rc=0
		setsid "$@" >"$BUILD/test-$label.log" 2>&1 </dev/null &
		echo $! >"$BUILD/test-$label.pgid"
		wait $! || rc=$?
		echo "$rc" >"$BUILD/test-$label.rc"
		cpu_now
		echo "$CPU_NOW" >"$BUILD/test-$label.cpu"
	) &
	BG_PID[$label]=$!
}

# bg_after FIRST LABEL CMD...: like bg_start, but CMD starts once the
# background stage FIRST has ended (whatever its result: its .rc file, or
# its process gone without writing one); the stage's time counts from
# then. (bg_start FIRST removed any .rc of an earlier run.)
bg_after() {
	local first=$1 label=$2
	shift 2
	bg_start "$label" bash -c 'while [ ! -e "$1" ] && kill -0 "$3" 2>/dev/null; do sleep 2; done
		date +%s >"$2"
		shift 3
		exec "$@"' _ "$BUILD/test-$first.rc" "$BUILD/test-$label.start" "${BG_PID[$first]}" "$@"
}

# bg_finish LABEL [build]: wait for it, show its output, and count it like
# run does; with "build", a step that prints no results: its failure is
# one failed suite, its success counts nothing.
bg_finish() {
	local label=$1 kind=${2:-suite} log=$BUILD/test-$1.log rc t cpu
	wait "${BG_PID[$label]}" 2>/dev/null || true
	BG_COUNTED[$label]=1
	rc=$(cat "$BUILD/test-$label.rc" 2>/dev/null || echo 1)
	t=$(($(stat -c %Y "$BUILD/test-$label.rc" 2>/dev/null || date +%s) -
		$(cat "$BUILD/test-$label.start" 2>/dev/null || echo "${BG_T0[$label]}")))
	printf '\n===== %s (background): %s\n' "$label" "$log"
	cat "$log"
	printf '===== %s: exit %d after %d s (in the background)\n' "$label" "$rc" "$t"
	cpu=$(cat "$BUILD/test-$label.cpu" 2>/dev/null || echo 0)
	if [ "$kind" = build ]; then
		STAGES+=("$label $t $cpu $([ "$rc" -eq 0 ] && echo done || echo failed)_(background)")
		if [ "$rc" -ne 0 ]; then
			F=$((F + 1))
			SUMMARY+=("$label: exit status $rc (see $log)")
		fi
		return 0
	fi
	STAGES+=("$label $t $cpu $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | tr ' ' '_' || true)_(background)")
	count "$label" "$log"
	if [ "$rc" -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
		F=$((F + 1))
		SUMMARY+=("$label: exit status $rc")
	fi
}

# setup LABEL CMD...: a step that must work for anything else to run.
setup() {
	local label=$1 t0 c0
	shift
	printf '\n===== %s: %s\n' "$label" "$*"
	t0=$(date +%s)
	cpu_now
	c0=$CPU_NOW
	if ! "$@"; then
		printf '===== %s failed after %d s\n' "$label" $(($(date +%s) - t0))
		stage_cpu "$c0"
		STAGES+=("$label $(($(date +%s) - t0)) $STAGE_CPU failed")
		stage_table
		printf '0 passed, 1 failed\n'
		exit 1
	fi
	printf '===== %s: done in %d s\n' "$label" $(($(date +%s) - t0))
	stage_cpu "$c0"
	STAGES+=("$label $(($(date +%s) - t0)) $STAGE_CPU done")
}

# stage_table: each stage's wall time and result, and the total, so that a
# regression in cost shows at once (also kept in build/test-stages.txt).
stage_table() {
	local l
	cpu_now
	{
		printf '\n===== stage times\n'
		printf '%-12s %8s %8s  %s\n' stage "wall s" "CPU s" result
		for l in "${STAGES[@]}"; do
			# shellcheck disable=SC2086
			set -- $l
			printf '%-12s %8s %8s  %s\n' "$1" "$2" "$3" "$(printf '%s' "${4:-}" | tr '_' ' ')"
		done
		printf '%-12s %8s %8s  (%d min %02d s wall)\n' total $(($(date +%s) - T0)) "$CPU_NOW" \
			$((($(date +%s) - T0) / 60)) $((($(date +%s) - T0) % 60))
	} | tee "$BUILD/test-stages.txt"
}

# The series' checks as a suite: one test per patch and per topic head.
check_suite() {
	local rc=0
	nice -n "$FG_NICE" "$TOP/scripts/check.sh" || rc=$?
	if [ -f "$BUILD/check-report.txt.tsv" ]; then
		local p f
		f=$(awk -F'\t' '$3 ~ /^FAIL/ { print $1 }' "$BUILD/check-report.txt.tsv" | sort -u | wc -l)
		p=$(( $(cut -f1 "$BUILD/check-report.txt.tsv" | sort -u | wc -l) - f ))
		printf '%d passed, %d failed\n' "$p" "$f"
	elif [ $rc -eq 0 ]; then
		printf '0 passed, 0 failed\n'
	fi
	return $rc
}

# test_disk_need: the MiB this run still has to write. Measured on a cold
# run: the base repository (kernel-tree/, 2.3 GiB with its checkout), three
# worktrees of it (check, simulator, the workbench's fixture: 1.8 GiB
# each; the posting tests use a miniature tree of their own), about 3.5
# GiB of build folders, and up to 2 GiB of compiler cache; what is already
# there counts as written. TEST_DISK_NEED_MIB overrides it.
test_disk_need() {
	local need=15450 d
	[ -d "$KTREE/.git" ] && need=$((need - 2400))
	for d in check-src sim-src selftest/tree; do
		[ -e "$BUILD/$d/.git" ] && need=$((need - 1850))
	done
	printf '%d\n' "${TEST_DISK_NEED_MIB:-$need}"
}

T0=$(date +%s)
if ! (need_disk "$BUILD" "$(test_disk_need)" "make test"); then
	printf '0 passed, 1 failed\n'
	exit 1
fi
mkdir -p "$BUILD"
rm -f "$BUILD/check-report.txt.tsv"
setup tree "$TOP/scripts/tree.sh"
setup apply "$TOP/scripts/apply.sh"
# The preparation of the check builds, the workbench's tests and the
# series' checks run in the foreground, one after the other (they share
# the check builds), at a lower priority (FG_NICE) than the simulator's
# stages, so that a guest's timed tests get the core they need while the
# builds take the rest, including the gaps of their serial parts (git,
# checkpatch, Kconfig, make's startup, links).
# The posting tests (git and b4 on a miniature kernel tree with build
# folders of their own, build/posting-test: about a third of a core)
# start at once.
FG_NICE=${FG_NICE:-10}
bg_start posting nice -n "$FG_NICE" "$TOP/scripts/tests/posting.sh"
setup prepare nice -n "$FG_NICE" "$TOP/scripts/check.sh" --prepare
# The simulator's lanes, one after the other, from the end of the
# preparation on: each builds its kernel in a worktree and folder of its
# own (its make at nice 5, sim-test.sh), then boots a guest that keeps one
# core busy. They start after the preparation, not beside it: the
# preparation is two whole kernel builds that every later foreground
# stage waits for, while the workbench's tests and the per-patch checks
# leave about half a core idle (their git, checkpatch and make's startup
# are serial), which the simulator's kernel build (about 850 CPU seconds
# on a fresh machine) and guests fill. Measured on a fresh machine with
# them beside the preparation: 61 min, 157 % of a core on average, every
# background stage done at 31 min and the 30 min after that at about one
# and a half cores.
# ioctl_fuzz runs one fixed sequence here, so that a run's result does not
# depend on the draw: a new seed is for a run of its own (README), and a
# report it finds goes into the test's list of known ones or gets fixed.
FUZZ_ENV=${SIM_GUEST_ENV:-FUZZ_SEED=0x18eed17660928481}
bg_start sim-build env SIM_BUILD_ONLY=1 "$TOP/scripts/sim-test.sh" panthor
bg_after sim-build sim-panthor env SIM_GUEST_ENV="$FUZZ_ENV" "$TOP/scripts/sim-test.sh" panthor
bg_after sim-panthor sim-forseti env SIM_GUEST_ENV="$FUZZ_ENV" "$TOP/scripts/sim-test.sh" forseti
run selftest nice -n "$FG_NICE" "$TOP/scripts/tests/run.sh"
# The simulator's MMU model on the host (a second): so that it cannot
# regress unnoticed between the lanes' guest runs.
run sim-model nice -n "$FG_NICE" "$TOP/tests/sim-model/run.sh"
# The Kconfig matrix at the series' head only, the lanes that turn a
# symbol off joined into one kernel (every topic's head, each lane on its
# own, in `make check TOPIC=...`): each lane is a small kernel of its own,
# most of which a symbol such as PM reaches. arm64 at each topic's last
# patch only (x86_64, with sparse and modpost, at every patch; `make
# check` builds arm64 at every patch too): about a third of a patch's
# cost, and a fresh machine's run must fit CI's limit with seven topics.
export MATRIX_AT=series-head MATRIX_JOIN=1 ARM64_AT=topic-head
run check check_suite
bg_finish posting
# a kernel that does not build is one failed suite; the lanes then say why
bg_finish sim-build build
bg_finish sim-panthor
bg_finish sim-forseti

stage_table
printf '\n===== summary (%d s in all)\n' $(($(date +%s) - T0))
printf '%s\n' "${SUMMARY[@]}"
total="$P passed, $F failed"
[ "$K" -eq 0 ] || total="$total, $K skipped"
[ "$Q" -eq 0 ] || total="$total, $Q partial"
printf '%s\n' "$total"
[ "$F" -eq 0 ]
