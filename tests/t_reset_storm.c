// SPDX-License-Identifier: GPL-2.0-only
/*
 * reset_storm: a GPU that hangs again after every reset is declared lost
 * after a bounded number of resets, and a rebind brings it back.
 *
 * The firmware hangs (the simulator's fw_hang knob) with a job submitted,
 * and the fw_hang_rearm knob sets fw_hang again after each of the next
 * REARM firmware boots: every reset boots firmware that soon hangs again.
 * (The knob counts down once per boot, so its value tells how many boots
 * the driver made.)
 *
 * Userspace keeps trying, as a compositor would, which keeps the driver
 * busy (an idle driver may runtime-suspend and stop noticing the hang):
 * once the job has ended, the test creates a group and submits a probe
 * job to it, one at a time (each once the one before ended, and at least
 * PROBE_MS after it was submitted), until GROUP_CREATE or GROUP_SUBMIT
 * fails or the device is declared lost. A probe job that completes means
 * the storm is over: the driver got through every hang.
 *
 * What a driver must do: stop resetting after a bounded number of failed
 * resets, fewer than REARM (the knob must still be above 0 then), and
 * declare the device lost within LOST_BOUND_MS of the first hang: the
 * kernel log has drm_dev_wedged_event()'s "device wedged" line (its
 * WEDGED=... uevent tells userspace to rebind); the job's fence has
 * signalled, with an error; GROUP_CREATE fails (EIO for forseti: the
 * device is there, its GPU is not; any error for another driver), and so
 * does GROUP_SUBMIT to the job's group. On forseti, the GPU timestamp
 * query gets EIO too, and what only manages memory still works
 * (lost_device_ioctls()). Then, with the knobs cleared, the
 * driver unbinds with the file still open (the render node goes, the
 * file's ioctls fail with ENODEV, closing it is clean) and a bind probes
 * a working device: a new group's job runs.
 *
 * The base tree's panthor does not bound its resets: a reset whose
 * firmware boots is a success to it, however soon it hangs again; it
 * resets once per hang until the knob runs out (tests/known-defects).
 *
 * Prints each boot the knob counted and each probe job's end (ms after the
 * hang), the fence's time and status, and GROUP_CREATE's error.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define REARM		10
#define REARM_STR	"10"
#define LOST_BOUND_MS	120000
#define PROBE_MS	1000
#define MAX_PROBES	(REARM * 3)

static void restore(void)
{
	/* no CHECK here: exit() must not run again from an atexit handler */
	write_file("/sys/module/mali_sim/parameters/fw_hang_rearm", "0");
}

/*
 * forseti on a lost device (its "GPU reset" DOC): what needs the GPU gets
 * EIO (GROUP_CREATE, above; TIMESTAMP_INFO of the GPU's counters), what
 * only manages memory or reads what probe read still works, so that
 * userspace can tear down: the CPU timestamp alone, GPU_INFO, BO_CREATE,
 * VM_CREATE, VM_BIND map and unmap, GROUP_GET_STATE, GROUP_DESTROY,
 * VM_DESTROY.
 */
static void lost_device_ioctls(int fd, struct job_ctx *j)
{
	struct drm_panthor_timestamp_info ti = { .flags = DRM_PANTHOR_TIMESTAMP_GPU };
	struct drm_panthor_dev_query dq = {
		.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, .size = sizeof(ti),
		.pointer = (uintptr_t)&ti,
	};
	uint32_t vm, bo, st, fatal = 0;
	int r;

	r = ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &dq) ? -errno : 0;
	printf("TIMESTAMP_INFO (GPU) on the lost device: %s\n", r ? strerror(-r) : "success");
	CHECK(r == -EIO, "TIMESTAMP_INFO of the GPU's timestamp on a lost device: %s, want EIO",
	      r ? strerror(-r) : "success");
	memset(&ti, 0, sizeof(ti));
	ti.flags = DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC;
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &dq);
	CHECK(ti.cpu_timestamp_sec || ti.cpu_timestamp_nsec,
	      "TIMESTAMP_INFO (CPU only) on a lost device returned no CPU timestamp");
	query_gpu_info(fd);
	vm = vm_create(fd);
	bo = bo_create(fd, 0x10000, 0, 0);
	vm_map(fd, vm, bo, 0x4000000, 0x10000, 0);
	vm_unmap(fd, vm, 0x4000000, 0x10000);
	st = group_state(fd, j->group, &fatal);
	printf("GROUP_GET_STATE of the job's group: state 0x%x fatal_queues 0x%x\n", st, fatal);
	CHECK(st, "the job's group on a lost device reports state 0 (neither timed out nor failed)");
	bo_close(fd, bo);
	vm_destroy(fd, vm);
	printf("memory management works on the lost device\n");
}

int main(void)
{
	int fd = open_render(), kfd, r, status;
	long th, lost_at = -1, fence_at = -1, left, last_left = REARM;
	char line[512] = "";
	struct drm_panthor_group_create gc;
	struct drm_panthor_queue_create q = { .priority = 0, .ringbuf_size = 0x4000 };
	struct drm_panthor_gpu_info gi;
	struct drm_panthor_dev_query dq = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gi),
		.pointer = (uintptr_t)&gi,
	};
	struct job_ctx j;
	uint32_t s, s2, probe = 0;
	long probe_at = 0;
	int nprobes = 0, create_err = 0;
	bool probe_ok = false;

	CHECK(!knob_get("fw_hang") && !knob_get("fw_hang_rearm"),
	      "fw_hang or fw_hang_rearm is set before the test");
	atexit(restore);
	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 1));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));

	kfd = klog_open();
	knob_set("fw_hang_rearm", REARM_STR);
	knob_set("fw_hang", "1");
	th = now_ms();
	s = job_submit(&j, 0);

	for (;;) {
		long now = now_ms() - th;

		left = knob_get("fw_hang_rearm");
		if (left != last_left) {
			printf("%ld ms: %ld boot(s) so far\n", now, REARM - left);
			last_left = left;
		}
		if (fence_at < 0 && !syncobj_wait(fd, s, 0))
			fence_at = now;
		if (lost_at < 0 && klog_grep(kfd, "device wedged", line, sizeof(line)))
			lost_at = now;
		if (probe && !syncobj_wait(fd, probe, 0)) {
			int st = syncobj_fence_status(fd, probe);

			printf("%ld ms: probe job %d's fence: status %d\n", now, nprobes, st);
			probe = 0;
			if (st == 1) {
				/* jobs run again: the storm is over, the driver got through it */
				probe_ok = true;
				break;
			}
		}
		if (lost_at >= 0 && fence_at >= 0 && !probe)
			break;
		if (now > LOST_BOUND_MS)
			break;
		/* Keep the driver busy: a new job (on a new group) once the last one ended. */
		if (!probe && fence_at >= 0 && lost_at < 0 && !create_err && nprobes < MAX_PROBES &&
		    now - probe_at >= PROBE_MS) {
			gc = group_args(fd, j.vm);
			r = group_create_ret(fd, &gc, &q, 1);
			if (r) {
				create_err = r;
				printf("%ld ms: GROUP_CREATE for a probe job: %s\n", now, strerror(-r));
			} else {
				probe = syncobj_create(fd);
				j.cmd[0x100 / 8] = cs_move48(0, j.data_va + 4 + 4 * nprobes);
				j.cmd[0x100 / 8 + 1] = cs_move32(2, 0x100 + nprobes);
				j.cmd[0x100 / 8 + 2] = cs_store_multiple(2, 0, 0x1, 0);
				__sync_synchronize();
				r = submit(fd, gc.group_handle, j.cmd_va + 0x100, 3 * 8, 0, probe);
				probe_at = now;
				if (r) {
					create_err = r;
					printf("%ld ms: GROUP_SUBMIT of a probe job: %s\n", now, strerror(-r));
					drmSyncobjDestroy(fd, probe);
					probe = 0;
				} else {
					nprobes++;
				}
			}
		}
		msleep(50);
	}
	left = knob_get("fw_hang_rearm");
	knob_set("fw_hang_rearm", "0");
	printf("after %ld ms: %ld boot(s) after the first hang, %d probe job(s); fence %s at %ld ms; device wedged %s at %ld ms%s%s\n",
	       now_ms() - th, REARM - left, nprobes, fence_at >= 0 ? "signalled" : "not signalled",
	       fence_at, lost_at >= 0 ? "logged" : "not logged", lost_at, line[0] ? ": " : "", line);
	CHECK(!probe_ok || lost_at >= 0,
	      "the driver reset the GPU through %ld hangs (boots) until the knob ran out, and jobs run again: it never declared the device lost (no bound on failed resets)",
	      REARM - left);
	CHECK(lost_at >= 0, "no \"device wedged\" line in the kernel log within %d ms of the hang (%ld boot(s), %d probe job(s))",
	      LOST_BOUND_MS, REARM - left, nprobes);
	CHECK(left > 0, "the driver declared the device lost only after %d boots, every re-arm used",
	      REARM);
	CHECK(!probe || !syncobj_wait(fd, probe, 5000),
	      "probe job %d's fence did not signal although the device was declared lost", nprobes);
	if (probe)
		CHECK(syncobj_fence_status(fd, probe) < 0,
		      "probe job %d's fence signalled without an error on a lost device", nprobes);
	CHECK(fence_at >= 0 || !syncobj_wait(fd, s, 5000),
	      "the job's fence did not signal although the device was declared lost");
	status = syncobj_fence_status(fd, s);
	printf("the job's fence: status %d\n", status);
	CHECK(status < 0, "the job's fence signalled without an error on a lost device (status %d)", status);
	__sync_synchronize();
	CHECK(!j.data[0], "the job stored 0x%x on a lost device", j.data[0]);

	gc = group_args(fd, j.vm);
	r = group_create_ret(fd, &gc, &q, 1);
	printf("GROUP_CREATE on the lost device: %s\n", r ? strerror(-r) : "success");
	CHECK(r, "GROUP_CREATE succeeded on a lost device");
	if (is_forseti(fd))
		CHECK(r == -EIO, "GROUP_CREATE on a lost device: %s, want EIO", strerror(-r));
	s2 = syncobj_create(fd);
	j.cmd[0] = cs_nop();
	j.n = 1;
	__sync_synchronize();
	r = submit(fd, j.group, j.cmd_va, 8, 0, s2);
	printf("GROUP_SUBMIT on the lost device: %s\n", r ? strerror(-r) : "success");
	CHECK(r, "GROUP_SUBMIT succeeded on a lost device");
	if (is_forseti(fd))
		lost_device_ioctls(fd, &j);

	/* Unbind with the file open, bind again: a working device. */
	knob_set("fw_hang", "0");
	driver_attr("unbind");
	CHECK(access("/dev/dri/renderD128", F_OK), "render node still there after unbind");
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &dq, ENODEV);
	munmap(j.cmd, BUF_SIZE);
	munmap(j.data, BUF_SIZE);
	close(fd);
	printf("unbound with the file open; closed after\n");
	rebind_healthy();
	printf("ok\n");
	return 0;
}
