// SPDX-License-Identifier: GPL-2.0-only
/*
 * common.c: helpers shared by the uAPI tests (see common.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "common.h"

void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n'))
		buf[--n] = 0;
	return 0;
}

int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

void knob_set(const char *name, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/mali_sim/parameters/%s", name);
	CHECK(!write_file(path, value), "cannot set simulator knob %s", name);
}

const char *gpu_sysfs(void)
{
	const char *gpu = getenv("SIMGPU");
	struct stat st;

	CHECK(gpu && *gpu, "SIMGPU is not set: guest-init.sh names the simulated GPU's device");
	CHECK(!stat(gpu, &st), "the simulated GPU is not at %s (SIMGPU): %s", gpu, strerror(errno));
	return gpu;
}

void dev_name(char *buf, size_t len)
{
	const char *gpu = gpu_sysfs(), *slash = strrchr(gpu, '/');

	snprintf(buf, len, "%s", slash ? slash + 1 : gpu);
}

int open_render(void)
{
	char path[64];
	int i;

	for (i = 128; i < 136; i++) {
		drmVersionPtr v;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "panthor")) {
			drmFreeVersion(v);
			return fd;
		}
		if (v)
			drmFreeVersion(v);
		close(fd);
	}
	FAIL("no panthor render node under /dev/dri");
	return -1;
}

bool is_forseti(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool r = v && v->desc && strstr(v->desc, "forseti");

	drmFreeVersion(v);
	return r;
}

/* Is @topic one of the comma-separated names of @list? */
static bool in_list(const char *list, const char *topic)
{
	size_t n = strlen(topic);

	for (;;) {
		if (!strncmp(list, topic, n) && (list[n] == ',' || !list[n]))
			return true;
		list = strchr(list, ',');
		if (!list)
			return false;
		list++;
	}
}

bool topic_landed(const char *topic)
{
	const char *l = getenv("SIMLANDED"), *all = getenv("SIMTOPICS");

	if (!l)
		return true;
	/*
	 * A name that is no topic (renamed, renumbered) would never land, and
	 * the test would accept "not implemented yet" for ever: fail instead.
	 */
	CHECK(all, "SIMLANDED is set but SIMTOPICS (every topic's name) is not: is the guest's init up to date?");
	CHECK(in_list(all, topic), "topic_landed(\"%s\"): no such topic (the series has: %s): renamed or renumbered?",
	      topic, all);
	return in_list(l, topic);
}

bool topic_complete(const char *topic)
{
	const char *p = getenv("SIMINPROGRESS");

	if (!topic_landed(topic))
		return false;
	return !p || !*p || !in_list(p, topic);
}

struct drm_panthor_gpu_info query_gpu_info(int fd)
{
	struct drm_panthor_gpu_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	memset(&info, 0xa5, sizeof(info));
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return info;
}

struct drm_panthor_csif_info query_csif_info(int fd)
{
	struct drm_panthor_csif_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	memset(&info, 0xa5, sizeof(info));
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return info;
}

int try_csif_info(int fd, struct drm_panthor_csif_info *info)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
		.size = sizeof(*info),
		.pointer = (uintptr_t)info,
	};

	memset(info, 0, sizeof(*info));
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ? -errno : 0;
}

uint32_t vm_create(int fd)
{
	struct drm_panthor_vm_create c = { .user_va_range = USER_VA_RANGE };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c);
	return c.id;
}

void vm_destroy(int fd, uint32_t vm)
{
	struct drm_panthor_vm_destroy d = { .id = vm };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

uint32_t bo_create(int fd, uint64_t size, uint32_t flags, uint32_t excl_vm)
{
	struct drm_panthor_bo_create c = {
		.size = size, .flags = flags, .exclusive_vm_id = excl_vm,
	};

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	CHECK(c.size >= size, "BO_CREATE returned size %llu < %llu",
	      (unsigned long long)c.size, (unsigned long long)size);
	return c.handle;
}

void *bo_mmap(int fd, uint32_t handle, uint64_t size)
{
	struct drm_panthor_bo_mmap_offset m = { .handle = handle };
	void *p;

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &m);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	CHECK(p != MAP_FAILED, "mmap of BO %u failed: %s", handle, strerror(errno));
	return p;
}

void bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	CHECK_IOCTL(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

void vm_map(int fd, uint32_t vm, uint32_t bo, uint64_t va, uint64_t size, uint32_t flags)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | flags,
		.bo_handle = bo, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);
}

void vm_unmap(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);
}

/*
 * Fill a file with what the driver has so far: a BO mapped by the CPU (and
 * written), a VM, the BO mapped in it. A driver without BO or VM ioctls yet
 * (an early topic of forseti) gets a file with what there is; *held says
 * what that was, and returns the CPU mapping (NULL without a BO).
 */
void *hold_objects(int fd, enum held *held)
{
	struct drm_panthor_bo_create bc = { .size = 0x10000 };
	struct drm_panthor_vm_create vc = { .user_va_range = USER_VA_RANGE };
	uint32_t *p;

	*held = HELD_NOTHING;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc)) {
		printf("no BO_CREATE yet (%s): the file holds no objects\n", strerror(errno));
		return NULL;
	}
	*held = HELD_BO;
	p = bo_mmap(fd, bc.handle, 0x10000);
	p[0] = 0x1234;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc)) {
		printf("no VM_CREATE yet (%s): the file holds a BO and its mmap\n", strerror(errno));
		return p;
	}
	*held = HELD_BO_VM;
	vm_map(fd, vc.id, bc.handle, 0x1000000, 0x10000, 0);
	printf("the file holds a BO, its mmap, a VM and a mapping\n");
	return p;
}

/*
 * The same on a new file, released again: the device works as well as it
 * did when hold_objects() ran. An ioctl that worked then and fails now
 * fails the test.
 */
void use_objects(int fd, enum held held)
{
	struct drm_panthor_vm_create vc = { .user_va_range = USER_VA_RANGE };
	struct drm_panthor_bo_create bc = { .size = 0x10000 };

	if (held == HELD_NOTHING)
		return;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc);
	if (held == HELD_BO_VM) {
		CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc);
		vm_map(fd, vc.id, bc.handle, 0x1000000, 0x10000, 0);
		vm_unmap(fd, vc.id, 0x1000000, 0x10000);
		vm_destroy(fd, vc.id);
	}
	bo_close(fd, bc.handle);
}

int group_create_ret(int fd, struct drm_panthor_group_create *gc,
		     struct drm_panthor_queue_create *q, uint32_t nq)
{
	gc->queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(nq, q);
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, gc) ? -errno : 0;
}

struct drm_panthor_group_create group_args(int fd, uint32_t vm)
{
	struct drm_panthor_gpu_info gi = query_gpu_info(fd);

	return (struct drm_panthor_group_create){
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gi.shader_present,
		.fragment_core_mask = gi.shader_present,
		.tiler_core_mask = gi.tiler_present,
		.vm_id = vm,
	};
}

uint32_t group_create(int fd, uint32_t vm)
{
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	struct drm_panthor_group_create gc = group_args(fd, vm);
	int r = group_create_ret(fd, &gc, &q, 1);

	CHECK(!r, "GROUP_CREATE failed: %s", strerror(-r));
	return gc.group_handle;
}

void group_destroy(int fd, uint32_t group)
{
	struct drm_panthor_group_destroy d = { .group_handle = group };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
}

uint32_t group_state(int fd, uint32_t group, uint32_t *fatal_queues)
{
	struct drm_panthor_group_get_state s = { .group_handle = group };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s);
	if (fatal_queues)
		*fatal_queues = s.fatal_queues;
	return s.state;
}

int submit(int fd, uint32_t group, uint64_t addr, uint32_t size,
	   uint32_t in_syncobj, uint32_t out_syncobj)
{
	struct drm_panthor_sync_op ops[2];
	unsigned int n = 0;
	struct drm_panthor_queue_submit qs = {
		.queue_index = 0, .stream_size = size, .stream_addr = addr,
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	if (in_syncobj)
		ops[n++] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_WAIT |
				 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = in_syncobj };
	if (out_syncobj)
		ops[n++] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
				 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = out_syncobj };
	qs.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(n, ops);
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) ? -errno : 0;
}

uint32_t syncobj_create(int fd)
{
	uint32_t h;

	CHECK(!drmSyncobjCreate(fd, 0, &h), "syncobj create: %s", strerror(errno));
	return h;
}

int syncobj_wait(int fd, uint32_t handle, int timeout_ms)
{
	struct timespec ts;
	int64_t deadline;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec * 1000000000LL + ts.tv_nsec + timeout_ms * 1000000LL;
	if (drmSyncobjWait(fd, &handle, 1, deadline, 0, NULL))
		return -errno;
	return 0;
}

void job_init(struct job_ctx *j, int fd)
{
	memset(j, 0, sizeof(*j));
	j->fd = fd;
	j->vm = vm_create(fd);
	j->cmd_va = CMD_VA;
	j->data_va = DATA_VA;
	j->cmd_bo = bo_create(fd, BUF_SIZE, 0, 0);
	j->data_bo = bo_create(fd, BUF_SIZE, 0, 0);
	j->cmd = bo_mmap(fd, j->cmd_bo, BUF_SIZE);
	j->data = bo_mmap(fd, j->data_bo, BUF_SIZE);
	memset(j->cmd, 0, BUF_SIZE);
	memset(j->data, 0, BUF_SIZE);
	vm_map(fd, j->vm, j->cmd_bo, j->cmd_va, BUF_SIZE, 0);
	vm_map(fd, j->vm, j->data_bo, j->data_va, BUF_SIZE, 0);
	j->group = group_create(fd, j->vm);
}

void job_fini(struct job_ctx *j)
{
	group_destroy(j->fd, j->group);
	vm_unmap(j->fd, j->vm, j->cmd_va, BUF_SIZE);
	vm_unmap(j->fd, j->vm, j->data_va, BUF_SIZE);
	munmap(j->cmd, BUF_SIZE);
	munmap(j->data, BUF_SIZE);
	bo_close(j->fd, j->cmd_bo);
	bo_close(j->fd, j->data_bo);
	vm_destroy(j->fd, j->vm);
}

void job_reset(struct job_ctx *j)
{
	memset(j->cmd, 0, BUF_SIZE);
	j->n = 0;
}

void job_emit(struct job_ctx *j, uint64_t instr)
{
	CHECK(j->n < BUF_SIZE / 8, "command buffer full");
	j->cmd[j->n++] = instr;
}

uint32_t job_submit(struct job_ctx *j, uint32_t in_syncobj)
{
	uint32_t out = syncobj_create(j->fd);
	int r;

	__sync_synchronize();
	r = submit(j->fd, j->group, j->cmd_va, j->n * 8, in_syncobj, out);
	CHECK(!r, "GROUP_SUBMIT failed: %s", strerror(-r));
	return out;
}

void job_check_healthy(struct job_ctx *j, const char *when)
{
	uint32_t s, st;

	/*
	 * A stream of its own: job_submit() runs the whole command buffer,
	 * so appending would run the context's last job again, and that
	 * may touch memory freed since (a destroyed heap's chunk).
	 */
	job_reset(j);
	j->data[0] = 0;
	job_emit(j, cs_move48(0, j->data_va));
	job_emit(j, cs_move32(2, 0x600d));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	s = job_submit(j, 0);
	CHECK(!syncobj_wait(j->fd, s, 10000), "%s: the job did not complete", when);
	drmSyncobjDestroy(j->fd, s);
	__sync_synchronize();
	/* a killed job's fence signals too */
	st = group_state(j->fd, j->group, NULL);
	CHECK(!(st & (DRM_PANTHOR_GROUP_STATE_TIMEDOUT | DRM_PANTHOR_GROUP_STATE_FATAL_FAULT)),
	      "%s: the job's group was killed (state 0x%x)", when, st);
	CHECK(j->data[0] == 0x600d, "%s: the job wrote 0x%x", when, j->data[0]);
}

int job_read_words(struct job_ctx *j, const uint64_t *va, unsigned int n, uint32_t fill)
{
	unsigned int i;
	uint32_t s;
	int r;

	for (i = 0; i < n; i++)
		j->data[i] = fill;
	job_reset(j);
	for (i = 0; i < n; i++) {
		job_emit(j, cs_move48(0, va[i]));
		job_emit(j, cs_load_multiple(2, 0, 0x1, 0));
		job_emit(j, cs_move48(4, j->data_va + 4 * i));
		job_emit(j, cs_store_multiple(2, 4, 0x1, 0));
	}
	s = job_submit(j, 0);
	r = syncobj_wait(j->fd, s, 10000);
	drmSyncobjDestroy(j->fd, s);
	__sync_synchronize();
	if (r)
		return r;
	/* a fence also signals when the job was killed: that read nothing */
	j->state = group_state(j->fd, j->group, NULL);
	if (j->state & (DRM_PANTHOR_GROUP_STATE_TIMEDOUT | DRM_PANTHOR_GROUP_STATE_FATAL_FAULT))
		return -EIO;
	return 0;
}

int job_read_pages(struct job_ctx *j, uint64_t va, unsigned int n)
{
	uint64_t *addrs = calloc(n, sizeof(*addrs));
	unsigned int i;
	int r;

	CHECK(addrs, "out of memory");
	for (i = 0; i < n; i++)
		addrs[i] = va + i * 0x1000ull;
	r = job_read_words(j, addrs, n, 0);
	free(addrs);
	return r;
}

const char *job_read_why(const struct job_ctx *j, int r)
{
	static char buf[160];

	if (r == -ETIME)
		return "its fence did not signal within 10 s";
	if (r != -EIO)
		return r ? strerror(-r) : "it completed";
	snprintf(buf, sizeof(buf), "it was killed (group state 0x%x: %s)", j->state,
		 j->state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT ?
		 "a fault: a page it reads is not mapped?" :
		 "timed out: stalled on a locked region that was never unlocked?");
	return buf;
}

bool sim_tlb_holds(uint64_t va, unsigned int *in_set)
{
	const char *path = "/sys/kernel/debug/mali_sim/tlb";
	unsigned int n[SIM_NUM_AS][SIM_TLB_SETS] = { { 0 } };
	unsigned int sets = 0, ways = 0, set;
	unsigned int want = SIM_TLB_SET(va);
	unsigned long long eva, pa;
	int as, held = -1;
	char line[256];
	FILE *f;

	f = fopen(path, "r");
	CHECK(f, "cannot read %s: %s", path, strerror(errno));
	CHECK(fgets(line, sizeof(line), f) && sscanf(line, "sets %u ways %u", &sets, &ways) == 2,
	      "%s: no geometry line", path);
	CHECK(sets == SIM_TLB_SETS && ways == SIM_TLB_WAYS,
	      "%s: %u sets of %u ways, but common.h says %u of %u", path, sets, ways,
	      SIM_TLB_SETS, SIM_TLB_WAYS);
	while (fgets(line, sizeof(line), f)) {
		CHECK(sscanf(line, "AS%d set %u va 0x%llx pa 0x%llx", &as, &set, &eva, &pa) == 4 &&
		      as >= 0 && as < SIM_NUM_AS && set < SIM_TLB_SETS, "%s: cannot parse \"%s\"", path, line);
		CHECK(set == SIM_TLB_SET((uint64_t)eva),
		      "%s: va 0x%llx in set %u, but SIM_TLB_SET() says %u", path, eva, set,
		      (unsigned int)SIM_TLB_SET((uint64_t)eva));
		n[as][set]++;
		if (as && eva == (va & ~0xfffull))
			held = as;
	}
	CHECK(!ferror(f), "reading %s failed: read error", path);
	fclose(f);
	*in_set = 0;
	for (as = 1; as < SIM_NUM_AS; as++)
		if (held == as || (held < 0 && n[as][want] > *in_set))
			*in_set = n[as][want];
	return held > 0;
}

/* --- CS encoder --------------------------------------------------------- */

uint64_t cs_raw(unsigned int opcode, uint64_t payload)
{
	return ((uint64_t)opcode << 56) | (payload & ((1ull << 56) - 1));
}

uint64_t cs_nop(void)
{
	return cs_raw(0, 0);
}

uint64_t cs_move48(unsigned int reg, uint64_t imm)
{
	return cs_raw(1, ((uint64_t)reg << 48) | (imm & ((1ull << 48) - 1)));
}

uint64_t cs_move32(unsigned int reg, uint32_t imm)
{
	return cs_raw(2, ((uint64_t)reg << 48) | imm);
}

uint64_t cs_add_imm32(unsigned int dst, unsigned int src, int32_t imm)
{
	return cs_raw(16, ((uint64_t)dst << 48) | ((uint64_t)src << 40) | (uint32_t)imm);
}

uint64_t cs_load_multiple(unsigned int first_reg, unsigned int addr_reg,
			  uint16_t mask, int16_t offset)
{
	return cs_raw(20, ((uint64_t)first_reg << 48) | ((uint64_t)addr_reg << 40) |
		      ((uint64_t)mask << 16) | (uint16_t)offset);
}

uint64_t cs_store_multiple(unsigned int first_reg, unsigned int addr_reg,
			   uint16_t mask, int16_t offset)
{
	return cs_raw(21, ((uint64_t)first_reg << 48) | ((uint64_t)addr_reg << 40) |
		      ((uint64_t)mask << 16) | (uint16_t)offset);
}

uint64_t cs_sync_add32(unsigned int addr_reg, unsigned int val_reg)
{
	return cs_raw(37, ((uint64_t)addr_reg << 40) | ((uint64_t)val_reg << 32));
}

uint64_t cs_sync_set32(unsigned int addr_reg, unsigned int val_reg)
{
	return cs_raw(38, ((uint64_t)addr_reg << 40) | ((uint64_t)val_reg << 32));
}

uint64_t cs_sync_wait32(unsigned int addr_reg, unsigned int val_reg, bool gt)
{
	return cs_raw(39, ((uint64_t)addr_reg << 40) | ((uint64_t)val_reg << 32) |
		      ((uint64_t)(gt ? 1 : 0) << 28));
}

uint64_t cs_branch(int16_t offset, unsigned int cond, unsigned int reg)
{
	return cs_raw(22, ((uint64_t)reg << 40) | ((uint64_t)cond << 28) | (uint16_t)offset);
}

unsigned long long size_with_unit(const char *s, char **end)
{
	unsigned long long v = strtoull(s, end, 10);
	char *p = *end;

	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "KiB", 3))
		v <<= 10;
	else if (!strncmp(p, "MiB", 3))
		v <<= 20;
	else if (!strncmp(p, "GiB", 3))
		v <<= 30;
	*end = p;
	return v;
}

/* A "<key> <n> kB" line of /proc/meminfo. */
long meminfo_kb(const char *key)
{
	char buf[8192], *p;

	CHECK(!read_file("/proc/meminfo", buf, sizeof(buf)), "cannot read /proc/meminfo");
	p = strstr(buf, key);
	CHECK(p, "no %s in /proc/meminfo", key);
	return strtol(p + strlen(key), NULL, 10);
}

/* --- power management ---------------------------------------------------- */

int pm_read(const char *attr, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/power/%s", gpu_sysfs(), attr);
	return read_file(path, buf, len);
}

long long pm_read_ll(const char *attr)
{
	char buf[64], *end;
	long long v;
	int r = pm_read(attr, buf, sizeof(buf));

	CHECK(!r, "cannot read %s/power/%s: %s", gpu_sysfs(), attr, strerror(-r));
	v = strtoll(buf, &end, 10);
	CHECK(end != buf && !*end, "%s/power/%s reads '%s', not a number", gpu_sysfs(), attr, buf);
	return v;
}

void pm_write(const char *attr, const char *val)
{
	char path[256];
	int r;

	snprintf(path, sizeof(path), "%s/power/%s", gpu_sysfs(), attr);
	r = write_file(path, val);
	CHECK(!r, "cannot write '%s' to %s: %s", val, path, strerror(-r));
}

int pm_wait_status(const char *want, int timeout_ms)
{
	char buf[32] = "";
	long end = now_ms() + timeout_ms;

	for (;;) {
		if (!pm_read("runtime_status", buf, sizeof(buf)) && !strcmp(buf, want))
			return 0;
		if (now_ms() >= end)
			break;
		msleep(2);
	}
	printf("runtime_status is '%s', waited %d ms for '%s'\n", buf, timeout_ms, want);
	return -1;
}

int syncobj_fence_status(int fd, uint32_t handle)
{
	struct sync_file_info info;
	int sf, r;

	CHECK(!drmSyncobjExportSyncFile(fd, handle, &sf),
	      "syncobj %u: no fence to export: %s", handle, strerror(errno));
	memset(&info, 0, sizeof(info));
	r = ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	CHECK(!r, "SYNC_IOC_FILE_INFO: %s", strerror(errno));
	return info.status;
}

int klog_open(void)
{
	int kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	CHECK(kfd >= 0, "cannot open /dev/kmsg: %s", strerror(errno));
	CHECK(lseek(kfd, 0, SEEK_END) >= 0, "cannot seek /dev/kmsg: %s", strerror(errno));
	return kfd;
}

/*
 * The next record of /dev/kmsg since the last look, read into @rec: its
 * text (one line), and its level in *@prio; NULL once there is none.
 */
static char *klog_next(int kfd, char *rec, size_t len, int *prio)
{
	for (;;) {
		ssize_t r = read(kfd, rec, len - 1);
		char *text;

		if (r < 0 && errno == EPIPE)	/* records overwritten: go on */
			continue;
		if (r < 0 && errno == EAGAIN)
			return NULL;
		CHECK(r >= 0, "reading /dev/kmsg: %s", strerror(errno));
		rec[r] = 0;
		/* "<prefix>,<seq>,<usec>,<flags>[,...];<text>\n< KEY=value>..." */
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%d", prio) != 1)
			continue;
		text++;
		text[strcspn(text, "\n")] = 0;
		return text;
	}
}

/* Records of level @max_prio or worse since the last look that contain @needle. */
static int klog_count(int kfd, int max_prio, const char *needle, char *first, size_t len)
{
	char rec[8192], *text;
	int n = 0, prio;

	while ((text = klog_next(kfd, rec, sizeof(rec), &prio))) {
		if ((prio & 7) > max_prio || (needle && !strstr(text, needle)))
			continue;
		if (!n && first)
			snprintf(first, len, "%s", text);
		n++;
	}
	return n;
}

int klog_errors(int kfd, const char *needle, char *first, size_t len)
{
	return klog_count(kfd, 3, needle, first, len);
}

int klog_grep(int kfd, const char *needle, char *first, size_t len)
{
	return klog_count(kfd, 7, needle, first, len);
}

/* --- recovery ------------------------------------------------------------ */

long knob_get(const char *name)
{
	char path[256], buf[32] = "", *end;
	long v;

	snprintf(path, sizeof(path), "/sys/module/mali_sim/parameters/%s", name);
	CHECK(!read_file(path, buf, sizeof(buf)), "the simulator has no knob %s (%s)", name, path);
	if (buf[0] == 'Y' || buf[0] == 'N')
		return buf[0] == 'Y';
	v = strtol(buf, &end, 0);
	CHECK(end != buf, "simulator knob %s reads '%s', not a number", name, buf);
	return v;
}

void fset_init(struct fence_set *fs, long t0)
{
	memset(fs, 0, sizeof(*fs));
	fs->t0 = t0;
}

static int sync_file_status(int sf)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	CHECK(!ioctl(sf, SYNC_IOC_FILE_INFO, &info), "SYNC_IOC_FILE_INFO: %s", strerror(errno));
	return info.status;
}

int fset_add(struct fence_set *fs, int fd, uint32_t syncobj)
{
	int i = fs->n;

	CHECK(i < FSET_MAX, "more than %d fences in a fence_set", FSET_MAX);
	CHECK(!drmSyncobjExportSyncFile(fd, syncobj, &fs->sf[i]),
	      "syncobj %u: no fence to export: %s", syncobj, strerror(errno));
	fs->at[i] = -1;
	fs->status[i] = 0;
	fs->n++;
	fset_poll(fs, 0);
	return i;
}

int fset_poll(struct fence_set *fs, int timeout_ms)
{
	struct pollfd p[FSET_MAX];
	int idx[FSET_MAX], n = 0, i, r;

	for (i = 0; i < fs->n; i++)
		if (fs->at[i] < 0) {
			p[n] = (struct pollfd){ .fd = fs->sf[i], .events = POLLIN };
			idx[n++] = i;
		}
	if (!n) {
		if (timeout_ms > 0)
			msleep(timeout_ms);
		return 0;
	}
	r = poll(p, n, timeout_ms < 0 ? 0 : timeout_ms);
	CHECK(r >= 0 || errno == EINTR, "poll: %s", strerror(errno));
	r = 0;
	for (i = 0; i < n; i++) {
		if (p[i].revents & POLLIN) {
			fs->at[idx[i]] = now_ms() - fs->t0;
			fs->status[idx[i]] = sync_file_status(fs->sf[idx[i]]);
		} else {
			r++;
		}
	}
	return r;
}

int fset_wait(struct fence_set *fs, long bound_ms)
{
	int left;

	for (;;) {
		long wait = bound_ms - (now_ms() - fs->t0);

		left = fset_poll(fs, wait < 0 ? 0 : (wait > 1000 ? 1000 : (int)wait));
		if (!left || now_ms() - fs->t0 >= bound_ms)
			return left;
	}
}

void fset_fini(struct fence_set *fs)
{
	int i;

	for (i = 0; i < fs->n; i++)
		close(fs->sf[i]);
	fs->n = 0;
}

/* --- a job the firmware hangs under (boot_fail_reset, reset_fail_soft) --- */

int hang_job_start(struct job_ctx *j, struct fence_set *fs, uint32_t val, const char *slow_ms)
{
	uint32_t s;
	int fi;

	job_emit(j, cs_move48(0, j->data_va));
	job_emit(j, cs_move32(2, val));
	job_emit(j, cs_store_multiple(2, 0, 0x1, 0));
	knob_set("slow_job_ms", slow_ms);
	fset_init(fs, now_ms());
	s = job_submit(j, 0);
	fi = fset_add(fs, j->fd, s);
	msleep(100);
	CHECK(fset_poll(fs, 0) == 1,
	      "the job completed within 100 ms although it takes %s ms: the hang would come too late",
	      slow_ms);
	return fi;
}

void hang_job_check(struct job_ctx *j, const struct fence_set *fs, int fi, uint32_t val,
		    uint32_t state, long bound_ms)
{
	CHECK(fs->at[fi] >= 0, "the job's fence did not signal within %ld ms of the hang (state 0x%x)",
	      bound_ms, state);
	if (fs->status[fi] == 1)
		CHECK(j->data[0] == val, "the job's fence signalled fine but it stored 0x%x, want 0x%x",
		      j->data[0], val);
	else
		CHECK(state, "the job's fence has error %d but its group's state is 0", fs->status[fi]);
}

long new_group_healthy(int fd, long th, long bound_ms, const char *when)
{
	struct job_ctx k;
	long done;

	job_init(&k, fd);
	job_check_healthy(&k, when);
	done = now_ms() - th;
	CHECK(done <= bound_ms, "the new group's job completed %ld ms after the hang, bound %ld ms",
	      done, bound_ms);
	printf("hang->new job done %ld ms\n", done);
	job_fini(&k);
	return done;
}

/* --- the kernel log as text, and system suspend -------------------------- */

size_t klog_text(int kfd, char *buf, size_t len, size_t used)
{
	char rec[8192], *text;
	int n, prio;

	while ((text = klog_next(kfd, rec, sizeof(rec), &prio))) {
		if (used + 1 >= len)
			continue;
		n = snprintf(buf + used, len - used, "%s\n", text);
		used += (size_t)n < len - used ? (size_t)n : len - used - 1;
	}
	return used;
}

void klog_print_matching(const char *text, const char *const *needles, const char *prefix)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		int i;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		for (i = 0; needles[i]; i++) {
			if (strstr(line, needles[i])) {
				printf("%s%s\n", prefix, line);
				break;
			}
		}
		p += n + (p[n] == '\n');
	}
}

#define PM_TEST_PATH	"/sys/power/pm_test"
#define PM_TEST_DELAY	"/sys/module/suspend/parameters/pm_test_delay"

static char pm_test_old_level[32], pm_test_old_delay[32];

static void pm_test_level(char *buf, size_t len)
{
	char all[256], *a, *b;

	CHECK(!read_file(PM_TEST_PATH, all, sizeof(all)),
	      "cannot read %s: is CONFIG_PM_DEBUG (PM_SLEEP_DEBUG) on in ci/um.config?", PM_TEST_PATH);
	a = strchr(all, '[');
	b = a ? strchr(a, ']') : NULL;
	CHECK(a && b, "%s reads '%s': no level in brackets", PM_TEST_PATH, all);
	*b = 0;
	snprintf(buf, len, "%s", a + 1);
}

static void pm_test_restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	if (pm_test_old_level[0])
		write_file(PM_TEST_PATH, pm_test_old_level);
	if (pm_test_old_delay[0])
		write_file(PM_TEST_DELAY, pm_test_old_delay);
}

void pm_test_setup(const char *level, const char *delay_s)
{
	char got[32];

	CHECK(!access("/sys/power/state", W_OK),
	      "no /sys/power/state: is CONFIG_SUSPEND on in ci/um.config?");
	CHECK(!read_file(PM_TEST_DELAY, pm_test_old_delay, sizeof(pm_test_old_delay)),
	      "cannot read %s", PM_TEST_DELAY);
	pm_test_level(pm_test_old_level, sizeof(pm_test_old_level));
	atexit(pm_test_restore);
	CHECK(!write_file(PM_TEST_PATH, level), "pm_test level '%s' refused", level);
	pm_test_level(got, sizeof(got));
	CHECK(!strcmp(got, level), "%s reads [%s] after writing %s", PM_TEST_PATH, got, level);
	CHECK(!write_file(PM_TEST_DELAY, delay_s), "cannot set %s", PM_TEST_DELAY);
}

int system_sleep(long *took_ms)
{
	long t = now_ms();
	int r;

	fflush(stdout);
	r = write_file("/sys/power/state", "mem");
	*took_ms = now_ms() - t;
	return r;
}

void driver_attr(const char *attr)
{
	char path[256], name[64];
	const char *drv = getenv("SIMDRIVER") ? getenv("SIMDRIVER") : "panthor";
	int r;

	dev_name(name, sizeof(name));
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/%s", drv, attr);
	r = write_file(path, name);
	CHECK(!r, "writing %s to %s failed: %s", name, path, strerror(-r));
}

void rebind_healthy(void)
{
	struct job_ctx k;
	int fd;

	driver_attr("bind");
	CHECK(render_node_wait(5000), "no render node 5 s after the bind");
	fd = open_render();
	job_init(&k, fd);
	job_check_healthy(&k, "a job after the rebind");
	job_fini(&k);
	close(fd);
}

bool render_node_wait(int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	while (access("/dev/dri/renderD128", F_OK)) {
		if (now_ms() > end)
			return false;
		msleep(50);
	}
	return true;
}
