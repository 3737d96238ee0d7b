#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/tree.sh
# Install the tools the workbench needs, a sparse new enough for the base,
# and make kernel-tree/ a git repository holding the pinned base source as
# one tagged commit. A second run checks and does nothing.
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/tree.sh (it takes no arguments)"

# command:Debian package, for everything the scripts and checks run.
TOOL_PKGS="gcc:gcc make:make bc:bc flex:flex bison:bison git:git xz:xz-utils
perl:perl python3:python3 ccache:ccache aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
spatch:coccinelle ocaml:ocaml-nox dpkg-source:dpkg-dev rsync:rsync
pkg-config:pkg-config cpio:cpio depmod:kmod patch:patch"
# Libraries (and the Python modules of checkpatch's spdxcheck.py, for
# Debian's python3), checked through dpkg.
# git send-email needs Mail::Address (libmailtools-perl), which Debian 12's
# git-email only recommends: without it `git send-email` dies at start.
# b4's own dependencies (b4 itself comes from trixie: install_b4).
LIB_PKGS="libelf-dev libssl-dev libdrm-dev python3-ply python3-git git-email
libmailtools-perl python3-dkim python3-dnspython python3-requests python3-patatt
git-filter-repo"

APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}

install_tools() {
	local missing="" pair cmd pkg
	for pair in $TOOL_PKGS; do
		cmd=${pair%%:*}
		pkg=${pair#*:}
		command -v "$cmd" >/dev/null 2>&1 || missing+=" $pkg"
	done
	for pkg in $LIB_PKGS; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			missing+=" $pkg"
	done
	[ -n "$missing" ] || return 1
	info "installing from Debian:$missing"
	[ "$(id -u)" -eq 0 ] || die "packages missing ($missing) and not root: install them with apt-get"
	mkdir -p "$BUILD"
	# another apt (a machine's own updates) may hold the lock: wait for it
	# a bounded time instead of failing at once
	info "(waiting up to ${APT_LOCK_WAIT}s for the dpkg/apt lock if another apt holds it)"
	if ! apt-get -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" update >"$BUILD/apt-update.log" 2>&1; then
		die "apt-get update failed (no network?): see $BUILD/apt-update.log"
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" install -y --no-install-recommends $missing \
		>"$BUILD/apt-install.log" 2>&1 ||
		die "apt-get install$missing failed: see $BUILD/apt-install.log"
	return 0
}

# The base tree needs sparse >= 0.6.5 (__typeof_unqual__); Debian 12 has
# 0.6.4. Build Debian sid's source package into the build folder only.
# Debian's 0.6.5~rc1 still calls itself 0.6.4, so test the feature itself.
sparse_ok() {
	[ -x "$SPARSE" ] || return 1
	printf 'static const int x;\nstatic __typeof_unqual__(x) y;\n' >"$TOOLS/probe.c"
	"$SPARSE" "$TOOLS/probe.c" 2>&1 | grep -q 'typeof_unqual' && return 1
	"$SPARSE" "$TOOLS/probe.c" >/dev/null 2>&1
}

build_sparse() {
	local dir=$TOOLS/src
	info "building sparse from Debian's source package"
	apt_update_private "$BASE_SUITE"
	rm -rf "$dir"
	mkdir -p "$dir" "$TOOLS/bin"
	(cd "$dir" && apt-get "${APT_OPTS[@]}" -q source sparse >"$dir/source.log" 2>&1) ||
		die "apt-get source sparse failed: see $dir/source.log"
	local sdir
	sdir=$(find "$dir" -maxdepth 1 -mindepth 1 -type d -name 'sparse-*' | head -n 1)
	[ -n "$sdir" ] || die "apt-get source sparse unpacked nothing in $dir"
	make -C "$sdir" -j"$(nproc)" sparse CC=gcc HAVE_GTK=no HAVE_LLVM=no HAVE_SQLITE=no \
		>"$dir/build.log" 2>&1 || die "building sparse failed: see $dir/build.log"
	cp "$sdir/sparse" "$SPARSE"
	sparse_ok || die "$SPARSE does not understand __typeof_unqual__ (too old for the base)"
}

# git send-email must start (its Perl modules load) before anyone relies on
# it: a missing module names the package that brings it.
send_email_ok() {
	local out
	# --dump-aliases alone exits before Mail::Address is loaded: ask Perl
	out=$(perl -MMail::Address -e 1 2>&1 && git send-email --dump-aliases 2>&1 </dev/null) && return 0
	if printf '%s' "$out" | grep -q 'Mail/Address.pm'; then
		die "git send-email cannot start: Perl's Mail::Address is missing (Debian package 'libmailtools-perl')"
	fi
	die "git send-email cannot start: $(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
}

# b4: Debian 12 has 0.12, without prerequisite-change-id and --check-deps.
# trixie's 0.14.2 is architecture-independent and its dependencies are all
# in Debian 12 (LIB_PKGS): take the .deb with the private apt configuration,
# unpack it into build/tools/b4 and run it through a wrapper on Debian's
# own python3 (never a python3 that PATH may put first). sid's 0.16.0 needs
# pygit2 >= 1.14 and requests >= 2.31 (Debian 12: 1.11, 2.28): not taken.
install_b4() {
	local deb dir=$TOOLS/b4
	b4_ok && return 1
	info "installing b4 $B4_VERSION from $B4_SUITE into $dir"
	mkdir -p "$DOWNLOADS" "$TOOLS/bin" "$BUILD/apt"
	deb=$DOWNLOADS/b4_${B4_VERSION}_all.deb
	# a cached .deb installs offline, once its sha256 is B4_SHA256's
	if [ ! -s "$deb" ]; then
		apt_update_private "$B4_SUITE"
		(cd "$DOWNLOADS" && apt-get "${APT_OPTS[@]}" -q download "b4=$B4_VERSION" >"$BUILD/apt/b4.log" 2>&1) ||
			die "apt-get download b4=$B4_VERSION from $B4_SUITE failed (see $BUILD/apt/b4.log): bump B4_VERSION and B4_SHA256 in scripts/lib.sh, and check that b4's check-deps fix (scripts/tree.sh) still applies and is still needed"
	fi
	local sum
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$sum" != "$B4_SHA256" ]; then
		rm -f "$deb"
		die "$deb: sha256 $sum is not B4_SHA256 ($B4_SHA256, scripts/lib.sh): deleted; run 'make tree' again to download it (a new build of b4 $B4_VERSION? check it, then bump B4_SHA256)"
	fi
	rm -rf "$dir"
	dpkg-deb -x "$deb" "$dir" || die "$deb: dpkg-deb cannot unpack it"
	# b4 0.14.2 (and 0.16.0, and upstream master) bug: 'b4 prep
	# --check-deps' feeds the cover letter of a series of more than one
	# patch to git am when the cover is not a commit (our
	# branch-description strategy), and git am stops on it ("No valid
	# patches"): scripts/b4-0.14.2-check-deps-cover.patch keeps only the
	# mails of commits. Applied exactly (no fuzz), then checked.
	local fix=$TOP/scripts/b4-0.14.2-check-deps-cover.patch py=$dir/usr/lib/python3/dist-packages
	patch -p1 -F0 --batch --forward -s -d "$py" <"$fix" >"$BUILD/apt/b4-patch.log" 2>&1 ||
		{ cat "$BUILD/apt/b4-patch.log" >&2; die "$fix does not apply to b4 $B4_VERSION in $dir (a new b4? check whether it still needs the fix)"; }
	[ "$(grep -c '^            prereq_patches += \[x\[1\] for x in mypatches if x\[0\]\]$' "$py/b4/ez.py")" -eq 1 ] ||
		die "$py/b4/ez.py: the check-deps fix ($fix) is not in it after patch"
	touch "$dir/.forseti-fixed"
	printf '#!/bin/sh\n# b4 %s from Debian %s, unpacked by scripts/tree.sh\nPYTHONPATH=%s${PYTHONPATH:+:$PYTHONPATH} exec /usr/bin/python3 %s "$@"\n' \
		"$B4_VERSION" "$B4_SUITE" "$dir/usr/lib/python3/dist-packages" "$dir/usr/bin/b4" >"$B4"
	chmod +x "$B4"
	b4_ok || die "$B4 does not run (see '$B4 --version')"
}

did=""
load_base
mkdir -p "$BUILD"
install_tools && did+=" tools"
send_email_ok
install_b4 && did+=" b4"
if ! sparse_ok; then
	build_sparse
	did+=" sparse"
fi
if [ -d "$KTREE/.git" ] && kgit rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
	:
else
	deb=$(deb_of "$BASE_VERSION")
	tarball=$(tarball_of "$deb" "$BASE_SHA256")
	import_base "$BASE_VERSION" "$tarball"
	did+=" base"
fi
# git am and the workbench's own tests commit: give the tree an identity
# when the machine has none (a developer's own one wins).
# The workbench's suites run side by side on this repository (posting
# beside the preparation and the workbench's own tests): no automatic gc
# or ref packing in the middle of them, and a longer wait for packed-refs.
kgit config gc.auto 0
kgit config core.packedRefsTimeout 10000
if ! kgit config user.email >/dev/null; then
	kgit config user.name "Forseti Workbench"
	kgit config user.email "workbench@forseti.invalid"
fi
if [ -z "$did" ]; then
	info "nothing to do: tools installed, sparse at $SPARSE, $KTREE at $BASE_TAG"
else
	info "done:$did; $KTREE at $BASE_TAG"
fi
