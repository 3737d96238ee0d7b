#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/tests/posting.sh [TEST...]
# Tests of enroll, send, reroll, trailers, adopt, bisect and status, on a
# fixture series made here (never series/, cover-letters/, sent/ or
# ROADMAP, never kernel-tree/'s branches): a miniature kernel-like tree
# (build/posting-test/base: a few files, a short MAINTAINERS, the base's
# real scripts/get_maintainer.pl, a gcc stand-in for Kbuild; see
# mini_kernel_tree in fixture-lib.sh) tagged like the base, a worktree of
# it at build/posting-test/tree with branches posting/*, a fixture project
# (series, cover letters, sent records, ROADMAP) in build/posting-test/proj,
# a fake sendmail for b4's real sends, a local archive for b4
# (scripts/lore.py), and synthetic upstream trees for status. The real b4
# runs everywhere (prep, send -o, send to the fake sendmail, trailers -u,
# --check-deps, am). The scripts' build folders (send --verify, bisect) are
# under build/posting-test/build. Needs 'make tree' (b4, and the base's
# get_maintainer.pl). Prints one line per test and ends with "N passed,
# N failed".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture-lib.sh"
# never the machine's git configuration (/etc/gitconfig: an smtpServer or a
# b4.sendemail-identity would take b4's real sends elsewhere than the fake
# sendmail), from the first git command on
export GIT_CONFIG_NOSYSTEM=1

S=$TOP/scripts
FIX=$BUILD/posting-test
load_base
need_ktree
need_b4
mkdir -p "$FIX"
REAL_KTREE=$FIX/base
mini_kernel_tree "$REAL_KTREE" "$KTREE" || die "cannot make the miniature kernel tree $REAL_KTREE"
export JOBS=${JOBS:-2}

passed=0
failed=0

fixture_env() {
	export KTREE=$FIX/tree SERIES=$FIX/proj/series CI_DIR=$FIX/proj/ci
	export COVERS=$FIX/proj/cover-letters SENT=$FIX/proj/sent ROADMAP=$FIX/proj/ROADMAP
	export POSTER_FILE=$FIX/proj/cover-letters/poster LORE_DIR=$FIX/lore POST_LOGS=$FIX/logs
	export BRANCH_PREFIX=posting/
	# the scripts' build folders (send-src, send-x86_64, bisect-*) apart
	# from the real tree's; the tools stay the project's
	export TOOLS BUILD=$FIX/build
	mkdir -p "$BUILD"
	mkdir -p "$POST_LOGS"
	# no sendemail configuration but the one a test gives (none from the
	# machine's /etc/gitconfig either); b4 signs nothing
	export GIT_CONFIG_GLOBAL=$FIX/gitconfig GIT_CONFIG_NOSYSTEM=1
	printf '[user]\n\tname = Post Tester\n\temail = post@example.org\n[b4]\n\tsend-no-patatt-sign = yes\n' >"$GIT_CONFIG_GLOBAL"
	unset GIT_CONFIG_COUNT
}

# snap_save NAME, snap_load NAME: the fixture's state (the miniature
# tree's repository with the branches and b4's state in its configuration,
# its worktree, the fixture project) saved once and copied back for each
# later test that starts from the same point: a few hundred KiB copied
# instead of the git, b4 and script runs that made it (most of a test's
# CPU on a loaded machine). Saved states live for one run of this file.
SNAP=$FIX/snap
rm -rf "$SNAP"
snap_save() {
	rm -rf "${SNAP:?}/$1"
	mkdir -p "$SNAP/$1"
	cp -a "$REAL_KTREE" "$KTREE" "$FIX/proj" "$SNAP/$1/"
}
snap_load() {
	[ -d "$SNAP/$1" ] || return 1
	rm -rf "$REAL_KTREE" "$KTREE" "$FIX/proj"
	cp -a "$SNAP/$1/$(basename "$REAL_KTREE")" "$REAL_KTREE"
	cp -a "$SNAP/$1/$(basename "$KTREE")" "$KTREE"
	cp -a "$SNAP/$1/proj" "$FIX/proj"
}

reset_fixture() {
	fixture_env
	rm -rf "$FIX/outbox" "$FIX/rcpt" "$FIX/up" "$FIX/upmbox" "$FIX/out" "$LORE_DIR"
	mkdir -p "$FIX/outbox"
	snap_load empty && return 0
	fixture_tree_reset refs/forseti/posted/posting/ refs/tags/sent/
	mkdir -p "$COVERS"
	for t in 1-alpha 2-beta 3-gamma; do
		printf 'drm/fixture: the %s topic\n\nThis is the %s topic of the fixture series. It exists only\nin the workbench tests.\n' \
			"${t#*-}" "${t#*-}" >"$COVERS/$t.txt"
	done
	printf 'Fixture Dev <fixture@forseti.invalid>\n' >"$POSTER_FILE"
	cat >"$ROADMAP" <<'EOF'
fixture roadmap

| # | topic      | state       | what its head adds |
|---|------------|-------------|--------------------|
| 1 | alpha      | in progress | the driver and a helper |
| 2 | beta       | planned     | nothing |
| 3 | gamma      | in progress | the helper at init |
EOF
	snap_save empty
}

# alpha: the driver, a helper; beta: empty; gamma: the helper at init
# (scripts/tests/fixture-lib.sh), enrolled with b4 prep by make apply.
make_series() {
	reset_fixture
	snap_load series && return 0
	fixture_commits
	"$S/export.sh" >/dev/null 2>&1
	"$S/apply.sh" >"$FIX/apply.out" 2>&1 || { cat "$FIX/apply.out"; return 1; }
	snap_save series
}

# the same, adopted by a poster who can post (make adopt)
make_adopted_series() {
	reset_fixture
	snap_load adopted && return 0
	make_series || return 1
	"$S/adopt.sh" 'Post Tester <post@example.org>' >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	"$S/apply.sh" >/dev/null 2>&1 && "$S/export.sh" >/dev/null 2>&1 || return 1
	# b4 sends as the tree's user (mini_kernel_tree's is .invalid): the poster
	git -C "$KTREE" config user.name 'Post Tester'
	git -C "$KTREE" config user.email post@example.org
	snap_save adopted
}

# add_patch TOPIC SUBJECT EDIT-FUNCTION [AUTHOR]: one more patch on a topic
# branch (the topics above it are not rebased: use it on the last topic).
add_patch() {
	git -C "$KTREE" checkout -q "posting/${1#*-}"
	"$3"
	commit_fixture "$1" "$2" "${4:-Post Tester <post@example.org>}"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
}

# change_helper: alpha's helper changed in place (as after a review), gamma
# restacked on it.
change_helper() {
	git -C "$KTREE" checkout -q --detach posting/gamma
	GIT_EDITOR=true git -C "$KTREE" rebase -q -x \
		"sed -i 's/return 2 \\* v;/return v + v;/' drivers/gpu/drm/fixture/fixture_util.c 2>/dev/null; git add -A; git commit -q --amend --no-edit" \
		"refs/tags/$BASE_TAG" >/dev/null 2>&1 || return 1
	git -C "$KTREE" branch -f posting/alpha HEAD~1
	git -C "$KTREE" branch -f posting/beta HEAD~1
	git -C "$KTREE" branch -f posting/gamma HEAD
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
}

edit_break() { sed -i 's/^\treturn 2 \* v;$/\treturn 2 * v +;/' "$KTREE/drivers/gpu/drm/fixture/fixture_util.c"; }
edit_thrice() {
	printf '\nint fixture_thrice(int v);\nint fixture_thrice(int v)\n{\n\treturn 3 * v;\n}\n' \
		>>"$KTREE/drivers/gpu/drm/fixture/fixture_util.c"
}
edit_comment() { printf '/* one more line */\n' >>"$KTREE/drivers/gpu/drm/fixture/fixture.h"; }

# a fake sendmail for b4 send (sendemail.smtpServer, a local command): one
# file per mail in outbox/, and the envelope recipients b4 gave it (its
# arguments: -i, then the addresses) in rcpt/, under the same name
fake_sendmail() {
	mkdir -p "$FIX/rcpt"
	cat >"$FIX/sendmail" <<EOF
#!/bin/sh
f=\$(date +%s%N)
printf '%s\\n' "\$@" >"$FIX/rcpt/\$f"
cat >"$FIX/outbox/\$f.eml"
EOF
	chmod +x "$FIX/sendmail"
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpServer GIT_CONFIG_VALUE_0=$FIX/sendmail
}

mails() { find "$FIX/outbox" -type f | wc -l; }
# header FILE NAME: a mail header, unfolded (b4 gives sendmail CRLF lines)
header() { tr -d '\r' <"$1" | sed -n '/^$/q;p' | sed -e ':a' -e 'N;$!ba' -e 's/\n[ \t]\+/ /g' | sed -n "s/^$2: //p"; }
send() { "$S/send.sh" "$@" >"$FIX/out" 2>&1; }
b4_in_fixture() { (cd "$KTREE" && "$B4" "$@"); }
# fails_with MESSAGE CMD...: the command fails, and says MESSAGE (one error line)
fails_with() {
	local msg=$1
	shift
	if "$@" >"$FIX/out" 2>&1; then return 1; fi
	grep -q -- "$msg" "$FIX/out" && [ "$(grep -cE '^[a-z]+: error: ' "$FIX/out")" -eq 1 ]
}

# --- enrollment and dependencies -------------------------------------------------
t_enroll_with_b4_prep() {
	make_series || return 1
	local cid_a cid_g
	cid_a=$(meta_get 1-alpha change-id)
	cid_g=$(meta_get 3-gamma change-id)
	# b4 made the change-ids (b4's form: date-name-hex) and the project has them
	[[ $cid_a =~ ^[0-9]{8}-posting-alpha-[0-9a-f]{12}$ ]] && [[ $cid_g =~ ^[0-9]{8}-posting-gamma-[0-9a-f]{12}$ ]] || return 1
	[ "$(meta_all 3-gamma prerequisite-change-id)" = "$cid_a:v1" ] || return 1
	# b4 itself reads the enrollment: change-id, revision, fork point = the topic below
	git -C "$KTREE" checkout -q posting/gamma
	b4_in_fixture prep --show-info >"$FIX/info" 2>&1 || return 1
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	grep -q "^change-id: $cid_g\$" "$FIX/info" && grep -q '^revision: 1$' "$FIX/info" &&
		grep -q "^base-branch: posting/beta\$" "$FIX/info" &&
		grep -q "^start-commit: $(git -C "$KTREE" rev-parse posting/beta)\$" "$FIX/info" || return 1
	grep -q '^cover-subject: drm/fixture: the gamma topic$' "$FIX/info" || return 1
	# a fresh clone has no branch configuration: make apply restores it
	git -C "$KTREE" config --remove-section branch.posting/gamma
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	[ "$(git -C "$KTREE" config branch.posting/gamma.b4-prep-cover-strategy)" = branch-description ] &&
		git -C "$KTREE" config branch.posting/gamma.b4-tracking | grep -q "\"change-id\": \"$cid_g\"" &&
		git -C "$KTREE" config branch.posting/gamma.b4-tracking | grep -q "\"change-id: $cid_a:v1\""
}

t_check_deps_passes_then_fails_when_a_lower_topic_changed() {
	make_adopted_series || return 1
	fake_sendmail
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	grep -q "b4 prep --check-deps" "$FIX/out" && return 1
	# b4 checked alpha's change-id and applied both topics on the base
	grep -qF $'\e[32m\u25cf\e[0m change-id: '"$(meta_get 1-alpha change-id):v1" "$POST_LOGS/check-deps.log" &&
		grep -qF $'\e[32m\u25cf\e[0m base-commit: ' "$POST_LOGS/check-deps.log" || return 1
	# alpha is sent (v1), then changed after review: gamma still records v1
	send --yes alpha || { cat "$FIX/out"; return 1; }
	change_helper || return 1
	fails_with "topic 3-gamma: b4 prep --check-deps: .*v2 available for change-id $(meta_get 1-alpha change-id) (you have: v1)" \
		"$S/send.sh" --dry-run gamma || { cat "$FIX/out"; return 1; }
	# make reroll on gamma would record alpha as it is now; enroll --deps does that alone
	"$S/enroll.sh" --deps gamma >/dev/null 2>&1 || return 1
	[ "$(meta_all 3-gamma prerequisite-change-id)" = "$(meta_get 1-alpha change-id):v2" ] || return 1
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
}

# someone's own branch "base" (the real tree has no prefix) is not
# clobbered, nor one checked out (the worktree would be left dirty)
t_enroll_leaves_a_base_branch_of_its_own() {
	make_series || return 1
	local alpha
	alpha=$(git -C "$KTREE" rev-parse posting/alpha)
	git -C "$KTREE" branch -f posting/base posting/alpha
	fails_with "branch 'posting/base' is at [0-9a-f]*, no base tag" "$S/enroll.sh" ||
		{ echo "enroll.sh on a branch base of its own:"; cat "$FIX/out"; return 1; }
	[ "$(git -C "$KTREE" rev-parse posting/base)" = "$alpha" ] || { echo "posting/base was moved"; return 1; }
	# at an older base (base/0-older) and checked out: refused, the checkout stays clean
	git -C "$KTREE" tag base/0-older posting/alpha
	git -C "$KTREE" checkout -q posting/base
	fails_with "cannot move branch 'posting/base'" "$S/enroll.sh" ||
		{ echo "enroll.sh on a checked-out base:"; cat "$FIX/out"; git -C "$KTREE" status --short; return 1; }
	[ -z "$(git -C "$KTREE" status --porcelain)" ] || return 1
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	# not checked out: it follows the base tag
	"$S/enroll.sh" >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	git -C "$KTREE" tag -d base/0-older >/dev/null
	[ "$(git -C "$KTREE" rev-parse posting/base)" = "$(git -C "$KTREE" rev-parse "refs/tags/$BASE_TAG^{commit}")" ]
}

# a cover letter edited the b4 way (b4 prep --edit-cover) is taken into
# cover-letters/, not overwritten; edited in both places, refused
t_enroll_keeps_a_cover_letter_edited_in_b4() {
	make_series || return 1
	local c=$COVERS/3-gamma.txt d=branch.posting/gamma.description
	printf '#!/bin/sh\nsed -i "1s/\\$/, edited in b4/" "$1"\n' >"$FIX/edit-cover"
	chmod +x "$FIX/edit-cover"
	git -C "$KTREE" checkout -q posting/gamma
	EDITOR=$FIX/edit-cover b4_in_fixture prep --edit-cover >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	[ "$(git -C "$KTREE" config "$d" | head -n 1)" = 'drm/fixture: the gamma topic, edited in b4' ] || return 1
	"$S/enroll.sh" gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(head -n 1 "$c")" = 'drm/fixture: the gamma topic, edited in b4' ] ||
		{ echo "the edit is lost: $c says '$(head -n 1 "$c")', b4 '$(git -C "$KTREE" config "$d" | head -n 1)'"; return 1; }
	[ "$(git -C "$KTREE" config "$d" | head -n 1)" = 'drm/fixture: the gamma topic, edited in b4' ] || return 1
	# edited in b4 and in cover-letters/: refused, both kept
	git -C "$KTREE" config "$d" "$(printf 'drm/fixture: gamma, b4 again\n\nBody.')"
	sed -i '1s/.*/drm\/fixture: gamma, file again/' "$c"
	fails_with "topic 3-gamma: the cover letter changed both in b4" "$S/enroll.sh" gamma || { cat "$FIX/out"; return 1; }
	[ "$(head -n 1 "$c")" = 'drm/fixture: gamma, file again' ] &&
		[ "$(git -C "$KTREE" config "$d" | head -n 1)" = 'drm/fixture: gamma, b4 again' ] || return 1
	# the way on that the message gives; then cover-letters/ alone edited (the usual way)
	git -C "$KTREE" config --unset "$d"
	"$S/enroll.sh" gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(git -C "$KTREE" config "$d" | head -n 1)" = 'drm/fixture: gamma, file again' ] || return 1
	sed -i '1s/.*/drm\/fixture: gamma, file edit/' "$c"
	"$S/enroll.sh" gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(git -C "$KTREE" config "$d" | head -n 1)" = 'drm/fixture: gamma, file edit' ] &&
		[ "$(head -n 1 "$c")" = 'drm/fixture: gamma, file edit' ]
}

# a sent record without its info file: b4's tag is rebuilt under the name
# the change-id gives (enroll.sh did not stop, silently, on the sed)
t_enroll_rebuilds_a_tag_from_a_record_without_info() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	local cid
	cid=$(meta_get 1-alpha change-id)
	git -C "$KTREE" tag -d "sent/$cid-v1" >/dev/null || return 1
	rm "$SENT/1-alpha/v1/info"
	"$S/enroll.sh" alpha >"$FIX/out" 2>&1 || { echo "enroll.sh failed (rc $?):"; cat "$FIX/out"; return 1; }
	git -C "$KTREE" cat-file -p "sent/$cid-v1" | grep -q "^change-id: $cid\$"
}

# b4's tracking data that cannot be made (a sent record's row without a
# Message-ID) stops enroll.sh, and b4's state stays as it was
t_enroll_refuses_a_record_row_without_a_message_id() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	local tj
	tj=$(git -C "$KTREE" config branch.posting/alpha.b4-tracking)
	sed -i '1s/^\([^\t]*\t[^\t]*\t\)[^\t]*/\1/' "$SENT/1-alpha/v1/patches.tsv"
	fails_with "topic 1-alpha: cannot make b4's tracking data" "$S/enroll.sh" alpha ||
		{ echo "enroll.sh on a row without a Message-ID:"; cat "$FIX/out"; return 1; }
	[ "$(git -C "$KTREE" config branch.posting/alpha.b4-tracking)" = "$tj" ] ||
		{ echo "b4-tracking is now '$(git -C "$KTREE" config branch.posting/alpha.b4-tracking)'"; return 1; }
}

# --- send ----------------------------------------------------------------------
t_send_dry_run_writes_the_mails() {
	make_series || return 1
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	local m base pids cid
	[ "$(find "$FIX/dry" -name '*.eml' | wc -l)" -eq 1 ] && [ -s "$FIX/dry/gamma-v1.mbox" ] || return 1
	m=$(ls "$FIX"/dry/*.eml)
	# one patch: b4 puts the cover letter into it, below the ---
	grep -q '^Subject: \[PATCH\] drm/fixture: use the helper at init$' "$m" || return 1
	grep -q '^This is the gamma topic of the fixture series' "$m" || return 1
	base=$(git -C "$KTREE" rev-parse "refs/tags/$BASE_TAG^{commit}")
	grep -q "^base-commit: $base\$" "$m" || return 1
	grep -q "^change-id: $(meta_get 3-gamma change-id)\$" "$m" || return 1
	grep -q "^prerequisite-change-id: $(meta_get 1-alpha change-id):v1\$" "$m" || return 1
	# b4 expands alpha's v1 (from the local archive) into its patch-ids
	pids=$(series_pids 1-alpha | sort)
	[ "$(sed -n 's/^prerequisite-patch-id: //p' "$m" | sort)" = "$pids" ] || return 1
	grep -q 'not an upstream commit' "$m" || return 1
	header "$m" To | grep -q 'Fixture Dev <fixture@forseti.invalid>' || return 1
	header "$m" Cc | grep -q 'dri-devel@lists.fixture.invalid' || return 1
	grep -q '^ *prerequisite-change-id: ' "$FIX/out" || return 1
	# nothing changed, nothing sent or recorded
	cid=$(meta_get 3-gamma change-id)
	send --dry-run --out "$FIX/dry" gamma || return 1
	[ "$(meta_get 3-gamma change-id)" = "$cid" ] && [ "$(meta_get 3-gamma version)" = 1 ] &&
		[ ! -e "$SENT" ] && [ "$(mails)" -eq 0 ] &&
		[ "$(cat "$COVERS/3-gamma.txt")" = "$(printf 'drm/fixture: the gamma topic\n\nThis is the gamma topic of the fixture series. It exists only\nin the workbench tests.')" ]
}

t_send_dry_run_of_a_series_has_a_cover_letter() {
	make_series || return 1
	send --dry-run --out "$FIX/dry" alpha || { cat "$FIX/out"; return 1; }
	local c
	c=$(grep -l '^Subject: \[PATCH 0/2\] drm/fixture: the alpha topic$' "$FIX"/dry/*.eml) || return 1
	grep -q '^X-Change-ID: ' "$c" && ! grep -q '^prerequisite-' "$c" || return 1
	grep -q "^In-Reply-To: <$(sed -n 's/^Message-I[dD]: <\(.*\)>/\1/p' "$c")>" \
		$(grep -l '^Subject: \[PATCH 2/2\]' "$FIX"/dry/*.eml)
}

t_send_mails_apply_and_build() {
	make_series || return 1
	# the objects must be this send's: an earlier run's would pass a
	# VERIFY that builds nothing
	rm -rf "$BUILD/send-x86_64"
	send --dry-run --verify --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	grep -q 'verify: the mails apply (b4 am, git am) on a fresh base with the topics below and build' "$FIX/out" || return 1
	[ -f "$BUILD/send-x86_64/drivers/gpu/drm/fixture/fixture_main.o" ] &&
		[ "$(git -C "$BUILD/send-src" rev-parse 'HEAD^{tree}')" = "$(git -C "$KTREE" rev-parse 'posting/gamma^{tree}')" ]
}

t_send_verify_catches_a_build_break() {
	make_series || return 1
	add_patch 3-gamma "drm/fixture: break the build" edit_break
	fails_with 'apply but do not build' "$S/send.sh" --dry-run --verify --out "$FIX/dry" gamma || return 1
	grep -q 'fixture_util.c.*error' "$BUILD/send-build.log"
}

t_send_long_identity_still_reads_in_b4() {
	make_series || return 1
	add_patch 3-gamma "drm/fixture: a comment" edit_comment \
		"Somebody With A Really Quite Remarkably Long Name <somebody.with.a.really.long.address@forseti.invalid>"
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	grep -A1 '^From: ' "$FIX"/dry/*.eml | tr -d '\n' | grep -q 'Somebody With A Really Quite Remarkably Long Name'
}

t_send_long_subject_still_reads_in_b4() {
	make_series || return 1
	add_patch 3-gamma "drm/fixture: a subject that [PATCH 2/2] pushes past the 78 columns of a header line" edit_comment
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	# b4 folds the long Subject:; the send's own b4 am check read it
	[ "$(header "$(ls "$FIX"/dry/0002-*.eml)" Subject)" = \
		'[PATCH 2/2] drm/fixture: a subject that [PATCH 2/2] pushes past the 78 columns of a header line' ]
}

t_send_body_line_from_stays_in_its_mail() {
	make_series || return 1
	# a commit message line that starts with "From ", as an mbox's
	# separator does (series/5-jobqueue has one)
	add_patch 3-gamma "drm/fixture: a comment

From here on the header has one more comment line; an mbox reader
splits a mail at this line unless it is escaped." edit_comment
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	# (the send's own b4 am check found both patches, and no piece of a
	# mail taken for one); the mbox is mboxrd, the mail as b4 wrote it
	grep -q '^>From here on the header' "$FIX/dry/gamma-v1.mbox" &&
		grep -q '^From here on the header' "$(ls "$FIX"/dry/0002-*.eml)"
}

t_send_bad_input() {
	make_series || return 1
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

t_send_refuses_an_invalid_identity() {
	make_series || return 1
	fake_sendmail
	fails_with "topic 3-gamma: a real posting needs a real identity, not .*fixture@forseti.invalid.*make adopt ID=" \
		"$S/send.sh" --yes gamma || return 1
	[ "$(mails)" -eq 0 ] || return 1
	# adopted, only MAINTAINERS still names the old address
	make_adopted_series || return 1
	git -C "$KTREE" checkout -q posting/gamma
	sed -i 's/^M:\tPost Tester <post@example.org>$/M:\tFixture Dev <fixture@forseti.invalid>/' "$KTREE/MAINTAINERS"
	commit_fixture 3-gamma "MAINTAINERS: back to the fixture" "Post Tester <post@example.org>"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
	fails_with "not MAINTAINERS: M:	Fixture Dev <fixture@forseti.invalid>" "$S/send.sh" --yes gamma
}

# a long identity: format-patch folds the From: header over two lines, so
# the .invalid address is on a line of its own
t_send_refuses_a_long_invalid_identity() {
	local p
	make_adopted_series || return 1
	fake_sendmail
	add_patch 3-gamma "drm/fixture: a comment" edit_comment \
		"Somebody With A Really Quite Remarkably Long Name <somebody.with.a.really.long.address@forseti.invalid>"
	# signed off by the poster: only the From: names the .invalid address
	git -C "$KTREE" checkout -q posting/gamma
	git -C "$KTREE" log -1 --format=%B |
		sed 's/^Signed-off-by: .*/Signed-off-by: Post Tester <post@example.org>/' |
		git -C "$KTREE" commit -q --amend -F - || return 1
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >/dev/null 2>&1
	p=$(ls "$SERIES"/3-gamma/0002-*.patch) || return 1
	if grep -q '^From: .*\.invalid>' "$p" || ! grep -q '^ <somebody.with.a.really.long.address@forseti.invalid>$' "$p"; then
		echo "$p: its From: is not folded (the test needs it folded):"
		sed -n '2,3p' "$p"
		return 1
	fi
	grep -q '^Signed-off-by: .*\.invalid>' "$p" && { echo "$p: a .invalid sign-off is left"; return 1; }
	fails_with "topic 3-gamma: a real posting needs a real identity, not 0002-[^:]*: From: Somebody With A Really Quite Remarkably Long Name <somebody.with.a.really.long.address@forseti.invalid>:" \
		"$S/send.sh" --yes gamma || return 1
	[ "$(mails)" -eq 0 ]
}

t_send_refuses_a_sender_who_is_not_the_poster() {
	make_adopted_series || return 1
	fake_sendmail
	# (alpha: the first topic, no prerequisite to have been posted first;
	# the check reads the From: of the mails b4 made)
	# kernel-tree/'s own identity (tree.sh's .invalid one) wins over the global one
	git -C "$KTREE" config user.email workbench@forseti.invalid
	fails_with "topic 1-alpha: b4 would send as Post Tester <workbench@forseti.invalid> .*not the poster Post Tester <post@example.org>" \
		"$S/send.sh" --yes alpha || return 1
	# the sender is the poster, but b4's Message-IDs take user.email's domain
	git -C "$KTREE" config sendemail.from 'Post Tester <post@example.org>'
	fails_with "topic 1-alpha: b4's Message-IDs would be <.*@forseti.invalid>" "$S/send.sh" --yes alpha || return 1
	git -C "$KTREE" config user.email post@example.org
	# sendemail.from, which b4 takes before user.name/user.email
	git -C "$KTREE" config sendemail.from 'Some Body <somebody@example.org>'
	fails_with "b4 would send as Some Body <somebody@example.org> " "$S/send.sh" --yes alpha || return 1
	git -C "$KTREE" config --unset sendemail.from
	# b4.sendemail-identity's sendemail.<id>.from, which b4 takes first
	git -C "$KTREE" config b4.sendemail-identity work
	git -C "$KTREE" config sendemail.work.from 'Other Person <other@example.org>'
	fails_with "b4 would send as Other Person <other@example.org> " "$S/send.sh" --yes alpha || return 1
	[ "$(mails)" -eq 0 ] && [ ! -e "$SENT/1-alpha" ]
}

t_send_refuses_a_prerequisite_never_posted() {
	make_adopted_series || return 1
	fake_sendmail
	# gamma stands on alpha v1, which was never sent: the list could not
	# resolve its prerequisite-change-id
	fails_with "topic 3-gamma stands on 1-alpha v1 (prerequisite-change-id $(meta_get 1-alpha change-id):v1), which was never posted .*make send TOPIC=alpha" \
		"$S/send.sh" --yes gamma || return 1
	[ "$(mails)" -eq 0 ] && [ ! -e "$SENT/3-gamma" ] || return 1
	send --yes alpha && send --yes gamma || { cat "$FIX/out"; return 1; }
	[ -e "$SENT/3-gamma/v1" ]
}

t_send_real_needs_config_and_consent() {
	make_adopted_series || return 1
	# (alpha: the first topic, no prerequisite to have been posted first)
	fails_with 'no sendemail.smtpServer' "$S/send.sh" alpha </dev/null || return 1
	fake_sendmail
	# no terminal and no --yes: nothing is sent
	fails_with 'no terminal to ask on' setsid "$S/send.sh" alpha </dev/null || return 1
	[ "$(mails)" -eq 0 ] && [ ! -e "$SENT/1-alpha" ]
}

# --yes gives b4 one Enter: when b4's own pre-flight checks fail (here
# needs-editing: an EDITME in a subject, which b4's cover letter lists and
# send.sh's look at cover-letters/ does not see), that Enter goes to "send
# anyway", b4 reads end of file at the next prompt, and nothing is sent
t_send_yes_sends_nothing_when_b4_checks_fail() {
	make_adopted_series || return 1
	fake_sendmail
	add_patch 3-gamma "drm/fixture: EDITME a comment" edit_comment
	send --yes alpha || { cat "$FIX/out"; return 1; }
	fails_with "b4 send: its pre-flight checks fail" "$S/send.sh" --yes gamma || { cat "$FIX/out"; return 1; }
	grep -q 'Edit the cover' "$FIX/out" && [ "$(mails)" -eq 3 ] && [ ! -e "$SENT/3-gamma" ]
}

t_send_real_sends_and_records() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	[ "$(mails)" -eq 3 ] || return 1
	grep -l '^Subject: \[PATCH 1/2\] drm/fixture: add a fixture driver' "$FIX"/outbox/*.eml >/dev/null || return 1
	# b4 sent them from the poster, and delivered each to its To: and Cc:
	# (get_maintainer.pl's), no fewer and no more
	local m want got
	for m in "$FIX"/outbox/*.eml; do
		[ "$(header "$m" From)" = "$(cat "$POSTER_FILE")" ] || return 1
		want=$({ header "$m" To; header "$m" Cc; } | /usr/bin/python3 -c \
			'import email.utils, sys; print("\n".join(sorted({a for _, a in email.utils.getaddresses(sys.stdin.read().splitlines())})))')
		got=$(grep -v '^-' "$FIX/rcpt/$(basename "$m" .eml)" | sort -u)
		[ -n "$got" ] && [ "$got" = "$want" ] && grep -qx 'dri-devel@lists.fixture.invalid' <<<"$got" || return 1
	done
	local rec=$SENT/1-alpha/v1 cid
	[ -s "$rec/series.mbox" ] && [ "$(wc -l <"$rec/patches.tsv")" -eq 3 ] || return 1
	local pid
	pid=$(git patch-id --stable <"$SERIES"/1-alpha/0001-*.patch | cut -d' ' -f1)
	awk -F'\t' -v p="$pid" '$1 == "01" && $2 == p && $3 != "" { ok = 1 } END { exit !ok }' "$rec/patches.tsv" || return 1
	# the Message-IDs recorded are the ones that went out
	local mid
	for mid in $(cut -f3 "$rec/patches.tsv"); do
		grep -qi "^Message-Id: <$mid>" "$FIX"/outbox/*.eml || return 1
	done
	# b4 tagged v1 and started v2; the project has both
	cid=$(meta_get 1-alpha change-id)
	git -C "$KTREE" rev-parse -q --verify "refs/tags/sent/$cid-v1" >/dev/null || return 1
	[ "$(meta_get 1-alpha version)" = 2 ] && grep -q '^Changes in v2:$' "$COVERS/1-alpha.txt" &&
		grep -q "^- Link to v1: https://lore.kernel.org/r/$(awk -F'\t' '$1 == "00" { print $3 }' "$rec/patches.tsv")\$" "$COVERS/1-alpha.txt" || return 1
	! grep -qE '^(To|Cc): ' "$COVERS/1-alpha.txt" || return 1
	# v2 is the same as v1 and says EDITME: refused
	fails_with 'still says EDITME' "$S/send.sh" --yes alpha || return 1
	[ "$(mails)" -eq 3 ]
}

t_send_refuses_a_version_sent_but_not_recorded() {
	make_adopted_series || return 1
	fake_sendmail
	cp "$COVERS/1-alpha.txt" "$COVERS/1-alpha.meta" "$FIX/"
	send --yes alpha || { cat "$FIX/out"; return 1; }
	# send.sh stopped after b4 sent v1 (b4 tagged it and started v2): no
	# record, cover-letters/ as before the send
	rm -rf "$SENT/1-alpha"
	cp "$FIX/1-alpha.txt" "$FIX/1-alpha.meta" "$COVERS/"
	fails_with "topic 1-alpha: v1 went out (b4's tag sent/$(meta_get 1-alpha change-id)-v1 .*has no record.*make send RECORD=1 TOPIC=alpha" \
		"$S/send.sh" --yes alpha || return 1
	[ "$(mails)" -eq 3 ] || return 1
	# the record, from b4's tag and history and the mails the send made
	"$S/send.sh" --record alpha >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(wc -l <"$SENT/1-alpha/v1/patches.tsv")" -eq 3 ] && [ "$(meta_get 1-alpha version)" = 2 ] &&
		grep -q '^Changes in v2:$' "$COVERS/1-alpha.txt" || return 1
	local mid
	for mid in $(cut -f3 "$SENT/1-alpha/v1/patches.tsv"); do
		grep -qi "^Message-Id: <$mid>" "$FIX"/outbox/*.eml || return 1
	done
	# recorded: the next send is v2's (refused: it says EDITME)
	fails_with 'still says EDITME' "$S/send.sh" --yes alpha && [ "$(mails)" -eq 3 ]
}

# --- reroll --------------------------------------------------------------------
t_reroll_records_range_diff() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	change_helper || return 1
	"$S/reroll.sh" alpha >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	local c=$COVERS/1-alpha.txt
	grep -q '^Changes in v2:$' "$c" && grep -q '^- EDITME' "$c" && grep -q '^Range-diff against v1:$' "$c" || return 1
	grep -qE '^ *1: +[0-9a-f]+ = +1: +[0-9a-f]+ drm/fixture: add a fixture driver' "$c" || return 1
	grep -qE '^ *2: +[0-9a-f]+ ! +2: +[0-9a-f]+ drm/fixture: add a helper' "$c" || return 1
	grep -q 'return v + v' "$c" || return 1
	# again: the range-diff is replaced, not added
	"$S/reroll.sh" alpha >"$FIX/out" 2>&1 || return 1
	[ "$(grep -c '^Range-diff against v1:$' "$c")" -eq 1 ] || return 1
	# v2's mails carry the changelog; a real send refuses the EDITME
	send --dry-run --out "$FIX/dry" alpha || { cat "$FIX/out"; return 1; }
	grep -q '^Range-diff against v1:' $(grep -l '^Subject: \[PATCH v2 0/2\]' "$FIX"/dry/*.eml) || return 1
	fails_with 'still says EDITME' "$S/send.sh" --yes alpha || return 1
	sed -i '/^- EDITME/d' "$c"
	sed -i 's/^Changes in v2:$/&\n- use an addition in the helper/' "$c"
	send --yes alpha || { cat "$FIX/out"; return 1; }
	[ -s "$SENT/1-alpha/v2/series.mbox" ] && [ "$(meta_get 1-alpha version)" = 3 ] &&
		git -C "$KTREE" rev-parse -q --verify "refs/tags/sent/$(meta_get 1-alpha change-id)-v2" >/dev/null
}

t_reroll_after_a_fresh_apply() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	local cid mid r
	cid=$(meta_get 1-alpha change-id)
	mid=$(head -n 1 "$SENT/1-alpha/v1/patches.tsv" | cut -f3)
	# a fresh clone: the committed records only; no b4 tag, branch
	# configuration or posted refs of the kernel-tree/ that sent v1
	git -C "$KTREE" tag -d "sent/$cid-v1" >/dev/null || return 1
	git -C "$KTREE" config --remove-section branch.posting/alpha || return 1
	for r in $(git -C "$KTREE" for-each-ref --format='%(refname)' refs/forseti/); do git -C "$KTREE" update-ref -d "$r"; done
	"$S/apply.sh" >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	git -C "$KTREE" cat-file -p "sent/$cid-v1" | grep -q "^change-id: $cid\$" || return 1
	git -C "$KTREE" config branch.posting/alpha.b4-tracking | grep -q "\"v1\": \[\"$mid\"\]" || return 1
	change_helper || return 1
	"$S/reroll.sh" alpha >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	local c=$COVERS/1-alpha.txt
	grep -q '^Range-diff against v1:$' "$c" &&
		grep -qE '^ *1: +[0-9a-f]+ = +1: +[0-9a-f]+ drm/fixture: add a fixture driver' "$c" &&
		grep -qE '^ *2: +[0-9a-f]+ ! +2: +[0-9a-f]+ drm/fixture: add a helper' "$c"
}

t_reroll_a_stacked_topic() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha && send --yes gamma || { cat "$FIX/out"; return 1; }
	local cid_a c=$COVERS/3-gamma.txt bad=0
	cid_a=$(meta_get 1-alpha change-id)
	# gamma gets a patch after review; alpha is as it was sent (b4 is at its v2)
	add_patch 3-gamma "drm/fixture: a comment" edit_comment
	"$S/reroll.sh" gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	# (both checks, each named in the log when it fails)
	# the range-diff compares gamma's patches alone: alpha's are not "removed"
	grep -qE '^ *1: +[0-9a-f]+ = +1: +[0-9a-f]+ drm/fixture: use the helper at init' "$c" &&
		grep -qE '^ *-: +-+ > +2: +[0-9a-f]+ drm/fixture: a comment' "$c" &&
		! grep -qE 'add a fixture driver|add a helper' "$c" || { echo "the range-diff:"; cat "$c"; bad=1; }
	# alpha is recorded at v1, the version posted, not b4's next one
	[ "$(meta_all 3-gamma prerequisite-change-id)" = "$cid_a:v1" ] ||
		{ echo "prerequisites: $(meta_all 3-gamma prerequisite-change-id) (want $cid_a:v1)"; bad=1; }
	[ $bad -eq 0 ] || return 1
	# so v2 can be sent: a dry run, then for real
	send --dry-run --out "$FIX/dry" gamma || { cat "$FIX/out"; return 1; }
	sed -i '/^- EDITME/d; s/^Changes in v2:$/&\n- a comment in the header/' "$c"
	send --yes gamma || { cat "$FIX/out"; return 1; }
	grep -q "^prerequisite-change-id: $cid_a:v1\$" "$SENT/3-gamma/v2/series.mbox"
}

# a fresh clone of a stacked topic's records: gamma's tag is rebuilt on
# alpha as it was sent (restore_sent's prerequisite path), not on alpha
# as it is now, and the reroll compares gamma's own patches
t_reroll_a_stacked_topic_after_a_fresh_apply() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha && send --yes gamma || { cat "$FIX/out"; return 1; }
	local cid_a cid_g tree r c=$COVERS/3-gamma.txt
	cid_a=$(meta_get 1-alpha change-id)
	cid_g=$(meta_get 3-gamma change-id)
	tree=$(git -C "$KTREE" rev-parse "posting/gamma^{tree}")
	# alpha changes after review (gamma restacked on it), then a fresh clone
	change_helper || return 1
	git -C "$KTREE" tag -d "sent/$cid_a-v1" "sent/$cid_g-v1" >/dev/null || return 1
	git -C "$KTREE" config --remove-section branch.posting/alpha &&
		git -C "$KTREE" config --remove-section branch.posting/gamma || return 1
	for r in $(git -C "$KTREE" for-each-ref --format='%(refname)' refs/forseti/); do git -C "$KTREE" update-ref -d "$r"; done
	"$S/apply.sh" >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(git -C "$KTREE" rev-parse "sent/$cid_g-v1^{tree}")" = "$tree" ] ||
		{ echo "gamma's rebuilt tag is not gamma v1 as sent"; return 1; }
	"$S/reroll.sh" gamma >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	grep -qE '^ *1: +[0-9a-f]+ = +1: +[0-9a-f]+ drm/fixture: use the helper at init' "$c" &&
		! grep -qE 'add a fixture driver|add a helper' "$c" || { echo "the range-diff:"; cat "$c"; return 1; }
}

t_reroll_bad_input() {
	make_series || return 1
	fails_with "unknown topic 'nosuch'" "$S/reroll.sh" nosuch || return 1
	fails_with "topic 2-beta has no patches" "$S/reroll.sh" beta || return 1
	rm "$COVERS/3-gamma.txt"
	fails_with "no cover letter" "$S/reroll.sh" gamma || return 1
	echo '/* dirty */' >>"$KTREE/drivers/gpu/drm/Makefile"
	fails_with "uncommitted changes" "$S/reroll.sh" alpha || return 1
	git -C "$KTREE" checkout -q -- drivers/gpu/drm/Makefile
	fails_with "topic 1-alpha: v1 was never sent" "$S/reroll.sh" alpha
}

# --- trailers ------------------------------------------------------------------
# reply FROM PARENT-MAIL BODY: a reply to a mail of the sent record, as the
# list would carry it.
reply() {
	local from=$1 parent=$2 body=$3 mid subj
	mid=$(sed -n 's/^Message-I[dD]: *//p' "$parent" | head -n 1)
	subj=$(sed -n 's/^Subject: *//p' "$parent" | head -n 1)
	printf 'From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: %s\nTo: post@example.org\nSubject: Re: %s\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-Id: <reply-%s@example.org>\nIn-Reply-To: %s\nReferences: %s\n\n> quoted\n\n%s\n\n' \
		"$from" "$subj" "$RANDOM$RANDOM" "$mid" "$mid" "$body"
}

t_trailers_from_a_fixture_thread() {
	make_adopted_series || return 1
	fake_sendmail
	send --yes alpha || { cat "$FIX/out"; return 1; }
	local d=$FIX/thread pids_gamma tree_gamma
	rm -rf "$d"
	mkdir -p "$d"
	git mailsplit -o"$d" "$SENT/1-alpha/v1/series.mbox" >/dev/null
	pids_gamma=$(series_pids 3-gamma)
	tree_gamma=$(git -C "$KTREE" rev-parse 'posting/gamma^{tree}')
	{
		cat "$SENT/1-alpha/v1/series.mbox"
		# the cover letter: for every patch
		reply 'Alice Reviewer <alice@example.org>' "$d/0001" 'Reviewed-by: Alice Reviewer <alice@example.org>'
		reply 'Bob Maintainer <bob@example.org>' "$d/0002" 'Acked-by: Bob Maintainer <bob@example.org>'
		reply 'Carol Tester <carol@example.org>' "$d/0003" 'Tested-by: Carol Tester <carol@example.org>'
		# nobody the patch was sent to
		reply 'Outsider Person <outsider@elsewhere.example>' "$d/0003" 'Reviewed-by: Outsider Person <outsider@elsewhere.example>'
		# a trailer for somebody else than its sender: b4 leaves it out
		reply 'Mallory <mallory@example.org>' "$d/0003" 'Acked-by: Eve Other <eve@example.org>'
	} >"$FIX/thread.mbox"
	"$S/trailers.sh" alpha "$FIX/thread.mbox" >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	local p1 p2
	p1=$(ls "$SERIES"/1-alpha/0001-*.patch)
	p2=$(ls "$SERIES"/1-alpha/0002-*.patch)
	grep -q '^Reviewed-by: Alice Reviewer <alice@example.org>$' "$p1" && grep -q '^Reviewed-by: Alice Reviewer <alice@example.org>$' "$p2" &&
		grep -q '^Acked-by: Bob Maintainer <bob@example.org>$' "$p1" && ! grep -q 'Acked-by: Bob' "$p2" &&
		grep -q '^Tested-by: Carol Tester <carol@example.org>$' "$p2" && ! grep -q 'Tested-by' "$p1" &&
		grep -q '^Reviewed-by: Outsider Person <outsider@elsewhere.example>$' "$p2" || return 1
	! grep -q 'Eve Other' "$p1" "$p2" && grep -q 'Eve Other' "$FIX/out" || return 1
	# the code is unchanged; gamma stands on the new alpha, its patches as they were
	[ "$(git -C "$KTREE" rev-parse 'posting/gamma^{tree}')" = "$tree_gamma" ] &&
		git -C "$KTREE" merge-base --is-ancestor posting/alpha posting/gamma &&
		[ "$(series_pids 3-gamma)" = "$pids_gamma" ] || return 1
	# again: nothing new
	"$S/trailers.sh" alpha "$FIX/thread.mbox" >"$FIX/out" 2>&1 && grep -q 'no new trailers' "$FIX/out"
}

t_trailers_refuse_when_series_differs_from_a_branch() {
	make_series || return 1
	# series/ of another topic changed without make apply (a pull, an
	# edit): the export after b4 trailers would put the branch's back
	local p
	p=$(ls "$SERIES"/3-gamma/0001-*.patch)
	sed -i 's/^This change exists only in the workbench.s own tests; it$/A reworded line, from a pull; it/' "$p"
	grep -q '^A reworded line' "$p" || return 1
	: >"$FIX/empty.mbox"
	fails_with "topic 3-gamma: $SERIES/3-gamma is not what branch 'posting/gamma' exports.*make apply" \
		"$S/trailers.sh" alpha "$FIX/empty.mbox" || return 1
	grep -q '^A reworded line' "$p"
}

t_trailers_bad_input() {
	make_series || return 1
	fails_with "unknown topic 'nosuch'" "$S/trailers.sh" nosuch "$FIX/nothing" || return 1
	fails_with "MBOX=$FIX/nothing: no such file" "$S/trailers.sh" alpha "$FIX/nothing" || return 1
	fails_with "topic 2-beta has no patches" "$S/trailers.sh" beta || return 1
	fails_with "usage:" "$S/trailers.sh"
}

# --- adopt ---------------------------------------------------------------------
t_adopt_rewrites_authorship_only() {
	make_series || return 1
	local t before=()
	for t in alpha beta gamma; do before+=("$(git -C "$KTREE" rev-parse "posting/$t^{tree}")"); done
	"$S/adopt.sh" 'Post Tester <post@example.org>' >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	[ "$(cat "$POSTER_FILE")" = 'Post Tester <post@example.org>' ] || return 1
	! grep -rq 'fixture@forseti.invalid' "$SERIES" || return 1
	[ "$(grep -rh '^From: ' "$SERIES" | sort -u)" = 'From: Post Tester <post@example.org>' ] &&
		[ "$(grep -rh '^Signed-off-by: ' "$SERIES" | sort -u)" = 'Signed-off-by: Post Tester <post@example.org>' ] || return 1
	"$S/apply.sh" >/dev/null 2>&1 && "$S/export.sh" >/dev/null 2>&1 || return 1
	# the trees differ in MAINTAINERS' M: line only; the copyright lines stay
	local i=0
	for t in alpha beta gamma; do
		[ "$(git -C "$KTREE" diff --name-only "${before[$i]}" "posting/$t")" = MAINTAINERS ] || return 1
		[ "$(git -C "$KTREE" diff "${before[$i]}" "posting/$t" | grep -E '^[-+][^-+]')" = \
			"$(printf -- '-M:\tFixture Dev <fixture@forseti.invalid>\n+M:\tPost Tester <post@example.org>')" ] || return 1
		i=$((i + 1))
	done
	git -C "$KTREE" show posting/gamma:drivers/gpu/drm/fixture/fixture_main.c | grep -q 'Copyright 2026 The forseti authors'
}

# a poster whose name is long and not ASCII: format-patch encodes their
# From: (RFC 2047) and folds it; adopting the series again reads it as git
# am does
t_adopt_reads_a_folded_encoded_from() {
	make_series || return 1
	local long='Jöhn Quite Remarkably Long Name Of The Adopting Poster <john.with.a.long.address@example.org>' p
	long=$(printf "$long")
	"$S/adopt.sh" "$long" >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	"$S/apply.sh" >/dev/null 2>&1 && "$S/export.sh" >/dev/null 2>&1 || return 1
	p=$(ls "$SERIES"/1-alpha/0001-*.patch)
	# (the test needs the From: encoded and folded, as format-patch writes it)
	grep -q '^From: =?UTF-8?q?' "$p" && ! grep -q '^From: .*john.with.a.long.address' "$p" ||
		{ echo "$p: From: is not encoded and folded:"; sed -n '2,4p' "$p"; return 1; }
	"$S/adopt.sh" 'Post Tester <post@example.org>' >"$FIX/out" 2>&1 || { cat "$FIX/out"; return 1; }
	! grep -rq 'john.with.a.long.address' "$SERIES" || { grep -rn 'john.with.a.long.address' "$SERIES"; return 1; }
	for p in "$SERIES"/*/*.patch; do
		[ "$(git mailinfo /dev/null /dev/null <"$p" | sed -n 's/^Author: //p; s/^Email: //p' | tr '\n' ' ')" = 'Post Tester post@example.org ' ] ||
			{ echo "$p: From: is not the new poster"; return 1; }
	done
	[ "$(cat "$POSTER_FILE")" = 'Post Tester <post@example.org>' ]
}

t_adopt_bad_input() {
	make_series || return 1
	fails_with "usage:" "$S/adopt.sh" || return 1
	fails_with "is not 'Name <address>'" "$S/adopt.sh" 'nobody' || return 1
	fails_with "an address ending in .invalid cannot be posted" "$S/adopt.sh" 'Some One <one@forseti.invalid>' || return 1
	# the poster's address inside the code: named, nothing rewritten
	local p
	p=$(ls "$SERIES"/1-alpha/0002-*.patch)
	sed -i 's|^+ \* @v: the value$|+ * @v: the value (ask fixture@forseti.invalid)|' "$p"
	fails_with "$p: line [0-9]* names fixture@forseti.invalid outside From:" "$S/adopt.sh" 'Post Tester <post@example.org>' || return 1
	grep -q '^From: Fixture Dev <fixture@forseti.invalid>' "$p" && [ "$(cat "$POSTER_FILE")" = 'Fixture Dev <fixture@forseti.invalid>' ]
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
	make_adopted_series
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
	make_adopted_series
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
	make_adopted_series
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
	# (and whatever it mailed went to example.org and .invalid addresses only)
	if (set +e; [ -z "${TRACE:-}" ] || { PS4='+ $EPOCHREALTIME '; set -x; }; "$t") >"$FIX/$name.log" 2>&1 &&
		! cat "$FIX"/rcpt/* 2>/dev/null | grep -v '^-' | grep -vE '@example\.org$|\.invalid$' >>"$FIX/$name.log"; then
		printf 'PASS %s (%d s)\n' "$name" $(($(date +%s) - start))
		passed=$((passed + 1))
	else
		printf 'FAIL %s (%d s): see %s and %s\n' "$name" $(($(date +%s) - start)) "$FIX/$name.log" "$FIX/out"
		failed=$((failed + 1))
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
