#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/apply.sh
# Make one branch per topic in kernel-tree/, stacked in series order, by
# git am of each topic's patches. The commits a branch held before are kept
# under refs/forseti-backup/ when they differ from what is applied.
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/apply.sh (it takes no arguments)"
need_ktree
need_clean_ktree

# What a branch holds, ignoring commit ids and committer dates: its tree and
# every commit's author and message since the base.
content_of() {
	kgit rev-parse "$1^{tree}"
	kgit log --format='%an <%ae> %ad%n%B' "$base..$1"
}

stamp=$(date -u +%Y%m%dT%H%M%S)
base=$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")
for t in $(topics); do
	branch=$(topic_branch "$t")
	parent=$(kgit rev-parse "$(parent_of_topic "$t")^{commit}")
	old=$(kgit rev-parse -q --verify "refs/heads/$branch" || true)
	kgit checkout -q --detach "$parent"
	n=0
	for p in $(patches_of "$t"); do
		if ! kgit am -q "$p" >"$BUILD/apply.log" 2>&1; then
			cat "$BUILD/apply.log" >&2
			die "topic $t: patch $(basename "$p") does not apply (git -C $KTREE am --abort undoes the attempt)"
		fi
		n=$((n + 1))
	done
	new=$(kgit rev-parse HEAD)
	if [ -n "$old" ] && [ "$(content_of "$old")" != "$(content_of "$new")" ]; then
		kgit update-ref "refs/forseti-backup/$stamp/$branch" "$old"
		info "branch $branch held other commits: kept as refs/forseti-backup/$stamp/$branch"
	fi
	kgit update-ref -m "forseti apply" "refs/heads/$branch" "$new"
	info "$branch: $n patch(es) on $(kgit rev-parse --short=12 "$parent")"
done
last=$(topics | tail -n 1)
if [ -n "$last" ]; then
	kgit checkout -q "$(topic_branch "$last")"
else
	kgit checkout -q --detach "$base"
fi
info "kernel-tree at $(kgit rev-parse --abbrev-ref HEAD)"
# b4 prep's state of each topic (cover letter, change-id, version,
# prerequisites) from cover-letters/, for make send, reroll and trailers.
if b4_ok; then
	"$TOP/scripts/enroll.sh"
else
	info "b4 ${B4_VERSION%-*} is not installed (make tree): topics not enrolled with b4 prep"
fi
