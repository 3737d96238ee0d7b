// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, MMU and page-table walker
 *
 * Eight address spaces. The driver programs TRANSTAB/MEMATTR/TRANSCFG and
 * issues AS_COMMAND_UPDATE, which latches them. Commands take time, as on
 * hardware: AS_STATUS reads AS_ACTIVE for as_busy_us after a command is
 * written, and the command takes effect only when it completes; a command
 * written while another is in progress is dropped, and said so in the log
 * ("protocol violation"), so a driver that does not wait is caught. An
 * access of a command stream or of the MCU to an address space whose
 * UPDATE to a translating configuration (tables in 4K mode) has not
 * completed is a protocol violation too: the driver started work on an
 * address space before it was set up (the access translates with the
 * configuration from before the UPDATE). An UPDATE that switches an
 * address space off may meet accesses: a driver disables the address space
 * of a faulting VM while other streams still run on it. With the
 * as_done_on_read knob (on unless a test turns it off), a command
 * completes only when the driver reads AS_STATUS after its time has
 * passed, so that a driver that does not wait for a command is caught
 * every time, not when it happens to lose the race: a job it starts
 * right after an UPDATE it did not wait for always makes that access.
 *
 * Each address space has a TLB (MSIM_TLB_ENTRIES 4 KiB translations in
 * MSIM_TLB_SETS sets of MSIM_TLB_WAYS, least recently used replaced, the
 * set a fold of the page number: sim/sim.h): a translation the walker
 * found is reused until the hardware would drop it (or a full set needs
 * its entry for another page), and only then: UPDATE empties the address
 * space's TLB; LOCK locks the region AS_LOCKADDR encodes, and UNLOCK,
 * FLUSH_PT and FLUSH_MEM drop the translations inside the locked region and
 * unlock it (with no region locked they drop nothing). A driver that
 * changes the page tables without that sequence leaves the GPU reading and
 * writing through stale translations, as a real GPU would (and one that
 * never unlocks a region keeps them). Invalid descriptors are not cached
 * (a fault always walks again).
 *
 * An access of a command stream to a locked region that misses the TLB
 * stalls, as on hardware, until the region is unlocked: the walk does not
 * happen (the driver is changing those tables), no fault is raised, and
 * msim_mem_read/write return MSIM_MEM_STALL, on which the CS interpreter
 * retries the instruction later (as for a blocked SYNC_WAIT). So a driver
 * that unmaps and remaps inside one locked region (panthor's remap of a
 * 2 MiB block) is not punished with a spurious fault for a job touching a
 * neighbouring page meanwhile. The simulated MCU (address space 0) cannot
 * wait: its accesses to a locked region walk the tables as they are, and
 * the result is not cached.
 *
 * Known leniency: only leaf translations are cached; there is no walk
 * cache of intermediate table descriptors. A driver that frees or reuses a
 * table page (level 0-2) without LOCK and a flush is therefore caught only
 * when a stale leaf translation shows, not when hardware would walk a
 * stale table pointer into a freed page. The walker also reads the page
 * tables coherently, and the GPU's cache maintenance (GPU_COMMAND
 * FLUSH_CACHES) completes at once and does nothing: a driver that skips
 * the L2 flush before an UNLOCK, or the cache maintenance of its table
 * pages, is not caught either.
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
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/seq_file.h>

#include "sim.h"

void msim_mmu_reset(struct msim *s)
{
	memset(s->as, 0, sizeof(s->as));
	s->irq[MSIM_IRQ_MMU].rawstat = 0;
}

static void tlb_flush_range(struct msim_as *as, u64 start, u64 end)
{
	int i;

	for (i = 0; i < MSIM_TLB_ENTRIES; i++) {
		struct msim_tlb_entry *e = &as->tlb[i];
		u64 va = (e->vpn & ~MSIM_TLB_VALID) << PAGE_SHIFT;

		if ((e->vpn & MSIM_TLB_VALID) && va >= start && va < end)
			e->vpn = 0;
	}
	as->tlb_flushes++;
}

/* The region AS_LOCKADDR encodes: a naturally aligned power of two. */
static void lock_region(u64 lockaddr, u64 *start, u64 *end)
{
	u32 width = max_t(u32, lockaddr & MSIM_LOCKADDR_WIDTH_MASK,
			  MSIM_LOCK_REGION_MIN_WIDTH);
	u64 size = width >= 63 ? 0 : 1ULL << (width + 1);

	if (!size) {
		*start = 0;
		*end = U64_MAX;
		return;
	}
	*start = lockaddr & ~0xfffULL & ~(size - 1);
	*end = *start + size;
}

/*
 * Complete the command in progress once its time has passed: this is when
 * it takes effect. With as_done_on_read, only the driver's read of
 * AS_STATUS (@status_read) completes it. Called with s->lock held before
 * anything reads or uses the address space's state.
 */
static void as_settle(struct msim_as *as, bool status_read)
{
	if (!as->busy_cmd || ktime_get_ns() < as->busy_until)
		return;
	if (msim_knobs.as_done_on_read && !status_read)
		return;
	switch (as->busy_cmd) {
	case MSIM_AS_CMD_UPDATE:
		as->live_transtab = as->cmd_transtab;
		as->live_transcfg = as->cmd_transcfg;
		tlb_flush_range(as, 0, U64_MAX);
		as->stall_vpn = 0;
		break;
	case MSIM_AS_CMD_LOCK:
		lock_region(as->cmd_lockaddr, &as->lock_start, &as->lock_end);
		as->stall_vpn = 0;
		break;
	case MSIM_AS_CMD_UNLOCK:
	case MSIM_AS_CMD_FLUSH_PT:
	case MSIM_AS_CMD_FLUSH_MEM:
		if (as->lock_end > as->lock_start)
			tlb_flush_range(as, as->lock_start, as->lock_end);
		as->lock_start = as->lock_end = 0;
		as->stall_vpn = 0;
		break;
	}
	as->busy_cmd = 0;
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
		as_settle(as, true);
		*val = as->busy_cmd ? MSIM_AS_STATUS_ACTIVE : 0;
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
	as_settle(as, false);
	switch (val) {
	case MSIM_AS_CMD_NOP:
		break;
	case MSIM_AS_CMD_UPDATE:
	case MSIM_AS_CMD_LOCK:
	case MSIM_AS_CMD_UNLOCK:
	case MSIM_AS_CMD_FLUSH_PT:
	case MSIM_AS_CMD_FLUSH_MEM:
		if (as->busy_cmd) {
			as->cmds_dropped++;
			pr_warn_ratelimited("mali_sim: protocol violation: AS%ld: command %u written while command %u is in progress (AS_ACTIVE): dropped\n",
					    (long)(as - s->as), val, as->busy_cmd);
			break;
		}
		as->cmd_transtab = as->transtab;
		as->cmd_transcfg = as->transcfg;
		as->cmd_lockaddr = as->lockaddr;
		as->busy_cmd = val;
		as->busy_until = ktime_get_ns() + msim_knobs.as_busy_us * NSEC_PER_USEC;
		if (!msim_knobs.as_busy_us)
			as_settle(as, true);	/* at once */
		break;
	default:
		/* the driver meant something; hardware would ignore it */
		pr_warn_ratelimited("mali_sim: protocol violation: unknown AS command %u written to AS%ld\n",
				    val, (long)(as - s->as));
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
	struct msim_as *as = &s->as[asn];
	u64 table, cfg, desc, vpn = va >> PAGE_SHIFT;
	struct msim_tlb_entry *set = &as->tlb[msim_tlb_set(vpn) * MSIM_TLB_WAYS];
	struct msim_tlb_entry *e = NULL;
	bool locked;
	int w;
	u64 *tbl;
	void *p;
	int level;

	lockdep_assert_held(&s->lock);

	as_settle(as, false);
	if (as->busy_cmd == MSIM_AS_CMD_UPDATE &&
	    (as->cmd_transcfg & MSIM_TRANSCFG_MODE_MASK) == MSIM_TRANSCFG_MODE_4K) {
		as->update_accesses++;
		pr_warn_ratelimited("mali_sim: protocol violation: AS%d: accessed at 0x%llx while an UPDATE that sets it up is in progress (the driver did not wait for it): translated as before it\n",
				    asn, va);
	}
	table = as->live_transtab;
	cfg = as->live_transcfg;
	if ((cfg & MSIM_TRANSCFG_MODE_MASK) != MSIM_TRANSCFG_MODE_4K) {
		*code = MSIM_EXC_TRANSLATION(0);
		return NULL;
	}
	if (va >> 48) {
		*code = MSIM_EXC_ADDR_SIZE_IN;
		return NULL;
	}
	/*
	 * An access to a locked region goes through what the TLB holds; one
	 * that misses stalls until the unlock, as on hardware (the tables are
	 * being changed). The MCU cannot stall here: its walk completes as if
	 * it came before the lock, and its result is not cached. Either way
	 * nothing cached in the region survives its unlock, and nothing in it
	 * is dropped without one.
	 */
	locked = as->lock_end > as->lock_start && va >= as->lock_start && va < as->lock_end;
	for (w = 0; w < MSIM_TLB_WAYS; w++) {
		if (set[w].vpn == (vpn | MSIM_TLB_VALID)) {
			e = &set[w];
			break;
		}
	}
	if (e) {
		as->tlb_hits++;
		e->used = ++as->tlb_clock;
		if (write && e->rdonly) {
			*code = MSIM_EXC_PERMISSION(3);
			return NULL;
		}
		p = msim_phys(e->pa | (va & ~PAGE_MASK));
		if (!p)
			*code = MSIM_EXC_TRANSLATION(3);
		return p;
	}
	if (locked && asn != 0) {
		if (as->stall_vpn != (vpn | MSIM_TLB_VALID)) {
			/* a new access, not the retry of the last one */
			as->lock_stalls++;
			as->stall_vpn = vpn | MSIM_TLB_VALID;
			as->stall_va = va;
		}
		*code = MSIM_MEM_STALL;
		return NULL;
	}
	as->tlb_misses++;
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

			p = msim_phys(pa);
			if (!p) {
				*code = MSIM_EXC_TRANSLATION(level);
				return NULL;
			}
			if (!locked) {
				/* a free way, else the least recently used */
				e = &set[0];
				for (w = 0; w < MSIM_TLB_WAYS && (e->vpn & MSIM_TLB_VALID); w++) {
					if (!(set[w].vpn & MSIM_TLB_VALID) || set[w].used < e->used)
						e = &set[w];
				}
				e->vpn = vpn | MSIM_TLB_VALID;
				e->used = ++as->tlb_clock;
				e->pa = pa & PAGE_MASK;
				e->rdonly = desc & MSIM_PTE_AP_RDONLY;
			}
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
		if (!p && code == MSIM_MEM_STALL) {
			/* nothing happened: the caller retries after the unlock */
			spin_unlock_irqrestore(&s->lock, flags);
			return code;
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

/* debugfs mali_sim/mmu: each address space's TLB counters and lock. */
static int msim_mmu_show(struct seq_file *m, void *unused)
{
	struct msim *s = m->private;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&s->lock, flags);
	for (i = 0; i < MSIM_NUM_AS; i++) {
		struct msim_as *as = &s->as[i];

		as_settle(as, false);
		seq_printf(m, "AS%d: tlb hits %llu misses %llu flushes %llu, accesses stalled on a locked region %llu, commands dropped %llu, accesses during an UPDATE %llu, locked [0x%llx, 0x%llx)%s\n",
			   i, as->tlb_hits, as->tlb_misses, as->tlb_flushes,
			   as->lock_stalls, as->cmds_dropped, as->update_accesses, as->lock_start, as->lock_end,
			   as->busy_cmd ? ", active" : "");
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(msim_mmu);

/*
 * debugfs mali_sim/tlb: what each address space's TLB holds, for a test to
 * check that a page it reads back is cached where it assumes (a missing
 * flush shows only through a translation still cached). The first line
 * gives the geometry; then one line per valid entry, set by set, most
 * recently used first: "AS<n> set <set> va 0x<va> pa 0x<pa>[ ro]".
 */
static int msim_tlb_show(struct seq_file *m, void *unused)
{
	struct msim *s = m->private;
	unsigned long flags;
	int i, set, w;

	spin_lock_irqsave(&s->lock, flags);
	seq_printf(m, "sets %d ways %d\n", MSIM_TLB_SETS, MSIM_TLB_WAYS);
	for (i = 0; i < MSIM_NUM_AS; i++) {
		struct msim_as *as = &s->as[i];

		as_settle(as, false);
		for (set = 0; set < MSIM_TLB_SETS; set++) {
			struct msim_tlb_entry *e = &as->tlb[set * MSIM_TLB_WAYS];
			u64 last = U64_MAX;

			/* most recently used first: a way at a time, by age */
			for (;;) {
				struct msim_tlb_entry *n = NULL;

				for (w = 0; w < MSIM_TLB_WAYS; w++) {
					if ((e[w].vpn & MSIM_TLB_VALID) && e[w].used < last &&
					    (!n || e[w].used > n->used))
						n = &e[w];
				}
				if (!n)
					break;
				seq_printf(m, "AS%d set %d va 0x%llx pa 0x%llx%s\n", i, set,
					   (n->vpn & ~MSIM_TLB_VALID) << PAGE_SHIFT, n->pa,
					   n->rdonly ? " ro" : "");
				last = n->used;
			}
		}
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(msim_tlb);

void msim_mmu_debugfs(struct msim *s, struct dentry *dir)
{
	debugfs_create_file("mmu", 0444, dir, s, &msim_mmu_fops);
	debugfs_create_file("tlb", 0444, dir, s, &msim_tlb_fops);
}
