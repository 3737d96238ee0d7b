// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, MCU and firmware interfaces
 *
 * MCU_CONTROL/MCU_STATUS and the firmware that the MCU would run. Enabling
 * the MCU "boots" the firmware: it reads the image's descriptor from its
 * code section (MCU virtual address 0, through address space 0 like every
 * MCU access; the image comes from sim/mkfw.py), writes the global, CSG
 * and CS control blocks into the shared interface region, acknowledges
 * whatever requests are pending, and raises the global interface bit of
 * the JOB interrupt.
 *
 * After that the firmware runs when a doorbell rings (and on a poll timer
 * while a stream waits on memory or time): it implements the REQ/ACK
 * protocol of the global interface (configuration toggles, ping, halt by
 * the HALT bit, or by the requested GLB state from interface 4.1 on,
 * doorbell acknowledgment), of each CSG (start; suspend, which saves each
 * stream's registers, call stack and ring position in the group's suspend
 * buffer; resume from it, on any slot; terminate; endpoint configuration;
 * status update; SYNC_UPDATE and IDLE events) and of each CS (start,
 * stop; FATAL and TILER_OOM events, the latter answered through the CS
 * input's heap start/end: see sim_cs.c), runs the command stream interpreter (sim_cs.c) on
 * every started stream of a running group, and reports events on the JOB
 * interrupt (bit n for CSG n).
 *
 * The MCU answers a request within microseconds however busy the streams
 * keep the GPU, and a driver gives it little time (panthor 100 ms for a
 * CSG request, then it resets the GPU). So a doorbell is answered by a
 * work of its own, req_work, at high priority: it acknowledges every GLB,
 * CSG and CS request and raises the interrupt for them, then queues
 * fw_work, which answers the requests too and then runs the streams, a
 * slice each (MSIM_SLICE instructions, in steps of MSIM_STEP), at normal
 * priority. A doorbell ends fw_work's pass after the current step, and
 * req_work waits for that step at most: not for the slices of every busy
 * stream (eight spinning streams take 15-40 ms a pass on a loaded host,
 * and kept CSG requests waiting up to 120 ms when a pass answered them
 * only on its way through the groups). An answer that came more than
 * 20 ms after its doorbell is logged ("the firmware answered a doorbell
 * after N ms"): a driver's timeout that follows one is the host's doing
 * (the guest had no CPU), not the driver's.
 *
 * The "fw_hang" knob makes the running firmware stop answering until the
 * MCU is stopped or the GPU reset, as a crashed MCU would; "fw_hang_rearm"
 * sets it again after a boot, once the host's first global request is
 * answered; "boot_fail" crashes boots (MCU_STATUS FATAL, no global
 * interface); "csg_hang" hangs one CSG slot on a request while the rest
 * of the firmware goes on. The firmware's progress timer raises a CSG's
 * PROGRESS_TIMER_EVENT for a stream that is stalled or blocked in a
 * SYNC_WAIT for the timeout the host configured in GLB progress_timer (or
 * the "progress_timer_ms" knob's), and stalls the stream for good.
 *
 * While the GPU's clock is disabled (sim_soc.c) the MCU is frozen: neither
 * work runs a pass (one in progress when the clock stops completes), and
 * enabling the clock runs the firmware again where it was. A power-down
 * of the GPU's domain (sim_power.c) waits for a pass in progress under
 * fw_lock, then throws the firmware's state away.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "sim.h"

#define MSIM_SLICE	1024	/* instructions per stream per firmware pass */
/*
 * A stream runs its slice in steps of this many instructions, and stops
 * early when a doorbell rang meanwhile: the firmware answers requests
 * before it runs more of the streams (see msim_fw_work()).
 */
#define MSIM_STEP	64

struct msim_fw_pass {
	u32 job_irq;
	bool again;	/* a stream has more to run right away */
	bool poll;	/* a stream waits on memory or on time */
	u64 wake_ns;	/* a progress timer's deadline (ktime ns), 0: none */
};

/* A doorbell rang that req_work has not answered yet. */
static bool fw_kicked(struct msim *s)
{
	return READ_ONCE(s->fw_kick);
}

/* The firmware's view of its shared region (MCU address space 0). */
static u32 fw_rd32(struct msim *s, u32 off)
{
	u32 v = 0;

	msim_mem_read(s, 0, MSIM_FW_SHARED_VA + off, &v, 4);
	return v;
}

static u64 fw_rd64(struct msim *s, u32 off)
{
	u64 v = 0;

	msim_mem_read(s, 0, MSIM_FW_SHARED_VA + off, &v, 8);
	return v;
}

static void fw_wr32(struct msim *s, u32 off, u32 v)
{
	msim_mem_write(s, 0, MSIM_FW_SHARED_VA + off, &v, 4);
}

static void fw_wr64(struct msim *s, u32 off, u64 v)
{
	msim_mem_write(s, 0, MSIM_FW_SHARED_VA + off, &v, 8);
}

/*
 * Called under s->lock (a register write): the firmware's own state is
 * thrown away when it boots again, under fw_lock.
 */
/* Stopping the MCU gets it out of a hang, and disarms the knob that caused it. */
void msim_fw_unhang(struct msim *s)
{
	if (s->fw_hung) {
		s->fw_hung = false;
		msim_knobs.fw_hang = false;
	}
}

void msim_mcu_reset(struct msim *s)
{
	s->mcu_control = MSIM_MCU_CTL_DISABLE;
	s->mcu_status = MSIM_MCU_ST_DISABLED;
	s->fw_booted = false;
	msim_fw_unhang(s);
	s->irq[MSIM_IRQ_JOB].rawstat = 0;
}

/*
 * GLB_REQ's COUNTER_EN (a level the host sets, which the firmware copies
 * to GLB_ACK) has the firmware propagate the GPU's timestamp and cycle
 * counter to the command streams. Model: until the booted firmware has
 * acknowledged it, STORE_STATE stores 0 (sim_cs.c), so that a test can
 * tell a driver that enables it from one that does not.
 */
bool msim_fw_counter_enabled(struct msim *s)
{
	return s->fw_booted &&
	       (fw_rd32(s, MSIM_GLB_OUTPUT + GLB_OUT_ACK) & GLB_REQ_COUNTER_EN);
}

bool msim_mcu_read(struct msim *s, u32 offset, u32 *val)
{
	switch (offset) {
	case MSIM_MCU_CONTROL:
		*val = s->mcu_control;
		return true;
	case MSIM_MCU_STATUS:
		*val = s->mcu_status;
		return true;
	case MSIM_LATEST_FLUSH:
		*val = s->flush_id;
		return true;
	}
	return false;
}

bool msim_mcu_write(struct msim *s, u32 offset, u32 val)
{
	if (offset != MSIM_MCU_CONTROL)
		return false;

	s->mcu_control = val;
	switch (val) {
	case MSIM_MCU_CTL_ENABLE:
	case MSIM_MCU_CTL_AUTO:
		if (s->mcu_status == MSIM_MCU_ST_ENABLED)
			break;
		s->mcu_status = MSIM_MCU_ST_ENABLED;
		s->fw_booted = false;
		queue_work(system_unbound_wq, &s->fw_work);
		break;
	case MSIM_MCU_CTL_DISABLE:
		s->mcu_status = MSIM_MCU_ST_DISABLED;
		s->fw_booted = false;
		msim_fw_unhang(s);
		break;
	default:
		pr_info_ratelimited("mali_sim: bad MCU_CONTROL value %u\n", val);
		break;
	}
	return true;
}

void msim_doorbell(struct msim *s, u32 id)
{
	/* Called with s->lock held: only kick the firmware. */
	if (!s->fw_kick)
		s->fw_kick_ns = ktime_get_ns();
	s->fw_kick = true;
	queue_work(system_highpri_wq, &s->req_work);
}

void msim_poll_work(struct work_struct *work)
{
	struct msim *s = container_of(work, struct msim, poll_work.work);

	queue_work(system_unbound_wq, &s->fw_work);
}

static void msim_job_irq(struct msim *s, u32 bits)
{
	unsigned long flags;

	if (!bits)
		return;
	spin_lock_irqsave(&s->lock, flags);
	if (s->mcu_status == MSIM_MCU_ST_ENABLED)
		msim_irq_raise(s, MSIM_IRQ_JOB, bits);
	spin_unlock_irqrestore(&s->lock, flags);
}

static void msim_set_mcu_status(struct msim *s, u32 status)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->mcu_status = status;
	spin_unlock_irqrestore(&s->lock, flags);
}

/* --- boot ------------------------------------------------------------------ */

struct msim_fw_desc {
	u32 signature;
	u32 iface_version;
	u32 group_num;
	u32 stream_num;
};

static bool msim_fw_boot(struct msim *s)
{
	struct msim_fw_desc d;
	int g, c;

	if (msim_mem_read(s, 0, MSIM_FW_CODE_VA, &d, sizeof(d)) ||
	    d.signature != MSIM_FW_SIGNATURE ||
	    d.group_num < 1 || d.group_num > MSIM_NUM_CSG ||
	    d.stream_num < 1 || d.stream_num > MSIM_NUM_CS) {
		pr_info("mali_sim: MCU: no valid firmware at VA 0 (signature 0x%08x)\n",
			d.signature);
		msim_set_mcu_status(s, MSIM_MCU_ST_FATAL);
		return false;
	}
	s->glb_version = d.iface_version;

	fw_wr32(s, GLB_CTL_VERSION, d.iface_version);
	fw_wr32(s, GLB_CTL_FEATURES, 0);
	fw_wr32(s, GLB_CTL_INPUT_VA, MSIM_FW_SHARED_VA + MSIM_GLB_INPUT);
	fw_wr32(s, GLB_CTL_OUTPUT_VA, MSIM_FW_SHARED_VA + MSIM_GLB_OUTPUT);
	fw_wr32(s, GLB_CTL_GROUP_NUM, d.group_num);
	fw_wr32(s, GLB_CTL_GROUP_STRIDE, MSIM_CSG_STRIDE);
	fw_wr32(s, GLB_CTL_PRFCNT_SIZE, 0);
	fw_wr32(s, GLB_CTL_INSTR_FEATURES, 0);

	/* Whatever the host asked for before this boot is done. */
	fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_ACK,
		fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_REQ) &
		~(GLB_REQ_HALT | GLB_REQ_STATE_MASK));
	fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_DB_ACK, fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_DB_REQ));
	fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_HALT_STATUS, 0);
	s->progress_timer = fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_PROGRESS_TIMER);

	for (g = 0; g < d.group_num; g++) {
		u32 ctl = MSIM_CSG_CONTROL + g * MSIM_CSG_STRIDE;

		memset(&s->csg[g], 0, sizeof(s->csg[g]));
		fw_wr32(s, ctl + CSG_CTL_FEATURES, 0);
		fw_wr32(s, ctl + CSG_CTL_INPUT_VA, MSIM_FW_SHARED_VA + MSIM_CSG_INPUT(g));
		fw_wr32(s, ctl + CSG_CTL_OUTPUT_VA, MSIM_FW_SHARED_VA + MSIM_CSG_OUTPUT(g));
		fw_wr32(s, ctl + CSG_CTL_SUSPEND_SIZE, MSIM_CS_SAVE_STRIDE * MSIM_NUM_CS);
		fw_wr32(s, ctl + CSG_CTL_PROTM_SUSPEND_SIZE, 0x1000);
		fw_wr32(s, ctl + CSG_CTL_STREAM_NUM, d.stream_num);
		fw_wr32(s, ctl + CSG_CTL_STREAM_STRIDE, MSIM_CS_STRIDE);
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_ACK,
			fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_REQ));
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_DB_ACK,
			fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_DB_REQ));
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_IRQ_REQ,
			fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_IRQ_ACK));
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_STATUS_STATE, 0);

		for (c = 0; c < d.stream_num; c++) {
			u32 cctl = ctl + MSIM_CS_CONTROL + c * MSIM_CS_STRIDE;

			fw_wr32(s, cctl + CS_CTL_FEATURES, MSIM_CS_FEATURES_VAL);
			fw_wr32(s, cctl + CS_CTL_INPUT_VA, MSIM_FW_SHARED_VA + MSIM_CS_INPUT(g, c));
			fw_wr32(s, cctl + CS_CTL_OUTPUT_VA,
				MSIM_FW_SHARED_VA + MSIM_CS_OUTPUT(g, c));
			fw_wr32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_ACK,
				fw_rd32(s, MSIM_CS_INPUT(g, c) + CS_IN_REQ));
			fw_wr32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_STATUS_WAIT, 0);
			fw_wr32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_STATUS_BLOCKED, 0);
		}
	}
	return true;
}

/* --- events ------------------------------------------------------------------ */

/* Raise a toggle event: flip ACK unless the previous one is still pending. */
static bool fw_toggle_event(struct msim *s, u32 req_off, u32 ack_off, u32 bit)
{
	u32 req = fw_rd32(s, req_off), ack = fw_rd32(s, ack_off);

	if ((req ^ ack) & bit)
		return false;
	fw_wr32(s, ack_off, ack ^ bit);
	return true;
}

static void cs_event(struct msim *s, int g, int c, u32 bit, struct msim_fw_pass *p)
{
	fw_toggle_event(s, MSIM_CS_INPUT(g, c) + CS_IN_REQ, MSIM_CS_OUTPUT(g, c) + CS_OUT_ACK, bit);
	fw_toggle_event(s, MSIM_CSG_INPUT(g) + CSG_IN_IRQ_ACK,
			MSIM_CSG_OUTPUT(g) + CSG_OUT_IRQ_REQ, BIT(c));
	p->job_irq |= BIT(g);
}

static void csg_event(struct msim *s, int g, u32 bit, struct msim_fw_pass *p)
{
	if (fw_toggle_event(s, MSIM_CSG_INPUT(g) + CSG_IN_REQ,
			    MSIM_CSG_OUTPUT(g) + CSG_OUT_ACK, bit))
		p->job_irq |= BIT(g);
}

/* --- global interface ---------------------------------------------------------- */

/*
 * The fw_hang_rearm knob: the boot went well and the host's first global
 * request has been answered; now the firmware hangs as fw_hang makes it
 * (and a reset clears it the same way).
 */
static void fw_rearm_hang(struct msim *s)
{
	unsigned long flags;

	s->fw_rearm = false;
	spin_lock_irqsave(&s->lock, flags);
	WRITE_ONCE(msim_knobs.fw_hang, true);
	s->fw_hung = true;
	spin_unlock_irqrestore(&s->lock, flags);
	pr_info("mali_sim: firmware hangs again after its boot (fw_hang_rearm knob, %d left)\n",
		READ_ONCE(msim_knobs.fw_hang_rearm));
}

/* Returns false when the MCU halted. */
static bool fw_process_glb(struct msim *s, struct msim_fw_pass *p)
{
	u32 req = fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_REQ);
	u32 ack = fw_rd32(s, MSIM_GLB_OUTPUT + GLB_OUT_ACK);
	u32 mask = fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_ACK_IRQ_MASK);
	u32 new_ack, db;

	if (s->glb_version >= MSIM_IFACE_VERSION(4, 1, 0)) {
		/*
		 * Interface 4.1 and later: a requested state, acknowledged by
		 * copying it; HALT also stops the MCU.
		 */
		u32 state = req & GLB_REQ_STATE_MASK;

		if (state != (ack & GLB_REQ_STATE_MASK)) {
			ack = (ack & ~GLB_REQ_STATE_MASK) | state;
			fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_ACK, ack);
			if (mask & GLB_REQ_STATE_MASK)
				p->job_irq |= MSIM_JOB_IRQ_GLB;
		}
		if (state == GLB_STATE_HALT) {
			msim_set_mcu_status(s, MSIM_MCU_ST_HALT);
			return false;
		}
	} else if (req & GLB_REQ_HALT) {
		/* Everything stops; the host sees MCU_STATUS go to HALT. */
		msim_set_mcu_status(s, MSIM_MCU_ST_HALT);
		return false;
	}

	new_ack = (ack & ~GLB_REQ_TOGGLES) | (req & GLB_REQ_TOGGLES);
	if ((new_ack ^ ack) & GLB_REQ_CFG_PROGRESS_TIMER)
		s->progress_timer = fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_PROGRESS_TIMER);
	if (new_ack != ack) {
		fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_ACK, new_ack);
		if ((new_ack ^ ack) & mask)
			p->job_irq |= MSIM_JOB_IRQ_GLB;
		if (s->fw_rearm)
			fw_rearm_hang(s);
	}

	db = fw_rd32(s, MSIM_GLB_INPUT + GLB_IN_DB_REQ);
	if (db != fw_rd32(s, MSIM_GLB_OUTPUT + GLB_OUT_DB_ACK))
		fw_wr32(s, MSIM_GLB_OUTPUT + GLB_OUT_DB_ACK, db);
	return true;
}

/* --- command streams -------------------------------------------------------------- */

static void fw_cs_report_wait(struct msim *s, int g, int c, struct msim_cs_ctx *ctx,
			      bool blocked)
{
	u32 out = MSIM_CS_OUTPUT(g, c);

	if (blocked) {
		fw_wr64(s, out + CS_OUT_STATUS_WAIT_PTR, ctx->wait_ptr);
		fw_wr32(s, out + CS_OUT_STATUS_WAIT_VALUE, lower_32_bits(ctx->wait_value));
		fw_wr32(s, out + CS_OUT_STATUS_WAIT_VALUE_HI, upper_32_bits(ctx->wait_value));
		fw_wr32(s, out + CS_OUT_STATUS_WAIT, ctx->wait_status);
		fw_wr32(s, out + CS_OUT_STATUS_BLOCKED, CS_BLOCKED_SYNC_WAIT);
	} else {
		fw_wr32(s, out + CS_OUT_STATUS_WAIT, 0);
		fw_wr32(s, out + CS_OUT_STATUS_BLOCKED, 0);
	}
}

/*
 * A stream stalled on a locked region waits as on hardware, for as long as
 * the region stays locked: not a protocol violation, but a driver that
 * never unlocks hangs the job there, and its test then only sees a timeout
 * or zeroed data. Say so once per stall that lasts more than a second.
 */
static void fw_cs_report_mmu_stall(struct msim *s, int g, int c, int asn, bool stalled)
{
	struct msim_cs *cs = &s->csg[g].cs[c];
	u64 va = 0, start = 0, end = 0;
	unsigned long flags;

	if (!stalled) {
		cs->mmu_stall_since = 0;
		cs->mmu_stall_reported = false;
		return;
	}
	if (!cs->mmu_stall_since) {
		cs->mmu_stall_since = jiffies | 1;
		return;
	}
	if (cs->mmu_stall_reported || time_before(jiffies, cs->mmu_stall_since + HZ))
		return;
	cs->mmu_stall_reported = true;
	if (asn >= 0 && asn < MSIM_NUM_AS) {
		spin_lock_irqsave(&s->lock, flags);
		va = s->as[asn].stall_va;
		start = s->as[asn].lock_start;
		end = s->as[asn].lock_end;
		spin_unlock_irqrestore(&s->lock, flags);
	}
	pr_info("mali_sim: CSG%d CS%d: access to 0x%llx has waited %u ms for AS%d's locked region [0x%llx, 0x%llx) to be unlocked\n",
		g, c, va, jiffies_to_msecs(jiffies - cs->mmu_stall_since), asn, start, end);
}

/* The progress timeout (ns), 0 while the host has it off. */
static u64 fw_progress_timeout_ns(struct msim *s)
{
	unsigned int ms = READ_ONCE(msim_knobs.progress_timer_ms);
	unsigned long rate = READ_ONCE(s->clk_rate);

	if (!s->progress_timer)
		return 0;
	if (ms)
		return (u64)ms * NSEC_PER_MSEC;
	if (!rate)
		return 0;
	return mul_u64_u64_div_u64((u64)s->progress_timer * 1024, NSEC_PER_SEC, rate);
}

/*
 * The firmware's progress timer: a stream that has work and makes no
 * progress on it (@stuck: stalled, or blocked in a SYNC_WAIT) for the
 * progress timeout raises its group's PROGRESS_TIMER_EVENT and stays
 * stalled; the timer then runs again. The pass wakes for the deadline.
 */
static void fw_cs_progress(struct msim *s, int g, int c, bool stuck, struct msim_fw_pass *p)
{
	struct msim_cs *cs = &s->csg[g].cs[c];
	u64 now, timeout, deadline;

	if (!stuck) {
		cs->noprog_since = 0;
		return;
	}
	now = ktime_get_ns();
	if (!cs->noprog_since)
		cs->noprog_since = now;
	timeout = fw_progress_timeout_ns(s);
	if (!timeout)
		return;
	deadline = cs->noprog_since + timeout;
	if (now >= deadline) {
		pr_info("mali_sim: CSG%d CS%d made no progress for %llu ms: PROGRESS_TIMER_EVENT\n",
			g, c, div_u64(now - cs->noprog_since, NSEC_PER_MSEC));
		cs->stalled = true;
		cs->noprog_since = now;
		csg_event(s, g, CSG_EVT_PROGRESS_TIMER, p);
		deadline = now + timeout;
	}
	if (!p->wake_ns || deadline < p->wake_ns)
		p->wake_ns = deadline;
}

/*
 * Run one stream for up to a slice, in steps, stopping after the step in
 * which a doorbell rang; returns true when it is idle (empty ring or
 * waiting).
 */
static bool fw_run_cs(struct msim *s, int g, int c, int as, struct msim_fw_pass *p)
{
	struct msim_cs *cs = &s->csg[g].cs[c];
	u32 in = MSIM_CS_INPUT(g, c);
	struct msim_cs_ctx ctx = { .s = s, .as = as };
	enum msim_cs_result r;
	unsigned int left = MSIM_SLICE, n;
	u64 ring_in, ring_out;

	if (cs->fatal || cs->stalled) {
		fw_cs_progress(s, g, c, !cs->fatal, p);
		return cs->fatal;
	}

	ctx.ring_base = fw_rd64(s, in + CS_IN_RING_BASE);
	ctx.ring_size = fw_rd32(s, in + CS_IN_RING_SIZE);
	ring_in = fw_rd64(s, in + CS_IN_RING_INPUT);
	ring_out = fw_rd64(s, in + CS_IN_RING_OUTPUT);
	if (msim_mem_read(s, 0, ring_in + RING_IN_INSERT, &ctx.insert, 8))
		return true;

	/*
	 * A stream blocked on TILER_OOM waits for the host to acknowledge it
	 * (an unanswered OOM blocks it for good, as on hardware), then takes
	 * the answer the host wrote beside the acknowledgment.
	 */
	r = MSIM_CS_YIELD;
	if (cs->oom) {
		u32 req = fw_rd32(s, in + CS_IN_REQ);
		u32 ack = fw_rd32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_ACK);

		if ((req ^ ack) & CS_EVT_TILER_OOM) {
			fw_cs_progress(s, g, c, false, p);
			p->poll = true;
			return false;
		}
		r = msim_cs_heap_answer(&ctx, cs, fw_rd64(s, in + CS_IN_HEAP_START),
					fw_rd64(s, in + CS_IN_HEAP_END));
	}

	/* The first step always runs (progress however often the host rings). */
	while (r == MSIM_CS_YIELD &&
	       (left == MSIM_SLICE || (left && !cs->slow_until && !fw_kicked(s)))) {
		n = min_t(unsigned int, left, MSIM_STEP);
		r = msim_cs_run(&ctx, cs, n);
		left -= n;
	}

	msim_mem_write(s, 0, ring_out + RING_OUT_EXTRACT, &cs->extract, 8);
	{
		u32 active = r != MSIM_CS_IDLE;

		msim_mem_write(s, 0, ring_out + RING_OUT_ACTIVE, &active, 4);
	}
	if (ctx.sync_updated)
		csg_event(s, g, CSG_EVT_SYNC_UPDATE, p);
	fw_cs_report_wait(s, g, c, &ctx, r == MSIM_CS_BLOCKED);
	fw_cs_report_mmu_stall(s, g, c, as, r == MSIM_CS_MMU_STALL);
	fw_cs_progress(s, g, c, r == MSIM_CS_BLOCKED || r == MSIM_CS_STALLED, p);

	switch (r) {
	case MSIM_CS_IDLE:
		return true;
	case MSIM_CS_BLOCKED:
		p->poll = true;
		return true;
	case MSIM_CS_YIELD:
		if (cs->slow_until)
			p->poll = true;
		else
			p->again = true;
		return false;
	case MSIM_CS_MMU_STALL:
		/* not idle: it waits for the driver to unlock a region */
		p->poll = true;
		return false;
	case MSIM_CS_TILER_OOM: {
		u32 out = MSIM_CS_OUTPUT(g, c);

		fw_wr64(s, out + CS_OUT_HEAP_ADDRESS, ctx.heap_ctx);
		fw_wr32(s, out + CS_OUT_HEAP_VT_START, ctx.vt_start);
		fw_wr32(s, out + CS_OUT_HEAP_VT_END, ctx.vt_end);
		fw_wr32(s, out + CS_OUT_HEAP_FRAG_END, ctx.frag_end);
		cs->oom = true;
		cs_event(s, g, c, CS_EVT_TILER_OOM, p);
		p->poll = true;
		return false;
	}
	case MSIM_CS_STALLED:
		pr_info("mali_sim: CSG%d CS%d stalled (instruction budget or knob)\n", g, c);
		return false;
	case MSIM_CS_FATAL:
		fw_wr32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_FATAL, ctx.fatal_type);
		fw_wr64(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_FATAL_INFO, ctx.fatal_info);
		cs_event(s, g, c, CS_EVT_FATAL, p);
		return true;
	}
	return true;
}

/* --- suspend buffers ---------------------------------------------------------------- */

/*
 * What a suspended stream leaves in its group's suspend buffer (MCU VA in
 * CSG input suspend_buf, one MSIM_CS_SAVE_STRIDE slot per stream), so the
 * group can resume on any CSG slot where it stopped.
 */
struct msim_cs_save {
	u32 magic;
	u32 flags;
	u64 extract;
	u32 depth;
	u32 pad;
	struct msim_call stack[MSIM_CALL_DEPTH];
	u32 regs[MSIM_CS_REGS];
	u64 heap_ctx;
};

#define MSIM_SAVE_MAGIC		0x53415645	/* "SAVE" */
#define MSIM_SAVE_STALLED	BIT(0)
#define MSIM_SAVE_FATAL		BIT(1)

static_assert(sizeof(struct msim_cs_save) <= MSIM_CS_SAVE_STRIDE);

static void fw_cs_save(struct msim *s, int g, int c)
{
	struct msim_cs *cs = &s->csg[g].cs[c];
	u64 buf = fw_rd64(s, MSIM_CSG_INPUT(g) + CSG_IN_SUSPEND_BUF);
	struct msim_cs_save sv = {
		.magic = MSIM_SAVE_MAGIC,
		.flags = (cs->stalled ? MSIM_SAVE_STALLED : 0) |
			 (cs->fatal ? MSIM_SAVE_FATAL : 0),
		.extract = cs->extract,
		.depth = cs->depth,
		.heap_ctx = cs->heap_ctx,
	};

	if (!buf)
		return;
	memcpy(sv.stack, cs->stack, sizeof(sv.stack));
	memcpy(sv.regs, cs->regs, sizeof(sv.regs));
	msim_mem_write(s, 0, buf + c * MSIM_CS_SAVE_STRIDE, &sv, sizeof(sv));
}

/* Start a stream: from its saved state when the group resumes, else afresh. */
static void fw_cs_start(struct msim *s, int g, int c, bool resume)
{
	struct msim_cs *cs = &s->csg[g].cs[c];
	u64 ring_in = fw_rd64(s, MSIM_CS_INPUT(g, c) + CS_IN_RING_INPUT);
	u64 buf = fw_rd64(s, MSIM_CSG_INPUT(g) + CSG_IN_SUSPEND_BUF);
	struct msim_cs_save sv;
	u64 extract = 0;

	/* The host says how far the ring was consumed. */
	msim_mem_read(s, 0, ring_in + 8, &extract, 8);
	msim_cs_start(cs, extract);
	if (!resume || !buf ||
	    msim_mem_read(s, 0, buf + c * MSIM_CS_SAVE_STRIDE, &sv, sizeof(sv)) ||
	    sv.magic != MSIM_SAVE_MAGIC || sv.depth > MSIM_CALL_DEPTH ||
	    sv.extract != extract)
		return;
	cs->extract = sv.extract;
	cs->depth = sv.depth;
	cs->stalled = sv.flags & MSIM_SAVE_STALLED;
	cs->fatal = sv.flags & MSIM_SAVE_FATAL;
	memcpy(cs->stack, sv.stack, sizeof(cs->stack));
	memcpy(cs->regs, sv.regs, sizeof(cs->regs));
	cs->heap_ctx = sv.heap_ctx;
}

/* --- command stream groups ------------------------------------------------------------ */

/* A group's requests, and its streams': answered before any stream runs. */
static void fw_csg_requests(struct msim *s, int g, int streams, struct msim_fw_pass *p)
{
	struct msim_csg *csg = &s->csg[g];
	u32 req = fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_REQ);
	u32 ack = fw_rd32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_ACK);
	u32 mask = fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_ACK_IRQ_MASK);
	u32 new_ack = ack, db;
	bool resume = false;
	int c;

	if (csg->hung)
		return;
	if ((req ^ ack) & (CSG_REQ_STATE_MASK | CSG_REQ_STATUS_UPDATE) &&
	    READ_ONCE(msim_knobs.csg_hang) > 0) {
		WRITE_ONCE(msim_knobs.csg_hang, READ_ONCE(msim_knobs.csg_hang) - 1);
		csg->hung = true;
		pr_info("mali_sim: CSG%d hangs on request 0x%08x (ack 0x%08x): csg_hang knob, %d left\n",
			g, req, ack, READ_ONCE(msim_knobs.csg_hang));
		return;
	}

	if ((req ^ ack) & CSG_REQ_STATE_MASK) {
		switch (req & CSG_REQ_STATE_MASK) {
		case CSG_STATE_RESUME:
			resume = true;
			fallthrough;
		case CSG_STATE_START:
			csg->running = true;
			csg->idle = false;
			break;
		case CSG_STATE_SUSPEND:
			/* Streams stop where they are, their state saved. */
			for (c = 0; c < streams; c++) {
				if (csg->running && csg->cs[c].running)
					fw_cs_save(s, g, c);
			}
			fallthrough;
		default:
			csg->running = false;
			for (c = 0; c < MSIM_NUM_CS; c++)
				csg->cs[c].running = false;
			break;
		}
		new_ack = (new_ack & ~CSG_REQ_STATE_MASK) | (req & CSG_REQ_STATE_MASK);
	}

	/* Stream requests: start/stop and the idle-report configuration. */
	for (c = 0; c < streams; c++) {
		u32 creq = fw_rd32(s, MSIM_CS_INPUT(g, c) + CS_IN_REQ);
		u32 cack = fw_rd32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_ACK);
		u32 cnew = (cack & ~(CS_REQ_STATE_MASK | CS_REQ_CONFIG_BITS)) |
			   (creq & (CS_REQ_STATE_MASK | CS_REQ_CONFIG_BITS));
		struct msim_cs *cs = &csg->cs[c];

		if ((creq ^ cack) & CS_REQ_STATE_MASK) {
			if ((creq & CS_REQ_STATE_MASK) == CS_STATE_START && csg->running)
				fw_cs_start(s, g, c, resume);
			else
				cs->running = false;
		} else if ((creq & CS_REQ_STATE_MASK) == CS_STATE_START && csg->running &&
			   !cs->running && (req ^ ack) & CSG_REQ_STATE_MASK) {
			/* Group (re)started with the stream already requested started. */
			fw_cs_start(s, g, c, resume);
		}
		if (cnew != cack)
			fw_wr32(s, MSIM_CS_OUTPUT(g, c) + CS_OUT_ACK, cnew);
	}

	if ((req ^ new_ack) & CSG_REQ_TOGGLES) {
		if ((req ^ new_ack) & CSG_REQ_STATUS_UPDATE)
			fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_STATUS_STATE,
				csg->idle ? CSG_STATUS_IDLE : 0);
		new_ack = (new_ack & ~CSG_REQ_TOGGLES) | (req & CSG_REQ_TOGGLES);
	}
	if (new_ack != ack) {
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_ACK, new_ack);
		if ((new_ack ^ ack) & mask)
			p->job_irq |= BIT(g);
	}

	db = fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_DB_REQ);
	if (db != fw_rd32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_DB_ACK))
		fw_wr32(s, MSIM_CSG_OUTPUT(g) + CSG_OUT_DB_ACK, db);
}

/*
 * Run a group's started streams, a slice each. Returns false when a
 * doorbell cut that short (the group's idle state then stays as it was:
 * not every stream ran). The first stream always runs a step, so that
 * the streams make progress however often the host rings.
 */
static bool fw_csg_run(struct msim *s, int g, int streams, struct msim_fw_pass *p)
{
	struct msim_csg *csg = &s->csg[g];
	bool idle = true;
	int c, as;

	if (!csg->running || csg->hung)
		return true;

	as = fw_rd32(s, MSIM_CSG_INPUT(g) + CSG_IN_CONFIG) & 0xf;
	for (c = 0; c < streams; c++) {
		if (csg->cs[c].running && !fw_run_cs(s, g, c, as, p))
			idle = false;
		if (c + 1 < streams && fw_kicked(s))
			return false;
	}
	if (idle && !csg->idle) {
		csg->idle = true;
		csg_event(s, g, CSG_EVT_IDLE, p);
	} else if (!idle) {
		csg->idle = false;
	}
	return true;
}

/*
 * The firmware's answers: the global interface's requests, then every
 * group's and its streams', and the interrupt for them. Returns false when
 * the MCU halted. Fills in each group's number of streams.
 */
static bool fw_process_requests(struct msim *s, struct msim_fw_pass *p, int *groups,
				int *streams)
{
	int g;

	if (!fw_process_glb(s, p))
		return false;
	if (s->fw_hung) {
		/* fw_hang_rearm: the global answer goes out, then nothing */
		msim_job_irq(s, p->job_irq);
		p->job_irq = 0;
		return false;
	}

	*groups = min_t(u32, fw_rd32(s, GLB_CTL_GROUP_NUM), MSIM_NUM_CSG);
	for (g = 0; g < *groups; g++) {
		streams[g] = min_t(u32, fw_rd32(s, MSIM_CSG_CONTROL + g * MSIM_CSG_STRIDE +
						 CSG_CTL_STREAM_NUM), MSIM_NUM_CS);
		fw_csg_requests(s, g, streams[g], p);
	}
	msim_job_irq(s, p->job_irq);
	p->job_irq = 0;
	return true;
}

/* Say when a doorbell's answer came late: a driver's timeout may follow. */
static void fw_answered(struct msim *s, u64 kick_ns)
{
	u64 ms = div_u64(ktime_get_ns() - kick_ns, NSEC_PER_MSEC);

	if (kick_ns && ms > 20)
		pr_info_ratelimited("mali_sim: the firmware answered a doorbell after %llu ms\n", ms);
}

/*
 * A doorbell's answer, at once: a high-priority work, so that the guest's
 * scheduler runs it ahead of the driver's thread that waits for the
 * answer, and of the streams, which fw_work runs at normal priority. (When
 * the host leaves the whole guest without a CPU for longer than the
 * driver's timeout, the waiter's timer fires as soon as the guest runs
 * again: the answer must come first, as it would have from an MCU that
 * did not stop meanwhile.) It waits for fw_work's current step at most:
 * fw_work ends its pass when a doorbell rang, and only this work queues
 * it again, after the answer.
 */
void msim_req_work(struct work_struct *work)
{
	struct msim *s = container_of(work, struct msim, req_work);
	struct msim_fw_pass p = {};
	int groups, streams[MSIM_NUM_CSG];
	unsigned long flags;
	bool running;
	u64 kick_ns;

	mutex_lock(&s->fw_lock);
	spin_lock_irqsave(&s->lock, flags);
	s->fw_kick = false;
	kick_ns = s->fw_kick_ns;
	/* Booting, halted, stopped or hung firmware: fw_work's business. */
	running = s->mcu_status == MSIM_MCU_ST_ENABLED && s->fw_booted && !s->fw_hung &&
		  s->clk_on;
	spin_unlock_irqrestore(&s->lock, flags);
	if (running && !READ_ONCE(msim_knobs.fw_hang) &&
	    fw_process_requests(s, &p, &groups, streams))
		fw_answered(s, kick_ns);
	mutex_unlock(&s->fw_lock);
	/* Then the streams (a doorbell on a stream's ring means more work). */
	queue_work(system_unbound_wq, &s->fw_work);
}

void msim_fw_work(struct work_struct *work)
{
	struct msim *s = container_of(work, struct msim, fw_work);
	struct msim_fw_pass p = {};
	unsigned long flags;
	bool boot, clocked;
	int g, i, groups, streams[MSIM_NUM_CSG];
	u32 status;

	mutex_lock(&s->fw_lock);
	spin_lock_irqsave(&s->lock, flags);
	status = s->mcu_status;
	boot = status == MSIM_MCU_ST_ENABLED && !s->fw_booted;
	clocked = s->clk_on;
	spin_unlock_irqrestore(&s->lock, flags);

	/* A gated clock freezes the MCU: enabling the clock queues it again. */
	if (status != MSIM_MCU_ST_ENABLED || !clocked)
		goto out;

	if (boot) {
		if (READ_ONCE(msim_knobs.boot_fail) > 0) {
			WRITE_ONCE(msim_knobs.boot_fail, READ_ONCE(msim_knobs.boot_fail) - 1);
			pr_info("mali_sim: MCU: the firmware crashes while it boots (boot_fail knob, %d left)\n",
				READ_ONCE(msim_knobs.boot_fail));
			msim_set_mcu_status(s, MSIM_MCU_ST_FATAL);
			goto out;
		}
		if (!msim_fw_boot(s))
			goto out;
		/* A boot that hangs anyway (fw_hang still set) does not use one up. */
		s->fw_rearm = !READ_ONCE(msim_knobs.fw_hang) &&
			      READ_ONCE(msim_knobs.fw_hang_rearm) > 0;
		if (s->fw_rearm)
			WRITE_ONCE(msim_knobs.fw_hang_rearm,
				   READ_ONCE(msim_knobs.fw_hang_rearm) - 1);
		spin_lock_irqsave(&s->lock, flags);
		s->fw_booted = true;
		spin_unlock_irqrestore(&s->lock, flags);
		p.job_irq |= MSIM_JOB_IRQ_GLB;
	}

	/*
	 * A hang takes effect in running firmware (a freshly started MCU
	 * boots): from then on nothing is acknowledged until the MCU is
	 * stopped or the GPU reset, which also disarms the knob.
	 */
	if (READ_ONCE(msim_knobs.fw_hang)) {
		spin_lock_irqsave(&s->lock, flags);
		if (!s->fw_hung)
			pr_info("mali_sim: firmware hangs (fw_hang knob)\n");
		s->fw_hung = true;
		spin_unlock_irqrestore(&s->lock, flags);
		msim_job_irq(s, p.job_irq);
		goto out;
	}

	/*
	 * Every group's requests first, and their answers out at once, not
	 * after the slices of the streams of the groups before them (eight
	 * spinning streams once kept a CSG request waiting 20-120 ms on a
	 * loaded host: panthor gives up at 100 ms and resets the GPU).
	 */
	if (!fw_process_requests(s, &p, &groups, streams))
		goto out;

	/*
	 * Then the streams, a slice each, until a doorbell rings: req_work
	 * answers it, then queues this work again, whose streams start with
	 * the group after the one this pass stopped in, so that every group
	 * gets its turn however often the host rings.
	 */
	for (i = 0; i < groups; i++) {
		g = (s->fw_next_group + i) % groups;
		if (!fw_csg_run(s, g, streams[g], &p) || (i + 1 < groups && fw_kicked(s))) {
			s->fw_next_group = (g + 1) % groups;
			break;
		}
	}
	msim_job_irq(s, p.job_irq);
	/* After a doorbell, req_work answers it, then queues this work again. */
	if (fw_kicked(s))
		goto out;
	if (p.again)
		queue_work(system_unbound_wq, &s->fw_work);
	else if (p.poll)
		mod_delayed_work(system_unbound_wq, &s->poll_work, msecs_to_jiffies(5));
	else if (p.wake_ns)
		mod_delayed_work(system_unbound_wq, &s->poll_work,
				 nsecs_to_jiffies(p.wake_ns - min(p.wake_ns, ktime_get_ns())) + 1);
out:
	mutex_unlock(&s->fw_lock);
}
