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

# Topic folders up to and including TOPIC (all of them without one).
topics_upto() {
	local t
	for t in $(topics); do
		printf '%s\n' "$t"
		[ -n "${1:-}" ] && [ "$t" = "$1" ] && return 0
	done
	return 0
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
# nothing else on the machine changes.
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
		-o APT::Sandbox::User=root)
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
