#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/enroll.sh [--deps] [TOPIC...]
# Enroll the topic branches of kernel-tree/ with b4 prep (all topics with
# patches and a cover letter when none is named), from what the project records: the cover
# letter (cover-letters/<N-topic>.txt), the change-id, the version and the
# prerequisites (cover-letters/<N-topic>.meta). b4 keeps them in the
# branch's git configuration (cover strategy "branch-description"), with the
# branch below as its base-branch (fork point); the first topic forks from
# the branch "base", kept at the base tag. A topic without a change-id is
# enrolled by 'b4 prep --enroll', and the change-id b4 makes is recorded.
# The prerequisites are one "change-id: <id>:vN" per topic below (recorded
# once, when the .meta has none; --deps records the topics below as they
# are now: the version last sent when it is unchanged, else the one being
# prepared) and "base-commit:" the base. A topic whose version b4 sent
# without a record in sent/ is refused (see send.sh --record). make apply
# runs it.
. "$(dirname "$0")/lib.sh"

DEPS=0
if [ "${1:-}" = --deps ]; then
	DEPS=1
	shift
fi
for a in "$@"; do
	case $a in -*) die "usage: scripts/enroll.sh [--deps] [TOPIC...]" ;; esac
done
need_ktree
need_b4
base=$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")
# the branch "base", the first topic's fork point, follows the base tag;
# a branch of that name at no base tag is someone's own (never clobbered),
# and git branch -f refuses one checked out in a worktree
cur=$(kgit rev-parse -q --verify "refs/heads/${BRANCH_PREFIX}base") || cur=""
if [ "$cur" != "$base" ]; then
	[ -z "$cur" ] || [ -n "$(kgit tag --points-at "$cur" -l 'base/*')" ] ||
		die "$KTREE: branch '${BRANCH_PREFIX}base' is at $(kgit rev-parse --short "$cur"), no base tag: the first topic forks from that branch, kept at $BASE_TAG: rename yours (git branch -m ${BRANCH_PREFIX}base NAME) and run it again"
	kgit branch -f "${BRANCH_PREFIX}base" "$base" >/dev/null ||
		die "$KTREE: cannot move branch '${BRANCH_PREFIX}base' to $BASE_TAG (checked out? check out another one)"
fi

if [ $# -eq 0 ]; then
	TS=()
	for t in $(topics); do
		[ -n "$(patches_of "$t")" ] || continue
		if [ ! -f "$(cover_of "$t")" ]; then
			info "topic $t: not enrolled: no cover letter $(cover_of "$t")"
			continue
		fi
		TS+=("$t")
	done
else
	TS=()
	for a in "$@"; do TS+=("$(topic_dir "$a")"); done
fi

# tracking_json BRANCH CID REV BASE-BRANCH PREREQ...: b4's tracking data,
# keeping the history (the Message-IDs of sent versions) and the prefixes
# b4 already has, and adding the history of the sent records (HIST: "vN
# message-id" lines).
tracking_json() {
	local br=$1
	shift
	HIST=$HIST /usr/bin/python3 - "$(kgit config --get "branch.$br.b4-tracking" || true)" "$@" <<'EOF'
import json, os, sys
old, cid, rev, basebr = sys.argv[1:5]
prereqs = sys.argv[5:]
try:
    was = json.loads(old)["series"]
except Exception:
    was = {}
hist = was.get("history", {})
for line in os.environ.get("HIST", "").splitlines():
    if len(line.split()) != 2:
        sys.exit("a sent record's first row (sent/<N-topic>/%s/patches.tsv) has no Message-ID" % line.strip())
    v, mid = line.split()
    hist.setdefault(v, [mid])
# (the prefixes a user gave b4, e.g. RFC, stay: they are not recorded here)
series = {"revision": int(rev), "change-id": cid, "prefixes": was.get("prefixes", []), "base-branch": basebr,
          "prerequisites": prereqs}
if hist:
    series["history"] = hist
print(json.dumps({"series": series}))
EOF
}

# restore_sent TOPIC: b4's tag of each version sent (sent/<change-id>-vN,
# which 'b4 prep --compare-to' and so make reroll need) rebuilt from the
# committed record sent/<N-topic>/vN/ when kernel-tree/ lacks it (a fresh
# clone, a re-made kernel-tree/): the mails applied on the base with the
# prerequisites they name (their sent records, else series/ now; else on the
# topic below now), tagged with the cover letter (b4 reads base-commit: and
# change-id: there). Sets HIST: "vN <first Message-ID>" per record.
restore_sent() {
	local t=$1 rec n tag tip m d pcid pv mbox msg
	HIST=""
	for n in $(ls "$SENT/$t" 2>/dev/null | sed -n 's/^v\([1-9][0-9]*\)$/\1/p' | sort -n); do
		rec=$SENT/$t/v$n
		mbox=$rec/series.mbox
		[ -s "$mbox" ] || continue
		[ ! -s "$rec/patches.tsv" ] || HIST+="v$n $(head -n 1 "$rec/patches.tsv" | cut -f3)"$'\n'
		tag=""
		[ ! -f "$rec/info" ] || tag=$(sed -n 's/^sent-tag: //p' "$rec/info")
		[ -n "$tag" ] || tag=$(sent_tag "$t" "$n")
		! kgit rev-parse -q --verify "refs/tags/$tag" >/dev/null || continue
		msg=$(mktemp)
		# the tag's message (b4's: the cover subject, a blank line, the
		# cover letter), and the prerequisites, from the first mail
		/usr/bin/python3 - "$mbox" "$msg" >"$msg.pre" <<'PYEOF' || { rm -f "$msg" "$msg.pre"; die "$mbox: cannot read its first mail"; }
import mailbox, re, sys
m = next(iter(mailbox.mbox(sys.argv[1])))
subj = re.sub(r"\s+", " ", str(m["Subject"]))
subj = re.sub(r"^\[[^]]*\]\s*", "", subj)
body = m.get_payload(decode=True).decode("utf-8", "replace")
body = body.split("\n-- \n")[0].rstrip("\n") + "\n"
# (the records are mboxrd: a body line ">From " was "From ")
body = re.sub(r"(?m)^>(>*From )", r"\1", body)
open(sys.argv[2], "w").write(subj + "\n\n" + body)
for l in body.split("\n"):
    r = re.match(r"^prerequisite-change-id:\s*(\S+):v(\d+)\s*$", l)
    if r:
        print(r.group(1), r.group(2))
PYEOF
		tip=$base
		while read -r pcid pv; do
			m=""
			for d in $(topics_below "$t"); do
				[ "$(meta_get "$d" change-id)" = "$pcid" ] || continue
				if [ -s "$SENT/$d/v$pv/series.mbox" ]; then
					m=$SENT/$d/v$pv/series.mbox
				else
					m=$msg.$d
					cat $(patches_of "$d") >"$m"
				fi
			done
			tip=$( [ -n "$m" ] && am_index "$KTREE" "$tip" "$m" 2>/dev/null) || { tip=""; break; }
		done <"$msg.pre"
		[ -z "$tip" ] || tip=$(am_index "$KTREE" "$tip" "$mbox" 2>/dev/null) || tip=""
		[ -n "$tip" ] || tip=$(am_index "$KTREE" "$(parent_of_topic "$t")" "$mbox" 2>/dev/null) || tip=""
		if [ -n "$tip" ]; then
			kgit tag -a -F "$msg" "$tag" "$tip"
			info "topic $t: b4's tag $tag rebuilt from $rec"
		else
			info "warning: topic $t: the mails of $rec apply neither on their prerequisites nor on the topic below: no tag $tag (make reroll cannot compare with v$n)"
		fi
		rm -f "$msg" "$msg".*
	done
}

for t in "${TS[@]}"; do
	br=$(topic_branch "$t")
	kgit rev-parse -q --verify "refs/heads/$br" >/dev/null ||
		die "topic $t: no branch '$br' in $KTREE: run 'make apply' first"
	need_cover "$t"
	basebr=$(base_branch_of "$t")
	kgit merge-base --is-ancestor "refs/heads/$basebr" "refs/heads/$br" ||
		die "topic $t: branch '$br' is not stacked on '$basebr': rebase it first"
	cid=$(meta_get "$t" change-id)
	fresh=0
	if [ -z "$cid" ]; then
		fresh=1
		# b4 makes the change-id: enroll the branch for real (forgetting
		# what an earlier branch of that name left), then read it
		need_clean_ktree
		for k in b4-prep-cover-strategy description b4-tracking; do
			kgit config --unset "branch.$br.$k" || true
		done
		on_branch "$br" kb4 prep --enroll "$basebr" >"$BUILD/enroll.log" 2>&1 ||
			{ cat "$BUILD/enroll.log" >&2; die "topic $t: b4 prep --enroll $basebr failed"; }
		cid=$(kgit config --get "branch.$br.b4-tracking" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["series"]["change-id"])') ||
			die "topic $t: b4 prep --enroll left no change-id"
		meta_write "$t" "$cid" "$(topic_version "$t")"
		info "topic $t: b4 made the change-id $cid (recorded in $(meta_of "$t"): commit it)"
	fi
	v=$(topic_version "$t")
	[[ $v =~ ^[1-9][0-9]*$ ]] || die "$(meta_of "$t"): version '$v' is not a number"
	# b4 sent vN but sent/ has no record (send.sh stopped after b4): enrolled
	# again from the .meta, b4 would be back at vN, and the next make send
	# would post vN a second time
	! sent_unrecorded "$t" ||
		die "topic $t: v$v went out (b4's tag $(sent_tag "$t" "$v") or its history), but has no record in $SENT/$t/v$v: write it with make send RECORD=1 TOPIC=${t#*-} (scripts/send.sh --record), then commit sent/ and cover-letters/"
	mapfile -t pre < <(meta_all "$t" prerequisite-change-id)
	if [ $DEPS -eq 1 ] || [ ${#pre[@]} -eq 0 ]; then
		pre=()
		for d in $(topics_below "$t"); do
			[ -n "$(meta_get "$d" change-id)" ] ||
				die "topic $t: topic $d below it has no change-id yet: enroll it first (scripts/enroll.sh $d)"
			# the version posted when the topic is as it was sent (b4
			# already started the next one), else the one being prepared
			pv=$(sent_as_now "$d")
			pre+=("$(meta_get "$d" change-id):v${pv:-$(topic_version "$d")}")
		done
		meta_write "$t" "$cid" "$v" "${pre[@]}"
	fi
	reqs=()
	for p in "${pre[@]}"; do reqs+=("change-id: $p"); done
	[ ${#reqs[@]} -eq 0 ] || reqs+=("base-commit: $base")
	restore_sent "$t"
	# (a failure inside $(...) in a command's argument would not stop
	# the script: b4 would get empty tracking data)
	tj=$(tracking_json "$br" "$cid" "$v" "$basebr" "${reqs[@]}") ||
		die "topic $t: cannot make b4's tracking data for '$br' (above)"
	[ $fresh -eq 1 ] || cover_from_b4 "$t"
	kgit config "branch.$br.b4-prep-cover-strategy" branch-description
	cover_to_branch "$t"
	kgit config "branch.$br.b4-tracking" "$tj"
	info "$br: enrolled with b4 prep: change-id $cid, v$v, fork point $basebr${pre:+, ${#pre[@]} prerequisite(s)}"
done
