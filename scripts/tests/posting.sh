#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/tests/posting.sh [TEST...]
# Tests of send, reroll, bisect and status, on a fixture series made here
# (never series/, cover-letters/, sent/ or ROADMAP): a worktree of
# kernel-tree/ at build/posting-test/tree with branches posting/*, a
# fixture project (series, cover letters, sent records, ROADMAP) in
# build/posting-test/proj, a fake sendmail for the real sends, and
# synthetic upstream trees for status. Needs 'make tree'. The mails-apply-
# and-build and bisect tests build the fixture driver for x86_64 in their
# own small build folders (build/send-x86_64, build/bisect-x86_64).
# Prints one line per test and ends with "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture-lib.sh"

S=$TOP/scripts
FIX=$BUILD/posting-test
load_base
need_ktree
REAL_KTREE=$KTREE
mkdir -p "$FIX"
export JOBS=${JOBS:-2}

passed=0
failed=0

fixture_env() {
	export KTREE=$FIX/tree SERIES=$FIX/proj/series CI_DIR=$FIX/proj/ci
	export COVERS=$FIX/proj/cover-letters SENT=$FIX/proj/sent ROADMAP=$FIX/proj/ROADMAP
	export BRANCH_PREFIX=posting/
	# no sendemail configuration but the one a test gives
	export GIT_CONFIG_GLOBAL=$FIX/gitconfig
	printf '[user]\n\tname = Post Tester\n\temail = post@forseti.invalid\n' >"$GIT_CONFIG_GLOBAL"
	unset GIT_CONFIG_COUNT
}

reset_fixture() {
	fixture_env
	fixture_tree_reset refs/forseti/posted/posting/
	rm -rf "$FIX/outbox" "$FIX/up" "$FIX/upmbox" "$FIX/out"
	mkdir -p "$COVERS" "$FIX/outbox"
	for t in 1-alpha 2-beta 3-gamma; do
		printf 'drm/fixture: the %s topic\n\nThis is the %s topic of the fixture series. It exists only\nin the workbench tests.\n' \
			"${t#*-}" "${t#*-}" >"$COVERS/$t.txt"
	done
	cat >"$ROADMAP" <<'EOF'
fixture roadmap

| # | topic      | state       | what its head adds |
|---|------------|-------------|--------------------|
| 1 | alpha      | in progress | the driver and a helper |
| 2 | beta       | planned     | nothing |
| 3 | gamma      | in progress | the helper at init |
EOF
}

# alpha: the driver, a helper; beta: empty; gamma: the helper at init
# (scripts/tests/fixture-lib.sh).
make_series() {
	reset_fixture
	fixture_commits
	"$S/export.sh" >/dev/null 2>&1
}

# add_patch TOPIC SUBJECT EDIT-FUNCTION: one more patch on a topic branch
# (the topics above it are not rebased: use it on the last topic).
add_patch() {
	git -C "$KTREE" checkout -q "posting/${1#*-}"
	"$3"
	commit_fixture "$1" "$2"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
}

edit_break() { sed -i 's/^\treturn 2 \* v;$/\treturn 2 * v +;/' "$KTREE/drivers/gpu/drm/fixture/fixture_util.c"; }
edit_thrice() {
	printf '\nint fixture_thrice(int v);\nint fixture_thrice(int v)\n{\n\treturn 3 * v;\n}\n' \
		>>"$KTREE/drivers/gpu/drm/fixture/fixture_util.c"
}
edit_comment() { printf '/* one more line */\n' >>"$KTREE/drivers/gpu/drm/fixture/fixture.h"; }

# a fake sendmail for git send-email: one file per mail in outbox/
fake_sendmail() {
	cat >"$FIX/sendmail" <<EOF
#!/bin/sh
cat >"$FIX/outbox/\$(date +%s%N).eml"
EOF
	chmod +x "$FIX/sendmail"
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpServer GIT_CONFIG_VALUE_0=$FIX/sendmail
}

mails() { find "$FIX/outbox" -type f | wc -l; }
send() { "$S/send.sh" "$@" >"$FIX/out" 2>&1; }
# fails_with MESSAGE CMD...: the command fails, and says MESSAGE (one error line)
fails_with() {
	local msg=$1
	shift
	if "$@" >"$FIX/out" 2>&1; then return 1; fi
	grep -q -- "$msg" "$FIX/out" && [ "$(grep -cE '^[a-z]+: error: ' "$FIX/out")" -eq 1 ]
}

# --- send ----------------------------------------------------------------------
t_send_dry_run_writes_the_mails() {
	make_series
	send --dry-run --out "$FIX/dry" gamma || return 1
	local cover base pids
	cover=$(ls "$FIX"/dry/0000-cover-letter.patch) || return 1
	[ "$(ls "$FIX"/dry/*.patch | wc -l)" -eq 2 ] && [ -s "$FIX/dry/gamma-v1.mbox" ] || return 1
	grep -q '^Subject: \[PATCH 0/1\] drm/fixture: the gamma topic$' "$cover" || return 1
	grep -q '^This is the gamma topic of the fixture series' "$cover" || return 1
	base=$(git -C "$KTREE" rev-parse "refs/tags/$BASE_TAG^{commit}")
	grep -q "^base-commit: $base\$" "$cover" || return 1
	# one prerequisite-patch-id per patch of the topics below (alpha's two)
	pids=$(for p in "$SERIES"/1-alpha/*.patch; do git patch-id --stable <"$p" | cut -d' ' -f1; done | sort)
	[ "$(sed -n 's/^prerequisite-patch-id: //p' "$cover" | sort)" = "$pids" ] || return 1
	grep -q "^change-id: $(meta_get 3-gamma change-id)\$" "$cover" || return 1
	grep -q 'not an upstream commit' "$cover" || return 1
	grep -q '^To: .*Fixture Dev <fixture@forseti.invalid>' "$cover" || return 1
	grep -qE '^Cc: .*dri-devel@lists.freedesktop.org' "$cover" || return 1
	grep -q '^In-Reply-To: ' "$FIX"/dry/0001-*.patch || return 1
	# the change-id stays, nothing was sent or recorded
	local cid
	cid=$(meta_get 3-gamma change-id)
	send --dry-run --out "$FIX/dry" gamma || return 1
	[ "$(meta_get 3-gamma change-id)" = "$cid" ] && [ "$(meta_get 3-gamma version)" = 1 ] &&
		[ ! -e "$SENT" ] && [ "$(mails)" -eq 0 ]
}

t_send_mails_apply_and_build() {
	make_series
	send --dry-run --verify --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	grep -q 'verify: the mails apply (b4 am, git am) on a fresh base with the topics below and build' "$FIX/out" || return 1
	[ -f "$BUILD/send-x86_64/drivers/gpu/drm/fixture/fixture_main.o" ] &&
		[ "$(git -C "$BUILD/send-src" rev-parse 'HEAD^{tree}')" = "$(git -C "$KTREE" rev-parse 'posting/gamma^{tree}')" ]
}

t_send_verify_catches_a_build_break() {
	make_series
	add_patch 3-gamma "drm/fixture: break the build" edit_break
	fails_with 'apply but do not build' "$S/send.sh" --dry-run --verify --out "$FIX/dry" gamma || return 1
	grep -q 'fixture_util.c.*error' "$BUILD/send-build.log"
}

t_send_long_identity_still_reads_in_b4() {
	make_series
	git -C "$KTREE" checkout -q posting/gamma
	edit_comment
	commit_fixture 3-gamma "drm/fixture: a comment" \
		"Somebody With A Really Quite Remarkably Long Name <somebody.with.a.really.long.address@forseti.invalid>"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
	send --dry-run --out "$FIX/dry" gamma || return 1
	grep -q '^From: Somebody With A Really Quite Remarkably Long Name <somebody.with' "$FIX"/dry/0002-*.patch
}

t_send_long_subject_still_reads_in_b4() {
	make_series
	git -C "$KTREE" checkout -q posting/gamma
	edit_comment
	commit_fixture 3-gamma "drm/fixture: a subject that [PATCH 2/2] pushes past the 78 columns of a header line"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
	send --dry-run --out "$FIX/dry" gamma || return 1
	grep -q '^Subject: \[PATCH 2/2\] drm/fixture: a subject that .* header line$' "$FIX"/dry/0002-*.patch
}

t_send_bad_input() {
	make_series
	fails_with "unknown topic 'nosuch'" "$S/send.sh" --dry-run nosuch || return 1
	fails_with "topic 2-beta has no patches" "$S/send.sh" --dry-run beta || return 1
	rm "$COVERS/1-alpha.txt"
	fails_with "topic 1-alpha: no cover letter" "$S/send.sh" --dry-run alpha || return 1
	echo '/* dirty */' >>"$KTREE/drivers/gpu/drm/Makefile"
	fails_with "uncommitted changes" "$S/send.sh" --dry-run gamma || return 1
	git -C "$KTREE" checkout -q -- drivers/gpu/drm/Makefile
	rm "$SERIES"/3-gamma/*.patch
	fails_with "differs from $SERIES/3-gamma: run 'make export'" "$S/send.sh" --dry-run gamma || return 1
	fails_with "usage:" "$S/send.sh" --dry-run
}

t_send_real_needs_config_and_consent() {
	make_series
	fails_with 'no git send-email configuration' "$S/send.sh" gamma </dev/null || return 1
	fake_sendmail
	# no terminal and no --yes: nothing is sent
	fails_with 'no terminal to ask on' setsid "$S/send.sh" gamma </dev/null || return 1
	[ "$(mails)" -eq 0 ] && [ ! -e "$SENT/3-gamma" ]
}

t_send_real_sends_and_records() {
	make_series
	fake_sendmail
	send --yes gamma || { cat "$FIX/out"; return 1; }
	[ "$(mails)" -eq 2 ] || return 1
	grep -l '^Subject: \[PATCH 1/1\] drm/fixture: use the helper at init' "$FIX"/outbox/*.eml >/dev/null || return 1
	local rec=$SENT/3-gamma/v1
	[ -s "$rec/series.mbox" ] && [ "$(wc -l <"$rec/patches.tsv")" -eq 2 ] || return 1
	local pid
	pid=$(git patch-id --stable <"$SERIES"/3-gamma/0001-*.patch | cut -d' ' -f1)
	awk -F'\t' -v p="$pid" '$1 == "01" && $2 == p && $3 != "" { ok = 1 } END { exit !ok }' "$rec/patches.tsv" || return 1
	# the Message-IDs recorded are the ones that went out
	local mid
	mid=$(awk -F'\t' '$1 == "01" { print $3 }' "$rec/patches.tsv")
	grep -qi "^Message-Id: <$mid>" "$FIX"/outbox/*.eml || return 1
	git -C "$KTREE" rev-parse -q --verify refs/forseti/posted/posting/3-gamma/v1 >/dev/null || return 1
	fails_with 'v1 was already sent' "$S/send.sh" --yes gamma || return 1
	[ "$(mails)" -eq 2 ]
}

# --- reroll --------------------------------------------------------------------
t_reroll_records_range_diff() {
	make_series
	fake_sendmail
	send --yes alpha || return 1
	# review: change the helper, then reroll
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	git -C "$KTREE" checkout -q --detach posting/gamma
	GIT_EDITOR=true git -C "$KTREE" rebase -q -x \
		"sed -i 's/return 2 \\* v;/return v + v;/' drivers/gpu/drm/fixture/fixture_util.c 2>/dev/null; git add -A; git commit -q --amend --no-edit" \
		"refs/tags/$BASE_TAG" >/dev/null 2>&1 || return 1
	git -C "$KTREE" branch -f posting/alpha HEAD~1
	git -C "$KTREE" branch -f posting/beta HEAD~1
	git -C "$KTREE" branch -f posting/gamma HEAD
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/reroll.sh" alpha >"$FIX/out" 2>&1 || return 1
	[ "$(meta_get 1-alpha version)" = 2 ] || return 1
	local c=$COVERS/1-alpha.txt
	grep -q '^Changes in v2:$' "$c" && grep -q '^- EDITME' "$c" && grep -q '^Range-diff against v1:$' "$c" || return 1
	grep -qE '^1: +[0-9a-f]+ = 1: +[0-9a-f]+ drm/fixture: add a fixture driver' "$c" || return 1
	grep -qE '^2: +[0-9a-f]+ ! 2: +[0-9a-f]+ drm/fixture: add a helper' "$c" || return 1
	grep -q 'return v + v' "$c" || return 1
	grep -q "^- Link to v1: https://lore.kernel.org/r/$(awk -F'\t' '$1 == "00" { print $3 }' "$SENT/1-alpha/v1/patches.tsv")\$" "$c" || return 1
	# v2's mails carry the changelog; a real send refuses the EDITME
	"$S/export.sh" >/dev/null 2>&1 || return 1
	send --dry-run --out "$FIX/dry" alpha || return 1
	grep -q '^Subject: \[PATCH v2 0/2\]' "$FIX"/dry/v2-0000-cover-letter.patch &&
		grep -q '^Range-diff against v1:' "$FIX"/dry/v2-0000-cover-letter.patch || return 1
	fails_with 'still says EDITME' "$S/send.sh" --yes alpha || return 1
	sed -i 's/^- EDITME.*/- use an addition in the helper/' "$c"
	send --yes alpha && [ -s "$SENT/1-alpha/v2/series.mbox" ]
}

t_reroll_bad_input() {
	make_series
	fails_with "unknown topic 'nosuch'" "$S/reroll.sh" nosuch || return 1
	fails_with "topic 2-beta has no patches" "$S/reroll.sh" beta || return 1
	rm "$COVERS/3-gamma.txt"
	fails_with "no cover letter" "$S/reroll.sh" gamma || return 1
	echo '/* dirty */' >>"$KTREE/drivers/gpu/drm/Makefile"
	fails_with "uncommitted changes" "$S/reroll.sh" alpha || return 1
	git -C "$KTREE" checkout -q -- drivers/gpu/drm/Makefile
	# never sent: the branch as it is becomes v1; the range-diff is all "="
	"$S/reroll.sh" alpha >"$FIX/out" 2>&1 || return 1
	[ "$(grep -cE '^[0-9]+: +[0-9a-f]+ = ' "$COVERS/1-alpha.txt")" -eq 2 ]
}

# --- status --------------------------------------------------------------------
# An upstream made from the sent mails: alpha's first patch as it is,
# its second with a change (and a Link: to the mail), gamma's not at all.
make_upstream() {
	local up=$FIX/up d=$FIX/upmails tip
	rm -rf "$up" "$d"
	git clone -q --shared --no-checkout "$REAL_KTREE" "$up" || return 1
	mkdir -p "$d"
	git mailsplit -o"$d" "$SENT/1-alpha/v1/series.mbox" >/dev/null
	local id2
	id2=$(awk -F'\t' '$1 == "02" { print $3 }' "$SENT/1-alpha/v1/patches.tsv")
	# the maintainer's change to patch 2, and the Link: trailer b4 adds
	sed -i 's/^+\treturn 2 \* v;$/+\treturn v << 1;/' "$d/0003"
	sed -i "0,/^---\$/s||Link: https://lore.kernel.org/r/$id2\n---|" "$d/0003"
	cat "$d/0002" "$d/0003" >"$FIX/merged.mbox"
	tip=$(am_index "$up" "refs/tags/$BASE_TAG" "$FIX/merged.mbox") || return 1
	git -C "$up" update-ref refs/heads/next "$tip"
}

t_status_reports_each_patch() {
	make_series
	fake_sendmail
	send --yes alpha && send --yes gamma || return 1
	add_patch 3-gamma "drm/fixture: a comment" edit_comment
	make_upstream || return 1
	"$S/status.sh" "$FIX/up" next >"$FIX/out" 2>&1 || return 1
	row() { awk -v t="$1" -v n="$2" '$1 == t && $2 == n' "$FIX/out"; }
	[[ "$(row alpha 01)" == *" merged "* ]] && [[ "$(row alpha 02)" == *" merged with changes "* ]] &&
		[[ "$(row gamma 01)" == *" posted v1 "* ]] && [[ "$(row gamma 02)" == *" pending "* ]] || return 1
	# the same from a folder of mboxes of what was applied
	mkdir -p "$FIX/upmbox"
	git -C "$FIX/up" format-patch -q --stdout "refs/tags/$BASE_TAG..next" >"$FIX/upmbox/applied.mbox"
	"$S/status.sh" "$FIX/upmbox" >"$FIX/out" 2>&1 || return 1
	[[ "$(row alpha 01)" == *" merged "* ]] && [[ "$(row alpha 02)" == *" merged with changes "* ]] &&
		[[ "$(row gamma 01)" == *" posted v1 "* ]] && [[ "$(row gamma 02)" == *" pending "* ]]
}

t_status_without_link_is_not_merged() {
	make_series
	fake_sendmail
	send --yes alpha || return 1
	make_upstream || return 1
	# the same upstream, but the changed patch carries no Link: trailer
	sed -i '/^Link: /d' "$FIX/merged.mbox"
	local tip
	tip=$(am_index "$FIX/up" "refs/tags/$BASE_TAG" "$FIX/merged.mbox") || return 1
	git -C "$FIX/up" update-ref refs/heads/nolink "$tip"
	"$S/status.sh" "$FIX/up" nolink >"$FIX/out" 2>&1 || return 1
	awk '$1 == "alpha" && $2 == "02"' "$FIX/out" | grep -q ' posted v1 '
}

t_status_updates_only_the_roadmap_state_column() {
	make_series
	fake_sendmail
	send --yes alpha && send --yes gamma || return 1
	make_upstream || return 1
	cp "$ROADMAP" "$FIX/roadmap.before"
	"$S/status.sh" --update-roadmap "$FIX/up" next >"$FIX/out" 2>&1 || return 1
	grep -q '^| 1 | alpha      | merged      | the driver and a helper |$' "$ROADMAP" &&
		grep -q '^| 3 | gamma      | posted v1   | the helper at init |$' "$ROADMAP" &&
		grep -q '^| 2 | beta       | planned     | nothing |$' "$ROADMAP" || return 1
	# nothing but the state cells changed
	[ "$(diff "$FIX/roadmap.before" "$ROADMAP" | grep -c '^[<>]')" -eq 4 ] || return 1
	[ "$(cut -d'|' -f1,2,3,5- "$FIX/roadmap.before")" = "$(cut -d'|' -f1,2,3,5- "$ROADMAP")" ]
}

t_status_bad_input() {
	make_series
	fails_with 'no such file or folder' "$S/status.sh" "$FIX/nowhere" || return 1
	mkdir -p "$FIX/notup" && echo hello >"$FIX/notup/readme"
	fails_with 'neither a git tree nor a folder of mboxes' "$S/status.sh" "$FIX/notup" || return 1
	fails_with "has no branch or commit 'nosuch'" "$S/status.sh" "$REAL_KTREE" nosuch || return 1
	fails_with "REF=next is for a git tree" "$S/status.sh" "$(ls "$SERIES"/1-alpha/0001-*.patch)" next || return 1
	fails_with 'usage:' "$S/status.sh"
}

t_status_on_an_empty_series() {
	fixture_env
	reset_fixture
	"$S/status.sh" "$FIX/tree" >"$FIX/out" 2>&1 && grep -q '(no patches in' "$FIX/out"
}

# --- bisect --------------------------------------------------------------------
t_bisect_names_the_first_bad_patch() {
	make_series
	add_patch 3-gamma "drm/fixture: break the build" edit_break
	add_patch 3-gamma "drm/fixture: a comment" edit_comment
	"$S/bisect.sh" "refs/tags/$BASE_TAG" posting/gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	grep -q '^first bad patch: [0-9a-f]* "drm/fixture: break the build"' "$FIX/out" &&
		grep -q "topic 3-gamma, patch 2/3 ($SERIES/3-gamma/0002-drm-fixture-break-the-build.patch)" "$FIX/out"
}

t_bisect_with_a_test() {
	make_series
	add_patch 3-gamma "drm/fixture: add thrice" edit_thrice
	add_patch 3-gamma "drm/fixture: a comment" edit_comment
	# everything builds; the test fails once fixture_thrice exists
	"$S/bisect.sh" posting/alpha posting/gamma '! grep -q fixture_thrice drivers/gpu/drm/fixture/fixture_util.c' \
		>"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	grep -q '^first bad patch: [0-9a-f]* "drm/fixture: add thrice"' "$FIX/out" &&
		grep -q 'topic 3-gamma, patch 2/3' "$FIX/out"
}

t_bisect_bad_input() {
	make_series
	fails_with 'GOOD=nosuch is not a revision' "$S/bisect.sh" nosuch posting/gamma || return 1
	fails_with 'is not an ancestor of BAD' "$S/bisect.sh" posting/gamma posting/alpha || return 1
	fails_with 'passes (build and TEST): nothing to bisect' "$S/bisect.sh" posting/alpha posting/gamma true || return 1
	fails_with 'usage:' "$S/bisect.sh" posting/alpha
}

# --- runner ----------------------------------------------------------------------
ALL=$(declare -F | awk '{print $3}' | grep '^t_')
[ $# -eq 0 ] || ALL="$*"
for t in $ALL; do
	name=${t#t_}
	start=$(date +%s)
	if (set +e; [ -z "${TRACE:-}" ] || set -x; "$t") >"$FIX/$name.log" 2>&1; then
		printf 'PASS %s (%d s)\n' "$name" $(($(date +%s) - start))
		passed=$((passed + 1))
	else
		printf 'FAIL %s (%d s): see %s and %s\n' "$name" $(($(date +%s) - start)) "$FIX/$name.log" "$FIX/out"
		failed=$((failed + 1))
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
