#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/check.sh [--prepare] [TOPIC]
# Check every patch of the series (or of TOPIC) in order, as stacked on the
# topic branches of kernel-tree/:
#   - it builds for x86_64 (COMPILE_TEST, W=1, sparse) and arm64 (W=1),
#     with no warning that the base does not have (ARM64_AT=topic-head,
#     as make test runs it: arm64 at each topic's last patch only);
#   - every C file it touches is really compiled (else "not built");
#   - checkpatch.pl --strict is clean.
# At each topic's head: Coccinelle and kernel-doc on the topic's files and
# the Kconfig matrix of ci/kconfig/matrix.config (MATRIX_AT=series-head:
# the matrix at the newest topic's head only, as make test runs it).
# Prints a table of patch x check and writes it to build/check-report.txt;
# exits non-zero if any cell failed.
. "$(dirname "$0")/lib.sh"

PREPARE_ONLY=0
if [ "${1:-}" = --prepare ]; then
	PREPARE_ONLY=1
	shift
fi
[ $# -le 1 ] || die "usage: scripts/check.sh [--prepare] [TOPIC]"

for tool in gcc:gcc make:make ccache:ccache perl:perl python3:python3 \
	aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu spatch:coccinelle flex:flex \
	bison:bison bc:bc; do
	need_tool "${tool%%:*}" "${tool#*:}"
done
grep -qx '# --- pre-enabled ---' "$CI_DIR/kconfig/base.config" ||
	die "$CI_DIR/kconfig/base.config has no '# --- pre-enabled ---' line: the Kconfig-only check leaves out the symbols below it (put it last if there are none)"
[ -x "$SPARSE" ] || die "missing tool '$SPARSE' (sparse for the base, built from Debian's source package): run 'make tree'"
need_ktree

want_topics=$(topics)
if [ $# -eq 1 ] && [ -n "$1" ]; then
	want_topics=$(topic_dir "$1")
fi
for t in $want_topics; do
	kgit rev-parse -q --verify "refs/heads/$(topic_branch "$t")" >/dev/null ||
		die "topic $t: no branch '$(topic_branch "$t")' in $KTREE: run 'make apply' first"
done

SRC=$BUILD/check-src
REPORT=${REPORT:-$BUILD/check-report.txt}
LOGS=$BUILD/check-logs
JOBS=${JOBS:-$(nproc)}
ARCHES=${ARCHES:-x86_64 arm64}
ARM64_AT=${ARM64_AT:-every-patch}
case $ARM64_AT in
every-patch | topic-head) ;;
*) die "ARM64_AT=$ARM64_AT: say every-patch or topic-head" ;;
esac
mkdir -p "$LOGS"
rm -rf "${LOGS:?}"/*
# a run that died while a matrix lane had the x86_64 folder's place
[ ! -d "$BUILD/check-x86_64.parked" ] || {
	info "putting back the x86_64 folder that a matrix lane had parked"
	lane_leave_early=1
}
rm -f "$REPORT.tsv"

# --- the check worktree -----------------------------------------------------
# Checks run in a worktree of their own, so kernel-tree/'s checkout is never
# touched, and build into one output folder per architecture, so each patch
# only recompiles what it changed.
if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	kgit worktree prune
	rm -rf "$SRC"
	info "creating the check worktree $SRC"
	kgit worktree add -q --detach "$SRC" "refs/tags/$BASE_TAG"
fi
checkout() {
	local was
	was=$(git -C "$SRC" rev-parse -q --verify HEAD 2>/dev/null || true)
	git -C "$SRC" checkout -q --detach --force "$1"
	git -C "$SRC" clean -q -fdx >/dev/null
	# (the symbols are read again only when a Kconfig file changed)
	if [ ${#KSYMS[@]} -eq 0 ] || [ -z "$was" ] ||
		! git -C "$SRC" diff --quiet "$was" HEAD -- '*Kconfig*'; then
		load_syms
	fi
}

kmake() {
	local arch=$1
	shift
	local args=(-C "$SRC" O="$BUILD/check-$arch" -j"$JOBS" W=1 "$KPY")
	case $arch in
	x86_64) args+=(ARCH=x86_64 CC="ccache gcc") ;;
	arm64) args+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
		CC="ccache aarch64-linux-gnu-gcc") ;;
	*) die "internal: unknown arch $arch" ;;
	esac
	make "${args[@]}" "$@"
}

# The configuration fragment of an arch (and of a matrix lane). A lane
# made of others (MEMBER..., the joined lane of make test) turns off what
# each of them turns off.
fragment() {
	local arch=$1 lane=${2:-} out=$BUILD/check-$arch${2:+-$2}.fragment
	shift $(($# < 2 ? $# : 2))
	cat "$CI_DIR/kconfig/base.config" "$CI_DIR/kconfig/$arch.config" >"$out"
	if [ -n "$lane" ] && grep -q "^$lane:.*@builtin" "$CI_DIR/kconfig/matrix.config"; then
		sed 's/=m$/=y/' "$CI_DIR/kconfig/driver.config" >>"$out"
	else
		cat "$CI_DIR/kconfig/driver.config" >>"$out"
	fi
	if [ -n "$lane" ]; then
		[ $# -gt 0 ] || set -- "$lane"
		grep -E "^(@lanes|$(IFS='|'; printf '%s' "$*")):" "$CI_DIR/kconfig/matrix.config" |
			cut -d: -f2- | tr ' ' '\n' | grep '^CONFIG_' |
			sed 's/^\(CONFIG_[A-Z0-9_]*\)=n$/# \1 is not set/' >>"$out" || true
	fi
	printf '%s\n' "$out"
}

# load_syms: the Kconfig symbols that the checked-out tree defines, read
# with one git grep at each checkout. sym_exists runs for every symbol of a
# fragment, on each architecture and patch: a git grep each cost about a
# third of a second, over a third of a patch's check.
declare -A KSYMS=()
load_syms() {
	local s
	KSYMS=()
	while read -r s; do
		KSYMS[$s]=1
	done < <(git -C "$SRC" grep -hE '^[[:space:]]*(menu)?config[[:space:]]+[A-Za-z0-9_]+$' -- '*Kconfig*' |
		awk '{ print $2 }')
	[ ${#KSYMS[@]} -gt 0 ] || die "no Kconfig symbol found in $SRC: is the check worktree broken?"
}

# sym_exists SYM: does the checked-out tree define this Kconfig symbol?
sym_exists() {
	[ -n "${KSYMS[$1]:-}" ]
}

# config_check DIR FRAGMENT: print "CONFIG_X=want (got)" for every symbol of
# the fragment that exists in the tree but did not end up as asked.
config_check() {
	local dir=$1 frag=$2 line sym want got
	grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$frag" | while read -r line; do
		if [[ $line == "# "* ]]; then
			sym=${line#\# CONFIG_}
			sym=${sym%% *}
			want=n
		else
			sym=${line%%=*}
			sym=${sym#CONFIG_}
			want=${line#*=}
		fi
		sym_exists "$sym" || continue
		got=$(sed -n "s/^CONFIG_$sym=//p" "$dir/.config")
		[ -n "$got" ] || got=n
		[ "$got" = "$want" ] || printf 'CONFIG_%s=%s (got %s)\n' "$sym" "$want" "$got"
	done
}

# configure ARCH [LANE [MEMBER...]]: allnoconfig plus the fragment, in the
# arch's folder (a matrix lane's folder is in that place while it builds:
# lane_enter).
configure() {
	local arch=$1 lane=${2:-} dir frag
	dir=$BUILD/check-$arch
	frag=$(fragment "$@")
	allnoconfig "$arch" "$dir" "$frag" "$LOGS/config-$arch${lane:+-$lane}.log" ||
		die "$arch${lane:+ lane $lane}: allnoconfig failed: see $LOGS/config-$arch${lane:+-$lane}.log"
}

# allnoconfig ARCH DIR FRAGMENT LOG: configure DIR for ARCH from FRAGMENT.
allnoconfig() {
	local arch=$1 dir=$2 a
	mkdir -p "$dir"
	a=(-C "$SRC" O="$dir" KCONFIG_ALLCONFIG="$3")
	case $arch in
	x86_64) a+=(ARCH=x86_64) ;;
	arm64) a+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
	*) die "internal: unknown arch $arch" ;;
	esac
	make -s "${a[@]}" allnoconfig >"$4" 2>&1
}

# kconfig_unmet ARCH: Kconfig's unmet-dependency warnings for the arch's
# configuration, and for the same configuration without base.config's
# pre-enabled symbols (those below its "# --- pre-enabled ---" line; a
# configuration in a folder of its own, nothing built): a driver that
# selects a symbol without what that symbol depends on is found even where
# ci/kconfig enables the dependency from the start. Prints nothing when
# there is none.
kconfig_unmet() {
	local arch=$1 dir=$BUILD/check-$1-bare frag=$BUILD/check-$1-bare.fragment
	local log=$LOGS/config-$1-bare.log
	{
		sed '/^# --- pre-enabled ---$/,$d' "$CI_DIR/kconfig/base.config"
		cat "$CI_DIR/kconfig/$arch.config" "$CI_DIR/kconfig/driver.config"
	} >"$frag"
	if ! allnoconfig "$arch" "$dir" "$frag" "$log"; then
		printf 'allnoconfig without the pre-enabled symbols failed: see %s\n' "$log"
		return
	fi
	grep -h -A4 'unmet direct dependencies' "$LOGS/config-$arch.log" "$log" || true
}

# Warnings as "file: message", without line numbers, so that the same
# warning of the base is recognised after lines move.
norm_warnings() {
	sed -E -e "s#^$SRC/##" -e 's#^(\.\./)+##' -e 's#^([^ :]*/)?check-src/##' |
		sed -n -E -e 's#^([A-Za-z0-9_./+-]+):[0-9]+(:[0-9]+)?: (warning|error): (.*)$#\1: \3: \4#p' \
			-e 's#^(WARNING|ERROR): modpost: (.*)$#modpost: \1: \2#p' | sort
}

# W=1 runs kernel-doc on every C file it compiles. Where that is not the
# check (the base, configuration rebuilds, matrix lanes), it is switched
# off: with an empty cmd_checkdoc, no interpreter starts per object (each
# process start is costly on these machines).
NO_KDOC=(KERNELDOC=/dev/null cmd_checkdoc=)

# --- preparing each architecture once ---------------------------------------
# A full W=1 build of the base in each output folder; its warnings (and, on
# x86_64, sparse's on drivers/gpu/drm/) are the baseline that later
# warnings are counted against. Redone when the base or ci/kconfig changes.
prepare() {
	local arch=$1 dir=$BUILD/check-$arch stamp want
	stamp=$dir/.forseti-prepared
	want=$(cat "$CI_DIR/kconfig/base.config" "$CI_DIR/kconfig/$arch.config" "$BASE_FILE" |
		sha256sum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	info "$arch: preparing the check build of the base (minutes, once)"
	checkout "refs/tags/$BASE_TAG"
	configure "$arch"
	local bad
	bad=$(config_check "$dir" "$BUILD/check-$arch.fragment")
	[ -z "$bad" ] || die "$arch: ci/kconfig does not give the base the configuration it asks for: $bad"
	local log=$BUILD/prepare-$arch.log
	# W=1 runs kernel-doc on every file it compiles: not worth it for the
	# whole base (NO_KDOC; it is not part of
	# the compile command, so nothing rebuilds for it later). The DRM
	# files' kernel-doc warnings are recorded below instead.
	# x86_64 builds the whole small kernel, so that modpost can link each
	# patch's modules against it; arm64 only compiles (the DRM folder for
	# the baseline), which is what its lane checks.
	local goals=(vmlinux modules)
	[ "$arch" = x86_64 ] || goals=(drivers/gpu/drm/)
	if ! kmake "$arch" "${NO_KDOC[@]}" "${goals[@]}" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "$arch: building the base failed: see $log"
	fi
	if [ "$arch" = x86_64 ]; then
		kmake "$arch" C=2 CHECK="$SPARSE" drivers/gpu/drm/ >>"$log" 2>&1 ||
			die "$arch: sparse on the base failed: see $log"
		if grep -q 'sparse is not available' "$log"; then
			die "the kernel says sparse ($SPARSE) is not available or not up to date: run 'make tree'"
		fi
		# W=1 runs kernel-doc on each C file it compiles: the baseline
		# needs the DRM files this build compiles, not all 7,800 of the
		# folder (amdgpu's included), which took minutes
		(cd "$dir" && find drivers/gpu/drm -name '*.o' ! -name '*.mod.o' ! -name '*.prelink.o' |
			sed 's/\.o$/.c/' | (cd "$SRC" && while read -r f; do
				[ -f "$f" ] && printf '%s\0' "$f"; done) |
			(cd "$SRC" && xargs -0 -r /usr/bin/python3 scripts/kernel-doc -none)) >>"$log" 2>&1 || true
	fi
	norm_warnings <"$log" >"$dir/.forseti-baseline"
	if [ "$arch" = x86_64 ]; then
		rm -rf "$dir/.forseti-cache"
		remember_config "$dir"
	fi
	printf '%s\n' "$want" >"$stamp"
	info "$arch: prepared; $(wc -l <"$dir/.forseti-baseline") warning(s) in the base"
}

# config_sum DIR [builtin]: a digest of DIR's .config, or of what in it can
# change vmlinux (everything but the modules).
config_sum() {
	if [ "${2:-}" = builtin ]; then
		grep -v '=m$' "$1/.config"
	else
		cat "$1/.config"
	fi | grep -v '^#' | sort | sha256sum | cut -d' ' -f1
}

# rebuild_for_config ARCH ROW: on x86_64, where modpost links each patch's
# modules against the rest of the kernel, rebuild what the configuration
# has changed since the last full build: vmlinux when what is built in
# changed (a patch that selects a library, such as io-pgtable), the other
# modules when only they did (a select of a helper module, such as GEM
# shmem), so that modpost sees what that configuration really exports.
# Only a failure counts: the warnings are the base's code, not the patch's.
#
# modpost of single modules reads vmlinux.o and nothing else of the
# built-in part, so the vmlinux.o of each built-in configuration (and the
# module list of each configuration) is kept once built: a run that goes
# back to a configuration it has seen (the base for the workbench's own
# tests and the first topic, the firmware's selects after them) restores
# it instead of relinking. Keyed by the configuration's digest; the base
# is part of the folder's preparation, which starts afresh.
rebuild_for_config() {
	local arch=$1 row=$2 dir=$BUILD/check-$1 b m goals=() cache key
	[ "$arch" = x86_64 ] || return 0
	cache=$dir/.forseti-cache
	mkdir -p "$cache"
	b=$(config_sum "$dir" builtin)
	m=$(config_sum "$dir")
	key=$(builtin_key "$dir" "$b")
	if [ "$b" != "$(cat "$dir/.forseti-vmlinux-config" 2>/dev/null)" ]; then
		if [ -f "$cache/vmlinux-$key.o" ]; then
			cp "$cache/vmlinux-$key.o" "$dir/vmlinux.o"
			# the objects are another configuration's: the next
			# vmlinux goal must relink, not trust the new mtime
			rm -f "$dir/.vmlinux.o.cmd"
			printf '%s\n' "$b" >"$dir/.forseti-vmlinux-config"
			info "$row: the built-in configuration changed: vmlinux.o of it restored"
		else
			goals=(vmlinux modules)
		fi
	fi
	if [ ${#goals[@]} -eq 0 ] && [ "$m" != "$(cat "$dir/.forseti-modules-config" 2>/dev/null)" ]; then
		if [ -f "$cache/modules-$m.order" ]; then
			cp "$cache/modules-$m.order" "$dir/.forseti-modules.order"
			printf '%s\n' "$m" >"$dir/.forseti-modules-config"
		else
			goals=(modules)
		fi
	fi
	[ ${#goals[@]} -gt 0 ] || return 0
	info "$row: the configuration changed: rebuilding ${goals[*]}"
	kmake "$arch" "${NO_KDOC[@]}" "${goals[@]}" >"$LOGS/$row-$arch-rebuild.log" 2>&1 || return 1
	remember_config "$dir"
}

# remember_config DIR: record DIR's configuration as built, and keep its
# vmlinux.o and module list for rebuild_for_config.
remember_config() {
	local dir=$1 b m
	b=$(config_sum "$dir" builtin)
	m=$(config_sum "$dir")
	mkdir -p "$dir/.forseti-cache"
	printf '%s\n' "$b" >"$dir/.forseti-vmlinux-config"
	printf '%s\n' "$m" >"$dir/.forseti-modules-config"
	cp "$dir/modules.order" "$dir/.forseti-modules.order"
	cp "$dir/modules.order" "$dir/.forseti-cache/modules-$m.order"
	cp "$dir/vmlinux.o" "$dir/.forseti-cache/vmlinux-$(builtin_key "$dir" "$b").o"
}

# builtin_key DIR DIGEST: what a kept vmlinux.o is valid for: the built-in
# configuration, and the source of the built-in C files that the checked
# commit has changed since the base (their exports are what modpost
# reads). The series' own modules change freely under the same key.
builtin_key() {
	local dir=$1 f o changed="" members
	if [ -f "$dir/vmlinux.a" ]; then
		# Read once: "ar t | grep -q" under pipefail fails when grep
		# stops reading early (ar dies of SIGPIPE). From the folder
		# itself: ar names a thin archive's members by their path from
		# the current directory, so from elsewhere no name matched and
		# the key never held a changed built-in file.
		members=$(cd "$dir" && ar t vmlinux.a 2>/dev/null || true)
		while read -r f; do
			o=${f%.c}.o
			if grep -qxF -e "$o" -e "./$o" <<<"$members"; then
				changed+="$f:$(git -C "$SRC" rev-parse "HEAD:$f" 2>/dev/null) "
			fi
		done < <(git -C "$SRC" diff --name-only "refs/tags/$BASE_TAG" HEAD -- '*.c' 2>/dev/null)
	fi
	printf '%s %s\n' "$2" "$changed" | sha256sum | cut -c1-32
}

# new_warnings ARCH LOG: the warnings of LOG that the base does not have
# (as a multiset: a second copy of a base warning counts).
new_warnings() {
	norm_warnings <"$2" | comm -23 - "$BUILD/check-$1/.forseti-baseline"
}

# --- the table --------------------------------------------------------------
COLS="x86_64 arm64 built checkpatch"
HEAD_COLS="cocci kdoc matrix"
declare -A CELL SUBJ CONFIGURED
ROWS=()
# each arch's last patch whose build ran (a documentation-only patch takes
# its result)
declare -A PREV_ROW=()
# the archs whose build is deferred to the topic's last patch (deferred),
# and those of them that a deferred patch's Kconfig change must reconfigure
declare -A DEFER_PENDING=() DEFER_KCONF=()
failed=0
set_cell() { # row col value; a value starting with FAIL counts as failure
	if [ -n "${CELL_SINK:-}" ]; then
		# in a background part: the parent records it
		printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$CELL_SINK"
		return
	fi
	CELL["$1|$2"]=$3
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$REPORT.tsv"
	case $3 in FAIL*) failed=1 ;; esac
}

# build_patch ARCH ROW DIRS...: build the folders, record the cell. The
# log (begun by arch_build) says which folders it built.
build_patch() {
	local arch=$1 row=$2
	shift 2
	local log=$LOGS/$row-$arch.log extra=() rc=0 n
	[ "$arch" = x86_64 ] && extra=(C=1 CHECK="$SPARSE")
	printf 'folders built: %s\n' "$*" >>"$log"
	kmake "$arch" "${extra[@]}" "$@" >>"$log" 2>&1 || rc=$?
	# link the folders' modules (modpost finds unresolved symbols, such as
	# a helper used without selecting it)
	local kos=() d m
	for d in "$@"; do
		[ -f "$BUILD/check-$arch/${d}modules.order" ] || continue
		while read -r m; do
			kos+=("${m%.o}.ko")
		done <"$BUILD/check-$arch/${d}modules.order"
	done
	if [ $rc -eq 0 ] && [ ${#kos[@]} -gt 0 ] && [ "$arch" = x86_64 ]; then
		# modpost of single modules sees only their own and vmlinux's
		# exports: link the configuration's other modules with them
		# (the list of the last full build; rebuild_for_config keeps it
		# in step with the configuration), so that a module that uses
		# another one, such as the GEM shmem helpers, links too
		if [ -f "$BUILD/check-$arch/.forseti-modules.order" ]; then
			while read -r m; do
				kos+=("${m%.o}.ko")
			done <"$BUILD/check-$arch/.forseti-modules.order"
		fi
		mapfile -t kos < <(printf '%s\n' "${kos[@]}" | sort -u)
		# (a link: the patch's objects were compiled and kernel-doc
		# checked above; other modules recompiled for the configuration
		# are the base's code, not the patch's)
		kmake "$arch" "${NO_KDOC[@]}" "${kos[@]}" >>"$log" 2>&1 || rc=$?
	fi
	if grep -q 'sparse is not available' "$log"; then
		set_cell "$row" "$arch" "FAIL(no sparse)"
		return
	fi
	n=$(new_warnings "$arch" "$log" | tee "$LOGS/$row-$arch.new" | wc -l)
	if [ $rc -ne 0 ]; then
		set_cell "$row" "$arch" "FAIL(build)"
	elif [ "$n" -gt 0 ]; then
		set_cell "$row" "$arch" "FAIL($n new)"
	else
		set_cell "$row" "$arch" pass
	fi
}

# Folders that a change to FILES needs built, relative to the tree.
dirs_of() {
	local f d
	for f in "$@"; do
		case $f in
		*.c) d=$(dirname "$f") ;;
		*/Makefile | */Kbuild | */Kconfig*) d=$(dirname "$f") ;;
		*.h) d="" ;;
		*) continue ;;
		esac
		[ -n "$d" ] && [ -d "$SRC/$d" ] && printf '%s/\n' "$d"
	done | sort -u
}

# arch_build ARCH ROW RECONFIGURE DIRS...: one architecture's part of a
# patch's check (run in the background: its cells go to $CELL_SINK).
arch_build() {
	local arch=$1 row=$2 reconf=$3 bad
	shift 3
	: >"$LOGS/$row-$arch.log"
	if [ "$reconf" -eq 1 ]; then
		configure "$arch"
		echo "configured afresh (first build of the run, or Kconfig changed since the last)" \
			>>"$LOGS/$row-$arch.log"
	fi
	bad=$(config_check "$BUILD/check-$arch" "$BUILD/check-$arch.fragment")
	if [ -n "$bad" ]; then
		set_cell "$row" "$arch" "FAIL(kconfig)"
		printf 'Kconfig did not give %s\n' "$bad" >>"$LOGS/$row-$arch.log"
		return 0
	fi
	if [ "$reconf" -eq 1 ] && [ "$arch" = x86_64 ]; then
		bad=$(kconfig_unmet "$arch")
		if [ -n "$bad" ]; then
			set_cell "$row" "$arch" "FAIL(kconfig)"
			printf 'Kconfig:\n%s\n' "$bad" >>"$LOGS/$row-$arch.log"
			return 0
		fi
	fi
	if ! rebuild_for_config "$arch" "$row"; then
		set_cell "$row" "$arch" "FAIL(rebuild)"
		return 0
	fi
	if [ $# -eq 0 ]; then
		set_cell "$row" "$arch" "-"
		return 0
	fi
	build_patch "$arch" "$row" "$@"
}

# replay_cells FILE ROW ARCH: record the cells a background part wrote; a
# part that wrote none (it died) fails its column.
replay_cells() {
	local r c v any=0
	while IFS=$'\t' read -r r c v; do
		set_cell "$r" "$c" "$v"
		any=1
	done <"$1"
	[ $any -eq 1 ] || set_cell "$2" "$3" "FAIL(no result: see $LOGS/$2-$3.log)"
}

# build_arches ROW KCONF ARCHES DIRS...: build the patch's folders on each
# of ARCHES (a space-separated list). The architectures build side by
# side, each in its own folder: their serial parts (make's startup,
# modpost, the links) overlap. Each one's cells are replayed here, in the
# order of ARCHES.
build_arches() {
	local row=$1 kconf=$2 arches=$3 arch pids=() sink pid
	shift 3
	for arch in $arches; do
		# configure on the first patch of a run (the folder may hold any
		# earlier configuration) and whenever a patch touches Kconfig,
		# or touched it while this arch's build was deferred
		local reconf=0
		if [ $kconf -eq 1 ] || [ -z "${CONFIGURED[$arch]:-}" ] ||
			[ -n "${DEFER_KCONF[$arch]:-}" ]; then
			reconf=1
			CONFIGURED[$arch]=1
		fi
		unset "DEFER_KCONF[$arch]" "DEFER_PENDING[$arch]"
		sink=$LOGS/$row-$arch.cells
		: >"$sink"
		(CELL_SINK=$sink arch_build "$arch" "$row" "$reconf" "$@") &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || true
	done
	for arch in $arches; do
		replay_cells "$LOGS/$row-$arch.cells" "$row" "$arch"
		PREV_ROW[$arch]=$row
	done
}

# deferred ARCH LAST: is ARCH's build of this patch left to its topic's
# last patch (LAST=1 for that one)? ARM64_AT=topic-head (make test): arm64
# builds each topic's last patch only, with every folder the topic has
# touched, so that what the topic changes is compiled for arm64 as it is
# at its head; make check builds arm64 at every patch, which names the
# patch that broke it.
deferred() {
	[ "$1" = arm64 ] && [ "$ARM64_AT" = topic-head ] && [ "$2" -eq 0 ]
}

check_patch() {
	local t=$1 c=$2 row=$3 last=$4 files dirs stale
	checkout "$c"
	mapfile -t files < <(git -C "$SRC" diff --name-only --diff-filter=AMR "$c^" "$c")
	mapfile -t dirs < <(dirs_of "${files[@]}" "${SERIES_FILES[@]}")
	SERIES_FILES+=("${files[@]}")
	local arch kconf=0 f docs=0 all
	for f in "${files[@]}"; do
		case $f in *Kconfig*) kconf=1 ;; esac
	done
	# Documentation only: every path the patch adds, changes, deletes or
	# renames (both names) is documentation, and there is one at least.
	mapfile -t all < <(git -C "$SRC" diff --name-only --no-renames "$c^" "$c")
	if [ ${#all[@]} -gt 0 ]; then
		docs=1
		for f in "${all[@]}"; do
			case $f in
			*Kconfig* | *Makefile* | *Kbuild*) docs=0 ;;
			Documentation/* | MAINTAINERS | CREDITS) ;;
			*) docs=0 ;;
			esac
		done
	fi
	local build="" v prev
	for arch in $ARCHES; do
		prev=${PREV_ROW[$arch]:-}
		if deferred "$arch" "$last"; then
			DEFER_PENDING[$arch]=1
			[ $kconf -eq 0 ] || DEFER_KCONF[$arch]=1
			printf '%s: built at the last patch of the topic only (make check builds every patch)\n' \
				"$arch" >"$LOGS/$row-$arch.log"
			set_cell "$row" "$arch" "(at topic head)"
		elif [ $docs -eq 1 ] && [ -n "$prev" ] && [ -z "${DEFER_PENDING[$arch]:-}" ]; then
			# No file that a kernel build reads has changed since the
			# patch built before this one (documentation and
			# MAINTAINERS only): the arch's build is that patch's.
			# Its failures carry over (the tree still does not
			# build), its new warnings do not (nothing would be
			# recompiled to show them again), and a Kconfig failure
			# only if the configuration still is not what ci/kconfig
			# asks (Kconfig's unmet dependencies are looked for where
			# Kconfig changes).
			printf '%s: the build reads no file this patch changes; its result is %s'"'"'s\n' \
				"$arch" "$prev" >"$LOGS/$row-$arch.log"
			v=${CELL["$prev|$arch"]:-FAIL(no result)}
			[[ $v =~ ^FAIL\([0-9]+\ new\)$ ]] && v=pass
			if [ "$v" = "FAIL(kconfig)" ] &&
				[ -z "$(config_check "$BUILD/check-$arch" "$BUILD/check-$arch.fragment")" ]; then
				v=pass
			fi
			set_cell "$row" "$arch" "$v"
		else
			build+=" $arch"
		fi
	done
	[ -z "$build" ] || build_arches "$row" "$kconf" "$build" "${dirs[@]}"
	# Every C file the patch touches must have been compiled on x86_64.
	stale=""
	for f in "${files[@]}"; do
		[[ $f == *.c ]] || continue
		local o=$BUILD/check-x86_64/${f%.c}.o
		if [ ! -f "$o" ] || [ "$o" -ot "$SRC/$f" ]; then
			stale+=" $f"
		fi
	done
	if [ -n "$stale" ]; then
		set_cell "$row" built "FAIL(not built)"
		printf 'not compiled by any Kconfig/Makefile:%s\n' "$stale" >"$LOGS/$row-built.log"
	else
		set_cell "$row" built pass
	fi
	# checkpatch, on the patch as it would be mailed, with Debian's python3
	# for spdxcheck.py (python3-ply, python3-git).
	local cp=$LOGS/$row-checkpatch.log n
	format_patch -1 --stdout "$c" >"$LOGS/$row.patch"
	(cd "$SRC" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --no-summary \
		--showfile -q "$LOGS/$row.patch") >"$cp" 2>&1 || true
	if grep -q 'does MAINTAINERS need updating' "$cp" && maintained "$c"; then
		# The files it adds are already covered by an entry: answered.
		sed -i '/does MAINTAINERS need updating/,/^$/d' "$cp"
		echo "(FILE_PATH_CHANGES: every added file is covered by MAINTAINERS)" >>"$cp"
	fi
	n=$(grep -cE '^(ERROR|WARNING|CHECK):|: (ERROR|WARNING|CHECK):|^Traceback' "$cp" || true)
	if [ "$n" -gt 0 ]; then
		set_cell "$row" checkpatch "FAIL($n)"
	else
		set_cell "$row" checkpatch pass
	fi
}

# maintained COMMIT: is every file that COMMIT adds, moves or deletes covered
# by an F: pattern (a folder or the file) of MAINTAINERS as of COMMIT?
maintained() {
	local f p ok m
	m=$(git -C "$SRC" show "$1:MAINTAINERS")
	while read -r f; do
		ok=0
		p=$f
		while [ "$p" != . ] && [ -n "$p" ]; do
			if grep -qxF -e "F:	$p" -e "F:	$p/" <<<"$m"; then
				ok=1
				break
			fi
			p=$(dirname "$p")
		done
		[ $ok -eq 1 ] || return 1
	done < <(git -C "$SRC" diff --name-only --diff-filter=ADR "$1^" "$1")
	return 0
}

# --- at a topic's head ------------------------------------------------------
# Coccinelle runs once over every topic head's files, not once per head:
# most of its cost is each script's start, 75 of them. At a head, the
# topic's C files (with the other files of their folders, for their local
# headers) are copied as they are there into build/cocci-heads/<row>/;
# after the last head, every script runs once over all the copies, and
# each head's reports are the lines that name its copy. A line that names
# no copy goes to every head.
COCCI_ROWS=()
COCCI_FILES=()
COCCI_HEADS=$BUILD/cocci-heads
rm -rf "$COCCI_HEADS"

cocci_snapshot() {
	local row=$1 d f
	shift
	mkdir -p "$COCCI_HEADS/$row"
	for d in $(printf '%s\n' "$@" | xargs -n1 dirname | sort -u); do
		mkdir -p "$COCCI_HEADS/$row/$d"
		git -C "$SRC" ls-tree HEAD "$d/" | awk '$2 == "blob" { print $4 }' |
			while read -r f; do
				git -C "$SRC" cat-file blob "HEAD:$f" >"$COCCI_HEADS/$row/$f"
			done
	done
	for f in "$@"; do
		COCCI_FILES+=("$COCCI_HEADS/$row/$f")
	done
	COCCI_ROWS+=("$row")
}

cocci_run() {
	[ ${#COCCI_ROWS[@]} -gt 0 ] || return 0
	local out=$LOGS/cocci.d cocci req ver scripts=() t0=$SECONDS row log n
	ver=$(spatch --version | head -n 1 | awk '{print $3}')
	for cocci in $(find "$SRC/scripts/coccinelle" -name '*.cocci' | sort); do
		# COCCI_SCRIPTS: only these (the workbench's own tests, which
		# plant a finding of one script: each spatch start costs)
		if [ -n "${COCCI_SCRIPTS:-}" ] && [[ " $COCCI_SCRIPTS " != *" $(basename "$cocci") "* ]]; then
			continue
		fi
		grep -q 'virtual[[:space:]]\+report' "$cocci" || continue
		req=$(grep 'Requires:' "$cocci" | cut -d: -f2 | tr -d ' ' || true)
		if [ -n "$req" ] && ! printf '%s\n%s\n' "$req" "$ver" | sort -CV; then
			continue
		fi
		scripts+=("$cocci")
	done
	# one spatch per script, $JOBS at a time
	rm -rf "$out"
	mkdir -p "$out"
	printf '%s\n' "${scripts[@]}" | SRC=$SRC OUTD=$out \
		xargs -d '\n' -P "$JOBS" -I{} bash -c '
		cocci=$1
		shift
		opt=$(grep "Options:" "$cocci" | cut -d: -f2 || true)
		cd "$SRC" && spatch -D report --no-show-diff --very-quiet --cocci-file "$cocci" \
			$opt -I include -I arch/x86/include "$@" >"$OUTD/$(basename "$cocci").out" 2>/dev/null
		exit 0' _ {} "${COCCI_FILES[@]}"
	for cocci in "${scripts[@]}"; do
		cat "$out/$(basename "$cocci").out" 2>/dev/null || true
	done | grep . >"$out/all" || true
	[ ${#scripts[@]} -gt 0 ] || die "coccinelle: no report-mode script in $SRC/scripts/coccinelle${COCCI_SCRIPTS:+ among COCCI_SCRIPTS ($COCCI_SCRIPTS)}"
	info "coccinelle: ${#scripts[@]} scripts over ${#COCCI_ROWS[@]} head(s), ${#COCCI_FILES[@]} file(s), in $((SECONDS - t0)) s"
	for row in "${COCCI_ROWS[@]}"; do
		log=$LOGS/$row-cocci.log
		{
			grep -F "$COCCI_HEADS/$row/" "$out/all" | sed "s#$COCCI_HEADS/$row/##g" || true
			grep -vF "$COCCI_HEADS/" "$out/all" || true
		} >"$log"
		n=$(grep -c . "$log" || true)
		if [ "$n" -gt 0 ]; then
			set_cell "$row" cocci "FAIL($n)"
		else
			set_cell "$row" cocci pass
		fi
	done
}

check_kdoc() {
	local row=$1
	shift
	local log=$LOGS/$row-kdoc.log n
	(cd "$SRC" && /usr/bin/python3 scripts/kernel-doc -none -Wall "$@") >"$log" 2>&1 || true
	n=$(grep -ciE 'warning|error' "$log" || true)
	if [ "$n" -gt 0 ]; then
		set_cell "$row" kdoc "FAIL($n)"
	else
		set_cell "$row" kdoc pass
	fi
}

# Each lane builds at the path of the per-patch x86_64 folder, which is
# parked beside it meanwhile: objtool's build records absolute paths, so a
# copy at another path relinks objtool, and every object depends on
# objtool: the lane then rebuilt the whole kernel instead of what its
# configuration changes. Moving a folder is a rename.
LANE_MAIN=$BUILD/check-x86_64
LANE_PARK=$BUILD/check-x86_64.parked

# lane_enter LANE: park the per-patch folder, put the lane's in its place
# (a new lane starts as a copy of it).
lane_enter() {
	local dir=$BUILD/check-x86_64-$1
	mv "$LANE_MAIN" "$LANE_PARK"
	if [ -f "$dir/.config" ]; then
		mv "$dir" "$LANE_MAIN"
	else
		rm -rf "$dir"
		rsync -a --exclude=/.forseti-cache "$LANE_PARK/" "$LANE_MAIN/"
	fi
	printf '%s\n' "$1" >"$LANE_MAIN/.forseti-lane"
}

# lane_leave: the lane's folder back to its own path, the per-patch one
# back to its place. Also run at start, after a run that died in a lane.
lane_leave() {
	[ -d "$LANE_PARK" ] || return 0
	local lane
	lane=$(cat "$LANE_MAIN/.forseti-lane" 2>/dev/null || true)
	if [ -n "$lane" ]; then
		rm -rf "$BUILD/check-x86_64-$lane"
		mv "$LANE_MAIN" "$BUILD/check-x86_64-$lane"
	else
		rm -rf "$LANE_MAIN"
	fi
	mv "$LANE_PARK" "$LANE_MAIN"
}

# lane_refused DIR: did Kconfig leave every series symbol that the tree
# defines unset in DIR's configuration (the lane refuses the driver)?
lane_refused() {
	local sym any=0
	while read -r sym; do
		sym=${sym%%=*}
		sym=${sym#CONFIG_}
		sym_exists "$sym" || continue
		any=1
		grep -q "^CONFIG_$sym=" "$1/.config" && return 1
	done < <(grep '^CONFIG_' "$CI_DIR/kconfig/driver.config")
	[ $any -eq 1 ]
}

# build_lane ROW LANE [MEMBER...]: configure the lane (or the lane made of
# the MEMBERs) in its folder and build it; LANE_RESULT says ok, refused or
# FAIL.
build_lane() {
	local row=$1 lane=$2 log=$LOGS/$1-matrix-$2.log t0=$SECONDS
	lane_enter "$lane"
	# (a failure here dies with the lane in place: the next run's start
	# puts the folders back)
	configure x86_64 "${@:2}"
	if lane_refused "$LANE_MAIN"; then
		LANE_RESULT=refused
	# W=1 as in the prepared build, so ccache finds what the lanes share
	# with it (kernel-doc is not this check's business)
	elif make -C "$SRC" O="$LANE_MAIN" -j"$JOBS" ARCH=x86_64 CC="ccache gcc" W=1 "$KPY" \
		"${NO_KDOC[@]}" vmlinux modules >"$log" 2>&1; then
		LANE_RESULT=ok
	else
		LANE_RESULT=FAIL
	fi
	lane_leave
	info "$row: matrix lane $lane${3:+ (${*:3})}: $LANE_RESULT in $((SECONDS - t0)) s"
}

# driver_syms DIR: the series' symbols (ci/kconfig/driver.config) that DIR's
# configuration sets, one a line.
driver_syms() {
	local sym
	while read -r sym; do
		sym=${sym%%=*}
		grep -q "^$sym=" "$1/.config" && printf '%s\n' "$sym"
	done < <(grep '^CONFIG_' "$CI_DIR/kconfig/driver.config")
	return 0
}

# lane_only_off SETTINGS: does a matrix line only turn symbols off?
lane_only_off() {
	local tok any=0
	for tok in $1; do
		[[ $tok =~ ^CONFIG_[A-Z0-9_]+=n$ ]] || return 1
		any=1
	done
	[ $any -eq 1 ]
}

# check_matrix ROW: every lane of ci/kconfig/matrix.config either builds or
# is refused by Kconfig. With MATRIX_JOIN=1 (make test), the lanes that
# only turn symbols off are built as one kernel with all of them off: each
# costs a rebuild of most of the small kernel (PM and DEBUG_FS reach most
# of its objects), and a driver that uses an API without depending on it
# fails there as it fails in its own lane. Kconfig is asked lane by lane
# (nothing built) which lanes refuse the driver, and which of the series'
# symbols each one keeps: the lanes are joined only if the joined
# configuration keeps every symbol that any of them keeps (a test module
# that one lane's symbol turns off would otherwise go unbuilt in the
# others), else each is built on its own. A joined kernel that fails is
# reported as such, its log naming what broke: make check builds every
# lane on its own, which names the lane (on a fresh machine, that is a
# small kernel each, too long for make test's budget).
check_matrix() {
	local row=$1 lane result="" line join=() kdir=$BUILD/check-x86_64-kconfig keep="" j
	while IFS= read -r line; do
		lane=${line%%:*}
		if [ "$lane" = module ]; then
			# the per-patch x86_64 build is this lane
			result+=" $lane:ok"
		elif [ "${MATRIX_JOIN:-0}" = 1 ] && lane_only_off "${line#*:}"; then
			allnoconfig x86_64 "$kdir" "$(fragment x86_64 "$lane")" \
				"$LOGS/config-x86_64-$lane.log" ||
				die "x86_64 lane $lane: allnoconfig failed: see $LOGS/config-x86_64-$lane.log"
			if lane_refused "$kdir"; then
				result+=" $lane:refused"
			else
				join+=("$lane")
				keep+=$(driver_syms "$kdir")$'\n'
			fi
		else
			build_lane "$row" "$lane"
			result+=" $lane:$LANE_RESULT"
		fi
	done < <(grep -E '^[a-z0-9-]+:' "$CI_DIR/kconfig/matrix.config")
	if [ ${#join[@]} -gt 1 ]; then
		j=joined-$(IFS=+; printf '%s' "${join[*]}")
		allnoconfig x86_64 "$kdir" "$(fragment x86_64 "$j" "${join[@]}")" \
			"$LOGS/config-x86_64-$j.log" ||
			die "x86_64 lanes ${join[*]}: allnoconfig failed: see $LOGS/config-x86_64-$j.log"
		if [ -n "$(comm -23 <(printf '%s' "$keep" | grep . | sort -u) <(driver_syms "$kdir" | sort -u))" ]; then
			info "$row: joined, the lanes ${join[*]} would leave out symbols that one of them keeps: each on its own"
		else
			build_lane "$row" "$j" "${join[@]}"
			result+=" ($(IFS=,; printf '%s' "${join[*]}")):$LANE_RESULT(joined)"
			printf 'the lanes %s, joined into one kernel: %s (log: %s)\n' "${join[*]}" \
				"$LANE_RESULT" "$LOGS/$row-matrix-$j.log" >>"$LOGS/$row-matrix.notes"
			join=()
		fi
	fi
	for lane in "${join[@]}"; do
		build_lane "$row" "$lane"
		result+=" $lane:$LANE_RESULT"
	done
	printf '%s\n' "$result" >"$LOGS/$row-matrix.log"
	[ ! -f "$LOGS/$row-matrix.notes" ] || cat "$LOGS/$row-matrix.notes" >>"$LOGS/$row-matrix.log"
	if [[ $result == *:FAIL* ]]; then
		set_cell "$row" matrix "FAIL($(printf '%s' "$result" | tr ' ' '\n' | grep -c ':FAIL'))"
	else
		set_cell "$row" matrix pass
	fi
}

# HEAD_CHECKS picks the head checks to run (all by default); the workbench's
# own tests use it to keep each test to what it is about.
HEAD_CHECKS=${HEAD_CHECKS:-cocci kdoc matrix}
head_check() {
	[[ " $HEAD_CHECKS " == *" $1 "* ]]
}

check_head() {
	local t=$1 row=$2 files cfiles
	mapfile -t files < <(git -C "$SRC" diff --name-only --diff-filter=AMR \
		"$(parent_of_topic "$t")" HEAD -- '*.c' '*.h')
	cfiles=()
	for f in "${files[@]}"; do
		[[ $f == *.c ]] && cfiles+=("$f")
	done
	if ! head_check cocci; then
		set_cell "$row" cocci "(skipped)"
	elif [ ${#cfiles[@]} -gt 0 ]; then
		cocci_snapshot "$row" "${cfiles[@]}"
	else
		set_cell "$row" cocci "-"
	fi
	if ! head_check kdoc; then
		set_cell "$row" kdoc "(skipped)"
	elif [ ${#files[@]} -gt 0 ]; then
		check_kdoc "$row" "${files[@]}"
	else
		set_cell "$row" kdoc "-"
	fi
	if ! head_check matrix; then
		set_cell "$row" matrix "(skipped)"
	elif [ "${MATRIX_AT:-every-head}" = series-head ] && [ "$t" != "$LAST_TOPIC" ]; then
		# make test: the lanes are small kernels each, so they run at
		# the series' head only; make check TOPIC=... runs them here
		set_cell "$row" matrix "(at $(topic_branch "$LAST_TOPIC"))"
	else
		check_matrix "$row"
	fi
}

# --- main -------------------------------------------------------------------
[ -z "${lane_leave_early:-}" ] || lane_leave
total=0
for t in $want_topics; do
	parent=$(parent_of_topic "$t")
	n=$(kgit rev-list --count "$parent..refs/heads/$(topic_branch "$t")")
	total=$((total + n))
done
# The newest topic with patches of its own: the series' head.
LAST_TOPIC=
for t in $(topics); do
	[ -n "$(kgit rev-list -n 1 "$(parent_of_topic "$t")..refs/heads/$(topic_branch "$t")" 2>/dev/null)" ] &&
		LAST_TOPIC=$t
done
case ${MATRIX_AT:-every-head} in
every-head | series-head) ;;
*) die "MATRIX_AT=$MATRIX_AT: say every-head or series-head" ;;
esac
if [ $PREPARE_ONLY -eq 1 ]; then
	for arch in $ARCHES; do
		prepare "$arch"
	done
	exit 0
fi
if [ "$total" -eq 0 ]; then
	info "no patches in ${1:-the series}: nothing to check"
	printf 'no patches to check\n' >"$REPORT"
	exit 0
fi
for arch in $ARCHES; do
	prepare "$arch"
done
start=$(date +%s)
for t in $want_topics; do
	parent=$(parent_of_topic "$t")
	SERIES_FILES=()
	i=0
	commits=$(kgit rev-list --reverse "$parent..refs/heads/$(topic_branch "$t")")
	[ -n "$commits" ] || continue
	ncommits=$(wc -w <<<"$commits")
	for c in $commits; do
		i=$((i + 1))
		row=$(printf '%s-%02d' "${t#*-}" "$i")
		ROWS+=("$row")
		SUBJ["$row"]=$(kgit log -1 --format=%s "$c")
		t0=$(date +%s)
		check_patch "$t" "$c" "$row" "$((i == ncommits))"
		info "$row: $(for col in $COLS; do printf '%s=%s ' "$col" "${CELL["$row|$col"]:-}"; done)($(($(date +%s) - t0)) s)"
	done
	hrow="${t#*-}-head"
	ROWS+=("$hrow")
	SUBJ["$hrow"]="(topic head)"
	check_head "$t" "$hrow"
done
cocci_run
elapsed=$(($(date +%s) - start))

{
	printf '%-18s' patch
	for col in $COLS $HEAD_COLS; do printf ' %-16s' "$col"; done
	printf ' %s\n' subject
	for row in "${ROWS[@]}"; do
		printf '%-18s' "$row"
		for col in $COLS $HEAD_COLS; do printf ' %-16s' "${CELL["$row|$col"]:-}"; done
		printf ' %s\n' "${SUBJ["$row"]}"
	done
	printf '%d patch(es) checked in %d s; logs in %s\n' "$total" "$elapsed" "$LOGS"
} | tee "$REPORT"
if [ $failed -ne 0 ]; then
	die "some checks failed (see the table above and $LOGS)"
fi
