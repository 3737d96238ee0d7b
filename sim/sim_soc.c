// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, SoC glue: the GPU's clock
 *
 * What the SoC around a real GPU gives it, as providers a driver reaches
 * through the ordinary kernel APIs, so that its clock handling is
 * exercised as on hardware rather than against a fixed-clock.
 *
 * The clock ("mali-sim,clock" in the board's DT, #clock-cells = <0>, its
 * rate at boot in "clock-frequency", its name in "clock-output-names") is
 * the GPU's core clock. Its rate can be set to anything from
 * MSIM_CLK_MIN_HZ to MSIM_CLK_MAX_HZ and is taken exactly (a request
 * outside the range is clamped to it), so that every OPP of the board's
 * table is reached as written and devfreq can move between them. Its
 * prepare and enable state is the simulator's to read: the read-only
 * module parameter clk_rate_hz reports the rate, and debugfs
 * mali_sim/power the whole state (see msim_soc_debugfs()).
 *
 * A board without a "mali-sim,clock" node has a GPU whose clock always
 * runs, as before this glue existed.
 *
 * While the clock is disabled the GPU keeps its state but does nothing:
 * the MCU is frozen (sim_mcu.c), and a register access is a protocol
 * violation (sim_power.c, which also holds the GPU's power domain).
 */
#include <linux/clk-provider.h>
#include <linux/debugfs.h>
#include <linux/minmax.h>
#include <linux/of.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sim.h"

#define MSIM_CLK_MIN_HZ		10000000UL	/* 10 MHz */
#define MSIM_CLK_MAX_HZ		1000000000UL	/* 1 GHz */
#define MSIM_CLK_DEFAULT_HZ	200000000UL

struct msim_clk {
	struct clk_hw hw;
	struct msim *s;
};

static struct msim *clk_sim(struct clk_hw *hw)
{
	return container_of(hw, struct msim_clk, hw)->s;
}

static int msim_clk_prepare(struct clk_hw *hw)
{
	WRITE_ONCE(clk_sim(hw)->clk_prepared, true);
	return 0;
}

static void msim_clk_unprepare(struct clk_hw *hw)
{
	WRITE_ONCE(clk_sim(hw)->clk_prepared, false);
}

static int msim_clk_is_prepared(struct clk_hw *hw)
{
	return READ_ONCE(clk_sim(hw)->clk_prepared);
}

static int msim_clk_enable(struct clk_hw *hw)
{
	struct msim *s = clk_sim(hw);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->clk_on = true;
	/* A firmware frozen by the gated clock runs again. */
	if (s->mcu_status == MSIM_MCU_ST_ENABLED)
		queue_work(system_unbound_wq, &s->fw_work);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static void msim_clk_disable(struct clk_hw *hw)
{
	struct msim *s = clk_sim(hw);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->clk_on = false;
	spin_unlock_irqrestore(&s->lock, flags);
}

static int msim_clk_is_enabled(struct clk_hw *hw)
{
	return READ_ONCE(clk_sim(hw)->clk_on);
}

static unsigned long msim_clk_recalc_rate(struct clk_hw *hw, unsigned long parent_rate)
{
	return READ_ONCE(clk_sim(hw)->clk_rate);
}

static int msim_clk_determine_rate(struct clk_hw *hw, struct clk_rate_request *req)
{
	unsigned long lo = max(req->min_rate, MSIM_CLK_MIN_HZ);
	unsigned long hi = min(req->max_rate, MSIM_CLK_MAX_HZ);

	if (lo > hi)
		return -EINVAL;
	req->rate = clamp(req->rate, lo, hi);
	return 0;
}

static int msim_clk_set_rate(struct clk_hw *hw, unsigned long rate,
			     unsigned long parent_rate)
{
	struct msim *s = clk_sim(hw);

	if (rate < MSIM_CLK_MIN_HZ || rate > MSIM_CLK_MAX_HZ)
		return -EINVAL;
	WRITE_ONCE(s->clk_rate, rate);
	WRITE_ONCE(msim_knobs.clk_rate_hz, rate);
	s->clk_rate_changes++;
	return 0;
}

static const struct clk_ops msim_clk_ops = {
	.prepare = msim_clk_prepare,
	.unprepare = msim_clk_unprepare,
	.is_prepared = msim_clk_is_prepared,
	.enable = msim_clk_enable,
	.disable = msim_clk_disable,
	.is_enabled = msim_clk_is_enabled,
	.recalc_rate = msim_clk_recalc_rate,
	.determine_rate = msim_clk_determine_rate,
	.set_rate = msim_clk_set_rate,
};

/* Register the "mali-sim,clock" node's clock, if the board has one. */
static int __init msim_clk_init(struct msim *s)
{
	struct clk_init_data init = { .ops = &msim_clk_ops };
	struct device_node *np;
	struct msim_clk *c;
	u32 rate = MSIM_CLK_DEFAULT_HZ;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "mali-sim,clock");
	if (!np) {
		/* No clock to gate: the GPU's always runs. */
		s->clk_prepared = true;
		s->clk_on = true;
		s->clk_rate = MSIM_CLK_DEFAULT_HZ;
		msim_knobs.clk_rate_hz = s->clk_rate;
		return 0;
	}

	of_property_read_u32(np, "clock-frequency", &rate);
	s->clk_rate = clamp_t(unsigned long, rate, MSIM_CLK_MIN_HZ, MSIM_CLK_MAX_HZ);
	msim_knobs.clk_rate_hz = s->clk_rate;

	init.name = np->name;
	of_property_read_string(np, "clock-output-names", &init.name);

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		ret = -ENOMEM;
		goto out_put;
	}
	c->s = s;
	c->hw.init = &init;
	ret = clk_hw_register(NULL, &c->hw);
	if (ret) {
		pr_err("mali_sim: clock %pOF: %d\n", np, ret);
		kfree(c);
		goto out_put;
	}
	ret = of_clk_add_hw_provider(np, of_clk_hw_simple_get, &c->hw);
	if (ret) {
		pr_err("mali_sim: clock provider %pOF: %d\n", np, ret);
		clk_hw_unregister(&c->hw);
		kfree(c);
	}
out_put:
	of_node_put(np);
	return ret;
}

/**
 * msim_soc_init() - Register the SoC's providers for the simulated GPU
 * @s: The simulated device, its lock initialised.
 *
 * Called once, at boot, before the board's devices are populated.
 *
 * Return: 0 on success, a negative error code otherwise.
 */
int __init msim_soc_init(struct msim *s)
{
	return msim_clk_init(s);
}

/*
 * debugfs mali_sim/power: the GPU's clock and power domain, one "key:
 * value" per line: clk_prepared, clk_enabled (0/1), clk_rate_hz,
 * clk_rate_changes; power_domain_on (0/1), power_ons, power_offs;
 * unpowered_reads, unpowered_writes (register accesses while the domain
 * was off or the clock disabled: protocol violations) and
 * last_unpowered_offset.
 */
static int msim_power_show(struct seq_file *m, void *unused)
{
	struct msim *s = m->private;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	seq_printf(m, "clk_prepared: %d\n", s->clk_prepared);
	seq_printf(m, "clk_enabled: %d\n", s->clk_on);
	seq_printf(m, "clk_rate_hz: %lu\n", s->clk_rate);
	seq_printf(m, "clk_rate_changes: %llu\n", s->clk_rate_changes);
	seq_printf(m, "power_domain_on: %d\n", s->pd_on);
	seq_printf(m, "power_ons: %llu\n", s->power_ons);
	seq_printf(m, "power_offs: %llu\n", s->power_offs);
	seq_printf(m, "unpowered_reads: %llu\n", s->unpowered_reads);
	seq_printf(m, "unpowered_writes: %llu\n", s->unpowered_writes);
	seq_printf(m, "last_unpowered_offset: 0x%05x\n", s->last_unpowered);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(msim_power);

void msim_soc_debugfs(struct msim *s, struct dentry *dir)
{
	debugfs_create_file("power", 0444, dir, s, &msim_power_fops);
}
