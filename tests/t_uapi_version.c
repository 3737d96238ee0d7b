// SPDX-License-Identifier: GPL-2.0-only
/*
 * uapi_version: the driver's version (DRM_IOCTL_VERSION) is the highest
 * panthor uAPI version whose features it implements in full, since Mesa
 * turns features on by the minor number alone. For each minor version, the
 * test uses what that version added (the list above panthor_drm_driver in
 * the base tree's panthor_drv.c) and finds the highest minor M such that
 * every feature of 1.0 to 1.M works. It fails when the driver reports more
 * than M (Mesa would use a feature the driver refuses: the failing feature
 * and its errno are named) or less than M (a feature that works is hidden
 * from Mesa). 1.0 is the floor: the major number must be 1 for Mesa to
 * take the device as panthor at all, so a driver missing part of 1.0 (say,
 * tiler heaps, or asynchronous VM_BIND) reports 1.0 and nothing more.
 *
 * One feature cannot be seen from userspace without a GPU reset: the
 * INNOCENT group state of 1.3 (only a reset caused by another group sets
 * it) counts as present once the topic that brings resets (7-recovery)
 * has landed, whose tests check the flag. GLB_COUNTER_EN of 1.6 is seen
 * through a job: its STORE_STATE of the cycle count is 0 without it (on
 * the simulator, sim/sim_mcu.c; t_glb_counter.c checks the value).
 */
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define MAX_MINOR	9
#define SPARSE_VA	0x40000000ull
#define SPARSE_SIZE	0x200000ull

/* The failing call of the last probe, for the FAIL line. */
static char why[256];

#define PROBE_IOCTL(fd, req, arg)					\
	do {								\
		if (drmIoctl((fd), (req), (arg))) {			\
			snprintf(why, sizeof(why), "%s: %s", #req,	\
				 strerror(errno));			\
			return false;					\
		}							\
	} while (0)

#define PROBE_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			snprintf(why, sizeof(why), __VA_ARGS__);	\
			return false;					\
		}							\
	} while (0)

static bool dev_query(int fd, uint32_t type, void *data, uint32_t size)
{
	struct drm_panthor_dev_query q = {
		.type = type, .size = size, .pointer = (uint64_t)(uintptr_t)data,
	};

	return !drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
}

/*
 * 1.0's asynchronous VM_BIND: a MAP with the ASYNC flag that signals a
 * syncobj, after which a GPU job reads the BO's data through the new
 * mapping.
 */
#define ASYNC_VA	0x30000000ull

static bool probe_async_bind(int fd)
{
	struct job_ctx j;
	uint32_t bo = bo_create(fd, 0x1000, 0, 0), done = syncobj_create(fd);
	uint32_t *cpu = bo_mmap(fd, bo, 0x1000);
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = done,
	};
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = bo, .va = ASYNC_VA, .size = 0x1000,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_vm_bind b = {
		.flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	int r;

	cpu[0] = 0xa5b1d;
	munmap(cpu, 0x1000);
	job_init(&j, fd);
	b.vm_id = j.vm;
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);
	PROBE_CHECK(!syncobj_wait(fd, done, 10000),
		    "asynchronous VM_BIND: its SIGNAL syncobj did not signal in 10 s");
	r = job_read_pages(&j, ASYNC_VA, 1);
	PROBE_CHECK(!r, "a job reading an asynchronously bound page: %s",
		    job_read_why(&j, r));
	PROBE_CHECK(j.data[0] == 0xa5b1d,
		    "a job read %#x through an asynchronous mapping, not 0xa5b1d",
		    j.data[0]);
	job_fini(&j);
	return true;
}

/*
 * 1.0: tiler heaps and asynchronous VM_BIND (the rest of 1.0 is what every
 * other test uses).
 */
static bool probe_1_0(int fd)
{
	uint32_t vm = vm_create(fd);
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = 1, .chunk_size = 0x40000,
		.max_chunks = 4, .target_in_flight = 1,
	};
	struct drm_panthor_tiler_heap_destroy d = { 0 };

	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c);
	PROBE_CHECK(c.tiler_heap_ctx_gpu_va && c.first_heap_chunk_gpu_va,
		    "TILER_HEAP_CREATE returned no context or chunk address");
	d.handle = c.handle;
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
	vm_destroy(fd, vm);
	return probe_async_bind(fd);
}

/*
 * 1.1: DEV_QUERY_TIMESTAMP_INFO (at its first size). Its frequency comes
 * from the Arm architected timer, which UML does not have: not checked.
 */
static bool probe_1_1(int fd)
{
	struct drm_panthor_timestamp_info ti = { 0 };

	PROBE_CHECK(dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ti,
			      offsetof(struct drm_panthor_timestamp_info, flags)),
		    "DEV_QUERY TIMESTAMP_INFO: %s", strerror(errno));
	PROBE_CHECK(ti.current_timestamp, "TIMESTAMP_INFO: GPU timestamp 0");
	return true;
}

/*
 * 1.2: DEV_QUERY_GROUP_PRIORITIES_INFO, and a group of each priority it
 * allows, REALTIME included when allowed.
 */
static bool probe_1_2(int fd)
{
	struct drm_panthor_group_priorities_info pi = { 0 };
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	uint32_t vm = vm_create(fd);
	unsigned int p;

	PROBE_CHECK(dev_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
			      &pi, sizeof(pi)),
		    "DEV_QUERY GROUP_PRIORITIES_INFO: %s", strerror(errno));
	PROBE_CHECK(pi.allowed_mask & (1u << PANTHOR_GROUP_PRIORITY_LOW),
		    "GROUP_PRIORITIES_INFO: LOW not allowed (mask %#x)",
		    pi.allowed_mask);
	/* CAP_SYS_NICE may use every priority, REALTIME (new in 1.2) included. */
	PROBE_CHECK(geteuid() || pi.allowed_mask & (1u << PANTHOR_GROUP_PRIORITY_REALTIME),
		    "GROUP_PRIORITIES_INFO: REALTIME not allowed to root (mask %#x)",
		    pi.allowed_mask);
	for (p = PANTHOR_GROUP_PRIORITY_LOW;
	     p <= PANTHOR_GROUP_PRIORITY_REALTIME; p++) {
		struct drm_panthor_group_create gc = group_args(fd, vm);
		int r;

		if (!(pi.allowed_mask & (1u << p)))
			continue;
		gc.priority = p;
		r = group_create_ret(fd, &gc, &q, 1);
		PROBE_CHECK(!r, "GROUP_CREATE with allowed priority %u: %s", p,
			    strerror(-r));
		group_destroy(fd, gc.group_handle);
	}
	printf("  group priorities allowed: %#x\n", pi.allowed_mask);
	vm_destroy(fd, vm);
	return true;
}

/* 1.3: DRM_PANTHOR_GROUP_STATE_INNOCENT, set only around a GPU reset. */
static bool probe_1_3(int fd)
{
	PROBE_CHECK(topic_landed("7-recovery"),
		    "GROUP_STATE_INNOCENT: no GPU reset yet (7-recovery has not landed)");
	return true;
}

/* 1.4: DRM_IOCTL_PANTHOR_BO_SET_LABEL. */
static bool probe_1_4(int fd)
{
	static const char label[] = "uapi_version";
	uint32_t bo = bo_create(fd, 0x1000, 0, 0);
	struct drm_panthor_bo_set_label l = {
		.handle = bo, .label = (uint64_t)(uintptr_t)label,
	};

	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &l);
	l.label = 0;	/* clears it */
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &l);
	bo_close(fd, bo);
	return true;
}

/*
 * 1.5: DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, and the LATEST_FLUSH page
 * mapped at the offset it set: the 32-bit one, which a 64-bit process
 * (this one) gets only through the ioctl, so a driver that accepts the
 * ioctl and ignores it is caught.
 */
static bool probe_1_5(int fd)
{
	struct drm_panthor_set_user_mmio_offset o = {
		.offset = DRM_PANTHOR_USER_MMIO_OFFSET_32BIT,
	};
	long page = sysconf(_SC_PAGESIZE);
	volatile uint32_t *flush_id;

	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &o);
	flush_id = mmap(NULL, page, PROT_READ, MAP_SHARED, fd,
			DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
	PROBE_CHECK(flush_id != MAP_FAILED,
		    "mmap of the LATEST_FLUSH page at %#llx: %s",
		    (unsigned long long)DRM_PANTHOR_USER_MMIO_OFFSET_32BIT,
		    strerror(errno));
	printf("  LATEST_FLUSH reads %#x\n", *flush_id);
	munmap((void *)flush_id, page);
	return true;
}

/* 1.6: GLB_COUNTER_EN: the cycle count reaches the command streams. */
static bool probe_1_6(int fd)
{
	uint64_t cycles;
	struct job_ctx j;
	uint32_t s;
	int r;

	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	/* STORE_STATE (40) of the cycle count (state 1) to [r0]. */
	job_emit(&j, cs_raw(40, (0ull << 40) | (1ull << 32)));
	s = job_submit(&j, 0);
	r = syncobj_wait(fd, s, 10000);
	drmSyncobjDestroy(fd, s);
	__sync_synchronize();
	memcpy(&cycles, &j.data[0], sizeof(cycles));
	job_fini(&j);
	PROBE_CHECK(!r, "the STORE_STATE job did not complete");
	PROBE_CHECK(cycles, "STORE_STATE of the cycle count stored 0 (GLB_COUNTER_EN not enabled)");
	return true;
}

/*
 * 1.7: DRM_PANTHOR_BO_WB_MMAP, DRM_IOCTL_PANTHOR_BO_SYNC,
 * DRM_IOCTL_PANTHOR_BO_QUERY_INFO, drm_panthor_gpu_info::selected_coherency.
 */
static bool probe_1_7(int fd)
{
	struct drm_panthor_bo_create c = {
		.size = 0x2000, .flags = DRM_PANTHOR_BO_WB_MMAP,
	};
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_bo_sync_op op = {
		.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH,
		.offset = 0, .size = 0x2000,
	};
	struct drm_panthor_bo_sync s = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	struct drm_panthor_bo_query_info qi = { 0 };
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };
	uint32_t bo, *map;

	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	bo = c.handle;
	mo.handle = bo;
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo);
	map = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	PROBE_CHECK(map != MAP_FAILED, "mmap of a WB_MMAP BO: %s", strerror(errno));
	op.handle = bo;
	qi.handle = bo;
	map[0] = 0x1234;
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &s);
	op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE;
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &s);
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi);
	PROBE_CHECK(qi.create_flags == DRM_PANTHOR_BO_WB_MMAP && !qi.extra_flags,
		    "BO_QUERY_INFO: create_flags %#x extra_flags %#x, want %#x 0",
		    qi.create_flags, qi.extra_flags, DRM_PANTHOR_BO_WB_MMAP);
	munmap(map, 0x2000);
	bo_close(fd, bo);

	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	PROBE_CHECK(q.size >= offsetof(struct drm_panthor_gpu_info,
				       selected_coherency) + sizeof(uint32_t),
		    "GPU_INFO is %u bytes: no selected_coherency", q.size);
	return true;
}

/* 1.8: DEV_QUERY_TIMESTAMP_INFO with flags, every one of them at once. */
static bool probe_1_8(int fd)
{
	struct drm_panthor_timestamp_info ti = {
		.flags = DRM_PANTHOR_TIMESTAMP_GPU |
			 DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC |
			 DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
			 DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
			 DRM_PANTHOR_TIMESTAMP_FREQ |
			 DRM_PANTHOR_TIMESTAMP_DURATION,
	};

	PROBE_CHECK(dev_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, &ti,
			      sizeof(ti)),
		    "DEV_QUERY TIMESTAMP_INFO with flags %#x: %s", ti.flags,
		    strerror(errno));
	PROBE_CHECK(ti.current_timestamp && ti.cycle_count &&
		    ti.cpu_timestamp_sec + ti.cpu_timestamp_nsec,
		    "TIMESTAMP_INFO with flags: no GPU timestamp, cycle count or CPU time");
	return true;
}

/* 1.9: DEV_QUERY_MMU_INFO, and DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE. */
static bool probe_1_9(int fd)
{
	struct drm_panthor_mmu_info mi = { 0 };
	uint32_t vm = vm_create(fd);
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
			 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
		.va = SPARSE_VA, .size = SPARSE_SIZE,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	PROBE_CHECK(dev_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &mi, sizeof(mi)),
		    "DEV_QUERY MMU_INFO: %s", strerror(errno));
	PROBE_CHECK(mi.page_size_bitmap & 0x1000,
		    "MMU_INFO: page sizes %#llx without 4 KiB",
		    (unsigned long long)mi.page_size_bitmap);
	PROBE_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);
	vm_unmap(fd, vm, SPARSE_VA, SPARSE_SIZE);
	vm_destroy(fd, vm);
	return true;
}

static bool (*const probes[MAX_MINOR + 1])(int fd) = {
	probe_1_0, probe_1_1, probe_1_2, probe_1_3, probe_1_4,
	probe_1_5, probe_1_6, probe_1_7, probe_1_8, probe_1_9,
};

int main(void)
{
	int fd = open_render(), complete = -1, first_missing = -1;
	char missing[256] = "";
	drmVersionPtr v = drmGetVersion(fd);
	int major, minor, m;

	CHECK(v, "DRM_IOCTL_VERSION: %s", strerror(errno));
	major = v->version_major;
	minor = v->version_minor;
	drmFreeVersion(v);
	printf("reports %d.%d\n", major, minor);
	CHECK(major == 1, "major version %d: Mesa takes only 1 as panthor", major);
	CHECK(minor <= MAX_MINOR, "reports 1.%d; the probes stop at 1.%d: add those of the new versions",
	      minor, MAX_MINOR);

	/*
	 * Every version's features, so that the output says all that is
	 * missing; each on a file of its own, closed after it (a probe that
	 * fails leaves what it made to the close).
	 */
	for (m = 0; m <= MAX_MINOR; m++) {
		int pfd = open_render();
		bool ok;

		why[0] = '\0';
		ok = probes[m](pfd);
		close(pfd);
		if (ok) {
			printf("1.%d: complete\n", m);
			if (complete == m - 1)
				complete = m;
			continue;
		}
		printf("1.%d: missing: %s\n", m, why);
		if (first_missing < 0) {
			first_missing = m;
			snprintf(missing, sizeof(missing), "%s", why);
		}
	}

	if (complete < 0)
		printf("1.0 is not complete: the driver can only report 1.0\n");
	CHECK(minor <= (complete < 0 ? 0 : complete),
	      "reports 1.%d, but a feature of 1.%d is refused: %s",
	      minor, first_missing, missing);
	CHECK(complete <= minor,
	      "implements every feature up to 1.%d, but reports 1.%d", complete, minor);
	close(fd);
	printf("ok\n");
	return 0;
}
