/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h: helpers shared by the uAPI tests: device lookup, checked ioctl
 * wrappers, VM/BO/group/submit helpers, a small CS instruction encoder and
 * access to the simulator's fault knobs.
 *
 * Tests print what they check; the last line of a failing test says why.
 * A test exits 0 only when every check held.
 */
#ifndef TESTS_COMMON_H
#define TESTS_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>
#include <drm/panthor_drm.h>

#define FAIL(...)							\
	do {								\
		printf("FAIL at %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		exit(1);						\
	} while (0)

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			FAIL(__VA_ARGS__);				\
	} while (0)

/* Check that an ioctl fails with a given errno. */
#define CHECK_ERRNO(fd, req, arg, want)					\
	do {								\
		int __r = drmIoctl((fd), (req), (arg));			\
		CHECK(__r == -1 && errno == (want),			\
		      "%s: expected %s, got %s", #req " " #arg,		\
		      strerror(want), __r ? strerror(errno) : "success"); \
	} while (0)

#define CHECK_IOCTL(fd, req, arg)					\
	do {								\
		if (drmIoctl((fd), (req), (arg)))			\
			FAIL("%s failed: %s", #req, strerror(errno));	\
	} while (0)

#define USER_VA_RANGE	(1ull << 32)

/*
 * A partial pass: everything the test could check held, but part of it
 * could not run (named in @...). The guest prints "SIMTEST: PASS <test>
 * (partial: <why>)" for exit status 77.
 */
#define PARTIAL_EXIT	77
#define PARTIAL(...)							\
	do {								\
		printf("PARTIAL: ");					\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		exit(PARTIAL_EXIT);					\
	} while (0)

/* forseti's topic that brings GROUP_CREATE and jobs (tests/topics). */
#define GROUPS_TOPIC	"5-jobqueue"

int open_render(void);
/* The driver is forseti (whose jobs come with its groups topic). */
bool is_forseti(int fd);
/*
 * Has @topic ("5-jobqueue") landed in the driver under test? From SIMLANDED
 * (comma-separated, set by scripts/sim-test.sh: every topic for panthor);
 * true when SIMLANDED is not set (a test run by hand expects everything).
 * A name that is not in SIMTOPICS (every topic of the series, also set by
 * sim-test.sh) fails the test: a renamed topic must not pass as unlanded.
 */
bool topic_landed(const char *topic);
/*
 * Has @topic landed and is it complete? A topic whose patches are in
 * while ROADMAP still says "in progress" (SIMINPROGRESS, comma-separated,
 * set by sim-test.sh) counts as landed for the tests of its "(in
 * progress)" lines, but what it has not brought yet may still answer
 * "not implemented" (EOPNOTSUPP). True when SIMINPROGRESS is not set.
 */
bool topic_complete(const char *topic);
void dev_name(char *buf, size_t len);

struct drm_panthor_gpu_info query_gpu_info(int fd);
struct drm_panthor_csif_info query_csif_info(int fd);
/* 0, or -errno when the driver does not answer CSIF_INFO (yet). */
int try_csif_info(int fd, struct drm_panthor_csif_info *info);

uint32_t vm_create(int fd);
void vm_destroy(int fd, uint32_t vm);
uint32_t bo_create(int fd, uint64_t size, uint32_t flags, uint32_t excl_vm);
void *bo_mmap(int fd, uint32_t handle, uint64_t size);
void bo_close(int fd, uint32_t handle);
void vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t va, uint64_t size, uint32_t flags);
/* What hold_objects() found the driver able to make. */
enum held { HELD_NOTHING, HELD_BO, HELD_BO_VM };
void *hold_objects(int fd, enum held *held);
void use_objects(int fd, enum held held);
void vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size);

/* GROUP_CREATE's arguments for a MEDIUM group of @vm on every core (no queues yet). */
struct drm_panthor_group_create group_args(int fd, uint32_t vm);
uint32_t group_create(int fd, uint32_t vm);
int group_create_ret(int fd, struct drm_panthor_group_create *gc,
		     struct drm_panthor_queue_create *q, uint32_t nq);
void group_destroy(int fd, uint32_t group);
uint32_t group_state(int fd, uint32_t group, uint32_t *fatal_queues);
int submit(int fd, uint32_t group, uint64_t addr, uint32_t size,
	   uint32_t in_syncobj, uint32_t out_syncobj);
uint32_t syncobj_create(int fd);
/* 0 when signalled within timeout_ms, -ETIME otherwise. */
int syncobj_wait(int fd, uint32_t handle, int timeout_ms);

/* A job: a VM with a command buffer and a data buffer, and a group. */
struct job_ctx {
	int fd;
	uint32_t vm, group;
	uint32_t state;		/* the group's state after job_read_pages() */
	uint32_t cmd_bo, data_bo;
	uint64_t cmd_va, data_va;
	uint64_t *cmd;
	uint32_t *data;
	unsigned int n;		/* instructions written */
};
#define CMD_VA		0x10000000ull
#define DATA_VA		0x20000000ull
#define BUF_SIZE	0x10000ull

void job_init(struct job_ctx *j, int fd);
void job_fini(struct job_ctx *j);
void job_reset(struct job_ctx *j);
void job_emit(struct job_ctx *j, uint64_t instr);
/* Submit the instructions written so far; returns the out syncobj. */
uint32_t job_submit(struct job_ctx *j, uint32_t in_syncobj);
/*
 * Run a job of its own (the command buffer is reset first) that stores
 * 0x600d in j->data[0], zeroed before; fail (naming @when) unless it
 * completes, its group was not killed and the word reads back.
 */
void job_check_healthy(struct job_ctx *j, const char *when);
/*
 * Run a job that copies the 32-bit word at each of the @n GPU addresses
 * @va[] into j->data[0..n-1], each set to @fill first. 0 when its fence
 * signalled within 10 s and the group is still fine; -ETIME when the fence
 * did not signal; -EIO when it signalled but the job was killed: the
 * group's state (in j->state) says TIMEDOUT (e.g. a read stalled on a
 * locked region that was never unlocked, until the driver's job timeout)
 * or FATAL_FAULT.
 */
int job_read_words(struct job_ctx *j, const uint64_t *va, unsigned int n, uint32_t fill);
/* job_read_words() of the first word of each of @n pages from @va, fill 0. */
int job_read_pages(struct job_ctx *j, uint64_t va, unsigned int n);
/* Why job_read_pages() returned @r, in words (for a FAIL line). */
const char *job_read_why(const struct job_ctx *j, int r);

/* CS instruction encoding (Valhall CSF, v10). */
uint64_t cs_nop(void);
uint64_t cs_move48(unsigned int reg, uint64_t imm);
uint64_t cs_move32(unsigned int reg, uint32_t imm);
uint64_t cs_add_imm32(unsigned int dst, unsigned int src, int32_t imm);
uint64_t cs_store_multiple(unsigned int first_reg, unsigned int addr_reg,
			   uint16_t mask, int16_t offset);
uint64_t cs_load_multiple(unsigned int first_reg, unsigned int addr_reg,
			  uint16_t mask, int16_t offset);
uint64_t cs_sync_set32(unsigned int addr_reg, unsigned int val_reg);
uint64_t cs_sync_add32(unsigned int addr_reg, unsigned int val_reg);
uint64_t cs_sync_wait32(unsigned int addr_reg, unsigned int val_reg, bool gt);
uint64_t cs_branch(int16_t offset, unsigned int cond, unsigned int reg);
uint64_t cs_raw(unsigned int opcode, uint64_t payload);

/*
 * The simulator's TLB (sim/sim.h): SIM_TLB_SETS sets of SIM_TLB_WAYS
 * translations per address space, a page's set its page number folded 6
 * bits at a time. sim_tlb_holds() checks these against mali_sim/tlb.
 */
#define SIM_NUM_AS	8	/* the simulator's address spaces (MSIM_NUM_AS) */
#define SIM_TLB_SETS	64
#define SIM_TLB_WAYS	4
#define SIM_TLB_SET(va)							\
	((((va) >> 12) ^ ((va) >> 18) ^ ((va) >> 24) ^ ((va) >> 30) ^	\
	  ((va) >> 36) ^ ((va) >> 42)) & (SIM_TLB_SETS - 1))
/*
 * Does the simulated GPU's TLB (debugfs mali_sim/tlb) hold the page at @va
 * in the address space of a VM (not the MCU's, AS0)? *in_set: how many
 * translations the page's set holds there, the page's own included (when
 * it is not held: the fullest set of that number over the VMs' ASes).
 */
bool sim_tlb_holds(uint64_t va, unsigned int *in_set);

/* Simulator fault knobs: /sys/module/mali_sim/parameters/<name>. */
void knob_set(const char *name, const char *value);
/*
 * The GPU's platform device directory in sysfs ($SIMGPU, which guest-init.sh
 * sets): fails the test when it is not set or not there.
 */
const char *gpu_sysfs(void);
int read_file(const char *path, char *buf, size_t len);
int write_file(const char *path, const char *val);
void msleep(unsigned int ms);
/* CLOCK_MONOTONIC in milliseconds. */
long now_ms(void);
long meminfo_kb(const char *key);
/* "<n> [KiB|MiB|GiB]" (fdinfo's sizes, leading blanks allowed) in bytes; @end past it. */
unsigned long long size_with_unit(const char *s, char **end);


/* --- power management (the 6-power tests) ----------------------------- */

/*
 * The GPU's runtime PM attribute @attr (power/<attr> of gpu_sysfs()) into
 * @buf; 0 or -errno.
 */
int pm_read(const char *attr, char *buf, size_t len);
/* The same, as a number; fails the test when it cannot be read. */
long long pm_read_ll(const char *attr);
/* Write @val to power/<attr>; fails the test when that is refused. */
void pm_write(const char *attr, const char *val);
/*
 * Wait up to @timeout_ms for power/runtime_status to read @want; 0 when
 * it did, -1 otherwise (the status last read is printed).
 */
int pm_wait_status(const char *want, int timeout_ms);

/*
 * The state of the fence a syncobj holds, through a sync file: 1
 * signalled without error, 0 not signalled yet, -errno signalled with
 * that error (a killed or cancelled job). Fails the test when the syncobj
 * holds no fence.
 */
int syncobj_fence_status(int fd, uint32_t handle);

/*
 * The kernel log (/dev/kmsg) from now on: klog_open() skips what was
 * logged before; klog_errors() reads what was logged since (each record
 * once) and counts the records of level error or worse (KERN_ERR, 3, and
 * below) whose text contains @needle (NULL: any), copying the first into
 * @first (may be NULL). The needle is usually the GPU's device name
 * (dev_name()), which dev_err() and drm_err() lines carry.
 */
int klog_open(void);
int klog_errors(int kfd, const char *needle, char *first, size_t len);

/* --- recovery (the 7-recovery tests) ------------------------------------ */

/*
 * A simulator knob's value, as a number (a bool reads Y/N: 1/0); fails
 * the test when the simulator has no such knob.
 */
long knob_get(const char *name);

/*
 * Out-fences watched together through sync files: each one's time (ms
 * after @t0) and status when it was first seen signalled.
 */
#define FSET_MAX	32
struct fence_set {
	int n;
	long t0;
	int sf[FSET_MAX];
	long at[FSET_MAX];	/* ms after t0 it was seen signalled; -1: not yet */
	int status[FSET_MAX];	/* 0 pending, 1 signalled fine, -errno: its error */
};
void fset_init(struct fence_set *fs, long t0);
/* Watch the fence @syncobj holds now (it must hold one); returns its index. */
int fset_add(struct fence_set *fs, int fd, uint32_t syncobj);
/* Wait up to @timeout_ms for any change; returns how many are still pending. */
int fset_poll(struct fence_set *fs, int timeout_ms);
/* Wait until all have signalled or @bound_ms after t0; returns how many are pending. */
int fset_wait(struct fence_set *fs, long bound_ms);
void fset_fini(struct fence_set *fs);

/*
 * Like klog_errors(), but records of any level: how many logged since the
 * last look contain @needle (the first copied into @first, may be NULL).
 */
int klog_grep(int kfd, const char *needle, char *first, size_t len);

/*
 * A job for a firmware hang to come under (boot_fail_reset,
 * reset_fail_soft): it stores @val in j->data[0], and slow_job_ms
 * (@slow_ms) makes it take that long. Submitted and watched in @fs (t0
 * its submit); fails the test unless it is still running 100 ms later.
 * Returns its index in @fs.
 */
int hang_job_start(struct job_ctx *j, struct fence_set *fs, uint32_t val, const char *slow_ms);
/*
 * After the hang: the job's fence signalled (within @bound_ms, for the
 * message), fine with @val stored, or with an error and a non-zero group
 * @state.
 */
void hang_job_check(struct job_ctx *j, const struct fence_set *fs, int fi, uint32_t val,
		    uint32_t state, long bound_ms);
/*
 * A new group's job runs (job_check_healthy(), @when naming it) and is
 * done within @bound_ms of @th (the hang, now_ms()); prints and returns
 * how long after @th.
 */
long new_group_healthy(int fd, long th, long bound_ms, const char *when);

/*
 * The kernel log's records since the last look (any level), their text
 * one a line, appended to @buf (of @len bytes) at @used; returns the new
 * length (what does not fit is dropped).
 */
size_t klog_text(int kfd, char *buf, size_t len, size_t used);
/* Print each line of @text that contains one of @needles (NULL-terminated), after @prefix. */
void klog_print_matching(const char *text, const char *const *needles, const char *prefix);

/*
 * System suspend under the kernel's suspend test (see
 * t_system_suspend_resume.c): pm_test_setup() sets /sys/power/pm_test to
 * @level and pm_test_delay to @delay_s seconds, given back at exit;
 * system_sleep() writes "mem" to /sys/power/state: 0 or -errno (a
 * device refused), how long it took in *@took_ms.
 */
void pm_test_setup(const char *level, const char *delay_s);
int system_sleep(long *took_ms);

/* --- unbind and bind ------------------------------------------------------ */

/*
 * Write the GPU's device name (dev_name()) to @attr, "bind" or "unbind",
 * of the driver under test ($SIMDRIVER, else panthor) in
 * /sys/bus/platform/drivers/; fails the test when that is refused.
 */
void driver_attr(const char *attr);
/* Wait up to @timeout_ms for the render node (after a bind); true once it is there. */
bool render_node_wait(int timeout_ms);
/* Bind the driver again (after an unbind): a new file's job runs. */
void rebind_healthy(void);

#endif
