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

# --- posting: cover letters, their metadata, the sent records ---------------
# (send.sh, reroll.sh, status.sh). cover-letters/<N-topic>.txt is the cover
# letter (title, blank line, body, then "Changes in vN:" sections, newest
# first); cover-letters/<N-topic>.meta holds "change-id: ..." and
# "version: N". sent/<N-topic>/vN/ records what a real send mailed.
SENT=${SENT:-$TOP/sent}
ROADMAP=${ROADMAP:-$TOP/ROADMAP}

# b4 from Debian trixie, unpacked into the build folder by scripts/tree.sh.
B4_VERSION=0.14.2-2
B4_SUITE=trixie
B4=$TOOLS/bin/b4
b4_ok() { [ -x "$B4" ] && [ -e "$TOOLS/b4/.forseti-fixed" ] && [ "$("$B4" --version 2>/dev/null)" = "${B4_VERSION%-*}" ]; }
need_b4() { b4_ok || die "b4 ${B4_VERSION%-*} is not in $TOOLS/bin: run 'make tree'"; }

# roadmap_state TOPIC: the state column of TOPIC's row in ROADMAP
# ("planned", "in progress", "ready to post", "posted v2", "merged").
roadmap_state() {
	local name=${1#*-}
	[ -f "$ROADMAP" ] || die "no $ROADMAP"
	awk -F'|' -v n="$name" '{ gsub(/ /, "", $3) } $3 == n { s = $4; gsub(/^ +| +$/, "", s); print s; exit }' "$ROADMAP"
}

cover_of() { printf '%s/%s.txt\n' "$COVERS" "$1"; }
meta_of() { printf '%s/%s.meta\n' "$COVERS" "$1"; }

# meta_get TOPIC KEY: a value of the topic's .meta (empty when unset).
meta_get() {
	local f
	f=$(meta_of "$1")
	[ -f "$f" ] || return 0
	sed -n "s/^$2:[[:space:]]*//p" "$f" | tail -n 1
}

# meta_set TOPIC KEY VALUE: set (or add) one line of the topic's .meta.
meta_set() {
	local f
	f=$(meta_of "$1")
	[ -f "$f" ] || printf '# b4 change-id and version of topic %s (make send / make reroll)\n' "$1" >"$f"
	if grep -q "^$2:" "$f"; then
		sed -i "s|^$2:.*|$2: $3|" "$f"
	else
		printf '%s: %s\n' "$2" "$3" >>"$f"
	fi
}

# topic_version TOPIC: the version being prepared (1 until a reroll).
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
	git mailsplit -o"$d" "$mbox" >/dev/null || { rm -rf "$d"; return 1; }
	for m in "$d"/[0-9]*; do
		[ -e "$m" ] || continue
		git mailinfo "$m.msg" "$m.diff" <"$m" >"$m.info" || { rm -rf "$d"; return 1; }
		[ -s "$m.diff" ] || continue
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

# posted_range TOPIC N: "BASE TIP" of vN as posted, from the refs that
# send/reroll keep in the kernel tree, or else rebuilt from the sent record
# (sent/<topic>/vN/series.mbox) on the topic's current parent, then on the
# base. Fails when neither exists or the record no longer applies.
posted_range() {
	local t=$1 n=$2 r b tip mbox
	r=$(posted_ref "$t" "$n")
	if kgit rev-parse -q --verify "$r" >/dev/null && kgit rev-parse -q --verify "$r-base" >/dev/null; then
		printf '%s %s\n' "$(kgit rev-parse "$r-base")" "$(kgit rev-parse "$r")"
		return 0
	fi
	mbox=$SENT/$t/v$n/series.mbox
	[ -f "$mbox" ] || return 1
	for b in "$(parent_of_topic "$t")" "refs/tags/$BASE_TAG"; do
		b=$(kgit rev-parse -q --verify "$b^{commit}") || continue
		if tip=$(am_index "$KTREE" "$b" "$mbox" 2>/dev/null); then
			kgit update-ref "$r-base" "$b"
			kgit update-ref "$r" "$tip"
			printf '%s %s\n' "$b" "$tip"
			return 0
		fi
	done
	return 1
}

# cover_changelog FILE VERSION PREV RANGEDIFF-FILE [new [LINK]]: with "new",
# add a "Changes in vVERSION:" section (with an EDITME line to replace, and
# "- Link to vPREV: LINK" when given) before the
# older ones; then set its "Range-diff against vPREV:" block to the file's
# text (replacing the block a reroll or an earlier send wrote).
cover_changelog() {
	python3 - "$@" <<'PYEOF'
import re, sys
path, ver, prev, rdfile = sys.argv[1:5]
new = len(sys.argv) > 5 and sys.argv[5] == "new"
link = sys.argv[6] if len(sys.argv) > 6 else ""
lines = open(path).read().rstrip("\n").split("\n")
rd = open(rdfile).read().rstrip("\n")
head = re.compile(r"^Changes in v(\d+):\s*$")
starts = [i for i, l in enumerate(lines) if head.match(l)]
if new:
    if any(head.match(lines[i]).group(1) == ver for i in starts):
        sys.exit("%s: already has a 'Changes in v%s:' section" % (path, ver))
    sec = ["Changes in v%s:" % ver, "- EDITME: what changed since v%s, and why" % prev]
    if link:
        sec.append("- Link to v%s: %s" % (prev, link))
    if starts:
        lines[starts[0]:starts[0]] = sec + [""]
    else:
        while lines and lines[-1] == "":
            lines.pop()
        lines += [""] + sec
    starts = [i for i, l in enumerate(lines) if head.match(l)]
mine = [i for i in starts if head.match(lines[i]).group(1) == ver]
if not mine:
    sys.exit(0)
s = mine[0]
e = next((i for i in starts if i > s), len(lines))
block = ["Range-diff against v%s:" % prev] + rd.split("\n")
rdl = next((i for i in range(s, e) if lines[i] == "Range-diff against v%s:" % prev), None)
body = lines[s:e]
while body and body[-1] == "":
    body.pop()
if rdl is not None:
    body = lines[s:rdl]
    while body and body[-1] == "":
        body.pop()
body = body + [""] + block
if e < len(lines):
    body.append("")
lines[s:e] = body
open(path, "w").write("\n".join(lines) + "\n")
PYEOF
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

# ensure_change_id TOPIC: print the topic's change-id, making one (b4's
# form: date-topic-random) and its .meta the first time.
ensure_change_id() {
	local cid
	cid=$(meta_get "$1" change-id)
	if [ -z "$cid" ]; then
		cid=$(date -u +%Y%m%d)-${1#*-}-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
		meta_set "$1" change-id "$cid"
		meta_set "$1" version "$(topic_version "$1")"
		info "topic $1: new change-id $cid in $(meta_of "$1") (commit it)"
	fi
	printf '%s\n' "$cid"
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
