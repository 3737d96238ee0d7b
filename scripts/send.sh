#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/send.sh [--dry-run] [--out DIR] [--verify] [--yes] TOPIC
#        scripts/send.sh --record TOPIC
# Mail TOPIC with b4 send, from its b4-prep-enrolled branch (scripts/enroll.sh
# brings the cover letter, change-id, version and prerequisites from
# cover-letters/ first). b4 makes the mails: cover letter, base-commit,
# change-id, prerequisite-change-id and prerequisite-patch-id lines (the
# topics below, from the local archive: scripts/lore.py), To: and Cc: from
# the tree's get_maintainer.pl. Before anything is shown or sent, the
# project's own checks: the branch holds exactly series/; 'b4 prep
# --check-deps' passes; the mails, applied on the topic below, rebuild the
# branch exactly, and 'b4 am' reads them with their base.
#   --dry-run  'b4 send -o DIR' (default build/send/<N-topic>-vN): write the
#              mails, send nothing
#   --verify   also apply them with b4 am + git am onto a fresh worktree
#              (build/send-src) at the base with the topics below, and build
#              the touched folders for x86_64
#   --yes      answer b4's question itself (for scripts)
#   --record   write the record of a version b4 sent when this script
#              stopped before it did (b4's tag and history, the mails the
#              send made in build/send/<N-topic>-vN); sends nothing
# A real send refuses an address ending in .invalid (poster, From:,
# Signed-off-by:, MAINTAINERS), mails that b4 makes from another sender
# than the poster or with .invalid Message-IDs, and a cover letter that
# says EDITME, then
# runs 'b4 send' with your sendemail.* configuration (b4 asks before it
# sends). b4 tags the version sent (sent/<change-id>-vN) and starts vN+1;
# the project records the mails in sent/<N-topic>/vN/ and the new version in
# cover-letters/ (commit both).
. "$(dirname "$0")/lib.sh"

usage() { die "usage: scripts/send.sh [--dry-run] [--out DIR] [--verify] [--yes] TOPIC, or --record TOPIC"; }
DRY=0 OUT="" VERIFY=0 YES=0 RECORD=0 TOPIC=""
while [ $# -gt 0 ]; do
	case $1 in
	--dry-run) DRY=1 ;;
	--out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
	--verify) VERIFY=1 ;;
	--yes) YES=1 ;;
	--record) RECORD=1 ;;
	-*) usage ;;
	*) [ -z "$TOPIC" ] || usage; TOPIC=$1 ;;
	esac
	shift
done
[ -n "$TOPIC" ] || usage
[ -z "$OUT" ] || [ $DRY -eq 1 ] || die "--out (OUT=) is for a dry run: add --dry-run (DRY_RUN=1)"
[ -z "$OUT" ] || OUT=$(realpath -m "$OUT")
[ $RECORD -eq 0 ] || { [ $DRY -eq 0 ] && [ $VERIFY -eq 0 ] && [ $YES -eq 0 ] && [ -z "$OUT" ]; } ||
	die "--record (RECORD=1) takes the topic alone"

need_ktree
b4_setup
t=$(topic_dir "$TOPIC")
need_clean_ktree
branch=$(topic_branch "$t")
kgit rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
	die "topic $t: no branch '$branch' in $KTREE: run 'make apply' first"

# record_sent: the record of vN in sent/<N-topic>/vN/: the mails as b4 made
# them just before (their Message-IDs as b4 sent them: the template's
# random part is the one b4 recorded), and one line per mail: number,
# patch-id, Message-ID, subject.
# (t, v, cid, base, parent, tip, branch, mbox, MAILS, work: the send's)
record_sent() {
	sent_cover=$(kgit config --get "branch.$branch.b4-tracking" |
		/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["series"]["history"]["v'"$v"'"][-1])') ||
		die "topic $t v$v went out, but b4's tracking history has no v$v: write sent/ by hand from b4's sent tag $(sent_tag "$t" "$v")"
	made_cover=$(sed -n 's/^Message-I[dD]: *<\(.*\)>/\1/p' "${MAILS[0]}" | head -n 1)
	rec=$SENT/$t/v$v
	mkdir -p "$rec"
	/usr/bin/python3 - "$mbox" "$rec/series.mbox" "$made_cover" "$sent_cover" <<'PYEOF' ||
import re, sys
src, dst, made, sent = sys.argv[1:5]
# <stable-vN-COUNTER-random@domain>: swap the stable and random parts
m1 = re.match(r'^(.*-v\d+-)\d+(-[0-9a-f]+@.*)$', made)
m2 = re.match(r'^(.*-v\d+-)\d+(-[0-9a-f]+@.*)$', sent)
if not (m1 and m2):
    # (a b4 whose Message-IDs look otherwise: a record with the
    # Message-IDs of the mails made before would name mails never sent)
    sys.exit("b4's Message-IDs <%s> (made) and <%s> (sent, b4's tracking history) are not "
             "<...-vN-N-hex@domain>" % (made, sent))
s = open(src).read()
s = re.sub(re.escape(m1.group(1)) + r'(\d+)' + re.escape(m1.group(2)),
           lambda m: m2.group(1) + m.group(1) + m2.group(2), s)
open(dst, 'w').write(s)
PYEOF
		{ rm -rf "$rec"; die "topic $t v$v went out, but its record ($rec) cannot be written (above): write sent/ by hand from b4's sent tag $(sent_tag "$t" "$v")"; }
	d=$(mktemp -d "$work/rec.XXXXXX")
	git mailsplit --mboxrd -o"$d" "$rec/series.mbox" >/dev/null
	# (00 is the cover letter; a single patch carries its cover letter itself)
	{
		i=0
		for m in "$d"/*; do
			pid=$(git patch-id --stable <"$m" | cut -d' ' -f1)
			mid=$(sed -n 's/^Message-I[dD]: *//p' "$m" | head -n 1 | tr -d '<>')
			subj=$(git mailinfo /dev/null /dev/null <"$m" | sed -n 's/^Subject: //p')
			[ -z "$pid" ] || [ $i -gt 0 ] || i=1
			printf '%02d\t%s\t%s\t%s\n' "$i" "${pid:--}" "$mid" "$subj"
			i=$((i + 1))
		done
	} >"$rec/patches.tsv"
	printf 'date: %s\nchange-id: %s\nbase-commit: %s\nsent-tag: %s\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cid" "$base" "$(sent_tag "$t" "$v")" >"$rec/info"
	kgit update-ref "$(posted_ref "$t" "$v")" "$tip"
	kgit update-ref "$(posted_ref "$t" "$v")-base" "$parent"
}

# --record: b4 sent vN (its tag, its history), and this script stopped
# before the record: write it from b4's tag and the mails the send made
# (build/send/<N-topic>-vN, b4 send -o's, with b4's Message-ID template).
if [ $RECORD -eq 1 ]; then
	v=$(topic_version "$t")
	cid=$(meta_get "$t" change-id)
	tag=$(sent_tag "$t" "$v")
	[ ! -e "$SENT/$t/v$v" ] || die "topic $t: v$v has its record already ($SENT/$t/v$v)"
	sent_unrecorded "$t" && kgit rev-parse -q --verify "refs/tags/$tag" >/dev/null ||
		die "topic $t: b4 has no sent tag $tag: v$v did not go out, nothing to record"
	OUT=$BUILD/send/$t-v$v
	mbox=$OUT/${t#*-}-v$v.mbox
	[ -s "$mbox" ] || die "topic $t: the mails the send made ($mbox) are gone: write $SENT/$t/v$v by hand from b4's tag $tag"
	mapfile -t MAILS < <(find "$OUT" -maxdepth 1 -type f ! -name '*.mbox' | sort)
	tip=$(kgit rev-parse "refs/tags/$tag^{commit}")
	n=$(mbox_pids "$mbox" | grep -c . || true)
	[ "$n" -gt 0 ] && parent=$(kgit rev-parse -q --verify "$tip~$n") &&
		[ "$(mbox_pids "$mbox")" = "$(format_patch --stdout "$parent..$tip" | git patch-id --stable | cut -d' ' -f1)" ] ||
		die "topic $t: the mails in $OUT are not the patches b4 tagged as $tag (a later dry run?): write $SENT/$t/v$v by hand from the tag"
	base=$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")
	work=$(mktemp -d "${TMPDIR:-/tmp}/forseti-send.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	record_sent
	sync_from_b4 "$t"
	info "topic $t: v$v recorded from b4's tag $tag and the mails in $OUT: $rec and $(meta_of "$t") (at v$(topic_version "$t"), as b4; commit them)"
	exit 0
fi

parent=$(kgit rev-parse "$(parent_of_topic "$t")^{commit}")
base=$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")
tip=$(kgit rev-parse "refs/heads/$branch")
kgit merge-base --is-ancestor "$parent" "$tip" ||
	die "topic $t: branch '$branch' is not stacked on the topic below it: rebase it first"
n=$(kgit rev-list --count "$parent..$tip")
[ "$(patches_of "$t" | wc -l)" -gt 0 ] || [ "$n" -gt 0 ] ||
	die "topic $t has no patches: nothing to send"
# The mails are made from the branch: it must hold exactly what series/ holds.
ids_branch=$(format_patch --stdout "$parent..$tip" | git patch-id --stable | cut -d' ' -f1)
[ "$(series_pids "$t")" = "$ids_branch" ] ||
	die "topic $t: branch '$branch' differs from $SERIES/$t: run 'make export' (or 'make apply') first"
need_cover "$t"
cover=$(cover_of "$t")
if [ $DRY -eq 0 ]; then
	mapfile -t bad < <(identity_problems "$t")
	[ ${#bad[@]} -eq 0 ] ||
		die "topic $t: a real posting needs a real identity, not ${bad[0]}$([ ${#bad[@]} -eq 1 ] || printf ' (and %d more)' $((${#bad[@]} - 1))): adopt the series with make adopt ID='Your Name <you@example.org>', then make apply"
	! grep -q EDITME "$cover" || die "$cover still says EDITME: write the changelog first"
fi

# b4's prep state from the project, the topics below in the local archive,
# and b4's dependency check.
"$TOP/scripts/enroll.sh" "$t" 2>"$POST_LOGS/enroll.log" || { cat "$POST_LOGS/enroll.log" >&2; exit 1; }
v=$(topic_version "$t")
cid=$(meta_get "$t" change-id)
if [ $DRY -eq 0 ] && [ -e "$SENT/$t/v$v" ]; then
	die "topic $t: v$v was already sent ($SENT/$t/v$v): start v$((v + 1)) with 'make reroll TOPIC=${t#*-}'"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/forseti-send.XXXXXX")
trap 'lore_down; rm -rf "$work"' EXIT
# A real send posts prerequisite-change-id lines that reviewers resolve on
# the list: each version named must have been posted (sent/), and only
# what was posted is in the local archive for b4's dependency check.
if [ $DRY -eq 0 ]; then
	for p in $(meta_all "$t" prerequisite-change-id); do
		d=""
		for x in $(topics_below "$t"); do
			[ "$(meta_get "$x" change-id):" != "${p%v*}" ] || d=$x
		done
		[ -n "$d" ] || die "topic $t: its prerequisite-change-id $p is no topic below it: make reroll TOPIC=${t#*-} records them as they are now"
		[ -e "$SENT/$d/${p##*:}" ] ||
			die "topic $t stands on $d ${p##*:} (prerequisite-change-id $p), which was never posted ($SENT/$d/${p##*:}): send it first (make send TOPIC=${d#*-})"
	done
	lore_up "$t" --sent-only
else
	lore_up "$t"
fi
[ -z "$(meta_all "$t" prerequisite-change-id)" ] || check_deps "$t"
if grep -q EDITME "$cover"; then
	info "warning: $cover still says EDITME (a real send refuses it)"
fi

# The mails, as b4 makes them.
OUT=${OUT:-$BUILD/send/$t-v$v}
b4_mails "$t" "$work/mails"
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$work"/mails/* "$OUT/"
mbox=$OUT/${t#*-}-v$v.mbox
mv "$OUT/all.mbox" "$mbox"
mapfile -t MAILS < <(find "$OUT" -maxdepth 1 -type f ! -name '*.mbox' | sort)
# The sender and the Message-IDs, as b4 chose them (its identity, sendemail
# and user settings) for these mails, made with the real send's configuration
if [ $DRY -eq 0 ]; then
	s=$(sender_problem "${MAILS[0]}")
	[ -z "$s" ] || die "topic $t: $s"
fi

# Check the mails: they rebuild the topic's tree on its parent, and b4 reads
# the whole series with its base.
got=$(am_index "$KTREE" "$parent" "$mbox") || die "the mails of topic $t do not apply on the topic below it"
[ "$(kgit rev-parse "$got^{tree}")" = "$(kgit rev-parse "$tip^{tree}")" ] ||
	die "the mails of topic $t do not rebuild branch '$branch' exactly"
mkdir -p "$work/b4"
(cd "$KTREE" && "$B4" --offline-mode am -m "$mbox" -o "$work/b4") >"$work/b4.log" 2>&1 ||
	{ cat "$work/b4.log" >&2; die "b4 am cannot read the mails of topic $t"; }
grep -q "Base: using specified base-commit $base" "$work/b4.log" ||
	{ cat "$work/b4.log" >&2; die "b4 am does not find the base-commit $base in the mails of topic $t"; }
grep -q "^Total patches: $n\$" "$work/b4.log" ||
	{ cat "$work/b4.log" >&2; die "b4 am does not find the $n patch(es) of topic $t in the mails"; }
# (the count alone can match when b4 took a piece of a mail for a patch)
! grep -qE '^ *ERROR: missing \[|^WARNING: Thread incomplete' "$work/b4.log" ||
	{ cat "$work/b4.log" >&2; die "b4 am finds the series of topic $t incomplete in the mails (a patch missing, above)"; }

# --verify: what a reviewer does. A fresh worktree at the base, the topics
# below from series/ (git am), then this mbox through b4 am and git am, and
# a build of the folders it touches.
verify() {
	local src=$BUILD/send-src log=$BUILD/send-verify.log d p am targets
	if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		kgit worktree prune
		rm -rf "$src"
		info "creating the worktree $src (once)"
		kgit worktree add -q --detach "$src" "$base"
	fi
	git -C "$src" am --abort >/dev/null 2>&1 || true
	git -C "$src" checkout -q --detach --force "$base"
	git -C "$src" clean -q -fdx
	for d in $(topics); do
		[ "$d" = "$t" ] && break
		for p in $(patches_of "$d"); do
			git -C "$src" am -q "$p" >"$log" 2>&1 ||
				{ cat "$log" >&2; die "verify: prerequisite $d/$(basename "$p") does not apply on the base"; }
		done
	done
	rm -rf "$work/b4am"
	mkdir -p "$work/b4am"
	(cd "$src" && "$B4" --offline-mode am -m "$mbox" -o "$work/b4am") >"$log" 2>&1 ||
		{ cat "$log" >&2; die "verify: b4 am failed on $mbox"; }
	am=$(ls "$work"/b4am/*.mbx 2>/dev/null | head -n 1)
	[ -n "$am" ] || { cat "$log" >&2; die "verify: b4 am made no am-ready mbox from $mbox"; }
	git -C "$src" -c user.name=verify -c user.email=verify@forseti.invalid am -q "$am" >>"$log" 2>&1 ||
		{ cat "$log" >&2; git -C "$src" am --abort >/dev/null 2>&1; die "verify: the mails of topic $t do not apply (git am) on the base with the topics below"; }
	git -C "$src" diff --quiet HEAD "$tip" ||
		die "verify: the mails applied on the topics below (from series/) differ from branch '$branch'"
	mapfile -t targets < <(targets_touched "$src" "$(git -C "$src" rev-parse "HEAD~$n")" HEAD)
	if [ ${#targets[@]} -eq 0 ]; then
		info "verify: the mails apply (b4 am, git am); no C file to build"
		return 0
	fi
	small_build "$src" "$BUILD/send-x86_64" "$BUILD/send-build.log" "${targets[@]}" ||
		{ tail -n 20 "$BUILD/send-build.log" >&2; die "verify: the mails of topic $t apply but do not build (${targets[*]}): see $BUILD/send-build.log"; }
	info "verify: the mails apply (b4 am, git am) on a fresh base with the topics below and build (${targets[*]})"
}
[ $VERIFY -eq 0 ] || verify

summary() {
	printf 'topic %s, v%s, change-id %s: %d mail(s)\n' "$t" "$v" "$cid" "${#MAILS[@]}"
	sed -n '/^To: /,/^[A-Z][-A-Za-z]*: /{/^[A-Z][-A-Za-z]*: /!p;/^To: /p}' "${MAILS[0]}" | sed 's/^/  /' | head -n 20
	grep -h '^prerequisite-change-id: ' "${MAILS[0]}" | sed 's/^/  /' || true
	for m in "${MAILS[@]}"; do
		printf '  %s\n' "$(git mailinfo /dev/null /dev/null <"$m" | sed -n 's/^Subject: //p')"
	done
}

if [ $DRY -eq 1 ]; then
	summary
	info "dry run: b4 send -o wrote the mails in $OUT, mbox $mbox; nothing sent"
	exit 0
fi

# --- the real send: b4 send ----------------------------------------------------
server=$(b4_sendemail smtpServer)
[ -n "$server" ] ||
	die "no sendemail.smtpServer in your git configuration (nor in b4.sendemail-identity's sendemail.<id>; b4 send uses git send-email's settings): see 'git help send-email'; nothing sent"
summary
if [ $YES -eq 1 ]; then
	# one Enter: b4's "Press Enter to proceed". When b4's pre-flight
	# checks fail it asks "send anyway" first: that takes the Enter, the
	# next prompt reads end of file and b4 sends nothing
	exec 3< <(printf '\n')
else
	{ exec 3</dev/tty; } 2>/dev/null || die "no terminal to ask on: run again with --yes (YES=1) to send"
fi
if ! on_branch "$branch" kb4 send <&3 2>&1 | tee "$work/send.log" >&2; then
	! grep -q 'pre-flight checks are failing' "$work/send.log" ||
		die "b4 send: its pre-flight checks fail (above): fix them (nothing was sent with --yes; check what b4 says it sent otherwise)"
	die "b4 send failed (see above): the record of v$v is not written"
fi
! grep -q 'pre-flight checks are failing' "$work/send.log" ||
	info "warning: b4's pre-flight checks failed (above) and you sent anyway"
exec 3<&-
grep -q '^Sent [0-9]* messages' "$work/send.log" || { cat "$work/send.log" >&2; die "b4 send sent nothing"; }

record_sent
# b4 tagged vN and started vN+1 (its changelog section): take it back
sync_from_b4 "$t"
info "topic $t v$v sent by b4; b4 started v$(topic_version "$t"); recorded in $rec and $(meta_of "$t") (commit them)"
