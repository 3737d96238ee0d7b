#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# sim-test.sh: build a UML kernel with the simulated Mali CSF GPU (sim/),
# boot it with the host's files as root and the simulated board's DT, load
# the driver and run the userspace uAPI tests (tests/).
#
# Usage: scripts/sim-test.sh [panthor|forseti]
#
#   panthor  the base tree's unmodified panthor driver (default)
#   forseti  the head of the series; tests of topics that have not landed
#            (a topic has landed when it and every topic before it has
#            patches and is complete: ROADMAP does not say "planned" or
#            "in progress") are reported as skipped, naming the topic;
#            but the tests of a "<topic> (in progress):" line of
#            tests/topics run as soon as that topic, the first not yet
#            landed, has patches of its own (the topic then counts as
#            landed for the guest's topic_landed())
#
# Prints one line per test (PASS name / FAIL name / SKIP name (topic X)) and
# ends with "N passed, N failed, N skipped, N partial" (and ", N xfail"
# when a known defect was run: below). A test that could
# check only part of what it covers (exit 77) passes as "PASS name
# (partial: why)", and is counted both as passed and as partial (make
# test's count() reads the first three numbers). The guest gets the landed
# topics (SIMLANDED, comma-separated), so that a test can require what a
# landed topic brings and accept only "not implemented yet" before it, and
# every topic's name (SIMTOPICS), so that a test naming no topic fails. Exit
# status 0 only when nothing failed. The pseudo-test "driver-load" says
# whether the driver loaded and made its render node; when it did not,
# that is the failure shown and no test runs. A kernel report (lockdep,
# KASAN, kmemleak, WARNING, BUG, Oops, or the simulator's "protocol
# violation") in the guest's log fails the run (the pseudo-test
# "kernel-log"), and so does a run in which no test ran.
#
# Known defects (tests/known-defects, lines "panthor: <test>: <reason>"):
# tests that the base tree's panthor fails through a bug of its own (the
# test is right; the project does not fix panthor). The panthor lane does
# not run them, and reports each as "SKIP <test> (known panthor defect:
# <reason>)", counted as skipped. Named in SIM_TESTS, such a test runs, so
# that anyone can see it fail: its failure is reported as "XFAIL <test>
# (known panthor defect; <its failure>)" and counted as xfail, not as
# failed; a pass is reported as "FAIL <test> (XPASS: remove it from
# tests/known-defects)" and counted as failed. The kernel-log line is
# not excused: a kernel report fails it as in any run (panthor's defects
# do leave some), and its line then names the known defects that ran, so
# an explicit run of one exits non-zero when it leaves a report.
# SIM_NO_KNOWN_DEFECTS (set) runs and reports them as any other test (a
# throwaway fix of panthor; tests/mutants/prove.sh). The forseti lane
# ignores the file; a line naming no test of tests/topics, or not of that
# form, stops the run (in either lane), naming the file's line.
#
# The forseti lane also loads the series' KUnit test modules that its
# commit has (drm_jobqueue's, forseti's) after the uAPI tests, one line
# "PASS|FAIL kunit-<module>" each, so that the guest's final kmemleak scan
# covers them: kunit.py's own UML kernel has no userspace to ask for one.
#
# Environment: SIM_BUILD_ONLY (set: build the lane's kernel and modules, run
# nothing; make test does this beside the checks, so that the lane's run
# later finds its kernel built), SIM_TIMEOUT (seconds for the whole guest
# run, default 1200), SIM_TEST_TIMEOUT (seconds for each test in the guest,
# default 300),
# SIM_TESTS (space-separated subset of tests to run), SIM_MEM (guest memory,
# default 768M; under 514M the GPU window, at 512M in the board's RAM, has
# no RAM behind its USER page and user_mmio cannot read it), SIM_JOBS
# (make -j, default 2), SIM_FW_IFACE (firmware interface version the
# simulated firmware presents, default 1.1.0; 4.1.0 takes panthor through
# its GLB_STATE paths), SIM_GUEST_ENV (NAME=value
# words given to the guest's tests as environment variables, for their
# long modes; see each test's header).
#
# The guest also gets the landed topics that ROADMAP still calls planned
# or in progress (SIMINPROGRESS, comma-separated; empty for panthor):
# common.c's topic_complete() is false for them, so that a test may accept
# "not implemented yet" for what such a topic has not brought so far.
#
# Work in progress (a topic branch not yet in series/, in a helper's own
# folders, so that several runs do not share a build):
#   SIM_REV      the commit to test as forseti, instead of the newest topic
#   SIM_LANDED   with SIM_REV: the topics it counts as landed ("1-probe 2-firmware")
#   SIM_DIR      one folder for the worktree, build, modules and run files
#                (default: build/sim-src, build/um, build/um-*, build/sim-run-*)

. "$(dirname "$0")/lib.sh"

usage() {
	echo "usage: $PROG [panthor|forseti]" >&2
	exit 2
}

DRIVER=${1:-panthor}
case "$DRIVER" in
panthor | forseti) ;;
-h | --help) usage ;;
*) usage ;;
esac

SIM=$TOP/sim
TESTS=$TOP/tests
# The limits fit a loaded 2-core machine (at nice 10, load 6-12, beside
# other engineers' builds): there the forseti guest took 1025 s and
# vm_bind_cycles 331 s (with 10,000 binds, 4,000 since), against 186 s for
# the whole panthor guest on a quiet one. A hung test costs SIM_TEST_TIMEOUT.
SIM_TIMEOUT=${SIM_TIMEOUT:-1200}
SIM_TEST_TIMEOUT=${SIM_TEST_TIMEOUT:-300}
SIM_MEM=${SIM_MEM:-768M}

need_ktree
need_tool gcc gcc
need_tool ccache ccache
need_tool python3 python3
need_tool pkg-config pkg-config
pkg-config --exists libdrm || die "libdrm development files missing: apt-get install libdrm-dev"

# --- which kernel ------------------------------------------------------------

# TOPIC_OF test: the topic whose head must pass it (from tests/topics).
# EARLY test: set for the tests of a "<topic> (in progress):" line, which
# the topic's head must pass as soon as it has patches of its own.
declare -A TOPIC_OF EARLY
ALL_TESTS=()
while read -r topic names; do
	case "$topic" in '' | '#'*) continue ;; esac
	early=
	case "$names" in
	"(in progress):"*) early=1 names=${names#"(in progress):"} ;;
	esac
	[ -n "$early" ] || [ "${topic%:}" != "$topic" ] ||
		die "$TESTS/topics: \"$topic $names\": a line is \"<topic>: tests\" or \"<topic> (in progress): tests\""
	for t in $names; do
		TOPIC_OF[$t]=${topic%:}
		EARLY[$t]=$early
		ALL_TESTS+=("$t")
	done
done <"$TESTS/topics"
# A name in SIM_TESTS that no line lists is a typo or a test not listed
# yet: running the others and saying nothing would hide it.
for t in ${SIM_TESTS:-}; do
	[ -n "${TOPIC_OF[$t]:-}" ] || die "SIM_TESTS: no test '$t' in $TESTS/topics"
done

# KNOWN test: the reason of a known panthor defect (tests/known-defects),
# for the panthor lane only (see the header).
declare -A KNOWN
KNOWN_FILE=$TESTS/known-defects
if [ -f "$KNOWN_FILE" ]; then
	n=0
	while IFS= read -r l || [ -n "$l" ]; do
		n=$((n + 1))
		case "$l" in '' | '#'*) continue ;; esac
		[[ $l =~ ^panthor:\ ([A-Za-z0-9_]+):\ (.*[^[:space:]].*)$ ]] ||
			die "$KNOWN_FILE:$n: \"$l\": a line is \"panthor: <test>: <reason>\""
		t=${BASH_REMATCH[1]}
		[ -n "${TOPIC_OF[$t]:-}" ] || die "$KNOWN_FILE:$n: no test '$t' in $TESTS/topics"
		[ -z "${KNOWN[$t]:-}" ] || die "$KNOWN_FILE:$n: '$t' is listed twice"
		KNOWN[$t]=${BASH_REMATCH[2]}
	done <"$KNOWN_FILE"
fi
if [ "$DRIVER" != panthor ] || [ -n "${SIM_NO_KNOWN_DEFECTS:-}" ]; then
	KNOWN=()
fi

# The topics that count as landed (all of them for panthor), and the
# topic in progress whose patches so far are in the kernel, if any.
LANDED=()
PARTIAL=
if [ -n "${SIM_REV:-}" ]; then
	[ "$DRIVER" = forseti ] || die "SIM_REV is for the forseti lane"
	[ -n "${SIM_LANDED:-}" ] || die "SIM_REV needs SIM_LANDED (the topics it counts as landed)"
	REV=$SIM_REV
	kgit rev-parse -q --verify "$REV^{commit}" >/dev/null || die "SIM_REV: no such commit: $REV"
	for t in $SIM_LANDED; do
		t=$(topic_dir "$t") || die "SIM_LANDED: unknown topic"
		LANDED+=("$t")
	done
elif [ "$DRIVER" = panthor ]; then
	REV=refs/tags/$BASE_TAG
	for t in $(topics); do LANDED+=("$t"); done
else
	# A topic has landed when its branch carries commits of its own on top
	# of the topic before it (or the base); topics stack, so stop at the
	# first one that has not.
	REV=
	for t in $(topics); do
		br=refs/heads/$(topic_branch "$t")
		kgit rev-parse -q --verify "$br" >/dev/null || break
		[ "$(kgit rev-list --count "$(parent_of_topic "$t")..$br")" -gt 0 ] || break
		# A topic with part of its patches is in the kernel, but only
		# its "(in progress)" tests run: the rest wait for the others.
		case $(roadmap_state "$t") in
		planned | "in progress" | "")
			PARTIAL=$t
			REV=$br
			break
			;;
		esac
		LANDED+=("$t")
		REV=$br
	done
	# The kernel is the head of the series, which holds the landed topics'
	# driver as it is at their head plus what the later topics have so
	# far (the DRM core patches of topic 5, with their KUnit suite for the
	# guest to run under kmemleak); the tests are the landed topics'.
	[ -z "$REV" ] || REV=$(head_of_series)
fi

is_landed() {
	local t
	for t in "${LANDED[@]}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}

# A topic in progress that has "(in progress)" tests counts as landed for
# the guest's tests (topic_landed()): what those tests need is in. Of its
# tests, only those run.
for t in "${ALL_TESTS[@]}"; do
	if [ -n "$PARTIAL" ] && [ "${TOPIC_OF[$t]}" = "$PARTIAL" ] && [ -n "${EARLY[$t]}" ]; then
		LANDED+=("$PARTIAL")
		break
	fi
done
runs_here() {
	is_landed "${TOPIC_OF[$1]}" || return 1
	[ "${TOPIC_OF[$1]}" != "$PARTIAL" ] || [ -n "${EARLY[$1]}" ]
}

summary() {
	printf '%d passed, %d failed, %d skipped, %d partial' "$1" "$2" "$3" "${4:-0}"
	[ "${5:-0}" = 0 ] || printf ', %d xfail' "$5"
	printf '\n'
}

if [ -z "$REV" ]; then
	for t in "${ALL_TESTS[@]}"; do
		echo "SKIP $t (topic ${TOPIC_OF[$t]}): skipped: no forseti topic has landed"
	done
	summary 0 0 "${#ALL_TESTS[@]}"
	exit 0
fi

# --- scratch worktree with the simulator hooked in --------------------------

# One worktree and one build folder for both drivers: moving between the
# base and the newest topic and switching the driver's symbol rebuilds only
# what differs, so the second lane costs little.
if [ -n "${SIM_DIR:-}" ]; then
	SRC=$SIM_DIR/src
	OUT=$SIM_DIR/um
	MODS=$SIM_DIR/um-$DRIVER-modules
	RUN=$SIM_DIR/run-$DRIVER
	UAPI_DIR=$SIM_DIR
else
	SRC=$BUILD/sim-src
	OUT=$BUILD/um
	MODS=$BUILD/um-$DRIVER-modules
	RUN=$BUILD/sim-run-$DRIVER
	UAPI_DIR=$BUILD
fi
mkdir -p "$BUILD"

if [ ! -d "$SRC/.git" ] && [ ! -f "$SRC/.git" ]; then
	info "creating scratch worktree $SRC at $REV"
	kgit worktree prune
	kgit worktree add -q --detach "$SRC" "$REV" >/dev/null
fi
want=$(kgit rev-parse "$REV^{commit}")
if [ "$(git -C "$SRC" rev-parse HEAD)" != "$want" ]; then
	info "moving $SRC to $REV"
	git -C "$SRC" checkout -q -f --detach "$want"
fi
# The hook: two lines in drivers/misc, added once (scratch changes only).
hook() {
	local file=$1 line=$2
	grep -qxF -- "$line" "$SRC/$file" || {
		git -C "$SRC" checkout -q -- "$file"
		if [ "$file" = drivers/misc/Kconfig ]; then
			sed -i "\$i $line" "$SRC/$file"
		else
			echo "$line" >>"$SRC/$file"
		fi
	}
}
hook drivers/misc/Kconfig 'source "drivers/misc/mali_sim/Kconfig"'
hook drivers/misc/Makefile 'obj-$(CONFIG_MALI_SIM) += mali_sim/'
# Copy by content, not by time: a copied file gets a fresh mtime, so make
# rebuilds exactly the simulator files that changed.
SIMDST=$SRC/drivers/misc/mali_sim
mkdir -p "$SIMDST"
for f in "$SIMDST"/*; do
	[ -e "$f" ] || continue
	[ -e "$SIM/$(basename "$f")" ] || rm -f "$f"
done
for f in "$SIM"/*.c "$SIM"/*.h "$SIM"/Kconfig "$SIM"/Makefile; do
	[ -e "$f" ] || continue
	cmp -s "$f" "$SIMDST/$(basename "$f")" || cp "$f" "$SIMDST/"
done

# --- kernel config and build -------------------------------------------------

MAKE=(nice -n 5 make -C "$SRC" ARCH=um O="$OUT" CC="ccache gcc" "$KPY" -j"${SIM_JOBS:-2}" -s)
mkdir -p "$OUT"
# The lane's own driver on top of the shared fragment.
# The forseti lane builds the KUnit suites its commit has as modules, for
# the guest to run before its kmemleak scan. Ask only for the symbols that
# exist at this commit: a requested symbol that olddefconfig drops fails the
# run below (the base tree, the panthor lane's, has none of them).
KUNIT_MODS=()
# kunit_mod SYMBOL KCONFIG MODULE: build MODULE when KCONFIG defines SYMBOL.
kunit_mod() {
	grep -qx "config $1" "$SRC/$2" 2>/dev/null || return 0
	printf 'CONFIG_%s=m\n' "$1" >>"$OUT/driver.config.new"
	KUNIT_MODS+=("$3")
}
if [ "$DRIVER" = forseti ]; then
	printf 'CONFIG_DRM_FORSETI=m\n' >"$OUT/driver.config.new"
	kunit_mod DRM_JOBQUEUE_KUNIT_TEST drivers/gpu/drm/Kconfig.debug drm_jobqueue_test
	kunit_mod DRM_FORSETI_KUNIT_TEST drivers/gpu/drm/forseti/Kconfig forseti_kunit
else
	printf 'CONFIG_DRM_PANTHOR=m\n' >"$OUT/driver.config.new"
fi
if ! cmp -s "$OUT/driver.config.new" "$OUT/driver.config"; then
	mv "$OUT/driver.config.new" "$OUT/driver.config"
else
	rm -f "$OUT/driver.config.new"
fi
if [ ! -f "$OUT/.config" ] || [ "$TOP/ci/um.config" -nt "$OUT/.config.fragment-stamp" ] ||
	[ "$OUT/driver.config" -nt "$OUT/.config.fragment-stamp" ]; then
	info "configuring UML kernel in $OUT"
	"${MAKE[@]}" defconfig >/dev/null
	(cd "$OUT" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" \
		"$OUT/.config" "$TOP/ci/um.config" "$OUT/driver.config" \
		>"$OUT/merge_config.log" 2>&1) ||
		die "merge_config failed: see $OUT/merge_config.log"
	"${MAKE[@]}" olddefconfig >/dev/null
	touch "$OUT/.config.fragment-stamp"
fi
# Every symbol the fragments ask for must have survived olddefconfig.
dropped=0
while IFS= read -r l; do
	case "$l" in
	CONFIG_*=n) sym=${l%%=*}
		if grep -q "^$sym=" "$OUT/.config"; then
			info "config: $l requested, but .config has $(grep "^$sym=" "$OUT/.config")"
			dropped=1
		fi ;;
	CONFIG_*=*)
		if ! grep -qxF -- "$l" "$OUT/.config"; then
			info "config: $l requested, but .config has: $(grep "^${l%%=*}=" "$OUT/.config" || echo "${l%%=*} not set")"
			dropped=1
		fi ;;
	esac
done < <(cat "$TOP/ci/um.config" "$OUT/driver.config")
[ "$dropped" = 0 ] || die "ci/um.config: symbols were dropped by olddefconfig (see above)"

info "building UML kernel and modules in $OUT"
"${MAKE[@]}" linux modules scripts_dtc >"$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log" >&2
	die "kernel build failed: see $OUT/build.log"
}
rm -rf "$MODS"
"${MAKE[@]}" modules_install INSTALL_MOD_PATH="$MODS" >>"$OUT/build.log" 2>&1 ||
	die "modules_install failed: see $OUT/build.log"
KVER=$(cat "$OUT/include/config/kernel.release")
for m in "${KUNIT_MODS[@]}"; do
	[ -n "$(find "$MODS/lib/modules/$KVER" -name "$m.ko" -print -quit)" ] ||
		die "KUnit module $m.ko was not built (see $OUT/build.log)"
done
if [ -n "${SIM_BUILD_ONLY:-}" ]; then
	# make test builds the first lane's kernel beside the checks
	info "kernel and modules built in $OUT (SIM_BUILD_ONLY: no guest run)"
	exit 0
fi

# --- uAPI headers, tests, firmware, DT -----------------------------------------

UAPI=$UAPI_DIR/uapi-$DRIVER
if [ ! -f "$UAPI/include/drm/panthor_drm.h" ] ||
	[ "$SRC/include/uapi/drm/panthor_drm.h" -nt "$UAPI/include/drm/panthor_drm.h" ]; then
	info "exporting uAPI headers to $UAPI"
	make -C "$SRC" -s O="$UAPI_DIR/uapi-build-$DRIVER" ARCH=x86 headers_install \
		INSTALL_HDR_PATH="$UAPI" >/dev/null || die "headers_install failed"
fi

rm -rf "$RUN"
mkdir -p "$RUN/bin" "$RUN/fw/arm/mali/arch10.8"
for c in "$TESTS"/t_*.c; do
	[ -e "$c" ] || continue
	n=$(basename "$c" .c)
	gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -Werror -std=gnu11 \
		-I"$UAPI/include" $(pkg-config --cflags libdrm) -I"$TESTS" \
		-o "$RUN/bin/${n#t_}" "$c" "$TESTS/common.c" $(pkg-config --libs libdrm) ||
		die "building test $n failed"
done
python3 "$SIM/mkfw.py" --iface "${SIM_FW_IFACE:-1.1.0}" \
	"$RUN/fw/arm/mali/arch10.8/mali_csffw.bin" || die "firmware generator failed"
"$OUT/scripts/dtc/dtc" -q -I dts -O dtb -o "$RUN/board.dtb" "$SIM/mali-sim.dts" ||
	die "DT compile failed"

# --- boot ----------------------------------------------------------------------

# No "printf | grep -q" here: grep may exit before printf has written
# every line, and under pipefail printf's SIGPIPE makes the test look
# unselected (a test that ran would be left out of the results).
declare -A WANTED IS_SELECTED
for t in ${SIM_TESTS:-}; do WANTED[$t]=1; done
SELECTED=()
for t in "${ALL_TESTS[@]}"; do
	runs_here "$t" || continue
	[ -z "${SIM_TESTS:-}" ] || [ -n "${WANTED[$t]:-}" ] || continue
	# a known defect runs only when SIM_TESTS names it
	[ -z "${KNOWN[$t]:-}" ] || [ -n "${WANTED[$t]:-}" ] || continue
	SELECTED+=("$t")
	IS_SELECTED[$t]=1
done
[ ${#SELECTED[@]} -gt 0 ] || die "no test to run: SIM_TESTS='${SIM_TESTS:-}' names none of tests/topics' landed tests"
printf '%s\n' "${SELECTED[@]}" >"$RUN/tests.list"

# slab_nomerge: a driver's slab cache keeps its own counts (vm_bind_cycles
# counts panthor's page tables in panthor-mmu-pt), not those of the cache
# SLUB would merge it with.
KARGS=()
# The landed topics that are not complete yet (forseti only: panthor is).
INPROGRESS=()
if [ "$DRIVER" = forseti ]; then
	for t in "${LANDED[@]}"; do
		case $(roadmap_state "$t") in
		planned | "in progress" | "") INPROGRESS+=("$t") ;;
		esac
	done
fi
KARGS+=("SIMINPROGRESS=$(IFS=,; echo "${INPROGRESS[*]}")")
if [ ${#KUNIT_MODS[@]} -gt 0 ]; then
	# The guest keeps each module's KTAP from the kernel's ring buffer
	# (dmesg): 16 KiB in this configuration held only the last suites of
	# forseti's module, and a failure in the first ones was lost.
	KARGS+=(kunit.enable=1 log_buf_len=4M "SIMKUNIT=$(IFS=,; echo "${KUNIT_MODS[*]}")")
fi

# SIM_GUEST_ENV: NAME=value words for the guest's kernel command line, which
# its init and the tests get as environment variables (a test's long mode:
# SIM_GUEST_ENV="JOB_THROUGHPUT_JOBS=10000"). The kernel takes a dotted or
# known name as its own parameter, and gives init at most 32 variables, of
# which the harness uses about ten; SIM* names are the harness's own.
GUEST_ENV=()
read -r -a words <<<"${SIM_GUEST_ENV:-}"
[ ${#words[@]} -le 8 ] || die "SIM_GUEST_ENV: ${#words[@]} words: at most 8 (the kernel gives init at most 32 variables)"
for w in "${words[@]}"; do
	[[ $w =~ ^[A-Z][A-Z0-9_]*=[^[:space:]]*$ ]] ||
		die "SIM_GUEST_ENV: '$w' is not NAME=value with NAME in capitals, digits and _"
	[[ $w != SIM* ]] || die "SIM_GUEST_ENV: '$w': SIM* names are the harness's own"
	GUEST_ENV+=("$w")
done

info "booting UML guest (timeout ${SIM_TIMEOUT}s)"
start=$(date +%s)
rc=0
# The guest runs in a session of its own, so that it can be stopped with
# every process it made. Once it printed "SIMTEST: DONE" its results are
# all in the log and it only has to power off; under load, UML has been
# seen to panic in that power-off instead (init killed by a SIGSEGV after
# "reboot: Power down") and spin in printk until the timeout: such a guest
# is stopped after POWEROFF_GRACE seconds, with a note.
POWEROFF_GRACE=60
# setsid forks, and $! is not the guest, when the caller leads its process
# group: under job control.
[[ $- != *m* ]] || die "run without job control (set +m): the guest's session needs it"
setsid bash -c 'ulimit -c 0; exec "$@"' guest timeout -k 10 "$SIM_TIMEOUT" "$OUT/linux" mem="$SIM_MEM" \
	root=/dev/root rootfstype=hostfs rootflags=/ rw \
	dtb="$RUN/board.dtb" firmware_class.path="$RUN/fw" \
	init="$TESTS/guest-init.sh" con=null con0=fd:0,fd:1 \
	kmemleak=on slab_nomerge "${KARGS[@]}" \
	SIMRUN="$RUN" SIMMODS="$MODS" SIMKVER="$KVER" SIMDRIVER="$DRIVER" \
	SIMLANDED="$(IFS=,; echo "${LANDED[*]}")" SIMTOPICS="$(topics | paste -s -d ,)" \
	SIMTESTTIMEOUT="$SIM_TEST_TIMEOUT" "${GUEST_ENV[@]}" \
	</dev/null >"$RUN/console.log" 2>&1 &
guest=$!
# Stopped or interrupted, this script takes the guest with it.
trap 'kill -KILL -- -"$guest" 2>/dev/null; pkill -KILL -f "^$OUT/linux " 2>/dev/null' EXIT
trap 'exit 130' INT TERM
done_at=
stopped_after_done=
while kill -0 "$guest" 2>/dev/null; do
	if [ -z "$done_at" ] && grep -aqs '^SIMTEST: DONE' "$RUN/console.log"; then
		done_at=$(date +%s)
	elif [ -n "$done_at" ] && [ $(($(date +%s) - done_at)) -ge $POWEROFF_GRACE ]; then
		info "the guest printed SIMTEST: DONE but did not power off within ${POWEROFF_GRACE}s: stopped (its results are complete; its log is read up to DONE)"
		kill -KILL -- -"$guest" 2>/dev/null || true
		pkill -KILL -f "^$OUT/linux " 2>/dev/null || true
		stopped_after_done=1
		break
	fi
	sleep 1
done
wait "$guest" 2>/dev/null || rc=$?
# A UML process can outlive the guest's kernel and spin (seen: three
# such, an hour each, after runs that had passed). UML's kernel makes a
# session of its own, out of reach of the one above: what still runs this
# build's kernel binary goes too.
kill -KILL -- -"$guest" 2>/dev/null || true
pkill -KILL -f "^$OUT/linux " 2>/dev/null || true
trap - EXIT INT TERM
info "guest finished in $(($(date +%s) - start))s (status $rc); log: $RUN/console.log"
[ -z "$done_at" ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && info "guest timed out after ${SIM_TIMEOUT}s"

# --- results -------------------------------------------------------------------

# The driver must have loaded for any test to mean something; when it did
# not (or the guest could not read its run directory), that is the failure
# reported, and the tests are reported as not run.
pass=0 fail=0 skip=0 ran=0 partial=0 xfail=0
notrun=
known_ran=
load=$(grep -a '^SIMTEST: \(PASS\|FAIL\) \(driver-load\|harness\)' "$RUN/console.log" | head -n 1 | tr -d '\r' || true)
case "$load" in
"SIMTEST: PASS driver-load")
	echo "PASS driver-load"
	pass=$((pass + 1))
	;;
"SIMTEST: FAIL "*)
	why=${load#"SIMTEST: FAIL "}
	echo "FAIL ${why%% *} (${why#* })"
	fail=$((fail + 1))
	notrun="not run: ${why%% *} failed"
	;;
*)
	if grep -aq '^SIMTEST: BOOTED' "$RUN/console.log"; then
		echo "FAIL driver-load (the guest booted but did not report loading $DRIVER: see $RUN/console.log)"
	else
		echo "FAIL driver-load (the guest did not boot, status $rc: see $RUN/console.log)"
	fi
	fail=$((fail + 1))
	notrun="not run: the driver was not loaded"
	;;
esac

for t in "${ALL_TESTS[@]}"; do
	topic=${TOPIC_OF[$t]}
	if ! runs_here "$t"; then
		if is_landed "$topic"; then
			echo "SKIP $t (topic $topic: in progress)"
		else
			echo "SKIP $t (topic $topic)"
		fi
		skip=$((skip + 1))
		continue
	fi
	if [ -n "${KNOWN[$t]:-}" ] && [ -z "${IS_SELECTED[$t]:-}" ]; then
		if [ -z "${SIM_TESTS:-}" ]; then
			echo "SKIP $t (known panthor defect: ${KNOWN[$t]})"
			skip=$((skip + 1))
		fi
		continue
	fi
	[ -n "${IS_SELECTED[$t]:-}" ] || continue
	r=$(grep -a "^SIMTEST: \(PASS\|FAIL\) $t\b" "$RUN/console.log" | tail -n 1 | tr -d '\r' || true)
	if [ -n "${KNOWN[$t]:-}" ]; then
		case "$r" in
		"SIMTEST: PASS $t"*)
			echo "FAIL $t (XPASS: remove it from tests/known-defects)"
			fail=$((fail + 1))
			ran=$((ran + 1))
			known_ran+=" $t"
			continue
			;;
		"SIMTEST: FAIL $t"*)
			why=${r#"SIMTEST: FAIL $t"}
			echo "XFAIL $t (known panthor defect${why:+; ${why# }})"
			xfail=$((xfail + 1))
			ran=$((ran + 1))
			known_ran+=" $t"
			continue
			;;
		esac
	fi
	case "$r" in
	"SIMTEST: PASS $t")
		echo "PASS $t"
		pass=$((pass + 1))
		ran=$((ran + 1))
		;;
	"SIMTEST: PASS $t (partial: "*)
		echo "PASS $t ${r#"SIMTEST: PASS $t "}"
		pass=$((pass + 1))
		partial=$((partial + 1))
		ran=$((ran + 1))
		;;
	"SIMTEST: FAIL $t"*)
		why=${r#"SIMTEST: FAIL $t"}
		echo "FAIL $t${why:+ (${why# })}"
		fail=$((fail + 1))
		ran=$((ran + 1))
		;;
	*)
		echo "FAIL $t (${notrun:-no result: the guest did not get to it})"
		fail=$((fail + 1))
		;;
	esac
done

# The KUnit modules: their KTAP, from the kernel log the guest kept. A case
# is "    ok N name" (skipped ones end in "# SKIP") or "    not ok N name";
# the suite's own line closes it at the left margin.
for m in "${KUNIT_MODS[@]}"; do
	log=$RUN/kunit-$m.log
	if [ ! -s "$log" ]; then
		echo "FAIL kunit-$m (no kernel log: the guest did not get to it)"
		fail=$((fail + 1))
		continue
	fi
	ok=$(grep -cE '^    ok [0-9]+ [^#]*$' "$log" || true)
	skipped=$(grep -cE '^    ok [0-9]+ .*# SKIP' "$log" || true)
	bad=$(sed -nE 's/^    not ok [0-9]+ ([^ #]+).*/\1/p' "$log" | tr '\n' ' ')
	suites=$(grep -cE '^ok [0-9]+ ' "$log" || true)
	nsuites=$(grep -cE '^(not )?ok [0-9]+ ' "$log" || true)
	# The suites are numbered from 1: a log that lost its beginning (the
	# ring buffer overwritten) must not pass on the suites that are left.
	nums=$(sed -nE 's/^(not )?ok ([0-9]+) .*/\2/p' "$log" | tr '\n' ' ')
	if [ -n "$bad" ]; then
		echo "FAIL kunit-$m (failed: ${bad% })"
		fail=$((fail + 1))
	elif [ "$nsuites" -gt 0 ] && [ "$nums" != "$(seq -s ' ' 1 "$nsuites") " ]; then
		echo "FAIL kunit-$m (suites numbered ${nums% }, not 1 to $nsuites: the log lost some; see $log)"
		fail=$((fail + 1))
	elif [ "$nsuites" -eq 0 ] || [ "$suites" -ne "$nsuites" ] || [ "$ok" -eq 0 ]; then
		echo "FAIL kunit-$m (no complete KTAP result: see $log)"
		fail=$((fail + 1))
	else
		echo "PASS kunit-$m ($ok cases passed, $skipped skipped)"
		pass=$((pass + 1))
	fi
done

# Kernel reports anywhere in the log fail the run, and so does a driver
# breaking the simulated hardware's protocol (mali_sim says so). A log in
# which no test ran vouches for nothing: it cannot pass.
REPORTS='possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|WARNING: |BUG: |BUG at|KASAN|unreferenced object|Oops|Call Trace|Kernel panic|general protection|mali_sim: protocol violation'
# A guest stopped after DONE (see the boot) is read up to DONE, which comes
# after the driver's unload and kmemleak's scan: what UML printed in its
# failed power-off is not the driver's.
if [ -n "$stopped_after_done" ]; then
	sed '/^SIMTEST: DONE/q' "$RUN/console.log"
else
	cat "$RUN/console.log"
fi | { grep -aE "$REPORTS" || true; } >"$RUN/reports.txt"
# A known defect that ran may leave reports: they count, and the line
# names what ran.
kl_known=${known_ran:+"; known panthor defects ran:$known_ran"}
if [ -s "$RUN/reports.txt" ]; then
	echo "FAIL kernel-log ($(wc -l <"$RUN/reports.txt") report lines; first: $(head -n 1 "$RUN/reports.txt" | tr -d '\r')$kl_known)"
	fail=$((fail + 1))
elif ! grep -aq '^SIMTEST: DONE' "$RUN/console.log"; then
	echo "FAIL kernel-log (the guest did not finish: status $rc)"
	fail=$((fail + 1))
elif ! grep -aq '^SIMTEST: KMEMLEAK SCANNED' "$RUN/console.log"; then
	echo "FAIL kernel-log (kmemleak did not scan: is CONFIG_DEBUG_KMEMLEAK on?)"
	fail=$((fail + 1))
elif [ "$ran" = 0 ]; then
	echo "FAIL kernel-log (no test ran: a clean log of nothing proves nothing)"
	fail=$((fail + 1))
elif grep -aq '^SIMTEST: UNLOAD FAILED' "$RUN/console.log"; then
	# a module left loaded keeps its teardown out of kmemleak's scan
	unload=$(grep -a -m1 '^SIMTEST: UNLOAD FAILED' "$RUN/console.log" | tr -d '\r' || true)
	echo "FAIL kernel-log (${unload#SIMTEST: }: its teardown was not scanned)"
	fail=$((fail + 1))
else
	echo "PASS kernel-log${kl_known:+ (${kl_known#; })}"
	pass=$((pass + 1))
fi

summary "$pass" "$fail" "$skip" "$partial" "$xfail"
[ "$fail" = 0 ]
