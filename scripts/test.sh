#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/test.sh
# What `make test` and CI run: set up the tree (installing what is missing),
# apply the series, then every suite: the workbench's own tests, the
# per-patch checks of the whole series, KUnit, and the simulator tests.
# Each suite prints its own lines; the last line here is the total,
# "N passed, N failed[, N skipped]".
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/test.sh (it takes no arguments)"

P=0 F=0 K=0
SUMMARY=()

# count LABEL LOG: add the suite's own closing line to the totals.
count() {
	local label=$1 log=$2 line p f k
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
	if [ -z "$line" ]; then
		SUMMARY+=("$label: no result line (counted as one failure)")
		F=$((F + 1))
		return
	fi
	p=$(printf '%s' "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(printf '%s' "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	k=$(printf '%s' "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	P=$((P + p))
	F=$((F + f))
	K=$((K + ${k:-0}))
	SUMMARY+=("$label: $line")
}

# run LABEL CMD...: run one suite with its output shown and kept.
run() {
	local label=$1 log=$BUILD/test-$1.log t0 rc=0
	shift
	printf '\n===== %s: %s\n' "$label" "$*"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log" || rc=$?
	printf '===== %s: exit %d after %d s\n' "$label" "$rc" $(($(date +%s) - t0))
	count "$label" "$log"
	if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
		# a suite that failed without counting a failure still fails
		F=$((F + 1))
		SUMMARY+=("$label: exit status $rc")
	fi
}

# setup LABEL CMD...: a step that must work for anything else to run.
setup() {
	local label=$1 t0
	shift
	printf '\n===== %s: %s\n' "$label" "$*"
	t0=$(date +%s)
	if ! "$@"; then
		printf '===== %s failed after %d s\n' "$label" $(($(date +%s) - t0))
		printf '0 passed, 1 failed\n'
		exit 1
	fi
	printf '===== %s: done in %d s\n' "$label" $(($(date +%s) - t0))
}

# The series' checks as a suite: one test per patch and per topic head.
check_suite() {
	local rc=0
	"$TOP/scripts/check.sh" || rc=$?
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

T0=$(date +%s)
mkdir -p "$BUILD"
rm -f "$BUILD/check-report.txt.tsv"
setup tree "$TOP/scripts/tree.sh"
setup apply "$TOP/scripts/apply.sh"
setup prepare "$TOP/scripts/check.sh" --prepare
run selftest "$TOP/scripts/tests/run.sh"
run posting "$TOP/scripts/tests/posting.sh"
run check check_suite
run kunit "$TOP/scripts/kunit.sh"
if [ -x "$TOP/scripts/sim-test.sh" ]; then
	run sim-panthor "$TOP/scripts/sim-test.sh" panthor
	run sim-forseti "$TOP/scripts/sim-test.sh" forseti
fi

printf '\n===== summary (%d s in all)\n' $(($(date +%s) - T0))
printf '%s\n' "${SUMMARY[@]}"
if [ "$K" -gt 0 ]; then
	printf '%d passed, %d failed, %d skipped\n' "$P" "$F" "$K"
else
	printf '%d passed, %d failed\n' "$P" "$F"
fi
[ "$F" -eq 0 ]
