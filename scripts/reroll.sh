#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/reroll.sh TOPIC
# Start vN+1 of TOPIC: bump "version:" in cover-letters/<N-topic>.meta and
# add a "Changes in vN+1:" section to the cover letter's changelog, with an
# EDITME line to replace and "Range-diff against vN:" (git range-diff of vN
# as posted against the topic branch now). vN is what make send sent (kept
# as refs/forseti/posted/<topic>/vN in kernel-tree/, or rebuilt from
# sent/<N-topic>/vN/series.mbox); a vN that was never sent by make send is
# taken as the branch as it is now. make send refreshes the range-diff.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: scripts/reroll.sh TOPIC"
need_ktree
t=$(topic_dir "$1")
need_clean_ktree
branch=$(topic_branch "$t")
kgit rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
	die "topic $t: no branch '$branch' in $KTREE: run 'make apply' first"
parent=$(kgit rev-parse "$(parent_of_topic "$t")^{commit}")
tip=$(kgit rev-parse "refs/heads/$branch")
[ "$(kgit rev-list --count "$parent..$tip")" -gt 0 ] || die "topic $t has no patches: nothing to reroll"
need_cover "$t"
cover=$(cover_of "$t")
ensure_change_id "$t" >/dev/null
v=$(topic_version "$t")
[[ $v =~ ^[1-9][0-9]*$ ]] || die "$(meta_of "$t"): version '$v' is not a number"
grep -q "^Changes in v$((v + 1)):" "$cover" && die "$cover already has a 'Changes in v$((v + 1)):' section"

if ! range=$(posted_range "$t" "$v"); then
	[ ! -e "$SENT/$t/v$v" ] ||
		die "topic $t: v$v in $SENT/$t/v$v no longer applies to the topics below it: cannot make a range-diff"
	info "topic $t: v$v was not sent by make send: taking branch '$branch' as it is now as v$v"
	kgit update-ref "$(posted_ref "$t" "$v")" "$tip"
	kgit update-ref "$(posted_ref "$t" "$v")-base" "$parent"
	range="$parent $tip"
fi
rd=$(mktemp)
trap 'rm -f "$rd"' EXIT
kgit range-diff --no-color "${range% *}..${range#* }" "$parent..$tip" >"$rd"
link=""
if [ -f "$SENT/$t/v$v/patches.tsv" ]; then
	link=$(awk -F'\t' '$1 == "00" && $3 != "" { print "https://lore.kernel.org/r/" $3 }' "$SENT/$t/v$v/patches.tsv")
fi
cover_changelog "$cover" $((v + 1)) "$v" "$rd" new "$link"
meta_set "$t" version $((v + 1))
info "topic $t: v$((v + 1)) started; replace the EDITME line of $cover with what changed (the range-diff against v$v is there)"
