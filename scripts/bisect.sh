#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/bisect.sh GOOD BAD [TEST]
# git bisect of kernel-tree/ between the revisions GOOD and BAD (a topic
# branch, the base tag, a commit), in a worktree of its own (build/bisect-src;
# your checkout is never touched). Each step builds the driver: the folders
# of the C files that GOOD..BAD changes, for x86_64 with ci/kconfig, in
# build/bisect-x86_64 (every C file those folders' Makefiles name must be
# compiled); then runs TEST, a shell command, in the worktree if given
# (exit 0 good, 125 skip, anything else bad; $BISECT_SRC, $BISECT_BUILD and
# $BISECT_REV name the worktree, the build folder and the commit under test,
# $FORSETI_TOP the project). GOOD must pass and BAD fail
# first. Names the first bad patch, its topic and its file in series/.
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --step ]; then
	# one step, run by git bisect run in the worktree
	src=$BISECT_SRC out=$BISECT_BUILD
	mapfile -t targets < <(targets_touched "$src" "$BISECT_GOOD" HEAD)
	if [ ${#targets[@]} -gt 0 ]; then
		log=$BUILD/bisect-logs/$(git -C "$src" rev-parse --short=12 HEAD).log
		if ! small_build "$src" "$out" "$log" "${targets[@]}"; then
			grep -q 'small_build: configuring' "$log" && exit 200
			printf 'bisect: %s: build FAILS (%s)\n' "$(git -C "$src" log -1 --format='%h %s')" "$log" >&2
			exit 1
		fi
	fi
	if [ -n "${BISECT_TEST:-}" ]; then
		if (cd "$src" && BISECT_REV=$(git rev-parse HEAD) FORSETI_TOP=$TOP bash -c "$BISECT_TEST") >>"$BUILD/bisect-logs/test.log" 2>&1; then
			:
		else
			rc=$?
			[ $rc -eq 125 ] && exit 125
			printf 'bisect: %s: test FAILS (exit %d)\n' "$(git -C "$src" log -1 --format='%h %s')" "$rc" >&2
			exit 1
		fi
	fi
	printf 'bisect: %s: good\n' "$(git -C "$src" log -1 --format='%h %s')" >&2
	exit 0
fi

[ $# -ge 2 ] && [ $# -le 3 ] && [ -n "$1" ] && [ -n "$2" ] || die "usage: scripts/bisect.sh GOOD BAD [TEST]"
need_tool make make
need_tool ccache ccache
need_ktree
good=$(kgit rev-parse -q --verify "$1^{commit}") || die "GOOD=$1 is not a revision of $KTREE"
bad=$(kgit rev-parse -q --verify "$2^{commit}") || die "BAD=$2 is not a revision of $KTREE"
[ "$good" != "$bad" ] || die "GOOD and BAD are the same commit: nothing to bisect"
kgit merge-base --is-ancestor "$good" "$bad" || die "GOOD=$1 is not an ancestor of BAD=$2"

SRC=$BUILD/bisect-src
export BISECT_SRC=$SRC BISECT_BUILD=$BUILD/bisect-x86_64 BISECT_GOOD=$good BISECT_TEST=${3:-}
if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	kgit worktree prune
	rm -rf "$SRC"
	info "creating the bisect worktree $SRC (once)"
	kgit worktree add -q --detach "$SRC" "$good"
fi
git -C "$SRC" bisect reset >/dev/null 2>&1 || true
git -C "$SRC" checkout -q --detach --force "$good"
git -C "$SRC" clean -q -fdx
rm -rf "$BUILD/bisect-logs"
mkdir -p "$BUILD/bisect-logs"
step() { "$TOP/scripts/bisect.sh" --step; }

# The ends first: git bisect trusts them, so a wrong one would give a wrong answer.
info "checking GOOD=$1 ($(kgit rev-parse --short=12 "$good"))"
rc=0
step || rc=$?
[ $rc -ne 200 ] || die "configuring the bisect build failed: see $BUILD/bisect-logs/"
[ $rc -eq 0 ] || die "GOOD=$1 does not pass (build or TEST): see $BUILD/bisect-logs/"
git -C "$SRC" checkout -q --detach --force "$bad"
info "checking BAD=$2 ($(kgit rev-parse --short=12 "$bad"))"
rc=0
step || rc=$?
[ $rc -ne 200 ] || die "configuring the bisect build failed: see $BUILD/bisect-logs/"
[ $rc -ne 0 ] || die "BAD=$2 passes (build${3:+ and TEST}): nothing to bisect"

git -C "$SRC" bisect start "$bad" "$good" >"$BUILD/bisect-logs/start.log" 2>&1 ||
	{ cat "$BUILD/bisect-logs/start.log" >&2; die "git bisect start failed in $SRC"; }
git -C "$SRC" bisect run "$TOP/scripts/bisect.sh" --step >"$BUILD/bisect-logs/run.log" 2>&1 || true
grep '^bisect: ' "$BUILD/bisect-logs/run.log" >&2 || true
skipped=$(git -C "$SRC" for-each-ref --format=x 'refs/bisect/skip-*' | wc -l)
git -C "$SRC" bisect log >"$BUILD/bisect-logs/bisect.log" 2>/dev/null || true
git -C "$SRC" bisect reset -q >/dev/null 2>&1 || git -C "$SRC" bisect reset >/dev/null 2>&1 || true
grep -q 'is the first bad commit' "$BUILD/bisect-logs/run.log" ||
	{ tail -n 20 "$BUILD/bisect-logs/run.log" >&2; die "git bisect found no single first bad commit (${skipped} skipped): see $BUILD/bisect-logs/run.log"; }
first=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$BUILD/bisect-logs/run.log" | head -n 1)

# Which topic and patch: the first topic branch that holds the commit.
subj=$(kgit log -1 --format=%s "$first")
where="not on any topic branch"
for t in $(topics); do
	br=refs/heads/$(topic_branch "$t")
	kgit rev-parse -q --verify "$br" >/dev/null || continue
	if kgit merge-base --is-ancestor "$first" "$br"; then
		par=$(parent_of_topic "$t")
		if kgit merge-base --is-ancestor "$first" "$par" 2>/dev/null; then continue; fi
		k=$(kgit rev-list --count "$par..$first")
		tot=$(kgit rev-list --count "$par..$br")
		file=$(patches_of "$t" | sed -n "${k}p")
		where="topic $t, patch $k/$tot${file:+ ($SERIES/$t/$(basename "$file"))}"
		break
	fi
done
printf 'first bad patch: %s "%s"\n  %s\n' "$(kgit rev-parse --short=12 "$first")" "$subj" "$where"
printf 'logs: %s\n' "$BUILD/bisect-logs"
