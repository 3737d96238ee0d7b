// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, device glue
 *
 * Registers the simulated GPU's register window with logic_iomem, so that
 * a driver's ordinary ioremap()/readl()/writel() on the GPU node's "reg"
 * range land in the simulator, and creates an irq_sim domain bound to the
 * board DT's "mali-sim,irq" interrupt controller, so that the GPU node's
 * named interrupts ("job", "mmu", "gpu") resolve unchanged.
 *
 * Interrupts are level-triggered on hardware. irq_sim only knows edges, so
 * a line is (re-)raised whenever RAWSTAT & MASK becomes non-zero, and after
 * every write to a CLEAR or MASK register while it still is.
 *
 * Registers that are not modelled read as zero, ignore writes, and are
 * logged once per offset so that gaps in the model show up in the log.
 *
 * The USER page (GPU base + 0x10000, LATEST_FLUSH_ID) is the one page of
 * the window that drivers map into userspace, by its physical address.
 * UML can map into a process only pages of its own RAM (phys_mapping()
 * knows no other), so the board puts the GPU's window in RAM that its
 * DT reserves (/reserved-memory, mali-sim.dts): the driver's accesses
 * still go through logic_iomem, and the page behind LATEST_FLUSH_ID is
 * a real one that the simulator keeps holding the current flush ID.
 * Elsewhere (a guest with too little memory) the register works but a
 * mapping of the page cannot be read: UML's flush of the process's page
 * tables fails to map the page from the host, and the process is killed
 * (SIGSEGV, with a "still has locks held" report from UML). The log says
 * so, and the knob user_page (sim_knobs.c) reads N.
 *
 * The GPU's clock and power domain are the simulator's own providers
 * (sim_soc.c, sim_power.c): a register access while the domain is off
 * or the clock disabled does not reach the registers, and is a protocol
 * violation.
 */
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/logic_iomem.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/slab.h>

#include "sim.h"

struct msim *msim_dev;

/*
 * With the irq_delay_us knob, a line that becomes asserted reaches the CPU
 * only that long after: a timer per line delivers it then, if it is still
 * asserted (a level line that the driver masked or cleared meanwhile is
 * not). The events themselves are in RAWSTAT at once, as on hardware.
 */
static enum hrtimer_restart msim_irq_deliver(struct hrtimer *t)
{
	struct msim *s = msim_dev;
	enum msim_irq_line line = t - s->irq_timer;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if ((s->irq[line].rawstat & s->irq[line].mask) && s->virq[line])
		irq_set_irqchip_state(s->virq[line], IRQCHIP_STATE_PENDING, true);
	spin_unlock_irqrestore(&s->lock, flags);
	return HRTIMER_NORESTART;
}

void msim_irq_update(struct msim *s, enum msim_irq_line line)
{
	struct msim_irq *irq = &s->irq[line];
	unsigned int delay = READ_ONCE(msim_knobs.irq_delay_us);

	if (!(irq->rawstat & irq->mask) || !s->virq[line])
		return;
	if (!delay) {
		irq_set_irqchip_state(s->virq[line], IRQCHIP_STATE_PENDING, true);
		return;
	}
	/* One delivery in flight per line: it sees whatever is asserted then. */
	if (!hrtimer_is_queued(&s->irq_timer[line]))
		hrtimer_start(&s->irq_timer[line], ns_to_ktime((u64)delay * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
}

void msim_irq_raise(struct msim *s, enum msim_irq_line line, u32 bits)
{
	s->irq[line].rawstat |= bits;
	msim_irq_update(s, line);
}

void msim_log_unimplemented(struct msim *s, u32 offset, bool write)
{
	if (offset >= MSIM_REG_SPACE)
		return;
	if (!test_and_set_bit(offset / 4, s->logged))
		pr_info("mali_sim: unimplemented register %s at 0x%05x\n",
			write ? "write" : "read", offset);
}

/* The four registers of an interrupt block: RAWSTAT, CLEAR, MASK, STATUS. */
static bool irq_block_read(struct msim *s, enum msim_irq_line line, u32 reg, u32 *val)
{
	struct msim_irq *irq = &s->irq[line];

	switch (reg) {
	case 0x0:
		*val = irq->rawstat;
		return true;
	case 0x8:
		*val = irq->mask;
		return true;
	case 0xc:
		*val = irq->rawstat & irq->mask;
		return true;
	}
	return false;
}

static bool irq_block_write(struct msim *s, enum msim_irq_line line, u32 reg, u32 val)
{
	struct msim_irq *irq = &s->irq[line];

	switch (reg) {
	case 0x4:
		irq->rawstat &= ~val;
		break;
	case 0x8:
		irq->mask = val;
		break;
	default:
		return false;
	}
	msim_irq_update(s, line);
	return true;
}

static int irq_line_of(u32 offset, u32 *reg)
{
	static const u32 base[MSIM_IRQ_COUNT] = {
		[MSIM_IRQ_JOB] = MSIM_JOB_IRQ,
		[MSIM_IRQ_MMU] = MSIM_MMU_IRQ,
		[MSIM_IRQ_GPU] = MSIM_GPU_IRQ,
	};
	int i;

	for (i = 0; i < MSIM_IRQ_COUNT; i++) {
		if (offset >= base[i] && offset < base[i] + 0x10) {
			*reg = offset - base[i];
			return i;
		}
	}
	return -1;
}

static u32 msim_read32(struct msim *s, u32 offset)
{
	u32 val = 0, reg;
	int line;

	line = irq_line_of(offset, &reg);
	if (line >= 0 && irq_block_read(s, line, reg, &val))
		return val;
	if (msim_gpu_read(s, offset, &val) || msim_mmu_read(s, offset, &val) ||
	    msim_mcu_read(s, offset, &val))
		return val;
	if (offset >= MSIM_DOORBELL_BASE)
		return 0;
	msim_log_unimplemented(s, offset, false);
	return 0;
}

static void msim_write32(struct msim *s, u32 offset, u32 val)
{
	u32 reg;
	int line;

	line = irq_line_of(offset, &reg);
	if (line >= 0 && irq_block_write(s, line, reg, val))
		return;
	if (offset >= MSIM_DOORBELL_BASE) {
		u32 id = (offset - MSIM_DOORBELL_BASE) / MSIM_DOORBELL_STRIDE;

		if (!(offset & (MSIM_DOORBELL_STRIDE - 1)) && id < MSIM_NUM_DOORBELLS)
			msim_doorbell(s, id);
		else
			pr_info_ratelimited("mali_sim: write to doorbell space at 0x%x\n", offset);
		return;
	}
	if (msim_gpu_write(s, offset, val) || msim_mmu_write(s, offset, val) ||
	    msim_mcu_write(s, offset, val))
		return;
	msim_log_unimplemented(s, offset, true);
}

static unsigned long msim_io_read(void *priv, unsigned int offset, int size)
{
	struct msim *s = priv;
	unsigned long flags, val;

	spin_lock_irqsave(&s->lock, flags);
	if (!msim_power_access_ok(s, offset, false)) {
		spin_unlock_irqrestore(&s->lock, flags);
		return 0;
	}
	switch (size) {
	case 4:
		val = msim_read32(s, offset & ~3u);
		break;
	case 8:
		val = msim_read32(s, offset) |
		      ((unsigned long)msim_read32(s, offset + 4) << 32);
		break;
	default:
		/* Sub-word accesses: the bus returns the containing word's bytes. */
		val = msim_read32(s, offset & ~3u) >> ((offset & 3) * 8);
		val &= size == 1 ? 0xff : 0xffff;
		break;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return val;
}

static void msim_io_write(void *priv, unsigned int offset, int size,
			  unsigned long val)
{
	struct msim *s = priv;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (!msim_power_access_ok(s, offset, true)) {
		spin_unlock_irqrestore(&s->lock, flags);
		return;
	}
	switch (size) {
	case 4:
		msim_write32(s, offset & ~3u, val);
		break;
	case 8:
		msim_write32(s, offset, lower_32_bits(val));
		msim_write32(s, offset + 4, upper_32_bits(val));
		break;
	default:
		/* Narrow writes are not supported by the GPU's register bus. */
		pr_info_ratelimited("mali_sim: %d-byte write at 0x%x ignored\n",
				    size, offset);
		break;
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static const struct logic_iomem_ops msim_io_ops = {
	.read = msim_io_read,
	.write = msim_io_write,
};

static long msim_io_map(unsigned long offset, size_t size,
			const struct logic_iomem_ops **ops, void **priv)
{
	if (offset + size > MSIM_IOMEM_SIZE)
		return -EINVAL;
	*ops = &msim_io_ops;
	*priv = msim_dev;
	return 0;
}

static const struct logic_iomem_region_ops msim_region_ops = {
	.map = msim_io_map,
};

static struct resource msim_res = {
	.name = "mali-sim",
	.flags = IORESOURCE_MEM,
};

/* Back the USER page with the reserved RAM under it, if it is RAM. */
static void __init msim_user_page(struct msim *s, phys_addr_t phys)
{
	unsigned long pfn = PHYS_PFN(phys);

	if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn))) {
		pr_info("mali_sim: USER page %pa is not reserved RAM: mappings of it cannot be read\n",
			&phys);
		return;
	}
	s->user_page = page_address(pfn_to_page(pfn));
	memset(s->user_page, 0, PAGE_SIZE);
	WRITE_ONCE(*s->user_page, s->flush_id);
	msim_knobs.user_page = true;
}

static int __init msim_init(void)
{
	struct device_node *gpu, *ic;
	struct dentry *dir;
	struct resource r;
	struct msim *s;
	int ret, i;

	ic = of_find_compatible_node(NULL, NULL, "mali-sim,irq");
	gpu = of_find_compatible_node(NULL, NULL, "arm,mali-valhall-csf");
	if (!ic || !gpu) {
		of_node_put(ic);
		of_node_put(gpu);
		return 0;	/* no simulated board in this DT */
	}

	ret = of_address_to_resource(gpu, 0, &r);
	if (ret) {
		pr_err("mali_sim: GPU node has no usable reg: %d\n", ret);
		goto out_put;
	}
	if (resource_size(&r) < MSIM_IOMEM_SIZE) {
		pr_err("mali_sim: GPU register window %pR is too small\n", &r);
		ret = -EINVAL;
		goto out_put;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		ret = -ENOMEM;
		goto out_put;
	}
	spin_lock_init(&s->lock);
	mutex_init(&s->fw_lock);
	INIT_WORK(&s->fw_work, msim_fw_work);
	INIT_WORK(&s->req_work, msim_req_work);
	INIT_DELAYED_WORK(&s->poll_work, msim_poll_work);
	for (i = 0; i < MSIM_IRQ_COUNT; i++)
		hrtimer_setup(&s->irq_timer[i], msim_irq_deliver, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL);
	msim_dev = s;
	ret = msim_soc_init(s);
	if (!ret)
		ret = msim_power_init(s);
	if (ret)
		goto out_free;
	msim_user_page(s, r.start + MSIM_LATEST_FLUSH);
	msim_gpu_reset(s);
	msim_mmu_reset(s);
	msim_mcu_reset(s);

	s->domain = irq_domain_create_sim(of_fwnode_handle(ic), MSIM_IRQ_COUNT);
	if (IS_ERR(s->domain)) {
		ret = PTR_ERR(s->domain);
		pr_err("mali_sim: irq_sim domain: %d\n", ret);
		goto out_free;
	}
	for (i = 0; i < MSIM_IRQ_COUNT; i++) {
		ret = irq_create_mapping(s->domain, i);
		if (!ret) {
			ret = -ENXIO;
			goto out_free;
		}
		s->virq[i] = ret;
	}

	msim_res.start = r.start;
	msim_res.end = r.start + MSIM_IOMEM_SIZE - 1;
	ret = logic_iomem_add_region(&msim_res, &msim_region_ops);
	if (ret) {
		pr_err("mali_sim: logic_iomem region %pR: %d\n", &msim_res, ret);
		goto out_free;
	}

	dir = debugfs_create_dir("mali_sim", NULL);
	msim_mmu_debugfs(s, dir);
	msim_soc_debugfs(s, dir);
	pr_info("mali_sim: simulated Mali-G610 at %pR, irqs %u/%u/%u\n",
		&msim_res, s->virq[0], s->virq[1], s->virq[2]);
	ret = 0;
	goto out_put;

out_free:
	/* Built in: nothing can have bound to it yet; keep it simple. */
	msim_dev = NULL;
	kfree(s);
out_put:
	of_node_put(ic);
	of_node_put(gpu);
	return ret;
}
arch_initcall(msim_init);
