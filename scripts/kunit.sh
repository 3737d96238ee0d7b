#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/kunit.sh
# Run the KUnit suites that the landed topics bring, on the head of the
# series, under UML with KASAN, lockdep and kmemleak. A suite whose topic
# has not landed is not run (and said so). Ends with "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kunit-lib.sh"

[ $# -eq 0 ] || die "usage: scripts/kunit.sh (it takes no arguments)"
need_ktree
head=$(head_of_series)
src=$BUILD/kunit-src
worktree_at "$src" "$head"
info "KUnit on ${head#refs/*/} ($(git -C "$src" rev-parse --short=12 HEAD))"

P=0 F=0 ran=0
if [ -f "$src/drivers/gpu/drm/drm_jobqueue.c" ]; then
	out=$(mktemp)
	rc=0
	"$TOP/scripts/kunit-jobqueue.sh" "$src" 2>&1 | tee "$out" || rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1 || true)
	rm -f "$out"
	f=0
	if [ -n "$line" ]; then
		P=$((P + ${line%% passed*}))
		f=${line#*passed, }
		f=${f%% failed*}
	fi
	# a failing run that counted no failed case (a checker report, a
	# crash before the summary) is one failure
	[ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
	F=$((F + f))
	ran=1
else
	info "drm_jobqueue has not landed: its suite is not run"
fi
[ $ran -eq 1 ] || info "no landed topic has KUnit tests yet"
printf '%d passed, %d failed\n' "$P" "$F"
[ "$F" -eq 0 ]
