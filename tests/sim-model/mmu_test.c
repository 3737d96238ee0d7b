// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_test: the simulator's MMU model (sim/sim_mmu.c, built as it is)
 * against what hardware does, on the host in a second: translations are
 * cached and survive page-table changes until the commands that must drop
 * them (UPDATE; LOCK then UNLOCK/FLUSH_PT/FLUSH_MEM of a region covering
 * them); AS_ACTIVE stays set for as_busy_us and a command takes effect
 * only when it completes; a command written while one is in progress is
 * dropped and counted; faults are not cached; a command stream's access to
 * a locked region that misses the TLB stalls (no walk, no fault) until the
 * unlock, while the MCU's (AS0) walks uncached; a re-LOCK replaces the
 * region with the wider one; a LOCK narrower than 32 KiB locks 32 KiB, one
 * of width 63 everything; UPDATE while locked drops every translation;
 * the first pages of aligned buffers do not evict each other; a full set
 * replaces its least recently used translation; a 2 MiB block split into
 * pages in one locked region keeps its other pages readable and faults on
 * the hole only after the unlock. All of that with commands that complete
 * on time (as_done_on_read off); then, with it on (the simulator's
 * default), a command completes only when AS_STATUS is read after its
 * time: an UPDATE not waited for has not taken effect, an access meanwhile
 * is counted (not during an UPDATE that switches the address space off),
 * and a command written next without a wait is dropped.
 * One line per check that fails, then "PASS"/"FAIL: N failures", then
 * "N passed, N failed" (checks) for make test.
 */
#include <stdlib.h>

#include "../../sim/sim_mmu.c"

u64 model_now_ns;
u8 *model_ram;
u64 model_ram_size = 256 << 20;
struct msim_knobs msim_knobs = { .as_busy_us = 50 };

void msim_irq_raise(struct msim *s, enum msim_irq_line line, u32 bits)
{
	s->irq[line].rawstat |= bits;
}

static struct msim sim;
static u64 next_table = 0x100000, root;
static int checks, fails;

#define EXPECT(c, ...)							\
	do {								\
		checks++;						\
		if (!(c)) {						\
			printf("FAIL line %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			fails++;					\
		}							\
	} while (0)

static u64 *table(u64 pa) { return (u64 *)(model_ram + pa); }

static u64 new_table(void)
{
	u64 t = next_table;

	next_table += PAGE_SIZE;
	memset(table(t), 0, PAGE_SIZE);
	return t;
}

/* Map (pa != 0) or unmap (pa == 0) a 4 KiB page in AS1's tables. */
static void set_page(u64 va, u64 pa)
{
	u64 t = root;
	int l;

	for (l = 0; l < 3; l++) {
		u64 *d = &table(t)[(va >> (39 - 9 * l)) & 0x1ff];

		if (!(*d & MSIM_PTE_VALID))
			*d = new_table() | MSIM_PTE_VALID | MSIM_PTE_TABLE;
		t = *d & MSIM_PTE_ADDR_MASK;
	}
	table(t)[(va >> 12) & 0x1ff] = pa ? pa | MSIM_PTE_VALID | MSIM_PTE_TABLE : 0;
}

/* The level-2 descriptor (2 MiB) of @va in AS1's tables, tables above it made. */
static u64 *l2_desc(u64 va)
{
	u64 t = root;
	int l;

	for (l = 0; l < 2; l++) {
		u64 *d = &table(t)[(va >> (39 - 9 * l)) & 0x1ff];

		if (!(*d & MSIM_PTE_VALID))
			*d = new_table() | MSIM_PTE_VALID | MSIM_PTE_TABLE;
		t = *d & MSIM_PTE_ADDR_MASK;
	}
	return &table(t)[(va >> 21) & 0x1ff];
}

static void as_write(int asn, u32 reg, u32 val)
{
	msim_mmu_write(&sim, MSIM_AS_BASE + asn * MSIM_AS_STRIDE + reg, val);
}

static void reg_write(u32 reg, u32 val)
{
	as_write(1, reg, val);
}

static bool active(void)
{
	u32 v = 0;

	msim_mmu_read(&sim, MSIM_AS_BASE + MSIM_AS_STRIDE + MSIM_AS_STATUS, &v);
	return v & MSIM_AS_STATUS_ACTIVE;
}

/* Write a command and let it complete. */
static void command(u32 cmd)
{
	reg_write(MSIM_AS_COMMAND, cmd);
	model_now_ns += 60000;
}

static void lock(u64 lockaddr)
{
	reg_write(MSIM_AS_LOCKADDR, lower_32_bits(lockaddr));
	reg_write(MSIM_AS_LOCKADDR + 4, upper_32_bits(lockaddr));
	command(MSIM_AS_CMD_LOCK);
}

/* The word the GPU reads at @va: the page's tag, or 0xdead00XX on fault XX. */
static u32 gpu_read(u64 va)
{
	u32 v = 0;
	int err = msim_mem_read(&sim, 1, va, &v, 4);

	return err ? 0xdead0000 | err : v;
}

/* A data page whose first word is its tag. */
static u64 page(u32 tag)
{
	u64 pa = 0x1000000 + (u64)tag * PAGE_SIZE;

	*(u32 *)(model_ram + pa) = tag;
	return pa;
}

int main(void)
{
	const u64 va = 0x1000000;

	model_ram = calloc(1, model_ram_size);
	sim.mcu_status = MSIM_MCU_ST_ENABLED;
	root = new_table();
	reg_write(MSIM_AS_TRANSTAB, lower_32_bits(root));
	reg_write(MSIM_AS_TRANSCFG, MSIM_TRANSCFG_MODE_4K);
	reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
	EXPECT(active(), "AS_ACTIVE clear right after UPDATE");
	EXPECT(gpu_read(va) == (0xdead0000 | MSIM_EXC_TRANSLATION(0)),
	       "the AS translated before its UPDATE completed: 0x%x", gpu_read(va));
	model_now_ns += 60000;
	EXPECT(!active(), "AS_ACTIVE still set after as_busy_us");

	set_page(va, page(1));
	EXPECT(gpu_read(va) == 1, "first read: 0x%x", gpu_read(va));
	set_page(va, page(2));
	EXPECT(gpu_read(va) == 1, "a page-table change without commands was seen at once");
	lock(0x8000000 | 14);
	command(MSIM_AS_CMD_UNLOCK);
	EXPECT(gpu_read(va) == 1, "the unlock of another region dropped the translation");
	command(MSIM_AS_CMD_FLUSH_MEM);
	EXPECT(gpu_read(va) == 1, "a flush with no region locked dropped the translation");
	lock(va | 14);
	EXPECT(gpu_read(va) == 1, "the lock alone dropped the translation");
	command(MSIM_AS_CMD_UNLOCK);
	EXPECT(gpu_read(va) == 2, "lock + unlock left 0x%x", gpu_read(va));

	/* A command written while one is in progress is dropped. */
	set_page(va, page(3));
	reg_write(MSIM_AS_LOCKADDR, va | 14);
	reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_LOCK);
	reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UNLOCK);
	EXPECT(sim.as[1].cmds_dropped == 1, "a command written while AS_ACTIVE was not dropped");
	model_now_ns += 60000;
	EXPECT(gpu_read(va) == 2, "the dropped unlock took effect");
	/* ... and a command acts when it completes, not when written. */
	reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_FLUSH_PT);
	EXPECT(gpu_read(va) == 2, "FLUSH_PT acted before it completed");
	model_now_ns += 60000;
	EXPECT(gpu_read(va) == 3, "FLUSH_PT did not act once completed: 0x%x", gpu_read(va));

	/* UPDATE drops everything; faults are never cached. */
	set_page(va, page(4));
	command(MSIM_AS_CMD_UPDATE);
	EXPECT(gpu_read(va) == 4, "UPDATE kept 0x%x", gpu_read(va));
	set_page(va, 0);
	command(MSIM_AS_CMD_UPDATE);
	EXPECT((gpu_read(va) & 0xffff0000) == 0xdead0000, "an unmapped page reads 0x%x", gpu_read(va));
	set_page(va, page(5));
	EXPECT(gpu_read(va) == 5, "a fault was cached: 0x%x", gpu_read(va));

	/* A 2 MiB region (width 20) covers its own pages only. */
	set_page(0x21ff000, page(6));
	set_page(0x2200000, page(7));
	gpu_read(0x21ff000);
	gpu_read(0x2200000);
	set_page(0x21ff000, page(8));
	set_page(0x2200000, page(9));
	lock(0x2000000 | 20);
	command(MSIM_AS_CMD_FLUSH_MEM);
	EXPECT(gpu_read(0x21ff000) == 8, "inside the locked 2 MiB: 0x%x", gpu_read(0x21ff000));
	EXPECT(gpu_read(0x2200000) == 7, "outside the locked 2 MiB: 0x%x", gpu_read(0x2200000));

	/* A write through a cached read-only translation faults. */
	{
		u32 v = 1;

		set_page(0x3000000, page(10) | MSIM_PTE_AP_RDONLY);
		gpu_read(0x3000000);
		EXPECT(msim_mem_write(&sim, 1, 0x3000000, &v, 4) == MSIM_EXC_PERMISSION(3),
		       "a write through a read-only cached translation did not fault");
	}

	/*
	 * A command stream's TLB miss inside a locked region stalls: no walk,
	 * no fault; the access goes through once the region is unlocked.
	 */
	{
		const u64 v = 0x5000000;
		u32 w = 0;
		int err;

		set_page(v, page(20));
		set_page(v + 0x1000, page(21));
		EXPECT(gpu_read(v) == 20, "locked-region setup: 0x%x", gpu_read(v));
		sim.irq[MSIM_IRQ_MMU].rawstat = 0;
		sim.as[1].faultstatus = 0;
		lock(v | 15);			/* 64 KiB */
		set_page(v, 0);			/* unmapped inside the lock ... */
		set_page(v + 0x1000, page(22));	/* ... and remapped */
		EXPECT(gpu_read(v) == 20, "a TLB hit inside a locked region did not go through: 0x%x",
		       gpu_read(v));
		err = msim_mem_read(&sim, 1, v + 0x1000, &w, 4);
		EXPECT(err == MSIM_MEM_STALL, "a TLB miss inside a locked region did not stall: %d", err);
		err = msim_mem_read(&sim, 1, v + 0x2000, &w, 4);
		EXPECT(err == MSIM_MEM_STALL,
		       "a miss on an unmapped page inside a locked region did not stall: %d", err);
		err = msim_mem_read(&sim, 1, v + 0x2000, &w, 4);	/* the CS's retry */
		EXPECT(err == MSIM_MEM_STALL, "the retry of a stalled access did not stall: %d", err);
		EXPECT(!sim.irq[MSIM_IRQ_MMU].rawstat && !sim.as[1].faultstatus,
		       "a stalled access raised a fault (rawstat 0x%x)", sim.irq[MSIM_IRQ_MMU].rawstat);
		EXPECT(sim.as[1].lock_stalls == 2, "stalled accesses counted (a retry is not a new one): %llu",
		       (unsigned long long)sim.as[1].lock_stalls);
		command(MSIM_AS_CMD_UNLOCK);
		EXPECT(gpu_read(v + 0x1000) == 22, "after the unlock the stalled page reads 0x%x",
		       gpu_read(v + 0x1000));
		EXPECT(gpu_read(v) == (0xdead0000 | MSIM_EXC_TRANSLATION(3)),
		       "after the unlock the unmapped page reads 0x%x", gpu_read(v));
		sim.irq[MSIM_IRQ_MMU].rawstat = 0;
		sim.as[1].faultstatus = 0;
	}

	/* The MCU (AS0) cannot stall: it walks the locked region, uncached. */
	{
		const u64 v = 0x6000000;
		u32 w = 0;

		set_page(v, page(30));
		as_write(0, MSIM_AS_TRANSTAB, lower_32_bits(root));
		as_write(0, MSIM_AS_TRANSCFG, MSIM_TRANSCFG_MODE_4K);
		as_write(0, MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
		model_now_ns += 60000;
		as_write(0, MSIM_AS_LOCKADDR, v | 14);
		as_write(0, MSIM_AS_COMMAND, MSIM_AS_CMD_LOCK);
		model_now_ns += 60000;
		EXPECT(!msim_mem_read(&sim, 0, v, &w, 4) && w == 30,
		       "the MCU's read in a locked region: 0x%x", w);
		set_page(v, page(31));
		EXPECT(!msim_mem_read(&sim, 0, v, &w, 4) && w == 31,
		       "a walk inside a locked region was cached: 0x%x", w);
		as_write(0, MSIM_AS_COMMAND, MSIM_AS_CMD_UNLOCK);
		model_now_ns += 60000;
	}

	/* A re-LOCK (no unlock between) replaces the region with the wider one. */
	{
		const u64 v = 0x7000000;

		set_page(v + 0x10000, page(40));
		gpu_read(v + 0x10000);
		set_page(v + 0x10000, page(41));
		lock(v | 14);		/* 32 KiB at v: not v + 64 KiB */
		lock(v | 17);		/* 256 KiB at v: covers it */
		command(MSIM_AS_CMD_UNLOCK);
		EXPECT(gpu_read(v + 0x10000) == 41, "a widening re-LOCK: the unlock kept 0x%x",
		       gpu_read(v + 0x10000));
	}

	/* A width under 14 locks 32 KiB; width 63 locks everything. */
	{
		const u64 v = 0x8000000;

		set_page(v + 0x7000, page(50));
		set_page(v + 0x8000, page(51));
		gpu_read(v + 0x7000);
		gpu_read(v + 0x8000);
		set_page(v + 0x7000, page(52));
		set_page(v + 0x8000, page(53));
		lock(v | 3);
		command(MSIM_AS_CMD_UNLOCK);
		EXPECT(gpu_read(v + 0x7000) == 52, "width 3 did not lock 32 KiB: 0x%x",
		       gpu_read(v + 0x7000));
		EXPECT(gpu_read(v + 0x8000) == 51, "width 3 locked more than 32 KiB: 0x%x",
		       gpu_read(v + 0x8000));
		set_page(v + 0x8000, page(54));
		lock(63);
		command(MSIM_AS_CMD_UNLOCK);
		EXPECT(gpu_read(v + 0x8000) == 54, "width 63 did not lock everything: 0x%x",
		       gpu_read(v + 0x8000));
	}

	/* UPDATE while a region is locked drops every translation. */
	{
		const u64 v = 0x9000000;

		set_page(v, page(60));
		set_page(0xa000000, page(61));
		gpu_read(v);
		gpu_read(0xa000000);
		set_page(0xa000000, page(62));
		lock(v | 14);
		command(MSIM_AS_CMD_UPDATE);
		EXPECT(gpu_read(0xa000000) == 62, "UPDATE while locked kept 0x%x outside the region",
		       gpu_read(0xa000000));
		command(MSIM_AS_CMD_UNLOCK);
	}

	/*
	 * The first pages of buffers aligned to 256 MiB and more (a job's
	 * command and data buffers, panthor's kernel VAs at 2^47) do not evict
	 * each other: all stay cached over a page-table change.
	 */
	{
		static const u64 v[] = { 0x10000000, 0x20000000, 0x40000000, 0x80000000,
					 0x4000000000, 1ULL << 47 };
		unsigned int i;

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			set_page(v[i], page(70 + i));
			gpu_read(v[i]);
		}
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			set_page(v[i], page(80 + i));
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			EXPECT(gpu_read(v[i]) == 70 + i,
			       "aligned buffers share a TLB set: page 0 at 0x%llx was evicted (reads 0x%x)",
			       (unsigned long long)v[i], gpu_read(v[i]));
		command(MSIM_AS_CMD_UPDATE);
	}

	/*
	 * A set holds MSIM_TLB_WAYS pages; a new one replaces the least
	 * recently used (a hit counts as a use), not the one just read.
	 */
	{
		u64 v[MSIM_TLB_WAYS + 1], vpn = 0xb000000 >> PAGE_SHIFT;
		unsigned int i, n = 0, set = msim_tlb_set(vpn);

		for (; n <= MSIM_TLB_WAYS; vpn++)
			if (msim_tlb_set(vpn) == set)
				v[n++] = vpn << PAGE_SHIFT;
		for (i = 0; i <= MSIM_TLB_WAYS; i++)
			set_page(v[i], page(90 + i));
		for (i = 0; i < MSIM_TLB_WAYS; i++)
			gpu_read(v[i]);
		gpu_read(v[0]);			/* v[0] used again: v[1] is the oldest */
		gpu_read(v[MSIM_TLB_WAYS]);	/* replaces v[1] */
		for (i = 0; i <= MSIM_TLB_WAYS; i++)
			set_page(v[i], page(100 + i));
		/* the cached ones first: the walk of v[1] replaces one of them */
		for (i = 0; i <= MSIM_TLB_WAYS; i++)
			if (i != 1)
				EXPECT(gpu_read(v[i]) == 90 + i,
				       "a set of %d ways: page %u of %d was evicted (reads 0x%x)",
				       MSIM_TLB_WAYS, i, MSIM_TLB_WAYS + 1, gpu_read(v[i]));
		EXPECT(gpu_read(v[1]) == 101,
		       "a full set did not replace its least recently used page (reads 0x%x)",
		       gpu_read(v[1]));
		command(MSIM_AS_CMD_UPDATE);
	}

	/*
	 * A 2 MiB block split in one locked region, as panthor's remap does
	 * (unmap the block, map the kept parts back as pages): its pages are
	 * cached one by one; inside the lock a cached page still reads the
	 * block and an uncached neighbour stalls; after the unlock the kept
	 * pages read through the new table and the hole faults.
	 */
	{
		const u64 v = 0xc000000, blk = 0xe000000, hole = 5;
		u64 *d = l2_desc(v), t;
		u32 w = 0;
		int i, err;

		for (i = 0; i < 8; i++)
			*(u32 *)(model_ram + blk + i * PAGE_SIZE) = 200 + i;
		*d = blk | MSIM_PTE_VALID;	/* a block: no table bit */
		EXPECT(gpu_read(v + PAGE_SIZE) == 201, "a page of a 2 MiB block reads 0x%x",
		       gpu_read(v + PAGE_SIZE));
		EXPECT(gpu_read(v + hole * PAGE_SIZE) == 200 + hole,
		       "the page to be unmapped reads 0x%x", gpu_read(v + hole * PAGE_SIZE));
		lock(v | 20);			/* the whole block */
		t = new_table();
		for (i = 0; i < 512; i++)
			if (i != hole)
				table(t)[i] = (blk + i * PAGE_SIZE) | MSIM_PTE_VALID | MSIM_PTE_TABLE;
		*d = t | MSIM_PTE_VALID | MSIM_PTE_TABLE;
		EXPECT(gpu_read(v + hole * PAGE_SIZE) == 200 + hole,
		       "inside the lock a cached page of the block did not hit: 0x%x",
		       gpu_read(v + hole * PAGE_SIZE));
		err = msim_mem_read(&sim, 1, v + 2 * PAGE_SIZE, &w, 4);
		EXPECT(err == MSIM_MEM_STALL,
		       "inside the lock an uncached page of the block did not stall: %d", err);
		command(MSIM_AS_CMD_UNLOCK);
		EXPECT(gpu_read(v + 2 * PAGE_SIZE) == 202, "after the split a kept page reads 0x%x",
		       gpu_read(v + 2 * PAGE_SIZE));
		EXPECT(gpu_read(v + PAGE_SIZE) == 201,
		       "after the split a kept page (cached before the unlock dropped it) reads 0x%x",
		       gpu_read(v + PAGE_SIZE));
		EXPECT(gpu_read(v + hole * PAGE_SIZE) == (0xdead0000 | MSIM_EXC_TRANSLATION(3)),
		       "after the split the hole reads 0x%x", gpu_read(v + hole * PAGE_SIZE));
		sim.irq[MSIM_IRQ_MMU].rawstat = 0;
		sim.as[1].faultstatus = 0;
		command(MSIM_AS_CMD_UPDATE);
	}

	/*
	 * as_done_on_read (the simulator's default): a command whose time has
	 * passed completes only when AS_STATUS is read, so a driver that does
	 * not wait is caught every time. Until then the UPDATE has not taken
	 * effect (an access translates as before it, and is counted), and a
	 * command written next is dropped.
	 */
	{
		const u64 v = 0x9000000;
		u64 root2 = new_table(), dropped, during;

		EXPECT(!active(), "the last command is still active");
		dropped = sim.as[1].cmds_dropped;
		during = sim.as[1].update_accesses;
		msim_knobs.as_done_on_read = true;
		set_page(v, page(50));
		reg_write(MSIM_AS_TRANSTAB, lower_32_bits(root2));
		reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
		model_now_ns += 60000;
		EXPECT(gpu_read(v) == 50, "an UPDATE not waited for took effect: 0x%x", gpu_read(v));
		EXPECT(sim.as[1].update_accesses == during + 1,
		       "an access during an UPDATE was counted %llu times",
		       sim.as[1].update_accesses - during);
		reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
		EXPECT(sim.as[1].cmds_dropped == dropped + 1,
		       "a command written after one not waited for was not dropped");
		EXPECT(!active(), "AS_STATUS read after as_busy_us: still active");
		EXPECT(gpu_read(v) == (0xdead0000 | MSIM_EXC_TRANSLATION(0)),
		       "the UPDATE waited for did not take effect: 0x%x", gpu_read(v));
		EXPECT(sim.as[1].update_accesses == during + 1, "an access after the UPDATE was counted");
		/* polled too early, it is still in progress */
		reg_write(MSIM_AS_TRANSTAB, lower_32_bits(root));
		reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
		EXPECT(active(), "AS_ACTIVE clear before as_busy_us");
		model_now_ns += 60000;
		EXPECT(!active(), "AS_STATUS read after as_busy_us: still active");
		EXPECT(gpu_read(v) == 50, "the UPDATE back did not take effect: 0x%x", gpu_read(v));
		/* an UPDATE that switches the AS off may meet accesses */
		reg_write(MSIM_AS_TRANSCFG, MSIM_TRANSCFG_MODE_UNMAPPED);
		reg_write(MSIM_AS_COMMAND, MSIM_AS_CMD_UPDATE);
		gpu_read(v);
		EXPECT(sim.as[1].update_accesses == during + 1,
		       "an access during an UPDATE that switches the AS off was counted");
		model_now_ns += 60000;
		EXPECT(!active(), "AS_STATUS read after as_busy_us: still active");
		reg_write(MSIM_AS_TRANSCFG, MSIM_TRANSCFG_MODE_4K);
		command(MSIM_AS_CMD_UPDATE);
		EXPECT(!active(), "AS_STATUS read after as_busy_us: still active");
		sim.irq[MSIM_IRQ_MMU].rawstat = 0;
		sim.as[1].faultstatus = 0;
		msim_knobs.as_done_on_read = false;
	}

	if (fails)
		printf("FAIL: %d failures\n", fails);
	else
		printf("PASS\n");
	printf("%d passed, %d failed\n", checks - fails, fails);
	free(model_ram);
	return fails ? 1 : 0;
}
