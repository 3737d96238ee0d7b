/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DOC: Simulated Mali CSF GPU, shared state
 *
 * One simulated device (a Mali-G610, architecture 10.8) lives in a single
 * &struct msim. The register blocks (GPU control, MMU, MCU/job interface,
 * doorbells) are reached through logic_iomem; the three interrupt lines
 * (job, mmu, gpu) are irq_sim lines. Register accesses are handled
 * synchronously under @lock and never sleep; everything the firmware does
 * (interface processing, the CS interpreter) runs from @fw_work.
 */
#ifndef __MALI_SIM_H__
#define __MALI_SIM_H__

#include <linux/bitmap.h>
#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "sim_regs.h"

#define MSIM_NUM_AS		8
#define MSIM_NUM_CSG		8
#define MSIM_NUM_CS		8
#define MSIM_CS_REGS		96
#define MSIM_CALL_DEPTH		8

enum msim_irq_line {
	MSIM_IRQ_JOB,
	MSIM_IRQ_MMU,
	MSIM_IRQ_GPU,
	MSIM_IRQ_COUNT,
};

struct msim_irq {
	u32 rawstat;
	u32 mask;
};

/*
 * One cached translation of a 4 KiB page: @vpn is the page's VA >> 12 with
 * bit 63 set when the entry is valid; @used orders the entries of a set for
 * replacement (the address space's tlb_clock at the last use).
 */
struct msim_tlb_entry {
	u64 vpn;
	u64 pa;
	u64 used;
	bool rdonly;
};

/*
 * The TLB is set-associative: MSIM_TLB_SETS sets of MSIM_TLB_WAYS entries,
 * the least recently used of a full set replaced. A page's set is its page
 * number folded 6 bits at a time (msim_tlb_set()), so that the first pages
 * of buffers aligned to a large power of two do not all share set 0.
 */
#define MSIM_TLB_SETS		64
#define MSIM_TLB_WAYS		4
#define MSIM_TLB_ENTRIES	(MSIM_TLB_SETS * MSIM_TLB_WAYS)
#define MSIM_TLB_VALID		BIT_ULL(63)

static inline unsigned int msim_tlb_set(u64 vpn)
{
	unsigned int set = 0;

	for (; vpn; vpn >>= 6)
		set ^= vpn & (MSIM_TLB_SETS - 1);
	return set;
}

/* Address-space registers as the driver programs them, and as latched. */
struct msim_as {
	u64 transtab, memattr, lockaddr, transcfg;
	u32 faultstatus;
	u64 faultaddr;
	u64 faultextra;
	/* Latched by AS_COMMAND_UPDATE: what the walker uses. */
	u64 live_transtab, live_transcfg;
	/* The command in progress (AS_ACTIVE) until busy_until (ktime ns). */
	u32 busy_cmd;
	u64 busy_until;
	/* What the command in progress acts on, as it was when written. */
	u64 cmd_transtab, cmd_transcfg, cmd_lockaddr;
	/* The locked region [lock_start, lock_end), when lock_end > lock_start. */
	u64 lock_start, lock_end;
	/*
	 * Translations, kept until UPDATE or the unlock of a locked region
	 * (or replaced in a full set): set i is tlb[i * MSIM_TLB_WAYS ...].
	 */
	struct msim_tlb_entry tlb[MSIM_TLB_ENTRIES];
	u64 tlb_clock;
	/*
	 * The last access that stalled on the locked region (its page |
	 * MSIM_TLB_VALID, 0: none since the last LOCK, UNLOCK or UPDATE): a
	 * stalled access is retried until the unlock, and counted once.
	 */
	u64 stall_vpn, stall_va;
	/* Counters for the debugfs view (lock_stalls: accesses that stalled). */
	u64 tlb_hits, tlb_misses, tlb_flushes, cmds_dropped, lock_stalls;
	/*
	 * Accesses made while an UPDATE to a translating configuration was in
	 * progress (a protocol violation).
	 */
	u64 update_accesses;
};

struct msim_call {
	u64 addr;	/* next instruction */
	u64 end;	/* end of the buffer */
};

/* A command stream slot as the firmware sees it. */
struct msim_cs {
	bool running;		/* state START acked, not stopped */
	bool stalled;		/* hung: budget exhausted or knob */
	bool fatal;		/* CS_FATAL raised, waits for the host */
	bool blocked;		/* in a SYNC_WAIT */
	u32 regs[MSIM_CS_REGS];
	int depth;		/* 0: executing from the ring */
	struct msim_call stack[MSIM_CALL_DEPTH];
	u64 extract;		/* ring position (bytes, not wrapped) */
	u64 budget;		/* instructions left before a stall */
	unsigned long slow_until; /* jiffies: slow-job knob */
	/* jiffies (| 1) when the access it retries first stalled on a locked region */
	unsigned long mmu_stall_since;
	bool mmu_stall_reported; /* that stall has been reported */
	/* Tiler heap (sim_cs.c): the context HEAP_SET gave, 0 for none. */
	u64 heap_ctx;
	/*
	 * ktime (ns) since when the stream has work it makes no progress on
	 * (stalled, or in a SYNC_WAIT), 0 while it progresses or has none:
	 * the firmware's progress timer (sim_mcu.c).
	 */
	u64 noprog_since;
	bool oom;		/* TILER_OOM raised, not acknowledged yet */
	bool heap_short;	/* the host had no chunk for this pass */
	u64 oom_tail;		/* the chunk whose header links the answer */
};

struct msim_csg {
	bool running;
	bool idle;
	bool hung;		/* csg_hang knob: the slot answers nothing until the next boot */
	struct msim_cs cs[MSIM_NUM_CS];
};

struct msim {
	/* Register state; taken from register accesses in any context. */
	spinlock_t lock;
	struct irq_domain *domain;
	unsigned int virq[MSIM_IRQ_COUNT];
	struct msim_irq irq[MSIM_IRQ_COUNT];
	/* irq_delay_us knob: each line's delivery, pending (sim_core.c). */
	struct hrtimer irq_timer[MSIM_IRQ_COUNT];

	/* GPU control */
	u32 gpu_status;
	u32 fault_status;
	u64 fault_addr;
	u32 l2_config;
	u32 coherency;
	u32 pwr_key, pwr_override0, pwr_override1;
	u32 asn_hash[3];
	u64 timestamp_offset;
	u64 ready[3];		/* shader, tiler, l2 */
	u64 trans[3];
	u32 flush_id;
	u32 *user_page;		/* RAM behind the USER page, or NULL */

	struct msim_as as[MSIM_NUM_AS];

	/* MCU */
	u32 mcu_control;
	u32 mcu_status;
	bool fw_booted;
	bool fw_hung;
	/* fw_hang_rearm knob: hang once the first global request after this boot is answered */
	bool fw_rearm;
	u32 glb_version;
	/* GLB progress_timer as last configured (units of 1024 cycles), 0: off */
	u32 progress_timer;

	struct work_struct fw_work;
	struct work_struct req_work;	/* a doorbell's answer, at high priority */
	struct delayed_work poll_work;
	struct mutex fw_lock;	/* serialises the firmware */
	bool fw_kick;		/* a doorbell rang that req_work has not answered */
	u64 fw_kick_ns;		/* when it rang (ktime ns) */
	int fw_next_group;	/* the group whose streams run first */

	struct msim_csg csg[MSIM_NUM_CSG];

	/* SoC glue (sim_soc.c): the GPU's clock. */
	bool clk_prepared;
	bool clk_on;		/* enabled; changed under @lock */
	unsigned long clk_rate;	/* Hz */
	u64 clk_rate_changes;
	/* ... and its power domain (sim_power.c), changed under @lock. */
	bool pd_on;
	u64 power_ons, power_offs;
	/* Register accesses while unpowered or unclocked, and the last one's offset. */
	u64 unpowered_reads, unpowered_writes;
	u32 last_unpowered;

	DECLARE_BITMAP(logged, MSIM_REG_SPACE / 4);
};

extern struct msim *msim_dev;

/* Fault knobs (sim_knobs.c) */
struct msim_knobs {
	bool fw_hang;
	int cs_fatal;
	int mmu_fault;
	unsigned int slow_job_ms;
	bool pwr_stall;
	unsigned int budget;
	unsigned int as_busy_us;
	bool as_done_on_read;
	unsigned int tiler_chunks;
	bool trace;
	int csg_hang;
	int fw_hang_rearm;
	int reset_fail;
	int boot_fail;
	unsigned int progress_timer_ms;
	bool user_page;		/* read-only: the USER page has RAM behind it */
	unsigned long clk_rate_hz; /* read-only: the GPU clock's rate */
	unsigned int unpowered_accesses; /* read-only: sim_power.c */
	unsigned int power_offs;	/* read-only: power domain power-downs */
	unsigned int irq_delay_us;
};

extern struct msim_knobs msim_knobs;

/* sim_core.c */
void msim_irq_update(struct msim *s, enum msim_irq_line line);
void msim_irq_raise(struct msim *s, enum msim_irq_line line, u32 bits);
void msim_log_unimplemented(struct msim *s, u32 offset, bool write);

/* sim_soc.c */
struct dentry;
int msim_soc_init(struct msim *s);
void msim_soc_debugfs(struct msim *s, struct dentry *dir);

/* sim_power.c */
int msim_power_init(struct msim *s);
bool msim_power_access_ok(struct msim *s, u32 offset, bool write);

/* sim_gpu.c */
bool msim_gpu_read(struct msim *s, u32 offset, u32 *val);
bool msim_gpu_write(struct msim *s, u32 offset, u32 val);
void msim_gpu_reset(struct msim *s);
void msim_flush_id_advance(struct msim *s);
bool msim_fw_counter_enabled(struct msim *s);

/* sim_mmu.c */
bool msim_mmu_read(struct msim *s, u32 offset, u32 *val);
bool msim_mmu_write(struct msim *s, u32 offset, u32 val);
void msim_mmu_reset(struct msim *s);
void msim_mmu_debugfs(struct msim *s, struct dentry *dir);
/*
 * GPU memory access through address space @as. Returns 0, the MMU
 * exception code of the fault (which has then been reported on the MMU
 * interrupt), or MSIM_MEM_STALL: a command stream's access to a locked
 * region missed the TLB and must be retried once the region is unlocked
 * (nothing was accessed, no fault raised).
 */
#define MSIM_MEM_STALL	0x10000	/* not an exception code */
int msim_mem_read(struct msim *s, int as, u64 va, void *buf, size_t len);
int msim_mem_write(struct msim *s, int as, u64 va, const void *buf, size_t len);

/* sim_mcu.c */
bool msim_mcu_read(struct msim *s, u32 offset, u32 *val);
bool msim_mcu_write(struct msim *s, u32 offset, u32 val);
void msim_doorbell(struct msim *s, u32 id);
void msim_mcu_reset(struct msim *s);
void msim_fw_unhang(struct msim *s);
void msim_fw_work(struct work_struct *work);
void msim_req_work(struct work_struct *work);
void msim_poll_work(struct work_struct *work);

/* sim_cs.c */
enum msim_cs_result {
	MSIM_CS_IDLE,		/* ring empty */
	MSIM_CS_BLOCKED,	/* waiting on a sync object */
	MSIM_CS_YIELD,		/* slice used up, more to do */
	MSIM_CS_STALLED,	/* hung */
	MSIM_CS_FATAL,		/* raised CS_FATAL */
	MSIM_CS_MMU_STALL,	/* an access to a locked region: retry after the unlock */
	MSIM_CS_TILER_OOM,	/* a tiling instruction needs a heap chunk */
};

struct msim_cs_ctx {
	struct msim *s;
	int as;			/* the group's address space */
	u64 ring_base;
	u32 ring_size;
	u64 insert;
	bool sync_updated;	/* a SYNC_ADD/SET was executed */
	u32 fatal_type;
	u64 fatal_info;
	/* when blocked: what on */
	u64 wait_ptr;
	u64 wait_value;
	u32 wait_status;
	/* on TILER_OOM: the heap context and its counters */
	u64 heap_ctx;
	u32 vt_start, vt_end, frag_end;
};

enum msim_cs_result msim_cs_run(struct msim_cs_ctx *ctx, struct msim_cs *cs,
				unsigned int slice);
void msim_cs_start(struct msim_cs *cs, u64 extract);
enum msim_cs_result msim_cs_heap_answer(struct msim_cs_ctx *ctx, struct msim_cs *cs,
					u64 start, u64 end);

#endif /* __MALI_SIM_H__ */
