// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, GPU_CONTROL block
 *
 * Identity and feature registers of a Mali-G610, the shader/tiler/L2 power
 * state machine (PWRON/PWROFF move cores through PWRTRANS to READY, and
 * raise POWER_CHANGED), soft and hard reset (which also reset the MMU and
 * the MCU, and complete with RESET_COMPLETED), cache maintenance (completes
 * at once with CLEAN_CACHES_COMPLETED), the timestamp and cycle counters,
 * and the coherency registers.
 *
 * The "pwr_stall" knob leaves power transitions pending forever, as a
 * wedged power controller would; "reset_fail" makes soft (1) or soft and
 * hard (2) resets do nothing and never complete.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "sim.h"

void msim_gpu_reset(struct msim *s)
{
	int i;

	s->gpu_status = 0;
	s->fault_status = 0;
	s->fault_addr = 0;
	s->l2_config = 0;
	s->coherency = MSIM_COHERENCY_NONE;
	for (i = 0; i < 3; i++) {
		s->ready[i] = 0;
		s->trans[i] = 0;
	}
	s->irq[MSIM_IRQ_GPU].rawstat = 0;
}

/*
 * LATEST_FLUSH_ID counts the cache flushes. The USER page that userspace
 * maps holds it too, when the board gives that page RAM (sim_core.c).
 */
void msim_flush_id_advance(struct msim *s)
{
	s->flush_id++;
	if (s->user_page)
		WRITE_ONCE(*s->user_page, s->flush_id);
}

static const u64 msim_present[3] = {
	MSIM_SHADER_PRESENT_VAL, MSIM_TILER_PRESENT_VAL, MSIM_L2_PRESENT_VAL,
};

static u64 msim_cycles(void)
{
	/* A 100 MHz counter derived from the host's clock. */
	return div_u64(ktime_get_raw_ns(), 10);
}

/* Read one half of a 64-bit value. */
static u32 half(u64 v, u32 offset)
{
	return (offset & 4) ? upper_32_bits(v) : lower_32_bits(v);
}

bool msim_gpu_read(struct msim *s, u32 offset, u32 *val)
{
	u32 blk;

	switch (offset) {
	case MSIM_GPU_ID:
		*val = MSIM_GPU_ID_VAL;
		return true;
	case MSIM_L2_FEATURES:
		*val = MSIM_L2_FEATURES_VAL;
		return true;
	case MSIM_CORE_FEATURES:
		*val = MSIM_CORE_FEATURES_VAL;
		return true;
	case MSIM_TILER_FEATURES:
		*val = MSIM_TILER_FEATURES_VAL;
		return true;
	case MSIM_MEM_FEATURES:
		*val = MSIM_MEM_FEATURES_VAL;
		return true;
	case MSIM_MMU_FEATURES:
		*val = MSIM_MMU_FEATURES_VAL;
		return true;
	case MSIM_AS_PRESENT:
		*val = MSIM_AS_PRESENT_VAL;
		return true;
	case MSIM_CSF_ID:
		*val = MSIM_CSF_ID_VAL;
		return true;
	case MSIM_GPU_STATUS:
		*val = s->gpu_status;
		return true;
	case MSIM_LATEST_FLUSH_LEGACY:
		*val = s->flush_id;
		return true;
	case MSIM_GPU_FAULTSTATUS:
		*val = s->fault_status;
		return true;
	case MSIM_GPU_FAULTADDRESS:
	case MSIM_GPU_FAULTADDRESS + 4:
		*val = half(s->fault_addr, offset);
		return true;
	case MSIM_L2_CONFIG:
		*val = s->l2_config;
		return true;
	case MSIM_PWR_KEY:
		*val = 0;
		return true;
	case MSIM_PWR_OVERRIDE0:
		*val = s->pwr_override0;
		return true;
	case MSIM_PWR_OVERRIDE1:
		*val = s->pwr_override1;
		return true;
	case MSIM_GPU_FEATURES:
	case MSIM_GPU_FEATURES + 4:
	case MSIM_PRFCNT_FEATURES:
		*val = 0;
		return true;
	case MSIM_TIMESTAMP_OFFSET:
	case MSIM_TIMESTAMP_OFFSET + 4:
		*val = half(s->timestamp_offset, offset);
		return true;
	case MSIM_CYCLE_COUNT:
	case MSIM_CYCLE_COUNT + 4:
		*val = half(msim_cycles(), offset);
		return true;
	case MSIM_TIMESTAMP:
	case MSIM_TIMESTAMP + 4:
		*val = half(msim_cycles() + s->timestamp_offset, offset);
		return true;
	case MSIM_THREAD_MAX_THREADS:
		*val = MSIM_THREAD_MAX_THREADS_VAL;
		return true;
	case MSIM_THREAD_MAX_WG_SIZE:
		*val = MSIM_THREAD_MAX_WG_VAL;
		return true;
	case MSIM_THREAD_MAX_BARRIER:
		*val = MSIM_THREAD_MAX_BARRIER_VAL;
		return true;
	case MSIM_THREAD_FEATURES:
		*val = MSIM_THREAD_FEATURES_VAL;
		return true;
	case MSIM_TEXTURE_FEATURES_0 ... MSIM_TEXTURE_FEATURES_0 + 0xc:
		*val = offset == MSIM_TEXTURE_FEATURES_0 ? 0x00fe001e : 0;
		return true;
	case MSIM_REVIDR:
		*val = 0;
		return true;
	case MSIM_ASN_HASH_0 ... MSIM_ASN_HASH_0 + 8:
		*val = s->asn_hash[(offset - MSIM_ASN_HASH_0) / 4];
		return true;
	case MSIM_COHERENCY_FEATURES:
		*val = MSIM_COHERENCY_ACE_LITE | BIT(MSIM_COHERENCY_NONE);
		return true;
	case MSIM_COHERENCY_ENABLE:
		*val = s->coherency;
		return true;
	}

	/* Present / ready / transition / active: three 64-bit registers per block. */
	if (offset >= MSIM_SHADER_PRESENT && offset < MSIM_SHADER_PRESENT + 0x30 &&
	    !(offset & 0x8)) {
		*val = half(msim_present[(offset - MSIM_SHADER_PRESENT) / 0x10], offset);
		return true;
	}
	if (offset >= MSIM_PWR_READY && offset < MSIM_PWR_READY + 0x30 && !(offset & 0x8)) {
		blk = (offset - MSIM_PWR_READY) / 0x10;
		*val = half(s->ready[blk], offset);
		return true;
	}
	if (offset >= MSIM_PWR_TRANS && offset < MSIM_PWR_TRANS + 0x30 && !(offset & 0x8)) {
		blk = (offset - MSIM_PWR_TRANS) / 0x10;
		*val = half(s->trans[blk], offset);
		return true;
	}
	if (offset >= MSIM_PWR_ACTIVE && offset < MSIM_PWR_ACTIVE + 0x30 && !(offset & 0x8)) {
		*val = 0;
		return true;
	}
	return false;
}

static void msim_power(struct msim *s, u32 blk, u64 mask, bool on)
{
	mask &= msim_present[blk];
	if (!mask)
		return;
	if (msim_knobs.pwr_stall) {
		s->trans[blk] |= mask;
		return;
	}
	if (on)
		s->ready[blk] |= mask;
	else
		s->ready[blk] &= ~mask;
	s->trans[blk] &= ~mask;
	msim_irq_raise(s, MSIM_IRQ_GPU, MSIM_GPU_IRQ_POWER_CHANGED |
		       MSIM_GPU_IRQ_POWER_ALL);
}

static void msim_gpu_cmd(struct msim *s, u32 cmd)
{
	u32 payload = cmd >> 8;

	switch (cmd & 0xff) {
	case MSIM_CMD_NOP:
		break;
	case MSIM_CMD_RESET:
		if (payload != 1 && payload != 2) {
			pr_info("mali_sim: bad reset command 0x%x\n", cmd);
			break;
		}
		if (READ_ONCE(msim_knobs.reset_fail) >= payload) {
			pr_info("mali_sim: %s reset never completes (reset_fail knob)\n",
				payload == 1 ? "soft" : "hard");
			break;
		}
		msim_gpu_reset(s);
		msim_mmu_reset(s);
		msim_mcu_reset(s);
		/* A reset gets the power controller out of a stall. */
		msim_knobs.pwr_stall = false;
		msim_irq_raise(s, MSIM_IRQ_GPU, MSIM_GPU_IRQ_RESET_DONE);
		break;
	case MSIM_CMD_TIME:
		break;
	case MSIM_CMD_FLUSH_CACHES:
		msim_flush_id_advance(s);
		msim_irq_raise(s, MSIM_IRQ_GPU, MSIM_GPU_IRQ_CLEAN_DONE);
		break;
	case MSIM_CMD_CLEAR_FAULT:
		s->fault_status = 0;
		s->fault_addr = 0;
		break;
	default:
		/* Garbage: the GPU reports a fault rather than doing anything. */
		s->fault_status = MSIM_EXC_GPU_BUS_FAULT;
		s->fault_addr = cmd;
		msim_irq_raise(s, MSIM_IRQ_GPU, MSIM_GPU_IRQ_FAULT);
		break;
	}
}

bool msim_gpu_write(struct msim *s, u32 offset, u32 val)
{
	u32 blk;

	switch (offset) {
	case MSIM_GPU_CMD:
		msim_gpu_cmd(s, val);
		return true;
	case MSIM_L2_CONFIG:
		s->l2_config = val;
		return true;
	case MSIM_PWR_KEY:
		s->pwr_key = val;
		return true;
	case MSIM_PWR_OVERRIDE0:
		s->pwr_override0 = val;
		return true;
	case MSIM_PWR_OVERRIDE1:
		s->pwr_override1 = val;
		return true;
	case MSIM_TIMESTAMP_OFFSET:
		s->timestamp_offset = (s->timestamp_offset & ~0xffffffffULL) | val;
		return true;
	case MSIM_TIMESTAMP_OFFSET + 4:
		s->timestamp_offset = lower_32_bits(s->timestamp_offset) | ((u64)val << 32);
		return true;
	case MSIM_ASN_HASH_0 ... MSIM_ASN_HASH_0 + 8:
		s->asn_hash[(offset - MSIM_ASN_HASH_0) / 4] = val;
		return true;
	case MSIM_COHERENCY_ENABLE:
		s->coherency = val;
		return true;
	}

	if (offset >= MSIM_PWR_ON && offset < MSIM_PWR_ON + 0x30 && !(offset & 0x8)) {
		blk = (offset - MSIM_PWR_ON) / 0x10;
		msim_power(s, blk, (u64)val << ((offset & 4) ? 32 : 0), true);
		return true;
	}
	if (offset >= MSIM_PWR_OFF && offset < MSIM_PWR_OFF + 0x30 && !(offset & 0x8)) {
		blk = (offset - MSIM_PWR_OFF) / 0x10;
		msim_power(s, blk, (u64)val << ((offset & 4) ? 32 : 0), false);
		return true;
	}
	return false;
}
