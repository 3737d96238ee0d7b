// SPDX-License-Identifier: GPL-2.0-only
/*
 * DOC: Simulated Mali CSF GPU, command stream interpreter
 *
 * Executes the 64-bit CS instructions of a stream's ring buffer, and of the
 * buffers it CALLs, through the group's address space. Implemented: NOP,
 * MOVE48, MOVE32, ADD_IMMEDIATE32/64, LOAD_MULTIPLE, STORE_MULTIPLE, WAIT
 * (everything completes synchronously, so scoreboards are always free),
 * CALL (with a bounded call stack), BRANCH (within a called buffer),
 * FLUSH_CACHE2 (which advances LATEST_FLUSH_ID), SYNC_ADD32/64,
 * SYNC_SET32/64, SYNC_WAIT32/64 (LE and GT conditions; the stream blocks
 * and the wait is reported in the CS status registers), ERROR_BARRIER,
 * FINISH_TILING, STORE_STATE (timestamp, cycle count: 0 until the host
 * enables the counters with GLB_COUNTER_EN), HEAP_SET and the tiler heap
 * model below, and the rest of the RUN_* family, REQ_RESOURCE,
 * SET_SB_ENTRY and TRACE_POINT as no-ops.
 *
 * Tiler heaps: HEAP_SET gives the stream a heap context (the GPU VA that
 * TILER_HEAP_CREATE returned). After it, a tiling instruction (RUN_IDVS,
 * RUN_TILING) is one render pass that needs N chunks of the heap (r42, or
 * the tiler_chunks knob when r42 is 0): it opens the pass (the context's
 * vt_start), then walks the chunk linkage from the first chunk (r40:r41),
 * writing the pass number at offset 64 of each chunk it uses (so an
 * unmapped chunk faults) and following each header's next word (VA | size
 * in 4 KiB pages). When it needs one chunk more than the linkage has, it
 * raises TILER_OOM (the CS_ACK toggle, the heap context and its counters
 * in the CS output block) and blocks until the host acknowledges it; then
 * it reads the answer from CS_IN_HEAP_START/END: a chunk is linked after
 * the last one and the walk goes on; 0 means no memory, and the pass
 * completes with what it has (as incremental rendering would), counted in
 * the context's fallbacks. The pass then closes (vt_end); FINISH_FRAGMENT
 * ends the fragment work of the closed passes (frag_end). The counters
 * live in the heap context itself (MSIM_HEAP_CTX_*), where a stream can
 * LOAD them. An answer or a link that is not a chunk in that encoding (no
 * size, bits beyond the VA, start != end, a size other than the
 * linkage's) is a protocol violation and CS_FATAL.
 *
 * An access to a region the driver has locked (AS LOCK) that misses the
 * TLB stalls, as on hardware: the instruction is retried, on the poll
 * timer, until the region is unlocked (sim_mmu.c), and it costs no budget.
 *
 * Faults are the hardware's: an unmapped or read-only access raises an MMU
 * fault (sim_mmu.c) and a CS_FATAL with the translation-fault exception; an
 * unknown opcode raises CS_FATAL (CS_INSTR_INVALID); a call stack overflow
 * raises CS_FATAL (CS_CALL_STACK_OVERFLOW). A stream that runs more
 * instructions than its budget without retiring a ring entry (an infinite
 * loop) stalls like a hung GPU, and only a group termination or a reset
 * gets it out.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "sim.h"

#define OPCODE(i)	((u32)((i) >> 56))
#define BITS(i, lo, n)	((u32)(((i) >> (lo)) & ((1ULL << (n)) - 1)))

void msim_cs_start(struct msim_cs *cs, u64 extract)
{
	if (msim_knobs.trace)
		pr_info("mali_sim: trace: stream (re)started at extract 0x%llx\n", extract);
	memset(cs, 0, sizeof(*cs));
	cs->running = true;
	cs->extract = extract;
	cs->budget = msim_knobs.budget;
}

static u64 reg64(struct msim_cs *cs, u32 r)
{
	r &= ~1u;
	if (r + 1 >= MSIM_CS_REGS)
		return 0;
	return cs->regs[r] | ((u64)cs->regs[r + 1] << 32);
}

static void set_reg64(struct msim_cs *cs, u32 r, u64 v)
{
	r &= ~1u;
	if (r + 1 >= MSIM_CS_REGS)
		return;
	cs->regs[r] = lower_32_bits(v);
	cs->regs[r + 1] = upper_32_bits(v);
}

static u32 reg32(struct msim_cs *cs, u32 r)
{
	return r < MSIM_CS_REGS ? cs->regs[r] : 0;
}

static void set_reg32(struct msim_cs *cs, u32 r, u32 v)
{
	if (r < MSIM_CS_REGS)
		cs->regs[r] = v;
}

static enum msim_cs_result cs_fatal(struct msim_cs_ctx *ctx, struct msim_cs *cs,
				    u32 type, u64 info)
{
	ctx->fatal_type = type;
	ctx->fatal_info = info;
	cs->fatal = true;
	return MSIM_CS_FATAL;
}

/* Fetch the next instruction: from the current call, or from the ring. */
static int cs_fetch(struct msim_cs_ctx *ctx, struct msim_cs *cs, u64 *instr, bool *have,
		    u64 *at)
{
	u64 va;

	*have = true;
	if (cs->depth) {
		struct msim_call *call = &cs->stack[cs->depth - 1];

		if (call->addr >= call->end) {
			/* Return; a return to the ring retires the CALL. */
			cs->depth--;
			if (!cs->depth) {
				cs->extract += 8;
				cs->budget = msim_knobs.budget;
			}
			*have = false;
			return 0;
		}
		va = call->addr;
	} else {
		if (cs->extract >= ctx->insert) {
			*have = false;
			return 0;
		}
		va = ctx->ring_base + (cs->extract & (ctx->ring_size - 1));
	}
	*at = va;
	return msim_mem_read(ctx->s, ctx->as, va, instr, 8);
}

static void cs_advance(struct msim_cs *cs)
{
	if (cs->depth) {
		cs->stack[cs->depth - 1].addr += 8;
	} else {
		cs->extract += 8;
		cs->budget = msim_knobs.budget;
	}
}

/* The most chunks a render pass may walk (the rest of a longer one is dropped). */
#define MSIM_HEAP_MAX_WALK	4096

#define HCTX(off)	((off) / 4)

static bool heap_link_bad(u64 link, u32 pages)
{
	return !(link & MSIM_CHUNK_PAGES_MASK) ||
	       (link & ~(MSIM_CHUNK_VA_MASK | MSIM_CHUNK_PAGES_MASK)) ||
	       (pages && (link & MSIM_CHUNK_PAGES_MASK) != pages);
}

/*
 * A tiling instruction: one render pass over the heap of the stream's
 * heap context (see the DOC above). Returns MSIM_CS_YIELD when done or
 * when *err says why not, MSIM_CS_TILER_OOM when it needs a chunk.
 */
static enum msim_cs_result cs_tile(struct msim_cs_ctx *ctx, struct msim_cs *cs, int *err)
{
	struct msim *s = ctx->s;
	u32 need = reg32(cs, MSIM_TILER_CHUNKS_REG) ?: msim_knobs.tiler_chunks;
	u64 va = reg64(cs, MSIM_TILER_FIRST_CHUNK_REG);
	u32 h[MSIM_HEAP_CTX_SIZE / 4];
	u32 i;

	if (!cs->heap_ctx || !need)
		return MSIM_CS_YIELD;
	need = min_t(u32, need, MSIM_HEAP_MAX_WALK);
	*err = msim_mem_read(s, ctx->as, cs->heap_ctx, h, sizeof(h));
	if (*err)
		return MSIM_CS_YIELD;
	if (h[HCTX(MSIM_HEAP_CTX_VT_START)] == h[HCTX(MSIM_HEAP_CTX_VT_END)]) {
		h[HCTX(MSIM_HEAP_CTX_VT_START)]++;
		*err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
		if (*err)
			return MSIM_CS_YIELD;
	}
	if (!va || (va & ~MSIM_CHUNK_VA_MASK))
		return cs_fatal(ctx, cs, MSIM_EXC_CS_CONFIG_FAULT, va);

	for (i = 1; ; i++) {
		u32 mark = h[HCTX(MSIM_HEAP_CTX_VT_START)];
		u64 next = 0;

		*err = msim_mem_write(s, ctx->as, va + MSIM_CHUNK_HDR_SIZE, &mark, 4);
		if (!*err && i < need)
			*err = msim_mem_read(s, ctx->as, va, &next, 8);
		if (*err)
			return MSIM_CS_YIELD;
		if (i >= need)
			break;
		if (!next) {
			if (cs->heap_short)
				break;
			/* One chunk short: ask the host, retry when it answered. */
			cs->oom_tail = va;
			h[HCTX(MSIM_HEAP_CTX_OOM)]++;
			*err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
			if (*err)
				return MSIM_CS_YIELD;
			ctx->heap_ctx = cs->heap_ctx;
			ctx->vt_start = h[HCTX(MSIM_HEAP_CTX_VT_START)];
			ctx->vt_end = h[HCTX(MSIM_HEAP_CTX_VT_END)];
			ctx->frag_end = h[HCTX(MSIM_HEAP_CTX_FRAG_END)];
			return MSIM_CS_TILER_OOM;
		}
		if (heap_link_bad(next, h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)])) {
			pr_warn_ratelimited("mali_sim: protocol violation: tiler heap chunk at 0x%llx links 0x%llx, not a chunk of this heap (VA | size in 4 KiB pages, %u)\n",
					    va, next, h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)]);
			return cs_fatal(ctx, cs, MSIM_EXC_CS_UNRECOVERABLE, va);
		}
		h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)] = next & MSIM_CHUNK_PAGES_MASK;
		va = next & MSIM_CHUNK_VA_MASK;
	}
	h[HCTX(MSIM_HEAP_CTX_CHUNKS)] = i;
	h[HCTX(MSIM_HEAP_CTX_VT_END)] = h[HCTX(MSIM_HEAP_CTX_VT_START)];
	*err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
	if (!*err)
		cs->heap_short = false;
	return MSIM_CS_YIELD;
}

/**
 * msim_cs_heap_answer() - take the host's answer to a TILER_OOM
 * @ctx: the stream's context (its address space)
 * @cs: the stream, blocked on the TILER_OOM it raised
 * @start: CS_IN_HEAP_START
 * @end: CS_IN_HEAP_END
 *
 * Links the chunk in after the last one (or, for 0, lets the render pass
 * complete short); the tiling instruction then runs again.
 *
 * Return: MSIM_CS_YIELD, MSIM_CS_MMU_STALL (the answer is taken again
 * after the unlock) or MSIM_CS_FATAL.
 */
enum msim_cs_result msim_cs_heap_answer(struct msim_cs_ctx *ctx, struct msim_cs *cs,
					u64 start, u64 end)
{
	struct msim *s = ctx->s;
	u32 h[MSIM_HEAP_CTX_SIZE / 4];
	int err;

	err = msim_mem_read(s, ctx->as, cs->heap_ctx, h, sizeof(h));
	if (!err && !start && !end) {
		h[HCTX(MSIM_HEAP_CTX_FALLBACKS)]++;
		err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
		if (!err)
			cs->heap_short = true;
	} else if (!err) {
		if (start != end || heap_link_bad(start, h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)])) {
			pr_warn_ratelimited("mali_sim: protocol violation: TILER_OOM answered with heap start 0x%llx end 0x%llx: not one chunk of this heap (VA | size in 4 KiB pages, %u, in both)\n",
					    start, end, h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)]);
			cs->oom = false;
			return cs_fatal(ctx, cs, MSIM_EXC_CS_UNRECOVERABLE, start);
		}
		err = msim_mem_write(s, ctx->as, cs->oom_tail, &start, 8);
		if (!err) {
			h[HCTX(MSIM_HEAP_CTX_GROWN)]++;
			h[HCTX(MSIM_HEAP_CTX_CHUNK_PAGES)] = start & MSIM_CHUNK_PAGES_MASK;
			err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
		}
	}
	if (err == MSIM_MEM_STALL)
		return MSIM_CS_MMU_STALL;
	cs->oom = false;
	if (err)
		return cs_fatal(ctx, cs, err, cs->oom_tail);
	return MSIM_CS_YIELD;
}

static bool cs_cond_met(u64 val, u64 ref, u32 cond)
{
	return cond == CS_COND_GT ? val > ref : val <= ref;
}

/*
 * Execute one instruction. Returns MSIM_CS_YIELD to go on, or the reason
 * to stop; *advance is cleared when the instruction must be retried.
 */
static enum msim_cs_result cs_exec(struct msim_cs_ctx *ctx, struct msim_cs *cs,
				   u64 in, bool *advance)
{
	struct msim *s = ctx->s;
	u32 op = OPCODE(in);
	u32 dst = BITS(in, 48, 8), src = BITS(in, 40, 8), src2 = BITS(in, 32, 8);
	int err = 0;

	*advance = true;
	switch (op) {
	case CS_OP_RUN_TILING:
	case CS_OP_RUN_IDVS: {
		enum msim_cs_result r = cs_tile(ctx, cs, &err);

		if (r == MSIM_CS_TILER_OOM) {
			*advance = false;
			return r;
		}
		if (r != MSIM_CS_YIELD)
			return r;
		break;
	}
	case CS_OP_HEAP_SET:
		cs->heap_ctx = reg64(cs, src);
		cs->heap_short = false;
		break;
	case CS_OP_FINISH_FRAGMENT:
		if (cs->heap_ctx) {
			u32 h[MSIM_HEAP_CTX_SIZE / 4];

			err = msim_mem_read(s, ctx->as, cs->heap_ctx, h, sizeof(h));
			if (!err && h[HCTX(MSIM_HEAP_CTX_FRAG_END)] != h[HCTX(MSIM_HEAP_CTX_VT_END)]) {
				h[HCTX(MSIM_HEAP_CTX_FRAG_END)] = h[HCTX(MSIM_HEAP_CTX_VT_END)];
				err = msim_mem_write(s, ctx->as, cs->heap_ctx, h, sizeof(h));
			}
		}
		break;
	case CS_OP_NOP:
	case CS_OP_WAIT:
	case CS_OP_RUN_COMPUTE:
	case CS_OP_RUN_FRAGMENT:
	case CS_OP_RUN_FULLSCREEN:
	case CS_OP_RUN_COMPUTE_INDIRECT:
	case CS_OP_FINISH_TILING:
	case CS_OP_REQ_RESOURCE:
	case CS_OP_SET_SB_ENTRY:
	case CS_OP_TRACE_POINT:
	case CS_OP_ERROR_BARRIER:
		break;
	case CS_OP_FLUSH_CACHE2: {
		unsigned long flags;

		/* Nothing to write back; but it is a flush: a new flush ID. */
		spin_lock_irqsave(&s->lock, flags);
		msim_flush_id_advance(s);
		spin_unlock_irqrestore(&s->lock, flags);
		break;
	}
	case CS_OP_MOVE48:
		set_reg64(cs, dst, in & GENMASK_ULL(47, 0));
		break;
	case CS_OP_MOVE32:
		set_reg32(cs, dst, lower_32_bits(in));
		break;
	case CS_OP_ADD_IMM32:
		set_reg32(cs, dst, reg32(cs, src) + (s32)lower_32_bits(in));
		break;
	case CS_OP_ADD_IMM64:
		set_reg64(cs, dst, reg64(cs, src) + (s64)(s32)lower_32_bits(in));
		break;
	case CS_OP_LOAD_MULTIPLE:
	case CS_OP_STORE_MULTIPLE: {
		u64 addr = reg64(cs, src) + (s16)BITS(in, 0, 16);
		u32 mask = BITS(in, 16, 16);
		u32 loaded[16] = {};
		int i;

		for (i = 0; i < 16 && !err; i++) {
			if (!(mask & BIT(i)))
				continue;
			if (op == CS_OP_LOAD_MULTIPLE) {
				/* registers change only once every load is done */
				loaded[i] = 0;
				err = msim_mem_read(s, ctx->as, addr + 4 * i, &loaded[i], 4);
			} else {
				u32 v = reg32(cs, dst + i);

				err = msim_mem_write(s, ctx->as, addr + 4 * i, &v, 4);
			}
		}
		for (i = 0; i < 16 && !err && op == CS_OP_LOAD_MULTIPLE; i++)
			if (mask & BIT(i))
				set_reg32(cs, dst + i, loaded[i]);
		break;
	}
	case CS_OP_CALL: {
		u64 addr = reg64(cs, src);
		u32 len = reg32(cs, src2);

		if (msim_knobs.cs_fatal > 0) {
			msim_knobs.cs_fatal--;
			return cs_fatal(ctx, cs, MSIM_EXC_CS_UNRECOVERABLE, addr);
		}
		if (msim_knobs.slow_job_ms && !cs->slow_until) {
			cs->slow_until = jiffies + msecs_to_jiffies(msim_knobs.slow_job_ms);
			*advance = false;
			return MSIM_CS_YIELD;
		}
		if (cs->slow_until) {
			if (time_before(jiffies, cs->slow_until)) {
				*advance = false;
				return MSIM_CS_YIELD;
			}
			cs->slow_until = 0;
		}
		if (!len)
			break;
		if (cs->depth >= MSIM_CALL_DEPTH)
			return cs_fatal(ctx, cs, MSIM_EXC_CS_CALL_STACK_OVERFLOW, addr);
		/* The caller moves on when the callee returns. */
		if (cs->depth)
			cs->stack[cs->depth - 1].addr += 8;
		cs->stack[cs->depth].addr = addr;
		cs->stack[cs->depth].end = addr + (len & ~7u);
		cs->depth++;
		*advance = false;
		break;
	}
	case CS_OP_BRANCH: {
		s32 v = reg32(cs, src);
		bool taken;

		switch (BITS(in, 28, 3)) {
		case CS_COND_LE:
			taken = v <= 0;
			break;
		case CS_COND_GT:
			taken = v > 0;
			break;
		case CS_COND_EQ:
			taken = v == 0;
			break;
		case CS_COND_NE:
			taken = v != 0;
			break;
		case CS_COND_LT:
			taken = v < 0;
			break;
		case CS_COND_GE:
			taken = v >= 0;
			break;
		case CS_COND_ALWAYS:
			taken = true;
			break;
		default:
			return cs_fatal(ctx, cs, MSIM_EXC_CS_INSTR_INVALID, in);
		}
		/* Branches only make sense in a called buffer, not in the ring. */
		if (!cs->depth)
			return cs_fatal(ctx, cs, MSIM_EXC_CS_INSTR_INVALID, in);
		if (taken) {
			struct msim_call *call = &cs->stack[cs->depth - 1];

			/* The offset counts instructions from the next one. */
			call->addr += 8 + (s64)(s16)BITS(in, 0, 16) * 8;
			*advance = false;
		}
		break;
	}
	case CS_OP_SYNC_ADD32:
	case CS_OP_SYNC_SET32:
	case CS_OP_SYNC_ADD64:
	case CS_OP_SYNC_SET64: {
		bool is64 = op == CS_OP_SYNC_ADD64 || op == CS_OP_SYNC_SET64;
		bool add = op == CS_OP_SYNC_ADD32 || op == CS_OP_SYNC_ADD64;
		u64 addr = reg64(cs, src);

		if (is64) {
			u64 v = 0, d = reg64(cs, src2);

			err = msim_mem_read(s, ctx->as, addr, &v, 8);
			if (!err) {
				v = add ? v + d : d;
				err = msim_mem_write(s, ctx->as, addr, &v, 8);
			}
		} else {
			u32 v = 0, d = reg32(cs, src2);

			err = msim_mem_read(s, ctx->as, addr, &v, 4);
			if (!err) {
				v = add ? v + d : d;
				err = msim_mem_write(s, ctx->as, addr, &v, 4);
			}
		}
		if (!err)
			ctx->sync_updated = true;
		break;
	}
	case CS_OP_SYNC_WAIT32:
	case CS_OP_SYNC_WAIT64: {
		bool is64 = op == CS_OP_SYNC_WAIT64;
		u32 cond = BITS(in, 28, 4);
		u64 addr = reg64(cs, src);
		u64 ref = is64 ? reg64(cs, src2) : reg32(cs, src2);
		u64 v = 0;

		if (cond != CS_COND_LE && cond != CS_COND_GT)
			return cs_fatal(ctx, cs, MSIM_EXC_CS_INSTR_INVALID, in);
		err = msim_mem_read(s, ctx->as, addr, &v, is64 ? 8 : 4);
		if (err)
			break;
		if (!cs_cond_met(v, ref, cond)) {
			ctx->wait_ptr = addr;
			ctx->wait_value = ref;
			ctx->wait_status = CS_WAIT_SYNC |
					   (is64 ? CS_WAIT_SYNC_64 : 0) |
					   (cond == CS_COND_GT ? CS_WAIT_COND_GT : 0);
			*advance = false;
			return MSIM_CS_BLOCKED;
		}
		break;
	}
	case CS_OP_STORE_STATE: {
		u64 addr = reg64(cs, src) + (s16)BITS(in, 0, 16);
		u64 v = 0;

		/* The counters reach the streams only once enabled (sim_mcu.c). */
		if (msim_fw_counter_enabled(s))
			v = div_u64(ktime_get_raw_ns(), 10);

		err = msim_mem_write(s, ctx->as, addr, &v, 8);
		break;
	}
	default:
		return cs_fatal(ctx, cs, MSIM_EXC_CS_INSTR_INVALID, in);
	}

	if (err == MSIM_MEM_STALL) {
		/*
		 * Retried whole: every access above is idempotent up to its
		 * first stall, as long as it stays within one page. An 8-byte
		 * sync or STORE_STATE that straddles a page could write its
		 * first part and stall on the second, and add twice on the
		 * retry (hardware requires them aligned; this model does not check).
		 */
		*advance = false;
		return MSIM_CS_MMU_STALL;
	}
	if (err)
		return cs_fatal(ctx, cs, err, reg64(cs, src));
	return MSIM_CS_YIELD;
}

enum msim_cs_result msim_cs_run(struct msim_cs_ctx *ctx, struct msim_cs *cs,
				unsigned int slice)
{
	/* A ring must be a non-empty power of two, as the host promises. */
	if (!ctx->ring_size || (ctx->ring_size & (ctx->ring_size - 1)))
		return cs_fatal(ctx, cs, MSIM_EXC_CS_CONFIG_FAULT, ctx->ring_size);

	while (slice--) {
		enum msim_cs_result r;
		bool have, advance;
		u64 in = 0, at = 0;
		int err;

		if (!cs->budget) {
			cs->stalled = true;
			return MSIM_CS_STALLED;
		}
		err = cs_fetch(ctx, cs, &in, &have, &at);
		if (err == MSIM_MEM_STALL)
			return MSIM_CS_MMU_STALL;
		if (err)
			return cs_fatal(ctx, cs, err, cs->depth ?
					cs->stack[cs->depth - 1].addr : ctx->ring_base);
		if (!have) {
			if (!cs->depth && cs->extract >= ctx->insert)
				return MSIM_CS_IDLE;
			continue;	/* returned from a call */
		}
		cs->budget--;
		if (msim_knobs.trace)
			pr_info("mali_sim: trace: AS%d ring 0x%llx extract 0x%llx insert 0x%llx depth %u: 0x%llx: %016llx\n",
				ctx->as, ctx->ring_base, cs->extract, ctx->insert, cs->depth, at, in);
		r = cs_exec(ctx, cs, in, &advance);
		if (r == MSIM_CS_MMU_STALL || r == MSIM_CS_TILER_OOM) {
			cs->budget++;	/* waiting is not running */
			return r;
		}
		if (advance)
			cs_advance(cs);
		if (r != MSIM_CS_YIELD)
			return r;
		if (!advance && cs->slow_until)
			return MSIM_CS_YIELD;
	}
	return MSIM_CS_YIELD;
}
