#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/trailers.sh TOPIC [MBOX]
# Take the review trailers of a posted version (Reviewed-by:, Acked-by:,
# Tested-by:, ...) into TOPIC's branch with 'b4 trailers -u': a reply to the
# cover letter applies to every patch, a reply to a patch to that patch. The
# replies come from MBOX (a local mbox of the thread, for no network), or
# from lore by the topic's change-id. Trailers whose sender does not match
# the name in them are left out, as b4 does, and listed. The topics above
# are put back on top (their commits unchanged), then series/ is exported
# (commit it); it refuses to start when any topic's series/ differs from
# what its branch exports.
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] && [ -n "$1" ] || die "usage: scripts/trailers.sh TOPIC [MBOX]"
need_ktree
b4_setup
t=$(topic_dir "$1")
MBOX=${2:-}
if [ -n "$MBOX" ]; then
	[ -f "$MBOX" ] || die "MBOX=$MBOX: no such file"
	MBOX=$(realpath "$MBOX")
fi
need_clean_ktree
br=$(topic_branch "$t")
kgit rev-parse -q --verify "refs/heads/$br" >/dev/null || die "topic $t: no branch '$br' in $KTREE: run 'make apply' first"
[ -n "$(patches_of "$t")" ] || die "topic $t has no patches: no trailers to take"
# The export at the end rewrites series/ for every topic from its branch:
# a topic whose series/ is not what its branch exports now (series/ pulled
# or edited without make apply, a branch changed without make export)
# would lose that silently.
for d in $(topics); do
	kgit rev-parse -q --verify "refs/heads/$(topic_branch "$d")" >/dev/null || continue
	series_current "$d" ||
		die "topic $d: $SERIES/$d is not what branch '$(topic_branch "$d")' exports, and make trailers exports every topic: run 'make apply' (series/ is newer) or 'make export' (the branch is) first"
done
"$TOP/scripts/enroll.sh" "$t" 2>"$BUILD/enroll.log" || { cat "$BUILD/enroll.log" >&2; exit 1; }

old=$(kgit rev-parse "refs/heads/$br")
log=$BUILD/trailers.log
if [ -n "$MBOX" ]; then
	args=(--offline-mode -n trailers -u -m "$MBOX")
else
	args=(-n trailers -u)
fi
on_branch "$br" kb4 "${args[@]}" >"$log" 2>&1 ||
	{ cat "$log" >&2; die "topic $t: b4 trailers -u failed (see $log)"; }
new=$(kgit rev-parse "refs/heads/$br")
sed -n 's/^  + /  + /p' "$log" | sed 's/^/trailers: /' >&2 || true
if grep -q 'ignored due to from/email mismatches' "$log"; then
	info "left out (the sender is not the person the trailer names; b4 trailers -S would take them):"
	grep -E '^ +! Trailer:|^ +Msg From:' "$log" | sed 's/^ */  /' >&2
fi
if [ "$old" = "$new" ]; then
	info "topic $t: no new trailers"
	exit 0
fi
[ "$(kgit rev-list --count "$old")" = "$(kgit rev-list --count "$new")" ] &&
	[ "$(kgit rev-parse "$old^{tree}")" = "$(kgit rev-parse "$new^{tree}")" ] ||
	die "topic $t: b4 trailers -u changed more than the commit messages (old tip $old)"
restack "$old" "$new" "$t"
"$TOP/scripts/export.sh"
info "topic $t: $(kgit rev-list --count "$(parent_of_topic "$t")..$new") patch(es) with their trailers exported into $SERIES/$t (commit it)"
