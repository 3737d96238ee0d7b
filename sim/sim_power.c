// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, SoC glue: the GPU's power domain
 *
 * The power domain ("mali-sim,power-domain" in the board's DT,
 * #power-domain-cells = <0>) is a generic PM domain that holds the whole
 * GPU. The GPU node's power-domains names it, so the domain is on while
 * the GPU's runtime PM says active and goes off when the GPU
 * runtime-suspends (or the system suspends), as on an SoC.
 *
 * Powering it off puts the GPU where a real power-down puts it: the MCU
 * is stopped and the firmware's state is gone (it must be booted again;
 * its interface pages live in system memory and are kept, so a driver's
 * "fast" reboot of the same image works), the shader, tiler and L2 cores
 * are off, every address space's configuration, lock and TLB is lost,
 * every interrupt's RAWSTAT and MASK are cleared (and a pending line is
 * dropped), the GPU's fault, power-override, ASN hash, coherency,
 * L2_CONFIG and TIMESTAMP_OFFSET registers are back at their reset
 * values, and a stalled power controller (the pwr_stall knob) is
 * unwedged. Powering it on gives the GPU as after a cold reset. What
 * survives is what lives outside the GPU: system memory, and the
 * LATEST_FLUSH_ID count (leniency: a real GPU restarts it). A firmware
 * pass in progress is waited for before the power goes.
 *
 * Every register access (a read or write through the GPU's register
 * window, doorbells included) while the domain is off or the core clock
 * (sim_soc.c) is disabled is a protocol violation, as a real GPU would
 * answer it with a bus error or a hang: the log names the register
 * ("mali_sim: protocol violation: read of MCU_STATUS (0x00704) while the
 * GPU's power domain is off"), the read returns 0, the write is dropped,
 * and it is counted: the read-only module parameter unpowered_accesses,
 * and debugfs mali_sim/power. The domain's power-downs are counted too
 * (read-only parameter power_offs), so that a test can tell that the GPU
 * really lost its state between two points.
 *
 * A board without a "mali-sim,power-domain" node has a GPU that is
 * always powered, as before this glue existed.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pm_domain.h>

#include "sim.h"

static struct generic_pm_domain msim_pd;

/* Names of the registers that are not in an address space or a doorbell. */
static const struct {
	u32 offset;
	const char *name;
	bool wide;	/* 64-bit: _LO at offset, _HI at offset + 4 */
} msim_reg_names[] = {
	{ MSIM_GPU_ID, "GPU_ID" },
	{ MSIM_L2_FEATURES, "L2_FEATURES" },
	{ MSIM_CORE_FEATURES, "CORE_FEATURES" },
	{ MSIM_TILER_FEATURES, "TILER_FEATURES" },
	{ MSIM_MEM_FEATURES, "MEM_FEATURES" },
	{ MSIM_MMU_FEATURES, "MMU_FEATURES" },
	{ MSIM_AS_PRESENT, "AS_PRESENT" },
	{ MSIM_CSF_ID, "CSF_ID" },
	{ MSIM_GPU_IRQ + 0x0, "GPU_IRQ_RAWSTAT" },
	{ MSIM_GPU_IRQ + 0x4, "GPU_IRQ_CLEAR" },
	{ MSIM_GPU_IRQ + 0x8, "GPU_IRQ_MASK" },
	{ MSIM_GPU_IRQ + 0xc, "GPU_IRQ_STATUS" },
	{ MSIM_GPU_CMD, "GPU_COMMAND" },
	{ MSIM_GPU_STATUS, "GPU_STATUS" },
	{ MSIM_LATEST_FLUSH_LEGACY, "LATEST_FLUSH" },
	{ MSIM_GPU_FAULTSTATUS, "GPU_FAULTSTATUS" },
	{ MSIM_GPU_FAULTADDRESS, "GPU_FAULTADDRESS", true },
	{ MSIM_L2_CONFIG, "L2_CONFIG" },
	{ MSIM_PWR_KEY, "PWR_KEY" },
	{ MSIM_PWR_OVERRIDE0, "PWR_OVERRIDE0" },
	{ MSIM_PWR_OVERRIDE1, "PWR_OVERRIDE1" },
	{ MSIM_GPU_FEATURES, "GPU_FEATURES", true },
	{ MSIM_PRFCNT_FEATURES, "PRFCNT_FEATURES" },
	{ MSIM_TIMESTAMP_OFFSET, "TIMESTAMP_OFFSET", true },
	{ MSIM_CYCLE_COUNT, "CYCLE_COUNT", true },
	{ MSIM_TIMESTAMP, "TIMESTAMP", true },
	{ MSIM_THREAD_MAX_THREADS, "THREAD_MAX_THREADS" },
	{ MSIM_THREAD_MAX_WG_SIZE, "THREAD_MAX_WORKGROUP_SIZE" },
	{ MSIM_THREAD_MAX_BARRIER, "THREAD_MAX_BARRIER_SIZE" },
	{ MSIM_THREAD_FEATURES, "THREAD_FEATURES" },
	{ MSIM_SHADER_PRESENT, "SHADER_PRESENT", true },
	{ MSIM_TILER_PRESENT, "TILER_PRESENT", true },
	{ MSIM_L2_PRESENT, "L2_PRESENT", true },
	{ MSIM_PWR_READY + 0x00, "SHADER_READY", true },
	{ MSIM_PWR_READY + 0x10, "TILER_READY", true },
	{ MSIM_PWR_READY + 0x20, "L2_READY", true },
	{ MSIM_PWR_ON + 0x00, "SHADER_PWRON", true },
	{ MSIM_PWR_ON + 0x10, "TILER_PWRON", true },
	{ MSIM_PWR_ON + 0x20, "L2_PWRON", true },
	{ MSIM_PWR_OFF + 0x00, "SHADER_PWROFF", true },
	{ MSIM_PWR_OFF + 0x10, "TILER_PWROFF", true },
	{ MSIM_PWR_OFF + 0x20, "L2_PWROFF", true },
	{ MSIM_PWR_TRANS + 0x00, "SHADER_PWRTRANS", true },
	{ MSIM_PWR_TRANS + 0x10, "TILER_PWRTRANS", true },
	{ MSIM_PWR_TRANS + 0x20, "L2_PWRTRANS", true },
	{ MSIM_PWR_ACTIVE + 0x00, "SHADER_PWRACTIVE", true },
	{ MSIM_PWR_ACTIVE + 0x10, "TILER_PWRACTIVE", true },
	{ MSIM_PWR_ACTIVE + 0x20, "L2_PWRACTIVE", true },
	{ MSIM_REVIDR, "REVIDR" },
	{ MSIM_COHERENCY_FEATURES, "COHERENCY_FEATURES" },
	{ MSIM_COHERENCY_ENABLE, "COHERENCY_ENABLE" },
	{ MSIM_MCU_CONTROL, "MCU_CONTROL" },
	{ MSIM_MCU_STATUS, "MCU_STATUS" },
	{ MSIM_JOB_IRQ + 0x0, "JOB_IRQ_RAWSTAT" },
	{ MSIM_JOB_IRQ + 0x4, "JOB_IRQ_CLEAR" },
	{ MSIM_JOB_IRQ + 0x8, "JOB_IRQ_MASK" },
	{ MSIM_JOB_IRQ + 0xc, "JOB_IRQ_STATUS" },
	{ MSIM_MMU_IRQ + 0x0, "MMU_IRQ_RAWSTAT" },
	{ MSIM_MMU_IRQ + 0x4, "MMU_IRQ_CLEAR" },
	{ MSIM_MMU_IRQ + 0x8, "MMU_IRQ_MASK" },
	{ MSIM_MMU_IRQ + 0xc, "MMU_IRQ_STATUS" },
	{ MSIM_LATEST_FLUSH, "USER_LATEST_FLUSH_ID" },
};

static const char * const msim_as_reg_names[MSIM_AS_STRIDE / 4] = {
	[MSIM_AS_TRANSTAB / 4] = "TRANSTAB_LO",
	[MSIM_AS_TRANSTAB / 4 + 1] = "TRANSTAB_HI",
	[MSIM_AS_MEMATTR / 4] = "MEMATTR_LO",
	[MSIM_AS_MEMATTR / 4 + 1] = "MEMATTR_HI",
	[MSIM_AS_LOCKADDR / 4] = "LOCKADDR_LO",
	[MSIM_AS_LOCKADDR / 4 + 1] = "LOCKADDR_HI",
	[MSIM_AS_COMMAND / 4] = "COMMAND",
	[MSIM_AS_FAULTSTATUS / 4] = "FAULTSTATUS",
	[MSIM_AS_FAULTADDRESS / 4] = "FAULTADDRESS_LO",
	[MSIM_AS_FAULTADDRESS / 4 + 1] = "FAULTADDRESS_HI",
	[MSIM_AS_STATUS / 4] = "STATUS",
	[MSIM_AS_TRANSCFG / 4] = "TRANSCFG_LO",
	[MSIM_AS_TRANSCFG / 4 + 1] = "TRANSCFG_HI",
	[MSIM_AS_FAULTEXTRA / 4] = "FAULTEXTRA_LO",
	[MSIM_AS_FAULTEXTRA / 4 + 1] = "FAULTEXTRA_HI",
};

/* The register at @offset by its name, into @buf. */
static const char *msim_reg_name(u32 offset, char *buf, size_t len)
{
	u32 word = offset & ~3u;
	int i;

	if (offset >= MSIM_DOORBELL_BASE) {
		snprintf(buf, len, "DOORBELL%u",
			 (offset - MSIM_DOORBELL_BASE) / MSIM_DOORBELL_STRIDE);
		return buf;
	}
	if (offset >= MSIM_AS_BASE && offset < MSIM_AS_BASE + MSIM_NUM_AS * MSIM_AS_STRIDE) {
		u32 reg = (offset - MSIM_AS_BASE) % MSIM_AS_STRIDE;
		const char *n = msim_as_reg_names[reg / 4];

		snprintf(buf, len, "AS%u_%s", (offset - MSIM_AS_BASE) / MSIM_AS_STRIDE,
			 n ? n : "(reserved)");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(msim_reg_names); i++) {
		u32 o = msim_reg_names[i].offset;

		if (word == o) {
			snprintf(buf, len, "%s%s", msim_reg_names[i].name,
				 msim_reg_names[i].wide ? "_LO" : "");
			return buf;
		}
		if (msim_reg_names[i].wide && word == o + 4) {
			snprintf(buf, len, "%s_HI", msim_reg_names[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "register");
	return buf;
}

/**
 * msim_power_access_ok() - May the driver access the registers now?
 * @s: The simulated device, its lock held.
 * @offset: Offset of the access in the register window.
 * @write: The access is a write.
 *
 * An access while the power domain is off or the core clock disabled is
 * a protocol violation: it is logged, naming the register, and counted.
 *
 * Return: true when the GPU is powered and clocked, false when the access
 * must not reach the register (a read returns 0, a write is dropped).
 */
bool msim_power_access_ok(struct msim *s, u32 offset, bool write)
{
	char name[32];

	lockdep_assert_held(&s->lock);
	if (likely(s->pd_on && s->clk_on))
		return true;

	if (write)
		s->unpowered_writes++;
	else
		s->unpowered_reads++;
	s->last_unpowered = offset;
	msim_knobs.unpowered_accesses++;
	pr_warn_ratelimited("mali_sim: protocol violation: %s %s (0x%05x) while the GPU's %s\n",
			    write ? "write to" : "read of",
			    msim_reg_name(offset, name, sizeof(name)), offset,
			    !s->pd_on ? "power domain is off" : "clock is disabled");
	return false;
}

/* Put the GPU where a power-down leaves it (see the DOC above). */
static void msim_power_down(struct msim *s)
{
	int i;

	lockdep_assert_held(&s->fw_lock);
	lockdep_assert_held(&s->lock);

	if (s->mcu_status == MSIM_MCU_ST_ENABLED)
		pr_info("mali_sim: power domain off with the MCU running (neither halted nor disabled)\n");

	s->pd_on = false;
	s->power_offs++;
	msim_knobs.power_offs++;

	msim_gpu_reset(s);
	msim_mmu_reset(s);
	msim_mcu_reset(s);
	/* What a soft reset keeps and a power-down does not. */
	s->pwr_key = 0;
	s->pwr_override0 = 0;
	s->pwr_override1 = 0;
	memset(s->asn_hash, 0, sizeof(s->asn_hash));
	s->timestamp_offset = 0;
	msim_knobs.pwr_stall = false;

	/* The firmware's own state: it boots afresh. */
	memset(s->csg, 0, sizeof(s->csg));
	s->fw_kick = false;
	s->fw_next_group = 0;

	/* The lines are level ones: with the GPU gone, none is pending. */
	for (i = 0; i < MSIM_IRQ_COUNT; i++) {
		s->irq[i].rawstat = 0;
		s->irq[i].mask = 0;
		if (s->virq[i])
			irq_set_irqchip_state(s->virq[i], IRQCHIP_STATE_PENDING, false);
	}
}

static int msim_pd_power_on(struct generic_pm_domain *pd)
{
	struct msim *s = msim_dev;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->pd_on = true;
	s->power_ons++;
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static int msim_pd_power_off(struct generic_pm_domain *pd)
{
	struct msim *s = msim_dev;
	unsigned long flags;

	/* The firmware's pass in progress, if any, ends first. */
	mutex_lock(&s->fw_lock);
	spin_lock_irqsave(&s->lock, flags);
	msim_power_down(s);
	spin_unlock_irqrestore(&s->lock, flags);
	mutex_unlock(&s->fw_lock);
	return 0;
}

/**
 * msim_power_init() - Register the GPU's power domain, if the board has one
 * @s: The simulated device (msim_dev), its locks initialised.
 *
 * The domain starts off: the GPU is powered when a driver's device first
 * needs it.
 *
 * Return: 0 on success, a negative error code otherwise.
 */
int __init msim_power_init(struct msim *s)
{
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "mali-sim,power-domain");
	if (!np) {
		s->pd_on = true;
		return 0;
	}

	msim_pd.name = "mali-sim-gpu";
	msim_pd.power_on = msim_pd_power_on;
	msim_pd.power_off = msim_pd_power_off;
	ret = pm_genpd_init(&msim_pd, NULL, true);
	if (ret) {
		pr_err("mali_sim: power domain %pOF: %d\n", np, ret);
		goto out_put;
	}
	ret = of_genpd_add_provider_simple(np, &msim_pd);
	if (ret) {
		pr_err("mali_sim: power domain provider %pOF: %d\n", np, ret);
		pm_genpd_remove(&msim_pd);
	}
out_put:
	of_node_put(np);
	return ret;
}
