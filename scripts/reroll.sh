#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/reroll.sh TOPIC
# After review, before sending the next version of TOPIC. b4 send already
# started it (b4's revision, a "Changes in vN+1:" section with EDITME lines
# and the Link to vN); this puts the range-diff of vN as b4 tagged it
# (sent/<change-id>-vN: its patches alone, on the topic below as it was
# sent) against the branch now (on the topic below now) into that section,
# and records the topics below as the prerequisites (prerequisite-change-id:
# the version last sent when a topic is unchanged since, else the one being
# prepared). Run it again after more changes: it replaces its range-diff.
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: scripts/reroll.sh TOPIC"
need_ktree
b4_setup
t=$(topic_dir "$1")
need_clean_ktree
br=$(topic_branch "$t")
kgit rev-parse -q --verify "refs/heads/$br" >/dev/null || die "topic $t: no branch '$br' in $KTREE: run 'make apply' first"
[ -n "$(patches_of "$t")" ] || die "topic $t has no patches: nothing to reroll"
need_cover "$t"
v=$(topic_version "$t")
prev=$((v - 1))
tag=$(sent_tag "$t" "$prev")
[ "$prev" -ge 1 ] && kgit rev-parse -q --verify "refs/tags/$tag" >/dev/null ||
	die "topic $t: v$v was never sent (no tag $tag): make send sends it, and b4 starts the next one"
"$TOP/scripts/enroll.sh" --deps "$t" 2>"$BUILD/enroll.log" || { cat "$BUILD/enroll.log" >&2; exit 1; }
cover=$(cover_of "$t")
grep -q "^Changes in v$v:" "$cover" || die "$cover has no 'Changes in v$v:' section (b4 send adds it)"
parent=$(parent_of_topic "$t")
kgit merge-base --is-ancestor "$parent" "refs/heads/$br" ||
	die "topic $t: branch '$br' is not stacked on the topic below it: rebase it first"
# The range-diff b4 prep --compare-to makes starts vN's range at the
# base-commit of b4's tag (the base, for a topic with prerequisites), so
# the topics below would show as removed: vN's range starts at its own
# first patch instead (the record's patch count below the tag).
k=0
[ ! -f "$SENT/$t/v$prev/patches.tsv" ] || k=$(awk -F'\t' '$2 != "-"' "$SENT/$t/v$prev/patches.tsv" | wc -l)
[ "$k" -gt 0 ] && kgit rev-parse -q --verify "refs/tags/$tag^{commit}~$k" >/dev/null ||
	die "topic $t: no patches of v$prev in $SENT/$t/v$prev/patches.tsv below b4's tag $tag: cannot compare with v$prev"
rd=$(mktemp)
trap 'rm -f "$rd"' EXIT
kgit range-diff "$(kgit rev-parse "refs/tags/$tag^{commit}~$k")..$(kgit rev-parse "refs/tags/$tag^{commit}")" \
	"$(kgit rev-parse "$parent")..$(kgit rev-parse "refs/heads/$br")" >"$rd" 2>"$BUILD/reroll.log" ||
	{ cat "$BUILD/reroll.log" >&2; die "topic $t: git range-diff against v$prev failed"; }
/usr/bin/python3 - "$cover" "$v" "$prev" "$rd" <<'PYEOF'
import re, sys
path, ver, prev, rdfile = sys.argv[1:5]
lines = open(path).read().rstrip("\n").split("\n")
rd = [re.sub(r"\x1b\[[0-9;]*m", "", l) for l in open(rdfile).read().rstrip("\n").split("\n")]
head = re.compile(r"^Changes in v(\d+):\s*$")
starts = [i for i, l in enumerate(lines) if head.match(l)]
s = next(i for i in starts if head.match(lines[i]).group(1) == ver)
e = next((i for i in starts if i > s), len(lines))
mark = "Range-diff against v%s:" % prev
body = lines[s:e]
if mark in body:
    body = body[:body.index(mark)]
while body and body[-1] == "":
    body.pop()
body += ["", mark] + rd
if e < len(lines):
    body.append("")
lines[s:e] = body
open(path, "w").write("\n".join(lines) + "\n")
PYEOF
cover_to_branch "$t"
info "topic $t: v$v's changelog in $cover has the range-diff against v$prev; replace its EDITME lines with what changed (and commit it)"
