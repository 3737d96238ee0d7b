// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, MMU and page-table walker
 *
 * Eight address spaces. The driver programs TRANSTAB/MEMATTR/TRANSCFG and
 * issues AS_COMMAND_UPDATE, which latches them; LOCK/UNLOCK/FLUSH_PT/
 * FLUSH_MEM complete at once (there is no TLB to maintain: every access
 * walks the tables), so AS_STATUS never reads as active.
 *
 * Every GPU memory access of the simulated MCU (address space 0) and of the
 * command streams (the group's address space) walks the driver's AArch64
 * 4K-granule stage-1 tables (levels 0 to 3, 48-bit VA) in system memory.
 * An invalid descriptor, an address beyond 48 bits, an address space that
 * is not in 4K mode, a table that points outside RAM, or a write to a
 * read-only page is an MMU fault: AS_FAULTSTATUS/AS_FAULTADDRESS are set
 * and the AS's bit is raised on the MMU interrupt, as hardware does. The
 * access itself is abandoned. The "mmu_fault" knob makes the next command
 * stream access fault.
 */
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/pfn.h>

#include "sim.h"

void msim_mmu_reset(struct msim *s)
{
	memset(s->as, 0, sizeof(s->as));
	s->irq[MSIM_IRQ_MMU].rawstat = 0;
}

static u32 as_half(u64 v, u32 reg)
{
	return (reg & 4) ? upper_32_bits(v) : lower_32_bits(v);
}

static void as_set_half(u64 *v, u32 reg, u32 val)
{
	if (reg & 4)
		*v = lower_32_bits(*v) | ((u64)val << 32);
	else
		*v = (*v & ~0xffffffffULL) | val;
}

/*
 * The address space an offset falls in, with the register's offset within
 * it in *reg; NULL outside the AS registers.
 */
static struct msim_as *as_of(struct msim *s, u32 offset, u32 *reg)
{
	if (offset < MSIM_AS_BASE || offset >= MSIM_AS_BASE + MSIM_NUM_AS * MSIM_AS_STRIDE)
		return NULL;
	*reg = (offset - MSIM_AS_BASE) % MSIM_AS_STRIDE;
	return &s->as[(offset - MSIM_AS_BASE) / MSIM_AS_STRIDE];
}

/*
 * The 64-bit register that either half at @reg belongs to, or NULL; the
 * fault registers are read-only.
 */
static u64 *as_reg64(struct msim_as *as, u32 reg, bool write)
{
	switch (reg & ~4u) {
	case MSIM_AS_TRANSTAB:
		return &as->transtab;
	case MSIM_AS_MEMATTR:
		return &as->memattr;
	case MSIM_AS_LOCKADDR:
		return &as->lockaddr;
	case MSIM_AS_TRANSCFG:
		return &as->transcfg;
	case MSIM_AS_FAULTADDRESS:
		return write ? NULL : &as->faultaddr;
	case MSIM_AS_FAULTEXTRA:
		return write ? NULL : &as->faultextra;
	}
	return NULL;
}

bool msim_mmu_read(struct msim *s, u32 offset, u32 *val)
{
	struct msim_as *as;
	u64 *r64;
	u32 reg;

	as = as_of(s, offset, &reg);
	if (!as)
		return false;
	r64 = as_reg64(as, reg, false);
	if (r64) {
		*val = as_half(*r64, reg);
		return true;
	}
	switch (reg) {
	case MSIM_AS_COMMAND:
		*val = 0;
		return true;
	case MSIM_AS_FAULTSTATUS:
		*val = as->faultstatus;
		return true;
	case MSIM_AS_STATUS:
		*val = 0;	/* commands complete immediately */
		return true;
	}
	return false;
}

bool msim_mmu_write(struct msim *s, u32 offset, u32 val)
{
	struct msim_as *as;
	u64 *r64;
	u32 reg;

	as = as_of(s, offset, &reg);
	if (!as)
		return false;
	r64 = as_reg64(as, reg, true);
	if (r64) {
		as_set_half(r64, reg, val);
		return true;
	}
	if (reg != MSIM_AS_COMMAND)
		return false;
	switch (val) {
	case MSIM_AS_CMD_NOP:
	case MSIM_AS_CMD_LOCK:
	case MSIM_AS_CMD_UNLOCK:
	case MSIM_AS_CMD_FLUSH_PT:
	case MSIM_AS_CMD_FLUSH_MEM:
		break;
	case MSIM_AS_CMD_UPDATE:
		as->live_transtab = as->transtab;
		as->live_transcfg = as->transcfg;
		break;
	default:
		pr_info_ratelimited("mali_sim: AS%ld: unknown command %u\n",
				    (long)(as - s->as), val);
		break;
	}
	return true;
}

/* Map a physical address of system RAM, or NULL when it is not RAM. */
static void *msim_phys(u64 pa)
{
	if (!pfn_valid(PHYS_PFN(pa)))
		return NULL;
	return phys_to_virt(pa);
}

static void msim_mmu_fault(struct msim *s, int asn, u64 va, u32 code, bool write)
{
	struct msim_as *as = &s->as[asn];

	lockdep_assert_held(&s->lock);
	/* The first fault sticks until the driver clears the interrupt. */
	if (!(s->irq[MSIM_IRQ_MMU].rawstat & BIT(asn))) {
		as->faultstatus = code | (write ? MSIM_FAULT_ACCESS_WRITE :
					  MSIM_FAULT_ACCESS_READ);
		as->faultaddr = va;
		as->faultextra = 0;
	}
	msim_irq_raise(s, MSIM_IRQ_MMU, BIT(asn));
}

/*
 * Translate @va in address space @asn, with s->lock held so that the
 * driver cannot switch or disable the address space under the walk.
 * Returns the kernel mapping of the
 * physical page (plus offset) or NULL, with *code set to the fault.
 */
static void *msim_translate(struct msim *s, int asn, u64 va, bool write, u32 *code)
{
	u64 table = s->as[asn].live_transtab;
	u64 cfg = s->as[asn].live_transcfg;
	u64 desc;
	u64 *tbl;
	int level;

	lockdep_assert_held(&s->lock);

	if ((cfg & MSIM_TRANSCFG_MODE_MASK) != MSIM_TRANSCFG_MODE_4K) {
		*code = MSIM_EXC_TRANSLATION(0);
		return NULL;
	}
	if (va >> 48) {
		*code = MSIM_EXC_ADDR_SIZE_IN;
		return NULL;
	}
	table &= MSIM_PTE_ADDR_MASK;
	for (level = 0; level <= 3; level++) {
		unsigned int idx = (va >> (39 - 9 * level)) & 0x1ff;

		tbl = msim_phys(table);
		if (!tbl) {
			*code = MSIM_EXC_TRANSLATION(level);
			return NULL;
		}
		desc = READ_ONCE(tbl[idx]);
		if (!(desc & MSIM_PTE_VALID)) {
			*code = MSIM_EXC_TRANSLATION(level);
			return NULL;
		}
		if (level < 3 && (desc & MSIM_PTE_TABLE)) {
			table = desc & MSIM_PTE_ADDR_MASK;
			continue;
		}
		if (level == 0 || (level == 3 && !(desc & MSIM_PTE_TABLE))) {
			/* No blocks at level 0; level 3 needs page descriptors. */
			*code = MSIM_EXC_TRANSLATION(level);
			return NULL;
		}
		if (write && (desc & MSIM_PTE_AP_RDONLY)) {
			*code = MSIM_EXC_PERMISSION(level);
			return NULL;
		}
		{
			u64 span = 1ULL << (39 - 9 * level);
			u64 pa = (desc & MSIM_PTE_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
			void *p = msim_phys(pa);

			if (!p)
				*code = MSIM_EXC_TRANSLATION(level);
			return p;
		}
	}
	*code = MSIM_EXC_TRANSLATION(3);
	return NULL;
}

static int msim_mem_access(struct msim *s, int asn, u64 va, void *buf,
			   size_t len, bool write)
{
	unsigned long flags;
	u8 *b = buf;

	if (asn < 0 || asn >= MSIM_NUM_AS)
		return MSIM_EXC_TRANSLATION(0);

	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		u32 code = 0;
		size_t i;
		u8 *p;

		spin_lock_irqsave(&s->lock, flags);
		/*
		 * Everything that accesses memory runs on the MCU: once the
		 * driver disabled it (and may be freeing the tables), nothing
		 * reaches memory any more.
		 */
		if (s->mcu_status != MSIM_MCU_ST_ENABLED) {
			spin_unlock_irqrestore(&s->lock, flags);
			return MSIM_EXC_TRANSLATION(0);
		}
		if (asn != 0 && msim_knobs.mmu_fault > 0) {
			msim_knobs.mmu_fault--;
			p = NULL;
			code = MSIM_EXC_TRANSLATION(3);
		} else {
			p = msim_translate(s, asn, va, write, &code);
		}
		if (!p) {
			msim_mmu_fault(s, asn, va, code, write);
			spin_unlock_irqrestore(&s->lock, flags);
			return code;
		}
		/* Plain copies in a file KASAN does not instrument: this is DMA. */
		if (write) {
			if (!((va | chunk) & 7)) {
				for (i = 0; i < chunk; i += 8)
					WRITE_ONCE(*(u64 *)(p + i), *(u64 *)(b + i));
			} else {
				for (i = 0; i < chunk; i++)
					WRITE_ONCE(p[i], b[i]);
			}
		} else {
			if (!((va | chunk) & 7)) {
				for (i = 0; i < chunk; i += 8)
					*(u64 *)(b + i) = READ_ONCE(*(u64 *)(p + i));
			} else {
				for (i = 0; i < chunk; i++)
					b[i] = READ_ONCE(p[i]);
			}
		}
		spin_unlock_irqrestore(&s->lock, flags);
		va += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

int msim_mem_read(struct msim *s, int as, u64 va, void *buf, size_t len)
{
	return msim_mem_access(s, as, va, buf, len, false);
}

int msim_mem_write(struct msim *s, int as, u64 va, const void *buf, size_t len)
{
	return msim_mem_access(s, as, va, (void *)buf, len, true);
}
