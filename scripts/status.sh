#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/status.sh [--update-roadmap] UPSTREAM [REF]
# Where each patch of series/ stands, against UPSTREAM: a git tree (at REF,
# default its HEAD) or a folder of mboxes (or one mbox file) of what was
# applied upstream. Each patch is one of:
#   merged               a commit upstream has its patch-id
#   merged with changes  a commit upstream has its subject and a Link: or
#                        Message-ID: trailer naming one of the Message-IDs
#                        it was sent with (sent/<N-topic>/vN/patches.tsv)
#   posted vN            sent as it is now, latest in vN
#   pending              anything else (also when changed since it was sent)
# In a git tree only commits since the earliest author date of the series,
# touching its files, are looked at. Prints a table; --update-roadmap also
# rewrites ROADMAP's state column for each topic whose patches are all
# merged ("merged") or all merged or posted ("posted vN"), and nothing else.
. "$(dirname "$0")/lib.sh"

UPDATE=0
if [ "${1:-}" = --update-roadmap ]; then
	UPDATE=1
	shift
fi
[ $# -ge 1 ] && [ $# -le 2 ] && [ -n "$1" ] || die "usage: scripts/status.sh [--update-roadmap] UPSTREAM [REF]"
UP=$1 REF=${2:-}
[ -e "$UP" ] || die "UPSTREAM=$UP: no such file or folder"
UP=$(realpath "$UP")

work=$(mktemp -d "${TMPDIR:-/tmp}/forseti-status.XXXXXX")
trap 'rm -rf "$work"' EXIT

is_mbox() { [ -f "$1" ] && [ "$(head -c 5 "$1" 2>/dev/null | tr -d '\0')" = "From " ]; }

# --- our side: one line per patch: topic, number, patch-id, subject ------
norm() { sed -E 's/^(\[[^]]*\][[:space:]]*)+//; s/[[:space:]]+/ /g; s/^ //; s/ $//'; }
: >"$work/ours"
for t in $(topics); do
	i=0
	for p in $(patches_of "$t"); do
		i=$((i + 1))
		pid=$(git patch-id --stable <"$p" | cut -d' ' -f1)
		subj=$(git mailinfo /dev/null /dev/null <"$p" | sed -n 's/^Subject: //p' | norm)
		printf '%s\t%02d\t%s\t%s\n' "$t" "$i" "${pid:--}" "$subj" >>"$work/ours"
	done
done
# the sent records: topic, version, patch-id, message-id, subject
: >"$work/sent"
for f in "$SENT"/*/v*/patches.tsv; do
	[ -e "$f" ] || continue
	v=$(basename "$(dirname "$f")")
	t=$(basename "$(dirname "$(dirname "$f")")")
	awk -F'\t' -v t="$t" -v v="${v#v}" 'BEGIN{OFS="\t"} $1 != "00" { print t, v, $2, $3, $4 }' "$f" >>"$work/sent"
done

# --- upstream: one line per commit or mail: id, patch-id, subject, msgids --
msgids() { # the Message-IDs named by Link: and Message-ID: trailers on stdin
	sed -n -E 's/^Link:[[:space:]]*<?([^>[:space:]]+)>?.*$/\1/Ip; s/^Message-ID:[[:space:]]*<?([^>[:space:]]+)>?.*$/\1/Ip' |
		sed -E 's#/+$##; s#^.*/##; s/%40/@/g' | sort -u | tr '\n' ' '
}
: >"$work/up"
# a git tree: the top of a work tree, or a bare repository (a folder that
# merely sits inside some other git work tree is not one)
is_git_tree() {
	[ -d "$1" ] || return 1
	[ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$1" && pwd -P)" ] ||
		[ "$(git -C "$1" rev-parse --git-dir 2>/dev/null)" = . ]
}
if is_git_tree "$UP"; then
	if [ -n "$REF" ]; then
		git -C "$UP" rev-parse -q --verify "$REF^{commit}" >/dev/null ||
			die "UPSTREAM=$UP has no branch or commit '$REF'"
	else
		REF=HEAD
		git -C "$UP" rev-parse -q --verify HEAD >/dev/null || die "UPSTREAM=$UP: the git tree has no commits"
	fi
	if [ -s "$work/ours" ]; then
		since=$(for t in $(topics); do for p in $(patches_of "$t"); do
			git mailinfo /dev/null /dev/null <"$p" | sed -n 's/^Date: //p'; done; done |
			while read -r d; do date -u -d "$d" +%s; done | sort -n | head -n 1)
		mapfile -t paths < <(for t in $(topics); do for p in $(patches_of "$t"); do
			sed -n 's#^diff --git a/\([^ ]*\) b/.*#\1#p' "$p"; done; done | sort -u)
		lim=(--no-merges --since="@$((since - 86400))" "$REF" -- "${paths[@]}")
		git -C "$UP" log -p --format='commit %H' "${lim[@]}" | git patch-id --stable >"$work/up.pid"
		git -C "$UP" log --format='%H' "${lim[@]}" >"$work/up.list"
		while read -r c; do
			pid=$(awk -v c="$c" '$2 == c { print $1 }' "$work/up.pid")
			subj=$(git -C "$UP" log -1 --format=%s "$c" | norm)
			ids=$(git -C "$UP" log -1 --format=%B "$c" | msgids)
			printf '%s\t%s\t%s\t%s\n' "${c:0:12}" "${pid:--}" "$subj" "$ids" >>"$work/up"
		done <"$work/up.list"
	fi
	where="$UP ($REF)"
else
	[ -z "$REF" ] || die "REF=$REF is for a git tree; UPSTREAM=$UP is not one"
	if [ -d "$UP" ]; then
		mapfile -t boxes < <(find "$UP" -maxdepth 1 -type f | sort | while read -r f; do is_mbox "$f" && printf '%s\n' "$f"; done)
	elif is_mbox "$UP"; then
		boxes=("$UP")
	else
		boxes=()
	fi
	[ ${#boxes[@]} -gt 0 ] || die "UPSTREAM=$UP is neither a git tree nor a folder of mboxes (or an mbox)"
	k=0
	for b in "${boxes[@]}"; do
		mkdir -p "$work/split"
		rm -f "$work/split"/*
		git mailsplit -o"$work/split" "$b" >/dev/null || die "UPSTREAM: $b is not a readable mbox"
		for m in "$work/split"/*; do
			[ -e "$m" ] || continue
			git mailinfo "$work/msg" "$work/diff" <"$m" >"$work/info" || continue
			[ -s "$work/diff" ] || continue
			k=$((k + 1))
			pid=$(git patch-id --stable <"$work/diff" | cut -d' ' -f1)
			subj=$(sed -n 's/^Subject: //p' "$work/info" | norm)
			ids=$(msgids <"$work/msg")
			printf '%s\t%s\t%s\t%s\n' "$(basename "$b"):$k" "${pid:--}" "$subj" "$ids" >>"$work/up"
		done
	done
	where="$UP (${#boxes[@]} mbox(es))"
fi

# --- each patch ---------------------------------------------------------------
declare -A TSTATE
printf '%-12s %-3s %-20s %-24s %s\n' topic '#' state upstream subject
while IFS=$'\t' read -r t i pid subj; do
	state="" at="-"
	hit=$(awk -F'\t' -v p="$pid" '$2 == p { print $1; exit }' "$work/up")
	if [ -n "$hit" ]; then
		state=merged at=$hit
	else
		# the Message-IDs this patch (by patch-id or subject) was sent with
		ids=" $(awk -F'\t' -v t="$t" -v p="$pid" -v s="$subj" '$1 == t && ($3 == p || $5 == s) { print $4 }' "$work/sent" | tr '\n' ' ')"
		while IFS=$'\t' read -r c _ usubj uids; do
			[ "$usubj" = "$subj" ] || continue
			for id in $uids; do
				if [[ $ids == *" $id "* ]]; then
					state="merged with changes" at=$c
					break 2
				fi
			done
		done <"$work/up"
	fi
	if [ -z "$state" ]; then
		pv=$(awk -F'\t' -v t="$t" -v p="$pid" '$1 == t && $3 == p { print $2 }' "$work/sent" | sort -n | tail -n 1)
		if [ -n "$pv" ]; then
			state="posted v$pv"
		else
			state=pending
			sv=$(awk -F'\t' -v t="$t" -v s="$subj" '$1 == t && $5 == s { print $2 }' "$work/sent" | sort -n | tail -n 1)
			[ -z "$sv" ] || at="(v$sv changed since)"
		fi
	fi
	printf '%-12s %-3s %-20s %-24s %s\n' "${t#*-}" "$i" "$state" "$at" "$subj"
	TSTATE[$t]+="$state;"
done <"$work/ours"
[ -s "$work/ours" ] || printf '(no patches in %s)\n' "$SERIES"
info "upstream: $where: $(wc -l <"$work/up") candidate commit(s) or mail(s)"

[ $UPDATE -eq 1 ] || exit 0
# --- ROADMAP's state column -----------------------------------------------------
[ -f "$ROADMAP" ] || die "no $ROADMAP to update"
: >"$work/roadmap.set"
for t in $(topics); do
	s=${TSTATE[$t]:-}
	[ -n "$s" ] || continue
	new=""
	if [ -z "$(printf '%s' "$s" | tr ';' '\n' | grep -v '^merged' | grep .)" ]; then
		new=merged
	elif [ -z "$(printf '%s' "$s" | tr ';' '\n' | grep -v -e '^merged' -e '^posted v' | grep .)" ]; then
		last=$(ls -d "$SENT/$t"/v* 2>/dev/null | sed 's/.*\/v//' | sort -n | tail -n 1)
		new="posted v$last"
	fi
	[ -z "$new" ] || printf '%s\t%s\n' "${t#*-}" "$new" >>"$work/roadmap.set"
done
python3 - "$ROADMAP" "$work/roadmap.set" <<'EOF'
import sys
path, setf = sys.argv[1:3]
want = dict(l.rstrip("\n").split("\t") for l in open(setf) if l.strip())
out, changed = [], []
for line in open(path).read().split("\n"):
    cells = line.split("|")
    if len(cells) > 4 and line.startswith("|") and cells[2].strip() in want:
        old = cells[3]
        new = want[cells[2].strip()]
        if old.strip() != new:
            changed.append("%s: %s -> %s" % (cells[2].strip(), old.strip(), new))
        cells[3] = " " + new.ljust(len(old) - 2) + " "
        line = "|".join(cells)
    out.append(line)
open(path, "w").write("\n".join(out))
for c in changed:
    print("roadmap: " + c, file=sys.stderr)
EOF
info "updated the state column of $ROADMAP"
