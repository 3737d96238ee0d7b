#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/send.sh [--dry-run] [--out DIR] [--verify] [--yes] TOPIC
# Make the mail series of TOPIC, version vN of cover-letters/<N-topic>.meta:
# the cover letter from cover-letters/<N-topic>.txt (its "Changes in vN:"
# changelog included, with the range-diff against vN-1 refreshed), the
# topic's change-id, "base-commit:" and one "prerequisite-patch-id:" per
# patch of the topics below it (git format-patch --base), To: and Cc: from
# the tree's scripts/get_maintainer.pl. The mails are checked before
# anything else: they rebuild the topic's tree exactly, and b4 (offline)
# reads them with their base.
#   --dry-run  write the mails (one file each, and <topic>-vN.mbox) to DIR
#              (default build/send/<N-topic>-vN) and send nothing
#   --verify   also apply the mbox with b4 am + git am onto a fresh worktree
#              (build/send-src) at the base with the topics below, and build
#              the touched folders against the prepared x86_64 check build
#   --yes      do not ask before a real send (the summary is still printed)
# A real send goes through git send-email with your own sendemail.*
# configuration, after showing what goes where and asking; it records the
# mails in sent/<N-topic>/vN/ (commit them), and refuses a version that was
# already sent (make reroll starts the next one).
. "$(dirname "$0")/lib.sh"

usage() { die "usage: scripts/send.sh [--dry-run] [--out DIR] [--verify] [--yes] TOPIC"; }
DRY=0 OUT="" VERIFY=0 YES=0 TOPIC=""
while [ $# -gt 0 ]; do
	case $1 in
	--dry-run) DRY=1 ;;
	--out) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
	--verify) VERIFY=1 ;;
	--yes) YES=1 ;;
	-*) usage ;;
	*) [ -z "$TOPIC" ] || usage; TOPIC=$1 ;;
	esac
	shift
done
[ -n "$TOPIC" ] || usage
[ -z "$OUT" ] || [ $DRY -eq 1 ] || die "--out (OUT=) is for a dry run: add --dry-run (DRY_RUN=1)"
[ -z "$OUT" ] || OUT=$(realpath -m "$OUT")

need_tool b4 b4
need_tool perl perl
need_ktree
t=$(topic_dir "$TOPIC")
need_clean_ktree
branch=$(topic_branch "$t")
kgit rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
	die "topic $t: no branch '$branch' in $KTREE: run 'make apply' first"
parent=$(kgit rev-parse "$(parent_of_topic "$t")^{commit}")
base=$(kgit rev-parse "refs/tags/$BASE_TAG^{commit}")
tip=$(kgit rev-parse "refs/heads/$branch")
kgit merge-base --is-ancestor "$parent" "$tip" ||
	die "topic $t: branch '$branch' is not stacked on the topic below it: rebase it first"
n=$(kgit rev-list --count "$parent..$tip")
[ "$(patches_of "$t" | wc -l)" -gt 0 ] || [ "$n" -gt 0 ] ||
	die "topic $t has no patches: nothing to send"
# The mails are made from the branch: it must hold exactly what series/ holds.
ids_series=$(for p in $(patches_of "$t"); do git patch-id --stable <"$p" | cut -d' ' -f1; done)
ids_branch=$(format_patch --stdout "$parent..$tip" | git patch-id --stable | cut -d' ' -f1)
[ "$ids_series" = "$ids_branch" ] ||
	die "topic $t: branch '$branch' differs from $SERIES/$t: run 'make export' (or 'make apply') first"
need_cover "$t"
cover=$(cover_of "$t")

# change-id: made once, then kept in the .meta (commit it).
cid=$(ensure_change_id "$t")
v=$(topic_version "$t")
[[ $v =~ ^[1-9][0-9]*$ ]] || die "$(meta_of "$t"): version '$v' is not a number"
if [ $DRY -eq 0 ] && [ -e "$SENT/$t/v$v" ]; then
	die "topic $t: v$v was already sent ($SENT/$t/v$v): start v$((v + 1)) with 'make reroll TOPIC=${t#*-}'"
fi

# Refresh the range-diff of this version's changelog against the last one.
if [ "$v" -gt 1 ] && grep -q "^Changes in v$v:" "$cover"; then
	if range=$(posted_range "$t" $((v - 1))); then
		rd=$(mktemp)
		kgit range-diff --no-color "${range% *}..${range#* }" "$parent..$tip" >"$rd"
		cover_changelog "$cover" "$v" $((v - 1)) "$rd"
		rm -f "$rd"
	else
		info "topic $t: v$((v - 1)) is not known here (no refs, no sent record): range-diff left as it is"
	fi
fi
if grep -q EDITME "$cover"; then
	[ $DRY -eq 1 ] || die "$cover still says EDITME: write the changelog first"
	info "warning: $cover still says EDITME (a real send refuses it)"
fi

# To: the maintainers and reviewers, Cc: the lists (b4's defaults), from
# get_maintainer.pl and MAINTAINERS as they are at the topic's head.
work=$(mktemp -d "${TMPDIR:-/tmp}/forseti-send.XXXXXX")
trap 'rm -rf "$work"' EXIT
kgit show "$tip:scripts/get_maintainer.pl" >"$work/get_maintainer.pl" 2>/dev/null ||
	die "topic $t: the tree has no scripts/get_maintainer.pl"
kgit show "$tip:MAINTAINERS" >"$work/MAINTAINERS" 2>/dev/null || die "topic $t: the tree has no MAINTAINERS"
format_patch -q -o "$work/plain" "$parent..$tip" >/dev/null
gm() {
	(cd "$KTREE" && perl "$work/get_maintainer.pl" --mpath "$work/MAINTAINERS" --nogit --nogit-fallback \
		--nogit-chief-penguins --norolestats "$@" "$work"/plain/*.patch) 2>"$work/gm.err" ||
		{ cat "$work/gm.err" >&2; die "scripts/get_maintainer.pl failed on topic $t"; }
}
mapfile -t TO < <(gm --nol | grep .)
mapfile -t CC < <(gm --nom | grep .)
[ ${#TO[@]} -gt 0 ] || [ ${#CC[@]} -gt 0 ] || die "topic $t: get_maintainer.pl names nobody to send to"

# The mails.
if [ $DRY -eq 1 ]; then
	OUT=${OUT:-$BUILD/send/$t-v$v}
else
	OUT=$BUILD/send/$t-v$v
fi
mkdir -p "$OUT"
rm -f "$OUT"/*.patch "$OUT"/*.mbox
fp=(--thread=shallow --cover-letter --base="$base" -o "$OUT")
[ "$v" -eq 1 ] || fp+=(-v "$v")
for a in "${TO[@]}"; do fp+=(--to="$a"); done
for a in "${CC[@]}"; do fp+=(--cc="$a"); done
format_patch -q "${fp[@]}" "$parent..$tip" >/dev/null
mapfile -t MAILS < <(ls "$OUT"/*.patch | sort)
deps=""
for d in $(topics); do
	[ "$d" = "$t" ] && break
	[ "$(kgit rev-list --count "$(parent_of_topic "$d")..refs/heads/$(topic_branch "$d")")" -gt 0 ] || continue
	last=$(ls -d "$SENT/$d"/v* 2>/dev/null | sed 's/.*\/v//' | sort -n | tail -n 1 || true)
	deps+=" ${d#*-}${last:+ (posted v$last)}"
done
python3 - "${MAILS[0]}" "$cover" "$cid" "$BASE_PACKAGE $BASE_VERSION" "$deps" <<'EOF'
import re, sys
path, cover, cid, pkg, deps = sys.argv[1:6]
text = open(cover).read().rstrip("\n").split("\n")
title, body = text[0].strip(), "\n".join(text[2:]).strip("\n")
s = open(path).read()
s = s.replace("*** SUBJECT HERE ***", title, 1).replace("*** BLURB HERE ***", body, 1)
note = ("change-id: %s\n\n"
        "The base-commit is not an upstream commit: it is the forseti project's\n"
        "deterministic git import of Debian's %s source\n"
        "tarball (the same id on every machine)." % (cid, pkg))
if deps.strip():
    note += ("\nThis topic applies on top of the forseti topic(s):%s;\n"
             "the prerequisite-patch-id lines name their patches." % deps)
s = s.rstrip("\n") + "\n" + note + "\n"
open(path, "w").write(s)
EOF
# b4 0.12 on Python 3.11 crashes on any folded header ("Header values may
# not contain linefeed"): a long identity in From:, and a subject that
# "[PATCH n/m] " pushes past 78 columns, which most real ones are. Unfold
# the headers: a line may be 998 characters long, and git send-email and
# the lists take them so.
python3 - "${MAILS[@]}" <<'EOF'
import re, sys
for path in sys.argv[1:]:
    s = open(path).read()
    head, sep, body = s.partition("\n\n")
    open(path, "w").write(re.sub(r"\n[ \t]+", " ", head) + sep + body)
EOF
mbox=$OUT/${t#*-}-v$v.mbox
cat "${MAILS[@]}" >"$mbox"

# Check the mails: they rebuild the topic's tree on its parent, and b4 reads
# the whole series with its base.
got=$(am_index "$KTREE" "$parent" "$mbox") || die "the mails of topic $t do not apply on the topic below it"
[ "$(kgit rev-parse "$got^{tree}")" = "$(kgit rev-parse "$tip^{tree}")" ] ||
	die "the mails of topic $t do not rebuild branch '$branch' exactly"
mkdir -p "$work/b4"
# (run in the kernel tree: b4 looks the base-commit up in the current repository)
(cd "$KTREE" && b4 --offline-mode am -m "$mbox" -o "$work/b4") >"$work/b4.log" 2>&1 ||
	{ cat "$work/b4.log" >&2; die "b4 cannot read the mails of topic $t"; }
grep -q "Base: using specified base-commit $base" "$work/b4.log" ||
	{ cat "$work/b4.log" >&2; die "b4 does not find the base-commit $base in the mails of topic $t"; }
grep -q "^Total patches: $n\$" "$work/b4.log" ||
	{ cat "$work/b4.log" >&2; die "b4 does not find the $n patch(es) of topic $t in the mails"; }

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
	(cd "$src" && b4 --offline-mode am -m "$mbox" -o "$work/b4am") >"$log" 2>&1 ||
		{ cat "$log" >&2; die "verify: b4 am failed on $mbox"; }
	grep -q "Base: using specified base-commit $base" "$log" ||
		{ cat "$log" >&2; die "verify: b4 am does not find the base-commit in $mbox"; }
	am=$(ls "$work"/b4am/*.mbx 2>/dev/null | head -n 1)
	[ -n "$am" ] || { cat "$log" >&2; die "verify: b4 am made no am-ready mbox from $mbox"; }
	git -C "$src" -c user.name=verify -c user.email=verify@forseti.invalid am -q "$am" >>"$log" 2>&1 ||
		{ cat "$log" >&2; git -C "$src" am --abort >/dev/null 2>&1; die "verify: the mails of topic $t do not apply (git am) on the base with the topics below"; }
	[ "$(git -C "$src" rev-list --count "$base..HEAD")" -eq "$(kgit rev-list --count "$base..$tip")" ] ||
		die "verify: the base, the topics below and the mails do not make the number of commits of branch '$branch'"
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
	printf '  To: %s\n' "${TO[@]}"
	printf '  Cc: %s\n' "${CC[@]}"
	for m in "${MAILS[@]}"; do
		printf '  %s\n' "$(sed -n 's/^Subject: //p' "$m" | head -n 1)"
	done
}

if [ $DRY -eq 1 ]; then
	summary
	info "dry run: mails in $OUT, mbox $mbox; nothing sent"
	exit 0
fi

# --- the real send ----------------------------------------------------------
[ -x "$(git --exec-path)/git-send-email" ] || die "missing tool 'git send-email' (Debian package 'git-email'): apt-get install git-email"
server=$(kgit config --get sendemail.smtpServer || kgit config --get sendemail.sendmailCmd || true)
[ -n "$server" ] ||
	die "no git send-email configuration (sendemail.smtpServer or sendemail.sendmailCmd): see 'git help send-email'; nothing sent"
from=$(kgit config --get sendemail.from || kgit var GIT_COMMITTER_IDENT | sed 's/>.*/>/')
summary
printf '  From: %s, through %s\n' "$from" "$server"
if [ $YES -eq 0 ]; then
	{ exec 3<>/dev/tty; } 2>/dev/null || die "no terminal to ask on: run again with --yes (YES=1) to send"
	printf 'Send these %d mail(s) now? [y/N] ' "${#MAILS[@]}" >&3
	read -r answer <&3 || answer=""
	exec 3>&-
	case $answer in y | Y | yes) ;; *) die "nothing sent" ;; esac
fi
se=(--no-thread --no-format-patch --confirm=never --suppress-cc=all --8bit-encoding=UTF-8 --from="$from")
for a in "${TO[@]}"; do se+=(--to="$a"); done
for a in "${CC[@]}"; do se+=(--cc="$a"); done
kgit send-email "${se[@]}" "${MAILS[@]}" >"$work/send.log" 2>&1 ||
	{ cat "$work/send.log" >&2; die "git send-email failed (see above): the record of v$v is not written"; }

# The record: the mails, and one line per mail: number, patch-id,
# Message-ID, subject.
rec=$SENT/$t/v$v
mkdir -p "$rec"
cp "$mbox" "$rec/series.mbox"
{
	i=0
	for m in "${MAILS[@]}"; do
		pid=$(git patch-id --stable <"$m" | cut -d' ' -f1)
		mid=$(sed -n 's/^Message-I[dD]: *//p' "$m" | head -n 1 | tr -d '<>')
		subj=$(git mailinfo /dev/null /dev/null <"$m" | sed -n 's/^Subject: //p')
		printf '%02d\t%s\t%s\t%s\n' "$i" "${pid:--}" "$mid" "$subj"
		i=$((i + 1))
	done
} >"$rec/patches.tsv"
printf 'date: %s\nchange-id: %s\nbase-commit: %s\nto: %s\ncc: %s\n' \
	"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cid" "$base" "$(IFS=,; echo "${TO[*]}")" "$(IFS=,; echo "${CC[*]}")" >"$rec/info"
kgit update-ref "$(posted_ref "$t" "$v")" "$tip"
kgit update-ref "$(posted_ref "$t" "$v")-base" "$parent"
info "topic $t v$v sent; recorded in $rec (commit it)"
