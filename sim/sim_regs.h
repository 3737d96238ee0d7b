/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DOC: Simulated Mali CSF GPU, register and firmware-interface map
 *
 * The simulator's own description of the hardware it models: register
 * offsets and fields of a Valhall CSF GPU (Mali-G610), the layout of the
 * firmware's shared interface region and the CS instruction opcodes. It is
 * written from the hardware's documented behaviour and deliberately shares
 * nothing with any driver's headers, so a wrong offset cannot hide on both
 * sides.
 */
#ifndef __MALI_SIM_REGS_H__
#define __MALI_SIM_REGS_H__

#include <linux/bits.h>

/* Register space: control registers, then one 64 KiB page per doorbell. */
#define MSIM_REG_SPACE			0x20000
#define MSIM_DOORBELL_BASE		0x80000
#define MSIM_DOORBELL_STRIDE		0x10000
#define MSIM_NUM_DOORBELLS		24
#define MSIM_IOMEM_SIZE			0x200000

/* GPU identity of the modelled part: Mali-G610 r0p0, arch 10.8. */
#define MSIM_GPU_ID_VAL			0xa8670000
#define MSIM_CSF_ID_VAL			0x00000000

/* GPU_CONTROL block */
#define MSIM_GPU_ID			0x000
#define MSIM_L2_FEATURES		0x004
#define MSIM_CORE_FEATURES		0x008
#define MSIM_TILER_FEATURES		0x00c
#define MSIM_MEM_FEATURES		0x010
#define MSIM_MMU_FEATURES		0x014
#define MSIM_AS_PRESENT			0x018
#define MSIM_CSF_ID			0x01c
#define MSIM_GPU_IRQ			0x020	/* RAWSTAT, CLEAR, MASK, STATUS */
#define MSIM_GPU_CMD			0x030
#define MSIM_GPU_STATUS			0x034
#define MSIM_LATEST_FLUSH_LEGACY	0x038
#define MSIM_GPU_FAULTSTATUS		0x03c
#define MSIM_GPU_FAULTADDRESS		0x040	/* 64-bit */
#define MSIM_L2_CONFIG			0x048
#define MSIM_PWR_KEY			0x050
#define MSIM_PWR_OVERRIDE0		0x054
#define MSIM_PWR_OVERRIDE1		0x058
#define MSIM_GPU_FEATURES		0x060	/* 64-bit */
#define MSIM_PRFCNT_FEATURES		0x068
#define MSIM_TIMESTAMP_OFFSET		0x088	/* 64-bit */
#define MSIM_CYCLE_COUNT		0x090	/* 64-bit */
#define MSIM_TIMESTAMP			0x098	/* 64-bit */
#define MSIM_THREAD_MAX_THREADS		0x0a0
#define MSIM_THREAD_MAX_WG_SIZE		0x0a4
#define MSIM_THREAD_MAX_BARRIER		0x0a8
#define MSIM_THREAD_FEATURES		0x0ac
#define MSIM_TEXTURE_FEATURES_0		0x0b0	/* 4 registers */
#define MSIM_SHADER_PRESENT		0x100	/* 64-bit */
#define MSIM_TILER_PRESENT		0x110
#define MSIM_L2_PRESENT			0x120
#define MSIM_PWR_READY			0x140	/* shader, tiler, l2 at +0x10 */
#define MSIM_PWR_ON			0x180
#define MSIM_PWR_OFF			0x1c0
#define MSIM_PWR_TRANS			0x200
#define MSIM_PWR_ACTIVE			0x240
#define MSIM_REVIDR			0x280
#define MSIM_ASN_HASH_0			0x2c0	/* 3 registers */
#define MSIM_COHERENCY_FEATURES		0x300
#define MSIM_COHERENCY_ENABLE		0x304

/* Values of the model */
#define MSIM_L2_FEATURES_VAL		0x07110206 /* 64 B lines, 512 KiB */
#define MSIM_CORE_FEATURES_VAL		0x00000002
#define MSIM_TILER_FEATURES_VAL		0x00000809
#define MSIM_MEM_FEATURES_VAL		0x00000001 /* L2 coherent groups */
#define MSIM_MMU_FEATURES_VAL		0x00002830 /* 48-bit VA, 40-bit PA */
#define MSIM_AS_PRESENT_VAL		0xff
#define MSIM_THREAD_MAX_THREADS_VAL	2048
#define MSIM_THREAD_MAX_WG_VAL		1024
#define MSIM_THREAD_MAX_BARRIER_VAL	1024
#define MSIM_THREAD_FEATURES_VAL	0x04000100
#define MSIM_SHADER_PRESENT_VAL		0x50005ULL
#define MSIM_TILER_PRESENT_VAL		0x1ULL
#define MSIM_L2_PRESENT_VAL		0x1ULL
#define MSIM_COHERENCY_ACE_LITE		BIT(0)
#define MSIM_COHERENCY_NONE		31

/* GPU interrupt bits */
#define MSIM_GPU_IRQ_FAULT		BIT(0)
#define MSIM_GPU_IRQ_RESET_DONE		BIT(8)
#define MSIM_GPU_IRQ_POWER_CHANGED	BIT(9)
#define MSIM_GPU_IRQ_POWER_ALL		BIT(10)
#define MSIM_GPU_IRQ_CLEAN_DONE		BIT(17)
#define MSIM_GPU_IRQ_MCU_STATUS		BIT(19)

/* GPU_CMD: command in bits 7:0, payload above */
#define MSIM_CMD_NOP			0
#define MSIM_CMD_RESET			1	/* payload 1 soft, 2 hard */
#define MSIM_CMD_TIME			3
#define MSIM_CMD_FLUSH_CACHES		4
#define MSIM_CMD_CLEAR_FAULT		7

/* GPU fault status: exception type in bits 7:0 */
#define MSIM_EXC_GPU_BUS_FAULT		0x80

/* MCU_CONTROL block */
#define MSIM_MCU_CONTROL		0x700
#define MSIM_MCU_STATUS			0x704
#define MSIM_MCU_CTL_DISABLE		0
#define MSIM_MCU_CTL_ENABLE		1
#define MSIM_MCU_CTL_AUTO		2
#define MSIM_MCU_ST_DISABLED		0
#define MSIM_MCU_ST_ENABLED		1
#define MSIM_MCU_ST_HALT		2
#define MSIM_MCU_ST_FATAL		3

/* JOB interrupt block: bit 31 global interface, bit n CSG n */
#define MSIM_JOB_IRQ			0x1000
#define MSIM_JOB_IRQ_GLB		BIT(31)

/* MMU: interrupt block (bit n page fault on AS n, n + 16 bus fault) */
#define MSIM_MMU_IRQ			0x2000
#define MSIM_AS_BASE			0x2400
#define MSIM_AS_STRIDE			0x40
#define MSIM_AS_TRANSTAB		0x00	/* 64-bit */
#define MSIM_AS_MEMATTR			0x08	/* 64-bit */
#define MSIM_AS_LOCKADDR		0x10	/* 64-bit */
#define MSIM_AS_COMMAND			0x18
#define MSIM_AS_FAULTSTATUS		0x1c
#define MSIM_AS_FAULTADDRESS		0x20	/* 64-bit */
#define MSIM_AS_STATUS			0x28
#define MSIM_AS_TRANSCFG		0x30	/* 64-bit */
#define MSIM_AS_FAULTEXTRA		0x38	/* 64-bit */

#define MSIM_AS_CMD_NOP			0
#define MSIM_AS_CMD_UPDATE		1
#define MSIM_AS_CMD_LOCK		2
#define MSIM_AS_CMD_UNLOCK		3
#define MSIM_AS_CMD_FLUSH_PT		4
#define MSIM_AS_CMD_FLUSH_MEM		5

#define MSIM_AS_STATUS_ACTIVE		BIT(0)	/* a command is in progress */
/* AS_LOCKADDR: bits 5:0 are log2(region size) - 1, the rest the base */
#define MSIM_LOCKADDR_WIDTH_MASK	0x3f
#define MSIM_LOCK_REGION_MIN_WIDTH	14	/* 32 KiB, encoded as log2 - 1 */

#define MSIM_TRANSCFG_MODE_MASK		0xf
#define MSIM_TRANSCFG_MODE_UNMAPPED	1
#define MSIM_TRANSCFG_MODE_IDENTITY	2
#define MSIM_TRANSCFG_MODE_4K		6

/* MMU exception codes (bits 7:0 of AS_FAULTSTATUS) */
#define MSIM_EXC_TRANSLATION(level)	(0xc0 + (level))
#define MSIM_EXC_PERMISSION(level)	(0xc8 + (level))
#define MSIM_EXC_ADDR_SIZE_IN		0xe0
#define MSIM_FAULT_ACCESS_READ		(2 << 8)
#define MSIM_FAULT_ACCESS_WRITE		(3 << 8)

/* Stage-1 AArch64 4K descriptors */
#define MSIM_PTE_VALID			BIT_ULL(0)
#define MSIM_PTE_TABLE			BIT_ULL(1)
#define MSIM_PTE_AP_RDONLY		BIT_ULL(7)
#define MSIM_PTE_ADDR_MASK		GENMASK_ULL(47, 12)

/* Latest flush ID page */
#define MSIM_LATEST_FLUSH		0x10000

/*
 * Firmware shared interface region, at MCU virtual address
 * MSIM_FW_SHARED_VA (the CSF convention). The control blocks are where the
 * host expects them (global at 0, groups from 0x1000); the input and
 * output pages are the simulator's own choice.
 */
#define MSIM_FW_CODE_VA			0x00000000
#define MSIM_FW_SHARED_VA		0x04000000
#define MSIM_FW_SHARED_SIZE		0x10000
#define MSIM_FW_SIGNATURE		0x4d53494d	/* "MSIM" */

#define MSIM_GLB_CONTROL		0x0000
#define MSIM_CSG_CONTROL		0x1000
#define MSIM_CSG_STRIDE			0x100
#define MSIM_CS_CONTROL			0x40	/* within a CSG control block */
#define MSIM_CS_STRIDE			0x10
#define MSIM_GLB_INPUT			0x2000
#define MSIM_GLB_OUTPUT			0x2800
#define MSIM_CSG_INPUT(g)		(0x3000 + (g) * 0x100)
#define MSIM_CSG_OUTPUT(g)		(0x3800 + (g) * 0x100)
#define MSIM_CS_INPUT(g, c)		(0x4000 + ((g) * 8 + (c)) * 0x80)
#define MSIM_CS_OUTPUT(g, c)		(0x6000 + ((g) * 8 + (c)) * 0x100)

/* Global control block (read-only for the host) */
#define GLB_CTL_VERSION			0x00
#define GLB_CTL_FEATURES		0x04
#define GLB_CTL_INPUT_VA		0x08
#define GLB_CTL_OUTPUT_VA		0x0c
#define GLB_CTL_GROUP_NUM		0x10
#define GLB_CTL_GROUP_STRIDE		0x14
#define GLB_CTL_PRFCNT_SIZE		0x18
#define GLB_CTL_INSTR_FEATURES		0x1c
#define MSIM_IFACE_VERSION(maj, min, patch) \
	(((maj) << 24) | ((min) << 16) | (patch))

/* Global input / output */
#define GLB_IN_REQ			0x00
#define GLB_IN_ACK_IRQ_MASK		0x04
#define GLB_IN_DB_REQ			0x08
#define GLB_IN_PROGRESS_TIMER		0x10	/* units of 1024 GPU cycles */
#define GLB_OUT_ACK			0x00
#define GLB_OUT_DB_ACK			0x08
#define GLB_OUT_HALT_STATUS		0x10
#define GLB_REQ_HALT			BIT(0)	/* before interface 4.1 */
#define GLB_REQ_CFG_PROGRESS_TIMER	BIT(1)
#define GLB_REQ_STATE_MASK		GENMASK(14, 12)	/* from interface 4.1 */
#define GLB_STATE_ACTIVE		0
#define GLB_STATE_HALT			BIT(12)
#define GLB_REQ_TOGGLES			GENMASK(10, 1)
#define GLB_REQ_COUNTER_EN		BIT(7)	/* a level, not a toggle */
#define GLB_EVT_IDLE			BIT(26)

/* CSG control block */
#define CSG_CTL_FEATURES		0x00
#define CSG_CTL_INPUT_VA		0x04
#define CSG_CTL_OUTPUT_VA		0x08
#define CSG_CTL_SUSPEND_SIZE		0x0c
#define CSG_CTL_PROTM_SUSPEND_SIZE	0x10
#define CSG_CTL_STREAM_NUM		0x14
#define CSG_CTL_STREAM_STRIDE		0x18

/* CSG input / output */
#define CSG_IN_REQ			0x00
#define CSG_IN_ACK_IRQ_MASK		0x04
#define CSG_IN_DB_REQ			0x08
#define CSG_IN_IRQ_ACK			0x0c
#define CSG_IN_SUSPEND_BUF		0x40
#define CSG_IN_CONFIG			0x50
#define MSIM_CS_SAVE_STRIDE		0x400
#define CSG_OUT_ACK			0x00
#define CSG_OUT_DB_ACK			0x08
#define CSG_OUT_IRQ_REQ			0x0c
#define CSG_OUT_EP_CURRENT		0x10
#define CSG_OUT_EP_REQ			0x14
#define CSG_OUT_STATUS_STATE		0x18
#define CSG_REQ_STATE_MASK		GENMASK(2, 0)
#define CSG_STATE_TERMINATE		0
#define CSG_STATE_START			1
#define CSG_STATE_SUSPEND		2
#define CSG_STATE_RESUME		3
#define CSG_REQ_TOGGLES			(BIT(4) | BIT(5))	/* EP config, status */
#define CSG_REQ_STATUS_UPDATE		BIT(5)
#define CSG_EVT_SYNC_UPDATE		BIT(28)
#define CSG_EVT_IDLE			BIT(29)
#define CSG_EVT_PROGRESS_TIMER		BIT(31)
#define CSG_STATUS_IDLE			BIT(0)

/* CS control block */
#define CS_CTL_FEATURES			0x00
#define CS_CTL_INPUT_VA			0x04
#define CS_CTL_OUTPUT_VA		0x08
#define MSIM_CS_FEATURES_VAL		((MSIM_CS_REGS - 1) | (8 << 8) | \
					 BIT(16) | BIT(17) | BIT(18))

/* CS input */
#define CS_IN_REQ			0x00
#define CS_IN_CONFIG			0x04
#define CS_IN_ACK_IRQ_MASK		0x0c
#define CS_IN_RING_BASE			0x10
#define CS_IN_RING_SIZE			0x18
#define CS_IN_HEAP_START		0x20	/* the host's answer to TILER_OOM */
#define CS_IN_HEAP_END			0x28
#define CS_IN_RING_INPUT		0x30
#define CS_IN_RING_OUTPUT		0x38
#define CS_REQ_STATE_MASK		GENMASK(2, 0)
#define CS_STATE_STOP			0
#define CS_STATE_START			1
#define CS_REQ_CONFIG_BITS		(BIT(4) | GENMASK(11, 8))
#define CS_EVT_TILER_OOM		BIT(26)
#define CS_EVT_FATAL			BIT(30)
#define CS_EVT_FAULT			BIT(31)

/* CS output */
#define CS_OUT_ACK			0x00
#define CS_OUT_STATUS_WAIT		0x48
#define CS_OUT_STATUS_REQ_RES		0x4c
#define CS_OUT_STATUS_WAIT_PTR		0x50
#define CS_OUT_STATUS_WAIT_VALUE	0x58
#define CS_OUT_STATUS_BLOCKED		0x60
#define CS_OUT_STATUS_WAIT_VALUE_HI	0x64
#define CS_OUT_FAULT			0x80
#define CS_OUT_FATAL			0x84
#define CS_OUT_FAULT_INFO		0x88
#define CS_OUT_FATAL_INFO		0x90
#define CS_OUT_HEAP_VT_START		0xc0	/* TILER_OOM: the heap's counters */
#define CS_OUT_HEAP_VT_END		0xc4
#define CS_OUT_HEAP_FRAG_END		0xcc
#define CS_OUT_HEAP_ADDRESS		0xd0	/* TILER_OOM: the heap context */
#define CS_WAIT_SYNC			BIT(31)
#define CS_WAIT_SYNC_64			BIT(30)
#define CS_WAIT_COND_GT			BIT(24)
#define CS_BLOCKED_SYNC_WAIT		3

/* Ring buffer input (insert, extract) and output (extract, active) */
#define RING_IN_INSERT			0x00
#define RING_OUT_EXTRACT		0x00
#define RING_OUT_ACTIVE			0x08

/*
 * Tiler heaps. A chunk starts with a 64-byte header whose first word links
 * the next chunk: its GPU VA (4 KiB aligned) | its size in 4 KiB pages
 * (bits 11:0, non-zero), 0 for none. The host answers a TILER_OOM with a
 * new chunk in the same encoding in both CS_IN_HEAP_START and
 * CS_IN_HEAP_END, or 0 in both: no memory.
 */
#define MSIM_CHUNK_HDR_SIZE		64
#define MSIM_CHUNK_PAGES_MASK		GENMASK_ULL(11, 0)
#define MSIM_CHUNK_VA_MASK		GENMASK_ULL(47, 12)

/*
 * The heap context (32 bytes the host zeroes at creation; then the
 * firmware's): the simulator keeps its per-heap counters there, in GPU
 * memory, where a stream can LOAD them.
 */
#define MSIM_HEAP_CTX_VT_START		0x00	/* render passes whose tiling started */
#define MSIM_HEAP_CTX_VT_END		0x04	/* ... whose tiling ended */
#define MSIM_HEAP_CTX_FRAG_END		0x08	/* ... whose fragment work ended */
#define MSIM_HEAP_CTX_OOM		0x0c	/* TILER_OOM events raised */
#define MSIM_HEAP_CTX_GROWN		0x10	/* chunks the host gave and were linked in */
#define MSIM_HEAP_CTX_FALLBACKS		0x14	/* zero answers: passes completed short */
#define MSIM_HEAP_CTX_CHUNKS		0x18	/* chunks the last pass used */
#define MSIM_HEAP_CTX_CHUNK_PAGES	0x1c	/* chunk size (4 KiB pages) of the linkage */
#define MSIM_HEAP_CTX_SIZE		0x20

/*
 * Registers a tiling instruction (RUN_IDVS, RUN_TILING) reads in this
 * model, once HEAP_SET has given the stream a heap context: the first
 * chunk of the heap (r40:r41, what TILER_HEAP_CREATE returned) and how
 * many chunks the render pass needs (r42; 0: the tiler_chunks knob).
 */
#define MSIM_TILER_FIRST_CHUNK_REG	40
#define MSIM_TILER_CHUNKS_REG		42

/* CS exception codes */
#define MSIM_EXC_CS_INSTR_INVALID	0x49
#define MSIM_EXC_CS_CALL_STACK_OVERFLOW	0x4a
#define MSIM_EXC_CS_UNRECOVERABLE	0x41
#define MSIM_EXC_CS_CONFIG_FAULT	0x40

/* CS instruction opcodes (bits 63:56) */
#define CS_OP_NOP			0
#define CS_OP_MOVE48			1
#define CS_OP_MOVE32			2
#define CS_OP_WAIT			3
#define CS_OP_RUN_COMPUTE		4
#define CS_OP_RUN_TILING		5
#define CS_OP_RUN_IDVS			6
#define CS_OP_RUN_FRAGMENT		7
#define CS_OP_RUN_FULLSCREEN		8
#define CS_OP_FINISH_TILING		9
#define CS_OP_FINISH_FRAGMENT		11
#define CS_OP_ADD_IMM32			16
#define CS_OP_ADD_IMM64			17
#define CS_OP_LOAD_MULTIPLE		20
#define CS_OP_STORE_MULTIPLE		21
#define CS_OP_BRANCH			22
#define CS_OP_SET_SB_ENTRY		23
#define CS_OP_CALL			32
#define CS_OP_REQ_RESOURCE		34
#define CS_OP_FLUSH_CACHE2		36
#define CS_OP_SYNC_ADD32		37
#define CS_OP_SYNC_SET32		38
#define CS_OP_SYNC_WAIT32		39
#define CS_OP_STORE_STATE		40
#define CS_OP_ERROR_BARRIER		47
#define CS_OP_HEAP_SET			48
#define CS_OP_TRACE_POINT		50
#define CS_OP_SYNC_ADD64		51
#define CS_OP_SYNC_SET64		52
#define CS_OP_SYNC_WAIT64		53
#define CS_OP_RUN_COMPUTE_INDIRECT	44

/* Conditions of SYNC_WAIT (bits 31:28) and BRANCH (bits 30:28) */
#define CS_COND_LE			0
#define CS_COND_GT			1
#define CS_COND_EQ			2
#define CS_COND_NE			3
#define CS_COND_LT			4
#define CS_COND_GE			5
#define CS_COND_ALWAYS			6

#endif /* __MALI_SIM_REGS_H__ */
