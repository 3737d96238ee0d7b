// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_teardown_busy: destroying groups, and closing a file, while their
 * jobs are busy ends those jobs promptly. Each round has three groups: one
 * whose job is blocked in the GPU on a SYNC_WAIT that nothing ever
 * releases, one running a slow job (the simulator's slow_job_ms knob holds
 * it for 20 s) with a second job queued behind it in the same queue, and
 * one whose job is queued on a CPU-side dependency that is never met (the
 * blocked job's out-syncobj). The first round destroys the groups
 * (GROUP_DESTROY: the queued one first, while its dependency is still
 * pending), the second closes the file that holds them.
 *
 * What a driver must do: every out-fence of those jobs signals (with or
 * without an error: panthor signals them with one, and a killed job's
 * fence waits for its dependencies, drm_sched's rule, so the queued job's
 * comes once the blocked one is ended) within BOUND_MS of the teardown,
 * well before the driver's 5 s job timeout would end the running job on
 * its own; the destroy ioctls and close() return within it too; no job of
 * a torn-down group stores anything afterwards; GROUP_GET_STATE and
 * GROUP_DESTROY of a destroyed handle fail with EINVAL; and the device
 * still runs a new group's job. The kernel log must stay clean.
 */
#include <fcntl.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BOUND_MS	3000
#define SLOW_MS		"20000"
#define NFENCES		4

static const char *const fence_name[NFENCES] = {
	"blocked job", "running job", "job queued behind it", "job with an unmet dependency",
};

static int export_fence(int fd, uint32_t syncobj)
{
	int f = -1;

	CHECK(!drmSyncobjExportSyncFile(fd, syncobj, &f), "export of a sync file: %s",
	      strerror(errno));
	return f;
}

static int fence_status(int f)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	CHECK(!ioctl(f, SYNC_IOC_FILE_INFO, &info), "SYNC_IOC_FILE_INFO: %s", strerror(errno));
	return info.status;
}

struct round {
	int fd;
	struct job_ctx j;
	uint32_t gb, gr, gq;
	uint32_t out[NFENCES];
	int sf[NFENCES];
};

/* Make the three groups busy: blocked, running (+ one queued behind), queued. */
static void make_busy(struct round *rd, const char *what)
{
	struct job_ctx *j = &rd->j;
	uint64_t *c;
	int i, r;

	knob_set("slow_job_ms", "0");
	job_init(j, rd->fd);
	rd->gb = j->group;
	rd->gr = group_create(rd->fd, j->vm);
	rd->gq = group_create(rd->fd, j->vm);

	/* Blocked: wait for data[0x40] > 0, which nothing sets; then data[3] = 0xb. */
	job_emit(j, cs_move48(0, j->data_va + 0x100));
	job_emit(j, cs_move32(2, 0));
	job_emit(j, cs_sync_wait32(0, 2, true));
	job_emit(j, cs_move48(4, j->data_va + 12));
	job_emit(j, cs_move32(6, 0xb));
	job_emit(j, cs_store_multiple(6, 4, 0x1, 0));
	/* Slow, at cmd + 0x1000: data[1] += 1 (so the one behind it adds too). */
	c = j->cmd + 0x1000 / 8;
	c[0] = cs_move48(0, j->data_va + 4);
	c[1] = cs_move32(2, 1);
	c[2] = cs_sync_add32(0, 2);
	/* Queued, at cmd + 0x2000: data[2] = 0x9. */
	c = j->cmd + 0x2000 / 8;
	c[0] = cs_move48(0, j->data_va + 8);
	c[1] = cs_move32(2, 0x9);
	c[2] = cs_store_multiple(2, 0, 0x1, 0);

	rd->out[0] = job_submit(j, 0);
	msleep(300);
	CHECK(syncobj_wait(rd->fd, rd->out[0], 0) == -ETIME,
	      "%s: the blocked job completed: its SYNC_WAIT did not block", what);

	knob_set("slow_job_ms", SLOW_MS);
	for (i = 1; i <= 2; i++) {
		rd->out[i] = syncobj_create(rd->fd);
		__sync_synchronize();
		r = submit(rd->fd, rd->gr, j->cmd_va + 0x1000, 3 * 8, 0, rd->out[i]);
		CHECK(!r, "%s: submit of the slow job failed: %s", what, strerror(-r));
	}
	rd->out[3] = syncobj_create(rd->fd);
	r = submit(rd->fd, rd->gq, j->cmd_va + 0x2000, 3 * 8, rd->out[0], rd->out[3]);
	CHECK(!r, "%s: submit with a pending in-syncobj failed: %s", what, strerror(-r));
	msleep(300);
	for (i = 0; i < NFENCES; i++) {
		rd->sf[i] = export_fence(rd->fd, rd->out[i]);
		CHECK(fence_status(rd->sf[i]) == 0, "%s: the %s's fence signalled before the teardown",
		      what, fence_name[i]);
	}
	CHECK(!j->data[1] && !j->data[2] && !j->data[3],
	      "%s: a job ran before the teardown: data %x %x %x", what, j->data[1], j->data[2],
	      j->data[3]);
}

/* Every fence signals within BOUND_MS of @t0. */
static void check_fences(struct round *rd, long t0, const char *what)
{
	long at[NFENCES];
	int i, left = NFENCES;

	for (i = 0; i < NFENCES; i++)
		at[i] = -1;
	while (left) {
		struct pollfd p[NFENCES];
		int n = 0, idx[NFENCES], wait = BOUND_MS - (now_ms() - t0);

		for (i = 0; i < NFENCES; i++)
			if (at[i] < 0) {
				p[n] = (struct pollfd){ .fd = rd->sf[i], .events = POLLIN };
				idx[n++] = i;
			}
		if (wait < 0)
			wait = 0;
		CHECK(poll(p, n, wait) >= 0, "poll: %s", strerror(errno));
		for (i = 0; i < n; i++)
			if (p[i].revents & POLLIN) {
				at[idx[i]] = now_ms() - t0;
				left--;
			}
		if (left && now_ms() - t0 >= BOUND_MS)
			break;
	}
	for (i = 0; i < NFENCES; i++) {
		if (at[i] >= 0)
			printf("%s: the %s's fence signalled after %ld ms, status %d\n", what,
			       fence_name[i], at[i], fence_status(rd->sf[i]));
		else
			printf("%s: the %s's fence did not signal\n", what, fence_name[i]);
	}
	for (i = 0; i < NFENCES; i++)
		CHECK(at[i] >= 0, "%s: the %s's fence did not signal within %d ms", what,
		      fence_name[i], BOUND_MS);
}

static void destroyed_handle(int fd, uint32_t g)
{
	struct drm_panthor_group_get_state s = { .group_handle = g };
	struct drm_panthor_group_destroy d = { .group_handle = g };

	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d, EINVAL);
}

static void after(struct round *rd, const char *what)
{
	int i;

	/* Give a job that was wrongly left alive the time to store. */
	msleep(200);
	__sync_synchronize();
	printf("%s: data %x %x %x\n", what, rd->j.data[1], rd->j.data[2], rd->j.data[3]);
	CHECK(!rd->j.data[2] && !rd->j.data[3],
	      "%s: a job of a torn-down group ran: data %x %x", what, rd->j.data[2], rd->j.data[3]);
	CHECK(!rd->j.data[1], "%s: the slow job of a torn-down group completed: data %x", what,
	      rd->j.data[1]);
	for (i = 0; i < NFENCES; i++)
		close(rd->sf[i]);
}

int main(void)
{
	long start = now_ms();
	struct round d = { .fd = open_render() }, c = { .fd = open_render() };
	uint32_t h_data;
	struct job_ctx h;
	int prime;
	long t0, t;

	/* Round 1: GROUP_DESTROY. */
	make_busy(&d, "destroy");
	t0 = now_ms();
	group_destroy(d.fd, d.gq);
	t = now_ms() - t0;
	CHECK(t < BOUND_MS, "destroy: GROUP_DESTROY of the queued group took %ld ms", t);
	msleep(100);
	printf("destroy: the unmet dependency's job after its group's destroy: status %d\n",
	       fence_status(d.sf[3]));
	group_destroy(d.fd, d.gr);
	group_destroy(d.fd, d.gb);
	t = now_ms() - t0;
	CHECK(t < BOUND_MS, "destroy: the GROUP_DESTROYs took %ld ms", t);
	check_fences(&d, t0, "destroy");
	knob_set("slow_job_ms", "0");
	after(&d, "destroy");
	destroyed_handle(d.fd, d.gq);
	destroyed_handle(d.fd, d.gr);
	destroyed_handle(d.fd, d.gb);

	/*
	 * Round 2: close the file that holds them. A CPU mapping of one of
	 * its BOs would hold the file open: the data buffer is read through
	 * the first file instead (PRIME), and the second file's mappings go.
	 */
	make_busy(&c, "close");
	CHECK(!drmPrimeHandleToFD(c.fd, c.j.data_bo, DRM_CLOEXEC, &prime),
	      "PRIME export: %s", strerror(errno));
	CHECK(!drmPrimeFDToHandle(d.fd, prime, &h_data), "PRIME import: %s", strerror(errno));
	close(prime);
	munmap(c.j.cmd, BUF_SIZE);
	munmap(c.j.data, BUF_SIZE);
	c.j.data = bo_mmap(d.fd, h_data, BUF_SIZE);
	t0 = now_ms();
	close(c.fd);
	t = now_ms() - t0;
	CHECK(t < BOUND_MS, "close: close() took %ld ms", t);
	check_fences(&c, t0, "close");
	knob_set("slow_job_ms", "0");
	after(&c, "close");
	munmap(c.j.data, BUF_SIZE);
	bo_close(d.fd, h_data);

	/* The device still runs jobs. */
	job_init(&h, d.fd);
	job_check_healthy(&h, "a new group after the teardowns");
	job_fini(&h);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
