# SPDX-License-Identifier: GPL-2.0-only
# Shared library of the forseti workbench scripts: paths, the base record,
# the topic list, messages and tool checks. Sourced, never run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything below may be redirected by the caller (the workbench's own
# tests run the scripts on a fixture series in a scratch directory).
SERIES=${SERIES:-$TOP/series}
KTREE=${KTREE:-$TOP/kernel-tree}
BUILD=${BUILD:-$TOP/build}
BASE_FILE=${BASE_FILE:-$TOP/BASE}
CI_DIR=${CI_DIR:-$TOP/ci}
COVERS=${COVERS:-$TOP/cover-letters}
# Topic branches are named "<prefix><topic>", e.g. "probe" or "fixture/probe".
BRANCH_PREFIX=${BRANCH_PREFIX:-}
TOOLS=${TOOLS:-$BUILD/tools}
DOWNLOADS=${DOWNLOADS:-$BUILD/downloads}

PROG=$(basename "$0" .sh)

# The kernel's build runs $(PYTHON3) for kernel-doc on every file that W=1
# compiles. A python3 found first on PATH may be a version manager's shim
# (pyenv's costs 0.7 s of fork-heavy bash per call here, ten times Debian's
# interpreter: over a thousand calls in one check build), and lacks the
# Debian modules the project installs: every kernel make of the workbench
# takes Debian's interpreter.
KPY=PYTHON3=/usr/bin/python3

# ccache keys on the command line: with paths made relative to the project,
# a fresh clone elsewhere (CI's) finds what this one compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
# Depend mode: ccache takes the dependencies from the compiler's own -MMD
# (which Kbuild passes) instead of running the preprocessor a second time
# for every object it has not seen: a cold build (CI on a fresh machine)
# runs one compiler per object, not two. Hits are direct-mode hits, which
# is what an unchanged tree gives.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}

die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

info() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

# need_tool COMMAND DEBIAN-PACKAGE: stop with a message naming both.
need_tool() {
	command -v "$1" >/dev/null 2>&1 ||
		die "missing tool '$1' (Debian package '$2'): run 'make tree' or 'apt-get install $2'"
}

# The base: BASE_PACKAGE, BASE_VERSION, BASE_SUITE, BASE_TARBALL,
# BASE_SHA256, and the git tag derived from the version.
load_base() {
	[ -r "$BASE_FILE" ] || die "$BASE_FILE: base record missing"
	# shellcheck source=/dev/null
	. "$BASE_FILE"
	local v
	for v in BASE_PACKAGE BASE_VERSION BASE_SUITE BASE_TARBALL BASE_SHA256; do
		[ -n "${!v:-}" ] || die "$BASE_FILE: $v is not set"
	done
	BASE_TAG=$(base_tag "$BASE_VERSION")
}

# A git tag name for a Debian version ('~' and ':' are not allowed in refs).
base_tag() {
	printf 'base/%s' "$(printf '%s' "$1" | tr '~:' '_-')"
}

# Topic folders in series order: "1-probe 2-firmware ...".
topics() {
	local d
	for d in "$SERIES"/[0-9]*-*/; do
		[ -d "$d" ] || continue
		basename "$d"
	done | sort -n
}

# topic_dir NAME: accepts "probe" or "1-probe", prints the folder name.
topic_dir() {
	local t
	for t in $(topics); do
		if [ "$t" = "$1" ] || [ "${t#*-}" = "$1" ]; then
			printf '%s\n' "$t"
			return 0
		fi
	done
	die "unknown topic '$1' (known: $(topics | sed 's/^[0-9]*-//' | tr '\n' ' '))"
}

topic_branch() {
	printf '%s%s\n' "$BRANCH_PREFIX" "${1#*-}"
}

patches_of() {
	local p
	for p in "$SERIES/$1"/*.patch; do
		[ -e "$p" ] && printf '%s\n' "$p"
	done
	return 0
}

kgit() {
	git -C "$KTREE" "$@"
}

need_ktree() {
	git -C "$KTREE" rev-parse --git-dir >/dev/null 2>&1 || die "$KTREE is not a git tree: run 'make tree' first"
	load_base
	kgit rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null ||
		die "$KTREE has no tag $BASE_TAG: run 'make tree' (or 'make rebase')"
}

# Refuse to go on while the kernel tree has uncommitted work or a
# half-done git am/rebase: nothing there is ever thrown away.
need_clean_ktree() {
	if [ -d "$(kgit rev-parse --git-path rebase-apply)" ] ||
		[ -d "$(kgit rev-parse --git-path rebase-merge)" ]; then
		die "$KTREE: a git am or rebase is in progress: finish it (--continue) or undo it (--abort) first"
	fi
	if [ -n "$(kgit status --porcelain --untracked-files=normal | head -n 1)" ]; then
		die "$KTREE has uncommitted changes (see 'git -C $KTREE status'): commit or stash them first"
	fi
}

# The commit a topic stacks on: the branch of the topic before, or the base.
parent_of_topic() {
	local prev="" t
	for t in $(topics); do
		if [ "$t" = "$1" ]; then
			if [ -z "$prev" ]; then
				printf '%s\n' "refs/tags/$BASE_TAG"
			else
				printf '%s\n' "refs/heads/$(topic_branch "$prev")"
			fi
			return 0
		fi
		prev=$t
	done
	die "unknown topic '$1'"
}

# A private apt configuration for the one suite the base comes from, so
# nothing else on the machine changes. A mirror's Release files may be
# older than their Valid-Until (sid's is short): that is not checked, the
# signatures are, and so is the base tarball's sha256.
apt_private() {
	local suite=$1 dir=$BUILD/apt
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	cat >"$dir/sources.list" <<EOF
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
EOF
	APT_OPTS=(-o "Dir::Etc::SourceList=$dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o APT::Sandbox::User=root
		-o Acquire::Check-Valid-Until=false)
}

# Run a command with the version of sparse the base needs on PATH.
SPARSE=$TOOLS/bin/sparse

# --- the base source -------------------------------------------------------

# deb_of VERSION: the path of the base package's .deb for VERSION, fetched
# from the base's suite with a private apt configuration when it is not
# already downloaded. FORSETI_DEB names a local .deb instead (used by the
# workbench's own tests).
deb_of() {
	local ver=$1 deb avail
	if [ -n "${FORSETI_DEB:-}" ]; then
		[ -r "$FORSETI_DEB" ] || die "FORSETI_DEB=$FORSETI_DEB: no such file"
		printf '%s\n' "$FORSETI_DEB"
		return 0
	fi
	mkdir -p "$DOWNLOADS"
	deb=$DOWNLOADS/${BASE_PACKAGE}_$(printf '%s' "$ver" | sed 's/:/%3a/')_all.deb
	if [ -s "$deb" ]; then
		printf '%s\n' "$deb"
		return 0
	fi
	apt_update_private "$BASE_SUITE"
	avail=$(apt-cache "${APT_OPTS[@]}" madison "$BASE_PACKAGE" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}')
	if ! printf '%s\n' "$avail" | grep -qxF -- "$ver"; then
		die "$BASE_PACKAGE=$ver has left $BASE_SUITE (it has: $(printf '%s' "$avail" | tr '\n' ' ')): bump BASE_VERSION and BASE_SHA256 in $BASE_FILE, or run 'make rebase BASE=<version>'"
	fi
	info "downloading $BASE_PACKAGE=$ver from $BASE_SUITE"
	(cd "$DOWNLOADS" && apt-get "${APT_OPTS[@]}" -q download "$BASE_PACKAGE=$ver" >/dev/null 2>"$BUILD/apt/download.log") ||
		die "apt-get download $BASE_PACKAGE=$ver failed (see $BUILD/apt/download.log)"
	[ -s "$deb" ] || die "apt-get download did not produce $deb"
	printf '%s\n' "$deb"
}

# apt_update_private SUITE: refresh the private lists, or explain why not.
apt_update_private() {
	apt_private "$1"
	if ! apt-get "${APT_OPTS[@]}" -q update >"$BUILD/apt/update.log" 2>&1 ||
		grep -qE '^(E|W): Failed to fetch' "$BUILD/apt/update.log"; then
		die "cannot reach Debian's archive for $1 (no network?): see $BUILD/apt/update.log"
	fi
}

# tarball_of DEB SHA256: unpack the source tarball from DEB into the build
# folder, check it against SHA256 (when given) and print its path.
tarball_of() {
	local deb=$1 want=${2:-} dir got
	dir=$BUILD/base-src/$(sha256sum "$deb" | cut -c1-16)
	if [ ! -s "$dir/$BASE_TARBALL" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" "./$BASE_TARBALL" ||
			die "$deb: no $BASE_TARBALL inside"
	fi
	got=$(sha256sum "$dir/$BASE_TARBALL" | cut -d' ' -f1)
	if [ -n "$want" ] && [ "$got" != "$want" ]; then
		die "$deb: $BASE_TARBALL has sha256 $got, $BASE_FILE records $want"
	fi
	printf '%s\n' "$dir/$BASE_TARBALL"
}

# Debian's top-level .gitignore ignores the whole tree ("/*" then
# "!/debian/"): drop that block so git sees the sources.
fix_gitignore() {
	local f=$1/.gitignore
	[ -f "$f" ] || return 0
	sed -i -e '/^# Debian packaging/,/^!\/debian\/$/d' "$f"
	sed -i -e '/^\/\*$/d' -e '/^!\/debian\/$/d' "$f"
	sed -i -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' -e '$!b' -e '/^#$/d' "$f"
}

# import_base VERSION TARBALL: make a root commit of the tarball's tree in
# KTREE, tagged base/VERSION. The commit is deterministic (fixed identity
# and date), so every machine gets the same base-commit id.
import_base() {
	local ver=$1 tarball=$2 tag src tree commit
	tag=$(base_tag "$ver")
	TARBALL_SHA256=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ ! -d "$KTREE/.git" ]; then
		mkdir -p "$KTREE"
		[ -z "$(ls -A "$KTREE")" ] || die "$KTREE exists and is not a git tree: move it away first"
		git init -q -b base "$KTREE"
		src=$KTREE
	else
		src=$BUILD/base-unpack
		rm -rf "$src"
		mkdir -p "$src"
	fi
	info "unpacking $(basename "$tarball") into $src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	fix_gitignore "$src"
	info "committing the base tree (this takes a minute)"
	rm -f "$BUILD/base.index"
	GIT_INDEX_FILE=$BUILD/base.index git -C "$KTREE" --work-tree="$src" add -A -f .
	tree=$(GIT_INDEX_FILE=$BUILD/base.index git -C "$KTREE" write-tree)
	rm -f "$BUILD/base.index"
	commit=$(printf 'Linux %s (Debian %s)\n\nsha256 of %s: %s\n' \
		"$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = /./p;s/^SUBLEVEL = /./p' "$src/Makefile" | tr -d '\n')" \
		"$BASE_PACKAGE $ver" "$(basename "$tarball")" "$TARBALL_SHA256" |
		GIT_AUTHOR_NAME="forseti base" GIT_AUTHOR_EMAIL="base@forseti.invalid" \
		GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_NAME="forseti base" \
		GIT_COMMITTER_EMAIL="base@forseti.invalid" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
		git -C "$KTREE" commit-tree "$tree")
	git -C "$KTREE" tag -f "$tag" "$commit" >/dev/null
	if [ "$src" = "$KTREE" ]; then
		git -C "$KTREE" reset -q "$commit"
	else
		rm -rf "$src"
	fi
	info "base $tag is commit $(git -C "$KTREE" rev-parse --short=12 "$commit")"
}

# git format-patch with every option that changes its output pinned, so the
# exported series does not depend on anyone's git configuration.
format_patch() {
	kgit -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false \
		-c diff.algorithm=myers -c diff.indentHeuristic=true -c diff.renames=true \
		-c diff.relative=false -c format.subjectPrefix=PATCH \
		-c format.numbered=auto -c format.coverLetter=false -c format.signOff=false \
		-c format.signature= -c format.suffix=.patch \
		-c format.thread=false -c format.useAutoBase=false \
		-c format.filenameMaxLength=64 -c format.encodeEmailHeaders=true \
		-c format.outputDirectory= -c format.forceInBodyFrom=false \
		format-patch --zero-commit --no-signature --stat=80 -O/dev/null "$@"
}

# --- posting: b4 prep state, cover letters, the sent records ----------------
# (enroll.sh, send.sh, reroll.sh, trailers.sh, adopt.sh, status.sh).
# b4 keeps a topic's cover letter and tracking (change-id, revision,
# prerequisites) with its branch in kernel-tree/'s git configuration
# (b4's "branch-description" cover strategy: a topic branch holds only its
# patches, so the stack stays as it is). The project keeps them too, so
# that a fresh clone gets them back (scripts/enroll.sh, run by make apply):
# cover-letters/<N-topic>.txt is the cover letter (title, blank line, body,
# then b4's "Changes in vN:" sections, newest first), and
# cover-letters/<N-topic>.meta holds "change-id:", "version:" (b4's
# revision) and one "prerequisite-change-id: <change-id>:vN" per topic
# below. sent/<N-topic>/vN/ records what a real send mailed;
# cover-letters/poster names who posts the series (make adopt).
SENT=${SENT:-$TOP/sent}
ROADMAP=${ROADMAP:-$TOP/ROADMAP}
POSTER_FILE=${POSTER_FILE:-$COVERS/poster}

# b4 from Debian trixie, unpacked into the build folder by scripts/tree.sh.
B4_VERSION=0.14.2-2
B4_SUITE=trixie
# sha256 of b4_$B4_VERSION_all.deb: apt checks a download only as it
# downloads; this checks the cached file too, as BASE_SHA256 does the base
B4_SHA256=5f2ad4a4fd8ae96d8085249d34b88e7ee93392847d3bb84f7c21568701345584
B4=$TOOLS/bin/b4
b4_ok() { [ -x "$B4" ] && [ -e "$TOOLS/b4/.forseti-fixed" ] && [ "$("$B4" --version 2>/dev/null)" = "${B4_VERSION%-*}" ]; }
need_b4() { b4_ok || die "b4 ${B4_VERSION%-*} is not in $TOOLS/bin: run 'make tree'"; }

# kb4 ARGS...: b4 in kernel-tree/ (on the branch checked out there), with
# the project's settings on top of the user's: the branch-description
# cover strategy, the cover template (base-commit note), a cache of its
# own, and, when LORE_URL is set, the project's local archive as lore.
kb4() {
	local n=${GIT_CONFIG_COUNT:-0}
	(
		cfg() {
			export "GIT_CONFIG_KEY_$n=$1" "GIT_CONFIG_VALUE_$n=$2"
			n=$((n + 1))
		}
		cfg b4.prep-cover-strategy branch-description
		# the per-patch checks are make check's (b4 prep --check would
		# only run checkpatch again)
		cfg b4.prep-pre-flight-checks disable-needs-checking
		[ -z "${B4_TEMPLATE:-}" ] || cfg b4.prep-cover-template "$B4_TEMPLATE"
		if [ -n "${LORE_URL:-}" ]; then
			cfg b4.midmask "$LORE_URL/all/%s"
			cfg b4.searchmask "$LORE_URL/all/?x=m&q=%s"
		fi
		export GIT_CONFIG_COUNT=$n XDG_CACHE_HOME=$LORE_DIR/cache no_proxy=127.0.0.1${no_proxy:+,$no_proxy} NO_PROXY=127.0.0.1${NO_PROXY:+,$NO_PROXY}
		cd "$KTREE" && "$B4" "$@"
	)
}

# roadmap_state TOPIC: the state column of TOPIC's row in ROADMAP
# ("planned", "in progress", "ready to post", "posted v2", "merged").
roadmap_state() {
	local name=${1#*-}
	[ -f "$ROADMAP" ] || die "no $ROADMAP"
	awk -F'|' -v n="$name" '{ gsub(/ /, "", $3) } $3 == n { s = $4; gsub(/^ +| +$/, "", s); print s; exit }' "$ROADMAP"
}

cover_of() { printf '%s/%s.txt\n' "$COVERS" "$1"; }
meta_of() { printf '%s/%s.meta\n' "$COVERS" "$1"; }

# meta_get TOPIC KEY: a value of the topic's .meta (empty when unset; the
# last one when the key repeats).
meta_get() {
	local f
	f=$(meta_of "$1")
	[ -f "$f" ] || return 0
	sed -n "s/^$2:[[:space:]]*//p" "$f" | tail -n 1
}

# meta_all TOPIC KEY: every value of a repeated key, one a line.
meta_all() {
	local f
	f=$(meta_of "$1")
	[ -f "$f" ] || return 0
	sed -n "s/^$2:[[:space:]]*//p" "$f"
}

# meta_write TOPIC CHANGE-ID VERSION [PREREQ...]: the whole .meta.
meta_write() {
	local t=$1 cid=$2 v=$3 p
	shift 3
	{
		printf '# b4 prep state of topic %s (scripts/enroll.sh restores it into kernel-tree/;\n' "$t"
		printf '# make send and make reroll keep it up to date): commit it\n'
		printf 'change-id: %s\nversion: %s\n' "$cid" "$v"
		for p in "$@"; do printf 'prerequisite-change-id: %s\n' "$p"; done
	} >"$(meta_of "$t")"
}

# topic_version TOPIC: the version being prepared (b4's revision).
topic_version() {
	local v
	v=$(meta_get "$1" version)
	printf '%s\n' "${v:-1}"
}

# need_cover TOPIC: the cover letter exists and has a title line, then a
# blank line.
need_cover() {
	local c
	c=$(cover_of "$1")
	[ -f "$c" ] || die "topic $1: no cover letter $c (first line the title, a blank line, then the body)"
	[ -n "$(sed -n '1p' "$c" | tr -d '[:space:]')" ] && [ -z "$(sed -n '2p' "$c" | tr -d '[:space:]')" ] ||
		die "$c: the first line must be the title and the second one blank"
}

# The branch a topic stacks on, for b4's base-branch (its fork point): the
# topic below, or for the first topic the branch "<prefix>base", which
# enroll.sh keeps at the base tag.
base_branch_of() {
	local prev="" t
	for t in $(topics); do
		if [ "$t" = "$1" ]; then
			if [ -z "$prev" ]; then
				printf '%sbase\n' "$BRANCH_PREFIX"
			else
				topic_branch "$prev"
			fi
			return 0
		fi
		prev=$t
	done
	die "unknown topic '$1'"
}

# topics_below TOPIC: the topics under TOPIC that hold patches, in order.
topics_below() {
	local t
	for t in $(topics); do
		[ "$t" = "$1" ] && return 0
		[ -n "$(patches_of "$t")" ] && printf '%s\n' "$t"
	done
	return 0
}

# on_branch BRANCH CMD...: run CMD with BRANCH checked out in kernel-tree/
# (b4 works on the current branch), then go back to what was checked out.
# CMD runs with errexit off (as under "||"): a function of several commands
# must check each of them itself.
on_branch() {
	local br=$1 old rc=0
	shift
	old=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
	kgit checkout -q "$br" || die "$KTREE: cannot check out '$br'"
	"$@" || rc=$?
	kgit checkout -q "$old" 2>/dev/null || kgit checkout -q --detach "$old" ||
		die "$KTREE: cannot go back to '$old' after running on '$br' (still on '$br')"
	return $rc
}

# The sent tag b4 makes for vN of a topic ("sent/<change-id>-vN").
sent_tag() { printf 'sent/%s-v%s\n' "$(meta_get "$1" change-id)" "$2"; }

# The commits of vN of a topic as posted: refs/forseti/posted/<topic>/vN
# (its tip) and .../vN-base (the commit it stacked on), under the branch
# prefix (the workbench's tests use one) so fixtures never touch them.
posted_ref() { printf 'refs/forseti/posted/%s%s/v%s\n' "$BRANCH_PREFIX" "$1" "$2"; }

# am_index REPO COMMIT MBOX: apply the patches of MBOX on COMMIT in REPO
# with a private index (no checkout, no worktree), as git am would; print
# the new tip. Mails without a diff (cover letters) are skipped. Fails on a
# patch that does not apply.
am_index() {
	local repo=$1 tip=$2 mbox=$3 d m tree an ae ad subj
	d=$(mktemp -d "${TMPDIR:-/tmp}/forseti-am.XXXXXX")
	git mailsplit --mboxrd -o"$d" "$mbox" >/dev/null || { rm -rf "$d"; return 1; }
	for m in "$d"/[0-9]*; do
		[ -e "$m" ] || continue
		git mailinfo "$m.msg" "$m.diff" <"$m" >"$m.info" || { rm -rf "$d"; return 1; }
		# a cover letter has no diff (b4's carries a diffstat below its ---)
		grep -q '^diff --git ' "$m.diff" || continue
		an=$(sed -n 's/^Author: //p' "$m.info")
		ae=$(sed -n 's/^Email: //p' "$m.info")
		ad=$(sed -n 's/^Date: //p' "$m.info")
		subj=$(sed -n 's/^Subject: //p' "$m.info")
		if ! GIT_INDEX_FILE=$d/index git -C "$repo" read-tree "$tip" ||
			! GIT_INDEX_FILE=$d/index git -C "$repo" apply --cached "$m.diff" 2>"$d/err"; then
			cat "$d/err" >&2
			rm -rf "$d"
			return 1
		fi
		tree=$(GIT_INDEX_FILE=$d/index git -C "$repo" write-tree)
		{ printf '%s\n\n' "$subj"; cat "$m.msg"; } >"$m.log"
		tip=$(GIT_AUTHOR_NAME=$an GIT_AUTHOR_EMAIL=$ae GIT_AUTHOR_DATE=$ad \
			git -C "$repo" commit-tree "$tree" -p "$tip" -F "$m.log") || { rm -rf "$d"; return 1; }
	done
	rm -rf "$d"
	printf '%s\n' "$tip"
}

# restack OLD NEW TOPIC: after TOPIC's branch moved from OLD to NEW with the
# same trees (b4 trailers -u changes messages only), put each topic above it
# back on top, commit by commit, keeping authors, committers and messages.
restack() {
	local old=$1 new=$2 below=$3 seen=0 t br c tip prev_old prev_new p
	# every topic above is checked first: one that is not stacked stops
	# it before any branch moved
	prev_old=$old
	for t in $(topics); do
		if [ $seen -eq 0 ]; then
			[ "$t" = "$below" ] && seen=1
			continue
		fi
		br=$(topic_branch "$t")
		kgit rev-parse -q --verify "refs/heads/$br" >/dev/null || continue
		p=$(kgit rev-parse "refs/heads/$br")
		kgit merge-base --is-ancestor "$prev_old" "$p" ||
			die "topic $t: branch '$br' is not stacked on the topic below it: cannot restack it (no branch was moved; '$(topic_branch "$below")' is now at $(kgit rev-parse --short "$new"), it was at $(kgit rev-parse --short "$old"))"
		prev_old=$p
	done
	seen=0 prev_old=$old prev_new=$new
	for t in $(topics); do
		if [ $seen -eq 0 ]; then
			[ "$t" = "$below" ] && seen=1
			continue
		fi
		br=$(topic_branch "$t")
		kgit rev-parse -q --verify "refs/heads/$br" >/dev/null || continue
		tip=$prev_new
		p=$(kgit rev-parse "refs/heads/$br")
		kgit merge-base --is-ancestor "$prev_old" "$p" ||
			die "topic $t: branch '$br' is not stacked on the topic below it: cannot restack it"
		for c in $(kgit rev-list --reverse "$prev_old..$p"); do
			tip=$(GIT_AUTHOR_NAME="$(kgit log -1 --format=%an "$c")" GIT_AUTHOR_EMAIL="$(kgit log -1 --format=%ae "$c")" \
				GIT_AUTHOR_DATE="$(kgit log -1 --format=%aD "$c")" GIT_COMMITTER_NAME="$(kgit log -1 --format=%cn "$c")" \
				GIT_COMMITTER_EMAIL="$(kgit log -1 --format=%ce "$c")" GIT_COMMITTER_DATE="$(kgit log -1 --format=%cD "$c")" \
				kgit commit-tree "$c^{tree}" -p "$tip" -F <(kgit log -1 --format=%B "$c"))
		done
		kgit update-ref -m "forseti restack on $(topic_branch "$below")" "refs/heads/$br" "$tip" "$p"
		prev_old=$p prev_new=$tip
	done
}

# sender_problem MAIL: a line when MAIL, made by 'b4 send -o' with the
# configuration the real send uses, is not from the poster
# (cover-letters/poster), or its Message-ID ends in .invalid. b4 chooses the
# sender itself (b4.sendemail-identity's sendemail.<id>.from, else
# sendemail.from, else user.name and user.email, as git reads them in
# kernel-tree/, where tree.sh may have set a local .invalid identity) and
# takes its Message-IDs' domain from user.email: the mail says what it chose.
sender_problem() {
	local poster
	poster=$(grep -m1 . "$POSTER_FILE" 2>/dev/null || true)
	/usr/bin/python3 - "$1" "$poster" "$KTREE" <<'PYEOF'
import email, email.policy, email.utils, sys
path, poster, ktree = sys.argv[1:4]
m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
try:
    a = m["From"].addresses[0]
    name, addr = a.display_name, a.addr_spec
except Exception:
    name, addr = email.utils.parseaddr(str(m["From"] or ""))
pname, paddr = email.utils.parseaddr(poster)
sender = "%s <%s>" % (name, addr)
if (name, addr.lower()) != (pname, paddr.lower()) or not paddr:
    print("b4 would send as %s (its From: in %s; b4 takes b4.sendemail-identity's sendemail.<id>.from, "
          "else sendemail.from, else user.name and user.email, in %s), who is not the poster %s: "
          "set user.name and user.email there to the poster's, and sendemail.from (or the identity's) "
          "the same or unset" % (sender, path, ktree, poster or "(none)"))
    sys.exit(0)
mid = str(m["Message-ID"] or "").strip().rstrip(">")
if mid.lower().endswith(".invalid"):
    print("b4's Message-IDs would be <%s> (in %s): b4 takes their domain from user.email, which ends in "
          ".invalid in %s: set user.email there to the poster's address" % (mid.lstrip("<"), path, ktree))
PYEOF
}

# b4_sendemail KEY: git send-email's setting KEY as b4 reads it: from
# b4.sendemail-identity's sendemail.<id>.KEY first, else sendemail.KEY.
b4_sendemail() {
	local id v=""
	id=$(kgit config --get b4.sendemail-identity || true)
	[ -z "$id" ] || v=$(kgit config --get "sendemail.$id.$1" || true)
	[ -n "$v" ] || v=$(kgit config --get "sendemail.$1" || true)
	printf '%s\n' "$v"
}

# identity_problems TOPIC: one line per ".invalid" address that a real
# posting of TOPIC would carry: the poster, the patches' From: and
# Signed-off-by:, and MAINTAINERS at the topic's head (b4's sender:
# sender_problem).
identity_problems() {
	local t=$1 p br
	if [ ! -s "$POSTER_FILE" ]; then
		printf '%s: nobody is recorded as the poster\n' "$POSTER_FILE"
	elif grep -q '\.invalid>' "$POSTER_FILE"; then
		printf '%s: the poster %s\n' "$POSTER_FILE" "$(grep -m1 . "$POSTER_FILE")"
	fi
	for p in $(patches_of "$t"); do
		# From: as git am reads it: format-patch folds a long one over
		# two lines, and encodes a name that is not ASCII
		git mailinfo /dev/null /dev/null <"$p" 2>/dev/null |
			awk -v f="$(basename "$p")" '/^Author: / { a = substr($0, 9) } /^Email: / { e = substr($0, 8) }
				END { if (tolower(e) ~ /\.invalid$/) printf "%s: From: %s <%s>\n", f, a, e }' ||
			printf '%s: git mailinfo cannot read its From:\n' "$(basename "$p")"
		grep -E '^Signed-off-by: .*\.invalid>' "$p" | sed "s|^|$(basename "$p"): |" || true
	done
	br=$(topic_branch "$t")
	kgit show "refs/heads/$br:MAINTAINERS" 2>/dev/null | grep -E '^M:.*\.invalid>' | sed 's|^|MAINTAINERS: |' || true
}

# --- small x86_64 builds of a worktree (send --verify, bisect) ---------------
# A build folder of its own per worktree (never build/check-*, whose
# incremental state belongs to check.sh): allnoconfig with ci/kconfig's base,
# x86_64 and driver fragments, then modules_prepare (about a minute cold,
# seconds after); then only the folders a change touches are compiled.

# small_build SRC OUT LOG DIR...: configure, prepare, compile the DIRs; fails
# when the build fails or when a C file of those folders that the folder's
# Makefile should build was not compiled (its .o is missing or older).
small_build() {
	local src=$1 out=$2 log=$3 frag f d stale=""
	shift 3
	mkdir -p "$out"
	frag=$out.fragment
	cat "$CI_DIR/kconfig/base.config" "$CI_DIR/kconfig/x86_64.config" "$CI_DIR/kconfig/driver.config" >"$frag"
	local mk=(nice -n 5 make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" "$KPY" -j"${JOBS:-$(nproc)}")
	{ "${mk[@]}" -s KCONFIG_ALLCONFIG="$frag" allnoconfig && "${mk[@]}" -s modules_prepare; } >"$log" 2>&1 ||
		{ printf 'small_build: configuring %s failed\n' "$out" >>"$log"; return 1; }
	[ $# -gt 0 ] || return 0
	"${mk[@]}" "$@" >>"$log" 2>&1 || return 1
	for d in "$@"; do
		case $d in
		*.o)
			[ -f "$out/$d" ] && [ ! "$out/$d" -ot "$src/${d%.o}.c" ] || stale+=" ${d%.o}.c"
			continue
			;;
		esac
		for f in "$src/$d"*.c; do
			[ -e "$f" ] || continue
			# a .c the folder's Makefile names (as foo.o) must be compiled
			grep -qE "(^|[[:space:]=+])$(basename "${f%.c}").o([[:space:]\\\\]|$)" "$src/$d"Makefile 2>/dev/null || continue
			[ -f "$out/$d$(basename "${f%.c}").o" ] && [ ! "$out/$d$(basename "${f%.c}").o" -ot "$f" ] ||
				stale+=" $d$(basename "$f")"
		done
	done
	if [ -n "$stale" ]; then
		printf 'not compiled (is the driver configured? see ci/kconfig/driver.config):%s\n' "$stale" >>"$log"
		return 1
	fi
}

# targets_touched REPO A B: what to compile for the C files changed between
# A and B that still exist at B: their folder ("dir/"), or, in a big folder
# (more than 30 C files, e.g. drivers/gpu/drm/ itself), the objects alone.
targets_touched() {
	local d f
	git -C "$1" diff --name-only --diff-filter=AMR "$2" "$3" -- '*.c' |
		while read -r f; do
			git -C "$1" cat-file -e "$3:$f" 2>/dev/null || continue
			d=$(dirname "$f")
			if [ "$(git -C "$1" ls-tree --name-only "$3:$d" | grep -c '\.c$')" -gt 30 ]; then
				printf '%s.o\n' "${f%.c}"
			else
				printf '%s/\n' "$d"
			fi
		done | sort -u
}

# The newest topic branch that holds patches (the base tag when none does).
head_of_series() {
	local t head="refs/tags/$BASE_TAG"
	for t in $(topics); do
		if [ -n "$(kgit rev-list -n 1 "$(parent_of_topic "$t")..refs/heads/$(topic_branch "$t")" 2>/dev/null)" ]; then
			head="refs/heads/$(topic_branch "$t")"
		fi
	done
	printf '%s\n' "$head"
}

# worktree_at DIR REV: a detached worktree of kernel-tree at REV, made or
# moved there (nothing in it is ever worth keeping: it is regenerated).
worktree_at() {
	local dir=$1 rev=$2
	if ! git -C "$dir" rev-parse --git-dir >/dev/null 2>&1; then
		kgit worktree prune
		rm -rf "$dir"
		kgit worktree add -q --detach "$dir" "$rev"
	fi
	git -C "$dir" checkout -q --detach --force "$rev"
	git -C "$dir" clean -q -fdx
}

# need_disk DIR MIB WHAT: stop before starting WHAT unless the file system
# holding DIR has MIB MiB free. A run that fills the disk half-way fails
# with a hundred unrelated "No space left on device" errors from git and
# make; this names the file system and the shortfall instead.
need_disk() {
	local dir=$1 need=$2 what=$3 have
	while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
	have=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
	[ -n "$have" ] || die "cannot read the free space of $dir with df"
	[ "$have" -ge "$need" ] ||
		die "$what needs about $need MiB free on the file system of $dir ($(df -P "$dir" | awk 'NR == 2 { print $6 }')), which has $have MiB: free $((need - have)) MiB or more (old worktrees, build folders, /tmp) and run it again"
}

# --- b4's mails and the local archive (send, reroll, trailers) ---------------
LORE_DIR=${LORE_DIR:-$BUILD/lore}
# the logs of b4 runs (the workbench's tests keep theirs apart)
POST_LOGS=${POST_LOGS:-$BUILD/post-logs}
LORE_PID=""

# b4_mails TOPIC DIR [--no-to-cc]: the mails of TOPIC as b4 would send them
# now ('b4 prep --auto-to-cc': To: and Cc: from get_maintainer.pl at the
# topic's head, one run per patch, which is slow: the local archive does
# without; then 'b4 send -o', nothing sent), one file each in DIR, and
# DIR/all.mbox.
b4_mails() {
	local t=$1 dir=$2 f
	rm -rf "$dir"
	mkdir -p "$dir"
	on_branch "$(topic_branch "$t")" b4_mails_here "$dir" "${3:-}" >"$dir.log" 2>&1 ||
		{ cat "$dir.log" >&2; die "topic $t: b4 prep --auto-to-cc or b4 send -o failed (see $dir.log)"; }
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		[ "$f" != "$dir/all.mbox" ] || continue
		printf 'From mboxrd@z Thu Jan  1 00:00:00 1970\n'
		# mboxrd: a body line "From ..." (a commit message may start
		# one so) gets a ">", else b4 am's reader (Python's mailbox)
		# splits the mail there; git mailsplit --mboxrd takes it off
		sed -E 's/^(>*From )/>\1/' "$f"
		printf '\n'
	done >"$dir/all.mbox"
	[ -s "$dir/all.mbox" ] || die "topic $t: b4 send -o wrote no mail into $dir"
}

# lore_up TOPIC [--sent-only]: serve, as lore for b4 (LORE_URL), the mails of the topics
# below TOPIC: every version sent (sent/<N-topic>/vN/series.mbox), and the
# version being prepared when it was never sent or the branch changed since
# the last one sent (what it would post now), unless --sent-only (a real
# send: what is on the list). The caller stops it with lore_down (in its
# EXIT trap).
lore_up() {
	local t=$1 d v f
	rm -rf "$LORE_DIR"
	mkdir -p "$LORE_DIR"
	/usr/bin/python3 "$TOP/scripts/lore.py" "$LORE_DIR" "$LORE_DIR/port" >"$POST_LOGS/lore.log" 2>&1 &
	LORE_PID=$!
	for _ in $(seq 300); do [ -s "$LORE_DIR/port" ] && break; sleep 0.1; done
	[ -s "$LORE_DIR/port" ] || die "scripts/lore.py did not start (see $POST_LOGS/lore.log)"
	export LORE_URL=http://127.0.0.1:$(cat "$LORE_DIR/port")
	for d in $(topics_below "$t"); do
		mkdir -p "$LORE_DIR/$d"
		for f in "$SENT/$d"/v*/series.mbox; do
			[ -e "$f" ] || continue
			cp "$f" "$LORE_DIR/$d/$(basename "$(dirname "$f")").mbox"
		done
		[ "${2:-}" != --sent-only ] || continue
		v=$(topic_version "$d")
		[ ! -e "$SENT/$d/v$v" ] || continue
		[ -z "$(sent_as_now "$d")" ] || continue
		b4_mails "$d" "$POST_LOGS/lore-mails/$d" --no-to-cc
		cp "$POST_LOGS/lore-mails/$d/all.mbox" "$LORE_DIR/$d/v$v.mbox"
	done
}

# (run through on_branch, under its "||": errexit is off here, so each
# step checks its own failure; a failed get_maintainer.pl must not give
# mails without To:/Cc:)
b4_mails_here() {
	if [ "$2" != --no-to-cc ]; then
		kb4 prep --auto-to-cc || { printf 'b4 prep --auto-to-cc failed\n' >&2; return 1; }
	fi
	(
		# -o sends nothing; without a sendemail.smtpServer, b4 would pick
		# its web endpoint in a kernel tree (and want the mails signed)
		n=${GIT_CONFIG_COUNT:-0}
		export "GIT_CONFIG_KEY_$n=sendemail.smtpServer" "GIT_CONFIG_VALUE_$n=/bin/false" GIT_CONFIG_COUNT=$((n + 1))
		kb4 send --no-sign -o "$1"
	) || { printf 'b4 send -o failed\n' >&2; return 1; }
}

# b4_to_cc: the To:/Cc: trailers that 'b4 prep --auto-to-cc' adds to a cover
# letter are made again at every send: they stay out of cover-letters/.
strip_to_cc() { sed -E '/^(To|Cc): /d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'; }

# cover_sum: a git hash of a cover letter (stdin) less b4's To:/Cc:, with
# its runs of blank lines squeezed into one and its trailing ones dropped
# (b4 prep --auto-to-cc puts To:/Cc: above the changelog's "---" and moves
# the blank lines around them). branch.<br>.forseti-cover in kernel-tree/
# keeps the one of the cover letter the workbench last put into the
# branch's description or took from it (enroll, reroll, send), so that an
# edit made in b4 since (b4 prep --edit-cover) shows.
cover_sum() { local s; s=$(strip_to_cc | cat -s); printf '%s\n' "$s" | git hash-object --stdin; }

# cover_to_branch TOPIC: cover-letters/<N-topic>.txt is the cover letter b4
# sends (the branch's description).
cover_to_branch() {
	local t=$1 br
	br=$(topic_branch "$t")
	kgit config "branch.$br.description" "$(cat "$(cover_of "$t")")"
	kgit config "branch.$br.forseti-cover" "$(cover_sum <"$(cover_of "$t")")"
}

# cover_from_b4 TOPIC: the cover letter b4 holds (the branch's description)
# edited since the workbench last wrote it (b4 prep --edit-cover) is taken
# into cover-letters/ when that file did not change meanwhile; when both
# changed, one edit would be lost: refused.
cover_from_b4() {
	local t=$1 br c desc dsum csum mark
	br=$(topic_branch "$t")
	c=$(cover_of "$t")
	desc=$(kgit config --get "branch.$br.description") || return 0
	dsum=$(printf '%s\n' "$desc" | cover_sum)
	csum=$(cover_sum <"$c")
	[ "$dsum" != "$csum" ] || return 0
	mark=$(kgit config --get "branch.$br.forseti-cover") || mark=""
	# only cover-letters/ changed: it goes to the branch
	[ "$dsum" != "$mark" ] || return 0
	if [ "$csum" = "$mark" ]; then
		printf '%s\n' "$desc" | strip_to_cc >"$c.new" && mv "$c.new" "$c" ||
			die "$c: cannot write it"
		info "topic $t: the cover letter edited in b4 (branch.$br.description) taken into $c: commit it"
		return 0
	fi
	die "topic $t: the cover letter changed both in b4 (branch.$br.description in $KTREE, b4 prep --edit-cover) and in $c: keep one: put it in $c, run 'git -C $KTREE config --unset branch.$br.description', and run this again"
}

lore_down() {
	[ -z "$LORE_PID" ] || kill "$LORE_PID" 2>/dev/null || true
	LORE_PID=""
}

# series_pids TOPIC, mbox_pids MBOX: the patch-ids, in order.
series_pids() {
	local p
	for p in $(patches_of "$1"); do git patch-id --stable <"$p" | cut -d' ' -f1; done
}
mbox_pids() {
	local d m
	d=$(mktemp -d "${TMPDIR:-/tmp}/forseti-pids.XXXXXX")
	git mailsplit --mboxrd -o"$d" "$1" >/dev/null
	for m in "$d"/*; do git patch-id --stable <"$m" | cut -d' ' -f1; done
	rm -rf "$d"
}

# sent_as_now TOPIC: the last version of TOPIC that was sent (sent/), when
# its patches are the ones series/ holds now; nothing when it was never
# sent or changed since (what a topic above stands on: the posted version,
# not the next one b4 started at the send).
sent_as_now() {
	local last
	last=$(ls -d "$SENT/$1"/v* 2>/dev/null | sed -n 's/.*\/v\([1-9][0-9]*\)$/\1/p' | sort -n | tail -n 1 || true)
	[ -n "$last" ] && [ -s "$SENT/$1/v$last/series.mbox" ] || return 0
	[ "$(series_pids "$1")" != "$(mbox_pids "$SENT/$1/v$last/series.mbox")" ] || printf '%s\n' "$last"
}

# series_current TOPIC: series/<TOPIC> holds exactly what export.sh would
# write from the topic's branch now (the same files, byte for byte).
series_current() {
	local t=$1 d p ok=0
	d=$(mktemp -d "${TMPDIR:-/tmp}/forseti-series.XXXXXX")
	if format_patch -q -o "$d" "$(parent_of_topic "$t")..refs/heads/$(topic_branch "$t")" >/dev/null &&
		[ "$(ls "$d")" = "$(cd "$SERIES/$t" && ls -- *.patch 2>/dev/null)" ]; then
		ok=1
		for p in "$d"/*.patch; do
			[ -e "$p" ] || break
			cmp -s "$p" "$SERIES/$t/$(basename "$p")" || { ok=0; break; }
		done
	fi
	rm -rf "$d"
	[ $ok -eq 1 ]
}

# sent_unrecorded TOPIC: b4 sent the version being prepared (its sent tag,
# or that version in its history), but sent/ has no record of it: the send
# stopped between b4 and the record.
sent_unrecorded() {
	local t=$1 v
	v=$(topic_version "$t")
	[ ! -e "$SENT/$t/v$v" ] || return 1
	kgit rev-parse -q --verify "refs/tags/$(sent_tag "$t" "$v")" >/dev/null && return 0
	kgit config --get "branch.$(topic_branch "$t").b4-tracking" 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys
try:
    h = json.load(sys.stdin)["series"].get("history", {})
except Exception:
    h = {}
sys.exit(0 if "v" + sys.argv[1] in h else 1)' "$v"
}

# check_deps TOPIC: 'b4 prep --check-deps' on the topic's branch, against
# the local archive (lore_up first); fails with b4's first complaint.
check_deps() {
	local t=$1 log=$POST_LOGS/check-deps.log bad
	on_branch "$(topic_branch "$t")" kb4 prep --check-deps >"$log" 2>&1 ||
		{ cat "$log" >&2; die "topic $t: b4 prep --check-deps failed (see $log)"; }
	# b4 marks a failed prerequisite with a blinking red dot, its reason below
	bad=$(grep -F -A1 $'\e[31;5m' "$log" | sed 's/\x1b\[[0-9;]*m//g; s/^[^a-z]*//I' | tr -s ' \n' ' ' | sed 's/ *$//') || true
	[ -z "$bad" ] || die "topic $t: b4 prep --check-deps: $bad (a topic below changed since this one recorded it? make reroll TOPIC=${t#*-} records them as they are now)"
}

# sync_from_b4 TOPIC: what b4 changed in the branch's prep state (the
# revision after a send, the changelog it adds) back into cover-letters/.
sync_from_b4() {
	local t=$1 br cid v pre
	br=$(topic_branch "$t")
	# (a failed read leaves the cover letter as it was)
	kgit config --get "branch.$br.description" | strip_to_cc >"$(cover_of "$t").new" &&
		mv "$(cover_of "$t").new" "$(cover_of "$t")" || die "topic $t: cannot read b4's cover letter of '$br'"
	kgit config "branch.$br.forseti-cover" "$(cover_sum <"$(cover_of "$t")")"
	v=$(kgit config --get "branch.$br.b4-tracking" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["series"]["revision"])') ||
		die "topic $t: b4's tracking data of '$br' (branch.$br.b4-tracking in $KTREE) has no revision (above): $(meta_of "$t") left as it was"
	cid=$(meta_get "$t" change-id)
	mapfile -t pre < <(meta_all "$t" prerequisite-change-id)
	meta_write "$t" "$cid" "$v" "${pre[@]}"
}

# b4_setup: b4 is there, and its cover template says what the base is.
b4_setup() {
	need_b4
	load_base
	# (made here, never when lib.sh is sourced: a script that stops
	# before its work, like make test short of disk, writes nothing)
	mkdir -p "$BUILD" "$POST_LOGS"
	B4_TEMPLATE=$BUILD/b4-cover.template
	cat >"$B4_TEMPLATE" <<TPL
\${cover}

---
\${shortlog}

\${diffstat}
---
base-commit: \${base_commit}
change-id: \${change_id}
\${prerequisites}
The base-commit is not an upstream commit: it is the forseti project's
deterministic git import of Debian's $BASE_PACKAGE $BASE_VERSION source
tarball (the same id on every machine).

Best regards,
-- 
\${signature}
TPL
	export B4_TEMPLATE
}
