#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/test-fresh.sh
# The proof that the project's install steps are complete: a clean Debian 12
# root (debootstrap --variant=minbase, under build/fresh/root, remade from a
# kept tarball on every run), a clone of the project at its current commit
# (plus the working tree's uncommitted changes to tracked files) inside it,
# then, as root in the root (chroot, in a private mount and pid namespace):
# `make tree`, a census of every tool the scripts call, `make apply`, the
# posting tests (scripts/tests/posting.sh) and the workbench tests that need
# no prepared check build (scripts/tests/run.sh, all but t_check_*). A
# package missing from scripts/tree.sh's lists fails here. Needs root and
# Debian's archive. One line per test, "N passed, N failed" last.
# FRESH_SELFTESTS="t_a t_b" runs those workbench tests instead.
. "$(dirname "$0")/lib.sh"

FRESH=${FRESH:-$BUILD/fresh}
ROOT=$FRESH/root
LOGS=$FRESH/logs
SUITE=bookworm
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY=${FRESH_SECURITY:-http://deb.debian.org/debian-security}
# the pristine root is remade from Debian when older than this many days
MAX_AGE=${FRESH_MAX_AGE:-7}
PRISTINE=$FRESH/$SUITE-minbase.tar
PROJ=/work/forseti
IN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# --- inside the private namespace (the script runs itself under unshare) -------

MOUNTS=()
unmount_all() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || true
	done
	MOUNTS=()
}

# mnt TARGET MOUNT-ARGS...: mount, and remember it for unmount_all.
mnt() {
	local t=$1
	shift
	mkdir -p "$t"
	mount "$@" "$t" || die "mounting $t ($*) failed"
	MOUNTS+=("$t")
}

# in_root CMD: run CMD with bash in the project's clone inside the root, as
# root, with nothing of the caller's environment but the basics CI has.
in_root() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root USER=root LOGNAME=root PATH=$IN_PATH \
		LANG=C.UTF-8 TERM=dumb CI=true /bin/bash -c "cd $PROJ && $1" </dev/null
}

P=0 F=0
STAGES=()

pass() {
	printf 'PASS %s\n' "$*"
	P=$((P + 1))
}
fail() {
	printf 'FAIL %s\n' "$*"
	F=$((F + 1))
}

# cause FILE...: the first line of the files that names what went wrong.
cause() {
	grep -hE -m 1 "(^[a-z0-9_.-]+: error: |Can't locate |BEGIN failed|command not found|No module named|No such file|missing tool|cannot start)" \
		"$@" 2>/dev/null | head -n 1 | cut -c1-300 || true
}

# step NAME CMD: one command in the root that must work; one line.
step() {
	local name=$1 log=$LOGS/$1.log t0 rc=0 why
	info "running '$2' in the root (log: $log)"
	t0=$(date +%s)
	in_root "$2" >"$log" 2>&1 || rc=$?
	STAGES+=("$name $(($(date +%s) - t0))")
	if [ $rc -eq 0 ]; then
		pass "$name ($(($(date +%s) - t0)) s)"
		return 0
	fi
	why=$(cause "$log")
	[ -n "$why" ] || why=$(tail -n 1 "$log")
	fail "$name ($(($(date +%s) - t0)) s): exit $rc: $why (see $log)"
	return 1
}

# suite NAME CMD: a test suite of the project in the root; its own
# PASS/FAIL lines, named NAME/test, each failure with its cause.
suite() {
	local name=$1 log=$LOGS/$1.log t0 rc=0 line files p f why
	info "running '$2' in the root (log: $log)"
	t0=$(date +%s)
	in_root "$2" 2>&1 | tee "$log" | while IFS= read -r line; do
		case $line in
		PASS\ * | FAIL\ *) printf '%s %s/%s\n' "${line%% *}" "$name" "${line#* }" | sed "s| $PROJ/| $ROOT$PROJ/|g" ;;
		esac
	done || rc=$?
	STAGES+=("$name $(($(date +%s) - t0))")
	p=$(grep -c '^PASS ' "$log" || true)
	f=$(grep -c '^FAIL ' "$log" || true)
	P=$((P + p))
	F=$((F + f))
	# the causes, once the suite is over (its scratch files are then final)
	while IFS= read -r line; do
		files=$(printf '%s\n' "$line" | sed -n "s|.*: see \(.*\)|\1|p" | sed "s| and | |g; s|$PROJ/|$ROOT$PROJ/|g")
		# shellcheck disable=SC2086
		[ -n "$files" ] || continue
		why=$(cause $files)
		printf '     %s/%s: %s\n' "$name" "$(printf '%s' "$line" | cut -d' ' -f2)" "${why:-no error line: see the logs named above}"
	done < <(grep '^FAIL ' "$log" || true)
	if ! grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log"; then
		fail "$name: no result line (exit $rc): $(cause "$log") (see $log)"
	fi
}

# not_run NAME WHY: a stage that cannot run counts as one failure.
not_run() {
	fail "$1: not run: $2"
}

# census: every external command the scripts and the Makefile call exists in
# the root, and the libraries and modules they load are there. The list is
# read from the project (tree.sh's TOOL_PKGS and LIB_PKGS, every need_tool
# and check.sh's tool loop), plus the checks below.
census() {
	local log=$LOGS/census.log t0
	info "tool census in the root (log: $log)"
	t0=$(date +%s)
	cat >"$ROOT/tmp/census.sh" <<'EOF'
set -u
cd /work/forseti
ok() { printf 'PASS census: %s\n' "$1"; }
no() { printf 'FAIL census: %s: %s\n' "$1" "$2"; }
# check LABEL CMD...: CMD succeeds
check() {
	local l=$1 out
	shift
	if out=$("$@" 2>&1 </dev/null); then ok "$l"; else no "$l" "$(printf '%s' "$out" | grep -v '^\s*$' | head -n 2 | tr '\n' ' ' | cut -c1-200)"; fi
}
# pairs "command:package", from the project's own files
pairs() {
	awk '/^TOOL_PKGS="/ { on = 1; sub(/^TOOL_PKGS="/, "") } on { s = $0; if (sub(/".*/, "", s)) on = 0; print s }' scripts/tree.sh | tr ' ' '\n'
	grep -hoE '^\s*need_tool [a-z0-9_.+-]+ [a-z0-9_.+-]+' scripts/*.sh scripts/tests/*.sh 2>/dev/null | awk '{ print $2 ":" $3 }'
	awk '/for tool in/ { on = 1 } on { print; if (/; do/) on = 0 }' scripts/*.sh | grep -oE '[a-z0-9_.+-]+:[a-z0-9_.+-]+'
	# the others the scripts, the tests and the Makefile call
	for c in git:git python3:python3 perl:perl gcc:gcc make:make dpkg-deb:dpkg dpkg-query:dpkg \
		dpkg-source:dpkg-dev apt-get:apt apt-cache:apt sha256sum:coreutils od:coreutils \
		nproc:coreutils nice:coreutils timeout:coreutils mktemp:coreutils realpath:coreutils \
		comm:coreutils tar:tar xz:xz-utils rsync:rsync pkg-config:pkg-config \
		spatch:coccinelle aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu ccache:ccache \
		flex:flex bison:bison bc:bc cpio:cpio depmod:kmod awk:mawk sed:sed grep:grep \
		find:findutils xargs:findutils cmp:diffutils diff:diffutils setsid:util-linux; do
		printf '%s\n' "$c"
	done
}
for pc in $(pairs | grep ':' | sort -u -t: -k1,1); do
	c=${pc%%:*}
	if command -v "$c" >/dev/null 2>&1; then ok "command $c"; else no "command $c" "not installed (Debian package '${pc#*:}')"; fi
done
for pkg in $(awk '/^LIB_PKGS="/ { on = 1; sub(/^LIB_PKGS="/, "") } on { s = $0; if (sub(/".*/, "", s)) on = 0; print s }' scripts/tree.sh); do
	check "package $pkg" sh -c "dpkg-query -W -f='\${Status}' $pkg 2>&1 | grep -q 'ok installed' || { echo 'not installed'; false; }"
done
# a dry run that parses an address: --dump-aliases and --help start
# without loading Mail::Address, which git send-email requires only then
printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: T <t@forseti.invalid>\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nSubject: [PATCH] census\n\n---\n' >/tmp/census.patch
check "git send-email parses an address (dry run)" sh -c 'cd /tmp && git -c user.name=T -c user.email=t@forseti.invalid send-email --dry-run --confirm=never --quiet --to=t@forseti.invalid --from="T <t@forseti.invalid>" --smtp-server=/bin/true /tmp/census.patch >/dev/null'
check "perl Mail::Address (libmailtools-perl)" perl -MMail::Address -e 1
# b4 is trixie's, unpacked by make tree into build/tools (not Debian 12's)
check "b4 0.14.2 from trixie runs (build/tools/bin/b4)" sh -c 'v=$(build/tools/bin/b4 --version 2>&1) && [ "$v" = 0.14.2 ] || { echo "build/tools/bin/b4 --version: ${v:-nothing}"; false; }'
check "b4's Python modules (requests, dkim, dns, patatt, git_filter_repo)" /usr/bin/python3 -c 'import requests, dkim, dns.resolver, patatt, git_filter_repo'
check "spatch runs" spatch --version
check "aarch64-linux-gnu-gcc compiles" sh -c 'echo "int x;" | aarch64-linux-gnu-gcc -x c -c -o /dev/null -'
check "gcc compiles" sh -c 'echo "int x;" | gcc -x c -c -o /dev/null -'
check "ccache runs" ccache --version
check "libdrm's pkg-config file" pkg-config --exists libdrm
check "libelf headers (gelf.h, objtool)" sh -c 'echo "#include <gelf.h>" | gcc -x c -E -o /dev/null -'
check "openssl headers (sign-file)" sh -c 'echo "#include <openssl/evp.h>" | gcc -x c -E -o /dev/null -'
check "python3 ply (spdxcheck)" python3 -c 'import ply'
check "python3 git (spdxcheck)" python3 -c 'import git'
check "sparse for the base (build/tools/bin/sparse)" sh -c 'test -x build/tools/bin/sparse || { echo "not built: make tree builds it"; false; }'
check "debian-archive-keyring (apt_private)" test -s /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	in_root "bash /tmp/census.sh" >"$log" 2>&1 || true
	grep -E '^(PASS|FAIL) ' "$log" || true
	P=$((P + $(grep -c '^PASS ' "$log" || true)))
	F=$((F + $(grep -c '^FAIL ' "$log" || true)))
	grep -q '^PASS ' "$log" || fail "census: no result (see $log)"
	STAGES+=("census $(($(date +%s) - t0))")
}

inside() {
	trap unmount_all EXIT
	trap 'exit 130' INT TERM
	mnt "$ROOT/proc" -t proc proc
	mnt "$ROOT/dev" --rbind /dev
	mnt "$ROOT/sys" --rbind /sys
	# kept between runs: apt's downloads and the base package's .deb
	mnt "$ROOT/var/cache/apt/archives" --bind "$FRESH/cache/apt-archives"
	mnt "$ROOT$PROJ/build/downloads" --bind "$FRESH/cache/downloads"

	local tree_ok=1 tests
	# The one thing a machine needs before the project's files can install
	# the rest: make, to run `make tree` (and .ci/run's `make test`).
	if step prerequisite "command -v make >/dev/null || { apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends make; }"; then
		step tree 'make tree' || tree_ok=0
	else
		tree_ok=0
		not_run tree "make could not be installed"
	fi
	census
	if [ $tree_ok -eq 1 ] && step apply 'make apply'; then
		suite posting 'scripts/tests/posting.sh'
		# the workbench tests that need no prepared check build
		tests=${FRESH_SELFTESTS:-$(grep -oE '^t_[a-z0-9_]+\(\)' "$ROOT$PROJ/scripts/tests/run.sh" |
			tr -d '()' | grep -v '^t_check_' | tr '\n' ' ')}
		suite selftest "scripts/tests/run.sh $tests"
	else
		[ $tree_ok -eq 0 ] && not_run apply "make tree failed"
		not_run posting "make $([ $tree_ok -eq 0 ] && echo tree || echo apply) failed"
		not_run selftest "make $([ $tree_ok -eq 0 ] && echo tree || echo apply) failed"
	fi

	printf '\n===== stage times in the root\n'
	local l
	for l in "${STAGES[@]}"; do
		# shellcheck disable=SC2086
		printf '%-12s %6s s\n' $l
	done
	printf '%-12s %6s s (with the root made and unpacked; it stays in %s until the next run)\n' \
		total $(($(date +%s) - ${FRESH_T0:-$(date +%s)})) "$ROOT"
	printf '%d passed, %d failed\n' "$P" "$F"
	[ "$F" -eq 0 ]
}

if [ "${1:-}" = --in-namespace ]; then
	# internal: run by the part below under unshare
	inside
	exit
fi

# --- outside: the root, the clone, then the namespace ---------------------------

[ $# -eq 0 ] || die "usage: scripts/test-fresh.sh (it takes no arguments)"
[ "$(id -u)" -eq 0 ] || die "must run as root: debootstrap, chroot and mount need it (sudo make test-fresh)"
for c in unshare:util-linux chroot:coreutils mount:mount findmnt:util-linux flock:util-linux git:git; do
	need_tool "${c%%:*}" "${c#*:}"
done
T0=$(date +%s)
mkdir -p "$FRESH/cache/debootstrap" "$FRESH/cache/apt-archives/partial" "$FRESH/cache/downloads" "$LOGS"
# one run at a time on a root (the lock goes with the namespace's processes)
exec 9>"$FRESH/lock"
flock -n 9 || die "another test-fresh runs on $FRESH (see $FRESH/lock): wait for it to end"

if ! command -v debootstrap >/dev/null 2>&1; then
	info "installing debootstrap on this machine (apt-get install debootstrap)"
	DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends debootstrap \
		>"$LOGS/debootstrap-install.log" 2>&1 ||
		die "apt-get install debootstrap failed: see $LOGS/debootstrap-install.log"
fi

# Nothing may be mounted under the root before it is removed (a bind of
# /dev would be emptied): the namespace's mounts never show here, so this
# only catches one made by hand.
busy=$(findmnt -rn -o TARGET | awk -v r="$ROOT" 'index($0, r "/") == 1 || $0 == r' | head -n 1)
[ -z "$busy" ] || die "$busy is mounted: unmount it (umount -R $busy) before test-fresh removes $ROOT"

# The pristine root: debootstrap's minbase (what every Debian 12 has: the
# Essential packages and apt), with the archive's three suites as a stock
# install has them. Its .debs stay in build/fresh/cache/debootstrap.
if [ ! -s "$PRISTINE" ] || [ -n "$(find "$PRISTINE" -mtime +"$MAX_AGE" 2>/dev/null)" ]; then
	t=$(date +%s)
	info "making a clean Debian 12 root with debootstrap (log: $LOGS/debootstrap.log)"
	rm -rf --one-file-system "$FRESH/pristine"
	debootstrap --variant=minbase --cache-dir="$FRESH/cache/debootstrap" "$SUITE" "$FRESH/pristine" "$MIRROR" \
		>"$LOGS/debootstrap.log" 2>&1 || die "debootstrap $SUITE failed: see $LOGS/debootstrap.log"
	rm -f "$FRESH/pristine/etc/apt/sources.list"
	cat >"$FRESH/pristine/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	tar -C "$FRESH/pristine" -cf "$PRISTINE.tmp" . || die "writing $PRISTINE failed"
	mv "$PRISTINE.tmp" "$PRISTINE"
	rm -rf --one-file-system "$FRESH/pristine"
	info "debootstrap: $(($(date +%s) - t)) s"
fi

t=$(date +%s)
info "unpacking a clean root into $ROOT"
rm -rf --one-file-system "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$PRISTINE" || die "unpacking $PRISTINE into $ROOT failed"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" || die "cannot copy /etc/resolv.conf into the root"
# This machine's way to the archive (a proxy, or the validity checks of a
# mirror that lags, as farm machines set them) is the machine's, not the
# project's: apt.conf.d files that hold only Acquire:: settings go along.
acq=""
for f in /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -qE '^[[:space:]]*Acquire::' "$f" || continue
	grep -vE '^[[:space:]]*(//|#|$)' "$f" | grep -qvE '^[[:space:]]*Acquire::' && continue
	cp "$f" "$ROOT/etc/apt/apt.conf.d/" || die "cannot copy $f into the root"
	acq+=" $(basename "$f")"
done
[ -z "$acq" ] || info "the root uses this machine's apt access settings:$acq"
# a root that lives one run needs no fsync per unpacked file (dpkg's
# default): it changes nothing in what is installed, only how fast
echo force-unsafe-io >"$ROOT/etc/dpkg/dpkg.cfg.d/forseti-fresh-unsafe-io"

# The project at its current commit, with the uncommitted changes to its
# tracked files (so that a change to the install list is tried before it is
# committed). Untracked files are not carried.
head=$(git -C "$TOP" rev-parse HEAD) || die "$TOP: not a git checkout"
git clone -q --no-checkout "$TOP" "$ROOT$PROJ" || die "git clone of $TOP into the root failed"
git -C "$ROOT$PROJ" fetch -q "$TOP" HEAD || die "git fetch of $TOP's HEAD failed"
git -C "$ROOT$PROJ" checkout -q -B fresh "$head" || die "checking out $head in the root failed"
changed=$(git -C "$TOP" diff --name-only HEAD | tr '\n' ' ')
if [ -n "$changed" ]; then
	git -C "$TOP" diff --binary HEAD | git -C "$ROOT$PROJ" apply --whitespace=nowarn ||
		die "the uncommitted changes of $TOP do not apply to its HEAD in the root"
	info "the clone carries uncommitted changes to: $changed"
fi
info "root ready in $(($(date +%s) - t)) s: $ROOT, project at $ROOT$PROJ ($(git -C "$TOP" rev-parse --short=12 HEAD))"
mkdir -p "$ROOT$PROJ/build/downloads"

export FRESH_T0=$T0
exec unshare --mount --pid --fork --propagation private -- "$0" --in-namespace
