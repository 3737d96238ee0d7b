/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host shim: just enough of the kernel's headers for sim/sim_mmu.c to build
 * as an ordinary program (tests/sim-model/run.sh). Every kernel header the
 * simulator's MMU includes is this file.
 */
#ifndef SIM_MODEL_SHIM_H
#define SIM_MODEL_SHIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef unsigned long long u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef long long s64;
typedef int32_t s32;
typedef int16_t s16;

#define BIT(n)			(1ul << (n))
#define BIT_ULL(n)		(1ull << (n))
#define GENMASK(h, l)		(((~0ul) << (l)) & (~0ul >> (63 - (h))))
#define GENMASK_ULL(h, l)	(((~0ull) << (l)) & (~0ull >> (63 - (h))))
#define U64_MAX			(~0ull)
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1ul << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define NSEC_PER_USEC		1000ull
#define PHYS_PFN(pa)		((unsigned long)((pa) >> PAGE_SHIFT))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define READ_ONCE(x)		(x)
#define WRITE_ONCE(x, v)	((x) = (v))
#define lower_32_bits(v)	((u32)(v))
#define upper_32_bits(v)	((u32)((u64)(v) >> 32))
#define lockdep_assert_held(l)	do { } while (0)
#define pr_info(...)		printf(__VA_ARGS__)
#define pr_warn_ratelimited(...) printf(__VA_ARGS__)
#define pr_info_ratelimited(...) printf(__VA_ARGS__)
#define DECLARE_BITMAP(n, bits)	unsigned long n[((bits) + 63) / 64]

typedef int spinlock_t;
struct mutex { int m; };
struct work_struct { int w; };
struct delayed_work { int w; };
struct hrtimer { int t; };
struct irq_domain;
struct dentry;
struct seq_file { void *private; };
#define spin_lock_irqsave(l, f)		((void)(f))
#define spin_unlock_irqrestore(l, f)	((void)(f))
#define seq_printf(m, ...)		printf(__VA_ARGS__)
#define DEFINE_SHOW_ATTRIBUTE(name)	static const int name##_fops __attribute__((unused)) = 0
#define debugfs_create_file(name, mode, dir, data, fops) \
	((void)(name), (void)(dir), (void)(data), (void)(fops))

/* The model's clock and memory, set by the test. */
extern u64 model_now_ns;
extern u8 *model_ram;
extern u64 model_ram_size;
static inline u64 ktime_get_ns(void) { return model_now_ns; }
static inline bool pfn_valid(unsigned long pfn) { return ((u64)pfn << PAGE_SHIFT) < model_ram_size; }
static inline void *phys_to_virt(u64 pa) { return model_ram + pa; }
#endif
