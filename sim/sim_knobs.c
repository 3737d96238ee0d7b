// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, fault knobs
 *
 * Module parameters (the simulator is built in, so they live in
 * /sys/module/mali_sim/parameters/ and can be set on the kernel command
 * line as mali_sim.<knob>=...) that make the simulated hardware misbehave,
 * so that each of a driver's recovery paths can be driven by a test:
 *
 * - fw_hang: the running firmware stops answering any request (no acks,
 *   no events, pings time out) until the MCU is stopped or the GPU reset,
 *   which also clears the knob (so a test can see that recovery ran).
 * - cs_fatal: the next N CALLs executed by any stream raise CS_FATAL
 *   (CS_UNRECOVERABLE) instead of running.
 * - mmu_fault: the next N command stream memory accesses take a
 *   translation fault (MMU interrupt and CS_FATAL), mapped or not.
 * - slow_job_ms: every CALL waits this long before it runs.
 * - pwr_stall: power transitions stay pending (PWRTRANS set, READY
 *   unchanged) until the next GPU reset, which clears it.
 * - budget: instructions a stream may run without retiring a ring entry
 *   before it stalls like a hung GPU.
 * - as_busy_us: how long an AS command keeps AS_ACTIVE set (it takes
 *   effect when it completes; a command written meanwhile is dropped).
 * - as_done_on_read (on by default): an AS command whose time has passed
 *   completes only when the driver reads AS_STATUS. Hardware completes
 *   it on its own, so a driver that does not wait for a command races
 *   with it there and may win; here it loses every time: the command has
 *   not taken effect when the driver goes on, and the next command is
 *   dropped. A driver that waits, by polling AS_STATUS as it must, sees
 *   no difference.
 * - tiler_chunks (default 1): tiler heap chunks a render pass (a tiling
 *   instruction after HEAP_SET) needs when its stream does not say how
 *   many in r42 (sim_cs.c).
 * - trace: log (pr_info, "mali_sim: trace:") every instruction a stream
 *   executes, with its address space, ring, extract, call depth and
 *   address, and every stream start with the extract it starts from; a
 *   debugging aid, off by default (it floods the log).
 * - csg_hang: the next N CSG slots that get a request (a CSG_REQ state
 *   change: START, RESUME, SUSPEND, TERMINATE; or a STATUS_UPDATE toggle)
 *   hang on it: the firmware never acknowledges it nor anything else of
 *   that slot (no CSG or CS acks, no doorbell acks, no events; its streams
 *   stop), while the global interface and the other slots go on answering
 *   (pings included). Each slot that hangs takes one off N (further
 *   requests to an already hung slot do not). The slot forgets it at the
 *   next firmware boot (after a GPU reset or an MCU stop and start, or a
 *   power-down), which acknowledges every pending request as boots do.
 * - fw_hang_rearm: after each of the next N firmware boots (MCU started
 *   after a reset, a stop, or a power-down), the simulator sets fw_hang
 *   itself (and hangs) as soon as the booted firmware has acknowledged
 *   the first global request toggle after the boot (the driver's global
 *   interface set-up): the driver sees a good boot, then a hang again.
 *   Each boot that arms it takes one off N; a boot while fw_hang is still
 *   set (it hangs anyway) does not. For a "reset storm". Boots are every
 *   MCU start: a runtime resume's too, not only a reset's.
 * - reset_fail: 1: a soft reset command (GPU_COMMAND SOFT_RESET) does
 *   nothing and never completes (no RESET_COMPLETED in the GPU interrupt's
 *   raw status, no interrupt); a hard reset still works. 2: neither a soft
 *   nor a hard reset completes. Stays set until cleared.
 * - boot_fail: the next N firmware boots fail, as a crashed boot would:
 *   MCU_STATUS goes to FATAL, the global interface never comes up (no
 *   control block written, no acknowledgment, no GLB interrupt). The MCU
 *   boots again once stopped (or reset) and started. Each failed boot takes
 *   one off N (a runtime resume's boot counts too).
 * - progress_timer_ms: the firmware's progress timer. A started stream of
 *   a resident group that has work it makes no progress on (stalled by
 *   the budget knob, or blocked in a SYNC_WAIT) for the progress timeout
 *   gets the CSG's PROGRESS_TIMER_EVENT (CSG_ACK bit 31 toggled against
 *   CSG_REQ, and the group's JOB interrupt bit) and is stalled from then on
 *   (even when its wait is satisfied: only a termination, or a reset, gets
 *   the group out; a suspend saves it stalled). Should the event stay
 *   unanswered, the timer runs again and fires another timeout later. The
 *   timeout is the driver's GLB progress_timer (units of 1024 GPU cycles,
 *   taken at boot and at each GLB_REQ CFG_PROGRESS_TIMER toggle) at the
 *   GPU clock's current rate, unless this knob gives it in milliseconds
 *   (default 0: derive); either way no event while the driver's value is
 *   0. A stream that runs (even slowly: slow_job_ms), waits on a locked
 *   MMU region or on a TILER_OOM answer, or has an empty ring has no
 *   timeout running; a (re)start of the stream restarts its timer.
 * - irq_delay_us: an interrupt line (job, MMU, GPU) that becomes asserted
 *   reaches the CPU only this many microseconds later (default 0: at
 *   once), and then only if it is still asserted (RAWSTAT & MASK): the
 *   events are in the registers at once, their interrupt comes late. One
 *   delivery per line is in flight at a time, for whatever is asserted
 *   when it lands. So events the firmware raised just before a driver
 *   starts to tear down (an unbind) arrive during the teardown.
 *
 * None of these is reset by the simulator except as said; a test clears
 * what it set.
 *
 * And one report, read-only: user_page, whether the USER page is backed
 * by RAM, so that a process can read a mapping of it (sim_core.c). When it
 * is not, such a read kills the process (UML cannot map the page): a test
 * must not try. And clk_rate_hz, the GPU clock's current rate (sim_soc.c);
 * unpowered_accesses, the register accesses made while the GPU's power
 * domain was off or its clock disabled (each a protocol violation), and
 * power_offs, how many times the domain went off (sim_power.c). A test
 * reads them before and after what it checks: they only grow.
 */
#include <linux/moduleparam.h>

#include "sim.h"

struct msim_knobs msim_knobs = {
	.budget = 100000,
	.as_busy_us = 50,
	.as_done_on_read = true,
	.tiler_chunks = 1,
};

module_param_named(fw_hang, msim_knobs.fw_hang, bool, 0644);
MODULE_PARM_DESC(fw_hang, "Firmware stops answering until the MCU is stopped or the GPU reset");
module_param_named(cs_fatal, msim_knobs.cs_fatal, int, 0644);
MODULE_PARM_DESC(cs_fatal, "Number of upcoming CALLs that raise CS_FATAL");
module_param_named(mmu_fault, msim_knobs.mmu_fault, int, 0644);
MODULE_PARM_DESC(mmu_fault, "Number of upcoming stream memory accesses that fault");
module_param_named(slow_job_ms, msim_knobs.slow_job_ms, uint, 0644);
MODULE_PARM_DESC(slow_job_ms, "Delay before each CALL runs, in milliseconds");
module_param_named(pwr_stall, msim_knobs.pwr_stall, bool, 0644);
MODULE_PARM_DESC(pwr_stall, "Power transitions never complete until the next GPU reset");
module_param_named(budget, msim_knobs.budget, uint, 0644);
MODULE_PARM_DESC(budget, "Instructions a stream may run without retiring a ring entry");
module_param_named(as_busy_us, msim_knobs.as_busy_us, uint, 0644);
MODULE_PARM_DESC(as_busy_us, "Microseconds an AS command keeps AS_ACTIVE set");
module_param_named(as_done_on_read, msim_knobs.as_done_on_read, bool, 0644);
MODULE_PARM_DESC(as_done_on_read, "An AS command completes only when AS_STATUS is read after its time");
module_param_named(tiler_chunks, msim_knobs.tiler_chunks, uint, 0644);
MODULE_PARM_DESC(tiler_chunks, "Tiler heap chunks a render pass needs unless its stream says (r42)");
module_param_named(trace, msim_knobs.trace, bool, 0644);
MODULE_PARM_DESC(trace, "Log every instruction a stream executes, and every stream start");
module_param_named(csg_hang, msim_knobs.csg_hang, int, 0644);
MODULE_PARM_DESC(csg_hang, "Number of upcoming CSG slot requests that hang their slot");
module_param_named(fw_hang_rearm, msim_knobs.fw_hang_rearm, int, 0644);
MODULE_PARM_DESC(fw_hang_rearm, "Upcoming firmware boots after which fw_hang is set again");
module_param_named(reset_fail, msim_knobs.reset_fail, int, 0644);
MODULE_PARM_DESC(reset_fail, "1: soft resets never complete; 2: nor do hard resets");
module_param_named(boot_fail, msim_knobs.boot_fail, int, 0644);
MODULE_PARM_DESC(boot_fail, "Number of upcoming firmware boots that fail (MCU fatal)");
module_param_named(progress_timer_ms, msim_knobs.progress_timer_ms, uint, 0644);
MODULE_PARM_DESC(progress_timer_ms, "Progress timeout in ms (0: the driver's GLB progress_timer)");
module_param_named(irq_delay_us, msim_knobs.irq_delay_us, uint, 0644);
MODULE_PARM_DESC(irq_delay_us, "Microseconds between an interrupt's assertion and its delivery");
module_param_named(user_page, msim_knobs.user_page, bool, 0444);
MODULE_PARM_DESC(user_page, "The USER page is backed by RAM: userspace can read a mapping of it");
module_param_named(clk_rate_hz, msim_knobs.clk_rate_hz, ulong, 0444);
MODULE_PARM_DESC(clk_rate_hz, "The GPU clock's current rate, in Hz");
module_param_named(unpowered_accesses, msim_knobs.unpowered_accesses, uint, 0444);
MODULE_PARM_DESC(unpowered_accesses, "Register accesses made while the GPU was unpowered or unclocked");
module_param_named(power_offs, msim_knobs.power_offs, uint, 0444);
MODULE_PARM_DESC(power_offs, "Times the GPU's power domain went off");
