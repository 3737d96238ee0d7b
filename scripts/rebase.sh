#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/rebase.sh <Debian version of the base package>
# Move the whole stack onto a new base: fetch and import the new source as a
# new tagged base commit, rebase topic by topic, record the new base in
# BASE, then export and check. On a conflict it stops, naming the topic and
# the patch; resolve and 'git rebase --continue' in kernel-tree/ (or
# '--abort'), then run it again to go on with the topics left.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: scripts/rebase.sh <version> (e.g. make rebase BASE=7.3.5-1~bpo13+1)"
new_ver=$1
need_ktree
need_clean_ktree
old_tag=$BASE_TAG
new_tag=$(base_tag "$new_ver")
printf '%s' "$new_ver" | grep -qE '^[0-9][A-Za-z0-9.+~:-]*$' ||
	die "BASE=$new_ver is not a Debian version"

for t in $(topics); do
	kgit rev-parse -q --verify "refs/heads/$(topic_branch "$t")" >/dev/null ||
		die "topic $t: no branch '$(topic_branch "$t")': run 'make apply' first"
done

# The heads before the rebase, kept until the whole stack has moved, so a
# second run after a resolved conflict knows where each topic started.
for t in $(topics); do
	b=$(topic_branch "$t")
	kgit rev-parse -q --verify "refs/forseti-rebase/$b" >/dev/null ||
		kgit update-ref "refs/forseti-rebase/$b" "refs/heads/$b"
done

if ! kgit rev-parse -q --verify "refs/tags/$new_tag" >/dev/null; then
	deb=$(deb_of "$new_ver")
	tarball=$(tarball_of "$deb" "")
	import_base "$new_ver" "$tarball"
	new_sha=$TARBALL_SHA256
else
	new_sha=$(kgit log -1 --format=%B "refs/tags/$new_tag" | sed -n 's/^sha256 of [^:]*: //p')
fi

prev_old="refs/tags/$old_tag"
prev_new="refs/tags/$new_tag"
for t in $(topics); do
	b=$(topic_branch "$t")
	orig=$(kgit rev-parse "refs/forseti-rebase/$b")
	if kgit merge-base --is-ancestor "$prev_new" "refs/heads/$b" &&
		! kgit merge-base --is-ancestor "$prev_old" "refs/heads/$b" 2>/dev/null; then
		info "$t: already on the new base"
	else
		info "$t: rebasing $(kgit rev-list --count "$prev_old..$orig") patch(es)"
		if ! kgit rebase -q --onto "$prev_new" "$prev_old" "$b" >"$BUILD/rebase.log" 2>&1; then
			cat "$BUILD/rebase.log" >&2
			stopped=$(kgit rev-parse -q --verify REBASE_HEAD 2>/dev/null || true)
			subj=$( [ -n "$stopped" ] && kgit log -1 --format=%s "$stopped" || echo '?')
			die "topic $t: patch \"$subj\" conflicts on $new_tag: resolve it in $KTREE and 'git rebase --continue' (or 'git rebase --abort'), then run this again"
		fi
	fi
	prev_old=$orig
	prev_new="refs/heads/$b"
done

for t in $(topics); do
	kgit update-ref -d "refs/forseti-rebase/$(topic_branch "$t")"
done
sed -i -e "s|^BASE_VERSION=.*|BASE_VERSION=$new_ver|" -e "s|^BASE_SHA256=.*|BASE_SHA256=$new_sha|" "$BASE_FILE"
info "the stack is on $new_tag; $BASE_FILE updated"
"$TOP/scripts/export.sh"
if [ "${NO_CHECK:-0}" = 1 ]; then
	info "NO_CHECK=1: not running the checks"
else
	"$TOP/scripts/check.sh"
fi
