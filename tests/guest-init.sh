#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-init.sh: init (PID 1) of the UML guest that scripts/sim-test.sh
# boots with the host's files as root. Mounts the kernel filesystems, loads
# the driver, runs each test of $SIMRUN/tests.list and prints one
# "SIMTEST: PASS|FAIL <name> [reason]" line per test, unloads the driver,
# runs the KUnit modules of $SIMKUNIT (their kernel log goes to
# $SIMRUN/kunit-<module>.log), asks kmemleak for a scan, prints
# "SIMTEST: DONE" and powers the guest off.
#
# Environment (from the kernel command line): SIMRUN (run directory with
# bin/ and tests.list), SIMMODS (INSTALL_MOD_PATH of the guest's modules),
# SIMDRIVER (module to load), SIMTESTTIMEOUT (seconds for each test,
# default 300), SIMLANDED (the topics that count as landed,
# comma-separated, for the tests: common.c's topic_landed()), SIMTOPICS
# (every topic of the series, comma-separated: topic_landed() fails on a
# name that is not one of them), SIMINPROGRESS (the landed topics that
# are not complete yet: common.c's topic_complete()), SIMKUNIT
# (optional: KUnit test modules to load, comma-separated; needs
# kunit.enable=1 on the command line).
#
# A test that exits 77 passed what it could check but could not run all of
# it: "SIMTEST: PASS <name> (partial: <its last PARTIAL: line>)". It must
# say why: exit 77 without a "PARTIAL: why" line is a FAIL.
#
# When the driver does not load (modprobe fails, or no render node appears), that is
# the failure reported ("SIMTEST: FAIL driver-load <why>") and no test runs.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export SIMRUN SIMMODS SIMDRIVER SIMLANDED SIMTOPICS SIMINPROGRESS SIMKUNIT
# The simulated GPU's device (sim/mali-sim.dts), for the tests too
# (common.c's gpu_sysfs()): one place that names it.
export SIMGPU=/sys/bus/platform/devices/20000000.gpu

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# A scratch tmpfs on /tmp and /run, unless it would hide what the guest
# reads from the host (its root is the host's / over hostfs, and the
# checkout may be anywhere in it, /tmp included).
scratch() {
	local p
	for p in "$SIMRUN" "$SIMMODS" "$(dirname "$0")"; do
		case "$p/" in
		"$1"/*)
			echo "SIMTEST: NOTE $1 stays the host's: it holds $p"
			return 0
			;;
		esac
	done
	mount -t tmpfs tmpfs "$1"
}
scratch /tmp
scratch /run

poweroff_now() {
	sync
	echo o >/proc/sysrq-trigger
	sleep 10
	exit 1
}

echo "SIMTEST: BOOTED $(uname -r)"

# Load the driver the way udev would, from the freshly built modules.
loaded=1
if [ ! -r "$SIMRUN/tests.list" ]; then
	echo "SIMTEST: FAIL harness cannot read $SIMRUN/tests.list"
	loaded=0
elif ! modprobe -d "$SIMMODS" "$SIMDRIVER" >"$SIMRUN/modprobe.log" 2>&1; then
	echo "SIMTEST: FAIL driver-load modprobe -d $SIMMODS $SIMDRIVER failed: $(tail -n 1 "$SIMRUN/modprobe.log")"
	loaded=0
else
	i=0
	while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -e /dev/dri/renderD128 ]; then
		echo "SIMTEST: FAIL driver-load $SIMDRIVER loaded, but no render node after 10 s: $(dmesg | grep -i -E "$SIMDRIVER|mali|probe" | tail -n 1)"
		loaded=0
	elif [ ! -r "$SIMGPU/power/control" ]; then
		echo "SIMTEST: FAIL driver-load no $SIMGPU/power/control: the tests look for the GPU there (sim/mali-sim.dts moved it?)"
		loaded=0
	else
		echo "SIMTEST: PASS driver-load"
	fi
fi

# The GPU's runtime PM setting as the driver's probe left it: each test
# starts from it, and one that leaves it changed fails (a re-probe that
# forbids runtime suspend, or a test that stopped keeping the GPU powered
# without giving the setting back); it is given back after the last test
# too, before the unload, the KUnit suites and the leak scan.
pm=$SIMGPU/power/control
pm0=
if [ $loaded = 1 ] && ! pm0=$(cat "$pm"); then
	echo "SIMTEST: FAIL harness cannot read $pm"
	loaded=0
fi

# Every test starts from a well-behaved simulator, whatever the one before
# left armed, and from the runtime PM setting the driver's probe left.
reset_knobs() {
	[ -z "$pm0" ] || echo "$pm0" >"$pm"
	k=/sys/module/mali_sim/parameters
	[ -d $k ] || return 0
	echo N >$k/fw_hang
	echo 0 >$k/cs_fatal
	echo 0 >$k/mmu_fault
	echo 0 >$k/slow_job_ms
	echo N >$k/pwr_stall
	echo 100000 >$k/budget
	echo 50 >$k/as_busy_us
	echo Y >$k/as_done_on_read
	echo N >$k/trace
	echo 0 >$k/csg_hang
	echo 0 >$k/fw_hang_rearm
	echo 0 >$k/reset_fail
	echo 0 >$k/boot_fail
	echo 0 >$k/progress_timer_ms
	echo 0 >$k/irq_delay_us
}

# Each test's output is kept in the run directory.
tests=
[ $loaded = 0 ] || tests=$(cat "$SIMRUN/tests.list")
for t in $tests; do
	reset_knobs
	echo "SIMTEST: START $t"
	out=$SIMRUN/out-$t.log
	timeout -k 5 "${SIMTESTTIMEOUT:-300}" "$SIMRUN/bin/$t" >"$out" 2>&1
	rc=$?
	sed 's/^/  | /' "$out"
	pmnow=$( [ -z "$pm0" ] || cat "$pm" 2>/dev/null || echo "(unreadable)")
	if [ "$pmnow" != "$pm0" ] && { [ $rc -eq 0 ] || [ $rc -eq 77 ]; }; then
		echo "SIMTEST: FAIL $t left the GPU's power/control at $pmnow (the driver's probe left $pm0)"
	elif [ $rc -eq 0 ]; then
		echo "SIMTEST: PASS $t"
	elif [ $rc -eq 77 ] && grep -q '^PARTIAL: .' "$out"; then
		echo "SIMTEST: PASS $t (partial: $(sed -n 's/^PARTIAL: //p' "$out" | tail -n 1))"
	elif [ $rc -eq 77 ]; then
		echo "SIMTEST: FAIL $t exit 77 without a PARTIAL: line"
	elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "SIMTEST: FAIL $t timed out after ${SIMTESTTIMEOUT:-300}s"
	else
		echo "SIMTEST: FAIL $t $(grep -v '^#' "$out" | tail -n 1)"
	fi
done

reset_knobs

# Unload the driver: teardown must be clean too.
if grep -q "^$SIMDRIVER " /proc/modules; then
	rmmod "$SIMDRIVER" || echo "SIMTEST: UNLOAD FAILED rmmod $SIMDRIVER"
fi

# The KUnit suites, with nothing else loaded. Loading a test module runs
# its suites before modprobe returns; its part of the kernel log is kept
# for scripts/sim-test.sh to read. Then unload it (and what it pulled in),
# so that module teardown is covered by the scan below too.
kunit_ran=0
for m in $(echo "${SIMKUNIT:-}" | tr ',' ' '); do
	echo "SIMTEST: KUNIT START $m"
	dmesg -C
	modprobe -d "$SIMMODS" "$m" || echo "SIMTEST: KUNIT modprobe $m failed"
	dmesg -t >"$SIMRUN/kunit-$m.log"
	modprobe -r -d "$SIMMODS" "$m" || echo "SIMTEST: UNLOAD FAILED modprobe -r $m"
	echo "SIMTEST: KUNIT END $m"
	kunit_ran=1
done

# kmemleak reports objects only on the second scan after they leaked, and
# only those older than five seconds: give the KUnit suites' objects time.
if [ -w /sys/kernel/debug/kmemleak ]; then
	[ $kunit_ran -eq 0 ] || sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	echo "SIMTEST: KMEMLEAK SCANNED"
fi

echo "SIMTEST: DONE"
poweroff_now
