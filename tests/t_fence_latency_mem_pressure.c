// SPDX-License-Identifier: GPL-2.0-only
/*
 * fence_latency_mem_pressure: every fence signals within its bound while
 * the guest is deep in reclaim, through a job timeout and a GPU reset,
 * and while the submitting task's slab allocations fail.
 *
 * The memory hog (children of the test, killed with it): NANON processes
 * that allocate and touch anonymous memory until MemAvailable is down to
 * RESERVE_MB (the guest has no swap: that memory cannot be reclaimed),
 * and one that reads a sparse file of PCACHE_MB, more than the guest's
 * memory, on the host's file system (hostfs, $SIMRUN) over and over, so
 * that the page cache (the test's own binaries and libraries included)
 * is reclaimed all the time. The hogs are nice 10 and have oom_score_adj
 * +1000, the test -1000. The test goes on only once the kernel has been
 * seen reclaiming (/proc/vmstat pgscan), and fails if it did not reclaim
 * during the measurement or a hog died (the OOM killer would also leave a
 * Call Trace in the log, which fails the run).
 *
 * Meanwhile NGROUPS groups (each on a VM of its own) keep QDEPTH jobs each
 * in flight, each job storing its sequence number in a word of its own,
 * with an out-syncobj; a job's delay is from just before its submit to the
 * time its fence was signalled (the fence's timestamp, sync_file_info),
 * so the test's own scheduling under pressure does not count.
 *
 * Phase 1, after 1 s of jobs: a job that never finishes (a branch to
 * itself, stalled by the simulator's budget knob) on a group of its own:
 * the driver's job timeout (JOB_TIMEOUT_MS, 5 s in forseti and panthor)
 * must fail its fence and report its group TIMEDOUT. 0.5 s after, the
 * firmware hangs (fw_hang) with the jobs in flight: the driver must reset
 * the GPU (the knob reads back cleared) and every fence must signal. The
 * jobs go on 2 s after the reset (groups the reset killed, INNOCENT, are
 * replaced by new ones).
 * Phase 2: FAILSLAB_MS of jobs whose submits fail one slab allocation
 * each, in turn (failslab through the test task's fail-nth: the n-th
 * allocation of the submit fails, n = 1, 2, ... until a submit makes
 * fewer, then again from 1), sleeping or not: such a submit must fail
 * with ENOMEM or go through, and the fences of the jobs in flight and of
 * those submitted must still signal in time. fail-nth fails one
 * allocation, never the fallback of a kvmalloc() whose kmalloc() failed:
 * a failed vmalloc() prints a call trace (warn_alloc()), a kernel report
 * to the harness. (No fail_page_alloc: ci/um.config has CONFIG_FAILSLAB
 * but not CONFIG_FAIL_PAGE_ALLOC; without failslab the phase is left out
 * and the test passes as partial.)
 * Bounds:
 * - the hung job, and every job in flight between the firmware hang and
 *   RESET_GRACE_MS after the reset: HANG_BOUND_MS = the job timeout plus
 *   RESET_TIME_MS. A reset after a firmware hang waits for at most four
 *   acknowledgements that do not come (forseti: the slot's status at the
 *   job timeout, the other slots' suspend, the halt, each 1 s, and the
 *   firmware's boot, 1 s; panthor's are shorter): 4 s, plus 3 s for a
 *   guest in reclaim;
 * - every other job: NORMAL_BOUND_MS, 2 s. Such a job is three
 *   instructions, done in a few ms on the simulator (a job sent to a
 *   runtime-suspended GPU, resume and firmware boot included, takes about
 *   30 ms: pm_sync_wait_resume), so 2 s leaves a 60-fold margin for the
 *   submit and the signalling path to reclaim memory, yet is well under
 *   the 5 s job timeout: a fence that signals only because a watchdog
 *   fired, or a signalling path blocked in reclaim for seconds, fails it.
 * A job whose fence signals fine must have stored its number; a fence
 * error is allowed only for a job in flight at the reset, whose group the
 * reset reported INNOCENT.
 *
 * Prints how far reclaim went (MemFree, pgscan, allocation stalls), the
 * longest delay of each kind of job with the job, and, for the figures,
 * "longest fence-signalling delay under memory pressure: <ms> ms (<job>)".
 *
 * The base tree's panthor passes the test's own checks, but its reset
 * after the firmware hang can warn in panthor_gpu_soft_reset() (a soft
 * reset request still pending), which fails kernel-log: it is listed in
 * tests/known-defects.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "common.h"

#define NGROUPS		3
#define QDEPTH		4
#define NANON		2
#define RESERVE_MB	96
#define PCACHE_MB	1024
#define JOB_TIMEOUT_MS	5000
#define RESET_TIME_MS	7000
#define HANG_BOUND_MS	(JOB_TIMEOUT_MS + RESET_TIME_MS)
#define NORMAL_BOUND_MS	2000
#define RESET_GRACE_MS	1000
#define WARMUP_MS	1000
#define AFTER_RESET_MS	2000
#define FAILSLAB_MS	4000
#define PRESSURE_WAIT_MS 20000
#define MIN_SCANNED	(32 * 256)	/* pages scanned while measuring: 32 MiB, a third of the slack */
#define BUDGET		"10000"

#define FS_DIR		"/sys/kernel/debug/failslab/"

enum kind { NORMAL, HUNG };

struct slot {
	uint32_t syncobj;
	int sf;			/* sync file of the pending job's fence; -1: none */
	bool busy;		/* submitted, not signalled yet */
	long long t_submit;	/* ns, CLOCK_MONOTONIC */
	uint32_t seq;
	int phase;
};

struct grp {
	struct job_ctx j;
	int id;
	bool live;		/* has a group; takes new jobs unless dead */
	bool dead;		/* killed by the reset: no new jobs, replaced once idle */
	struct slot s[QDEPTH];
};

struct worst {
	long long ns;
	char what[128];
};

static struct grp grps[NGROUPS];
static int next_grp_id;
static int fd;
static pid_t hogs[NANON + 1];
static char pcache_path[512];
static long long t_hang = -1, t_reset = -1;	/* ns */
static bool failslab_on;
static unsigned long long njobs, nfailed_submit, nenomem, nerr_reset;
static struct worst w_normal, w_reset, w_hung;
static long min_free_kb = -1;
static char fs_saved[2][32];
static const char *const fs_attrs[2] = { "verbose", "ignore-gfp-wait" };
static int nth_fd = -1;		/* the task's fail-nth, in phase 2 */
static unsigned int nth = 1, nth_cycles;
static char old_budget[32];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void restore(void)
{
	int i;

	/* no CHECK here: exit() must not run again from an atexit handler */
	if (nth_fd >= 0)
		pwrite(nth_fd, "0", 1, 0);
	if (fs_saved[0][0])
		for (i = 0; i < 2; i++) {
			char p[128];

			snprintf(p, sizeof(p), FS_DIR "%s", fs_attrs[i]);
			write_file(p, fs_saved[i]);
		}
	write_file("/sys/module/mali_sim/parameters/fw_hang", "N");
	if (old_budget[0])
		write_file("/sys/module/mali_sim/parameters/budget", old_budget);
	for (i = 0; i <= NANON; i++)
		if (hogs[i] > 0) {
			kill(hogs[i], SIGKILL);
			waitpid(hogs[i], NULL, 0);
		}
	if (pcache_path[0])
		unlink(pcache_path);
}

/* The sum of the /proc/vmstat counters named @name, or all those starting with it if it ends in _. */
static unsigned long long vmstat(const char *name)
{
	static char buf[16384];
	unsigned long long sum = 0;
	char *p = buf;
	size_t n = strlen(name);
	bool prefix = name[n - 1] == '_';

	CHECK(!read_file("/proc/vmstat", buf, sizeof(buf)), "cannot read /proc/vmstat");
	while (p && *p) {
		if (!strncmp(p, name, n) && (prefix || p[n] == ' '))
			sum += strtoull(strchr(p, ' ') + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return sum;
}

static void hog_child_setup(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	write_file("/proc/self/oom_score_adj", "1000");
	setpriority(PRIO_PROCESS, 0, 10);
}

/* Pages scanned by reclaim, kswapd's and direct. */
static unsigned long long pgscan(void)
{
	return vmstat("pgscan_kswapd") + vmstat("pgscan_direct");
}

/* Takes @mb MiB of anonymous memory, touched, then says so on @wfd and sleeps. */
static void anon_hog(long mb, int wfd)
{
	long i;

	hog_child_setup();
	for (i = 0; i < mb / 4; i++) {
		/* MAP_POPULATE: one fault per page costs much more in UML */
		char *p = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		long k;

		if (p == MAP_FAILED)
			break;
		for (k = 0; k < 4 << 20; k += 4096)
			p[k] = 1;
	}
	if (write(wfd, "x", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* Reads the sparse file over and over: page cache, reclaimed all the time. */
static void pcache_hog(void)
{
	static char buf[1 << 20];

	hog_child_setup();
	for (;;) {
		int f = open(pcache_path, O_RDONLY);

		if (f < 0)
			_exit(1);
		while (read(f, buf, sizeof(buf)) > 0)
			;
		close(f);
	}
}

static void start_hogs(void)
{
	long avail = meminfo_kb("MemAvailable:") / 1024, each;
	const char *dir = getenv("SIMRUN");
	unsigned long long scan0;
	int p[2], i, f;
	long t0;
	char c;

	printf("guest memory: MemTotal %ld MiB, MemAvailable %ld MiB, MemFree %ld MiB\n",
	       meminfo_kb("MemTotal:") / 1024, avail, meminfo_kb("MemFree:") / 1024);
	CHECK(avail > RESERVE_MB + 64, "only %ld MiB available: no room for the hog", avail);
	each = (avail - RESERVE_MB) / NANON;

	snprintf(pcache_path, sizeof(pcache_path), "%s/fence_latency_mem_pressure.pcache",
		 dir ? dir : ".");
	f = open(pcache_path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	CHECK(f >= 0, "cannot create %s: %s", pcache_path, strerror(errno));
	CHECK(!ftruncate(f, (off_t)PCACHE_MB << 20), "ftruncate %s: %s", pcache_path,
	      strerror(errno));
	close(f);

	CHECK(!pipe(p), "pipe: %s", strerror(errno));
	fflush(stdout);
	for (i = 0; i < NANON; i++) {
		hogs[i] = fork();
		CHECK(hogs[i] >= 0, "fork: %s", strerror(errno));
		if (!hogs[i])
			anon_hog(each, p[1]);
	}
	for (i = 0; i < NANON; i++)
		CHECK(read(p[0], &c, 1) == 1, "an anonymous memory hog died while allocating");
	close(p[0]);
	close(p[1]);
	printf("%d hogs hold %ld MiB of anonymous memory each: MemAvailable %ld MiB, MemFree %ld MiB\n",
	       NANON, each, meminfo_kb("MemAvailable:") / 1024, meminfo_kb("MemFree:") / 1024);

	scan0 = pgscan();
	hogs[NANON] = fork();
	CHECK(hogs[NANON] >= 0, "fork: %s", strerror(errno));
	if (!hogs[NANON])
		pcache_hog();
	t0 = now_ms();
	while (pgscan() - scan0 < 1024 && now_ms() - t0 < PRESSURE_WAIT_MS)
		msleep(100);
	CHECK(pgscan() - scan0 >= 1024,
	      "no reclaim %d ms after the page cache hog started (pgscan +%llu)", PRESSURE_WAIT_MS,
	      pgscan() - scan0);
	printf("reclaim under way %ld ms after the page cache hog started: MemFree %ld MiB, Cached %ld MiB\n",
	       now_ms() - t0, meminfo_kb("MemFree:") / 1024, meminfo_kb("Cached:") / 1024);
}

static void hogs_alive(const char *when)
{
	int i;

	for (i = 0; i <= NANON; i++)
		CHECK(waitpid(hogs[i], NULL, WNOHANG) == 0,
		      "%s: memory hog %d (pid %d) is gone (OOM-killed?): the pressure was not kept",
		      when, i, hogs[i]);
}

static void grp_init(struct grp *g)
{
	int i;

	job_init(&g->j, fd);
	g->id = next_grp_id++;
	g->live = true;
	g->dead = false;
	for (i = 0; i < QDEPTH; i++) {
		g->s[i].syncobj = syncobj_create(fd);
		g->s[i].sf = -1;
		g->s[i].busy = false;
	}
}

static void grp_fini(struct grp *g)
{
	int i;

	for (i = 0; i < QDEPTH; i++)
		drmSyncobjDestroy(fd, g->s[i].syncobj);
	job_fini(&g->j);
	g->live = false;
}

static bool in_reset_window(const struct slot *s, long long t_done)
{
	if (t_hang < 0 || t_done < t_hang)
		return false;
	return t_reset < 0 || s->t_submit < t_reset + RESET_GRACE_MS * 1000000ll;
}

static void job_name(char *buf, size_t len, const struct grp *g, int i)
{
	snprintf(buf, len, "group %d job %u (slot %d, phase %d)", g->id, g->s[i].seq, i,
		 g->s[i].phase);
}

static void note(struct worst *w, long long ns, const char *what)
{
	if (ns > w->ns) {
		w->ns = ns;
		snprintf(w->what, sizeof(w->what), "%s", what);
	}
}

/* Submits a job into the free slot @i of @g; false if the kernel refused (ENOMEM). */
static bool job_start(struct grp *g, int i, int phase)
{
	struct slot *s = &g->s[i];
	uint64_t *c = g->j.cmd + i * 0x100 / 8;
	int r;

	s->seq++;
	s->phase = phase;
	g->j.data[i] = 0;
	c[0] = cs_move48(0, g->j.data_va + 4 * i);
	c[1] = cs_move32(2, s->seq);
	c[2] = cs_store_multiple(2, 0, 0x1, 0);
	__sync_synchronize();
	s->t_submit = now_ns();
	if (failslab_on) {
		struct drm_panthor_sync_op op = {
			.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = s->syncobj,
		};
		struct drm_panthor_queue_submit qs = {
			.stream_size = 3 * 8, .stream_addr = g->j.cmd_va + i * 0x100,
			.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &op),
		};
		struct drm_panthor_group_submit gs = {
			.group_handle = g->j.group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
		};
		char buf[16];
		ssize_t left;

		snprintf(buf, sizeof(buf), "%u", nth);
		CHECK(pwrite(nth_fd, buf, strlen(buf), 0) > 0, "cannot arm fail-nth");
		/* Not drmIoctl(), which would retry an EINTR past the fault. */
		r = ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) ? -errno : 0;
		left = pread(nth_fd, buf, sizeof(buf) - 1, 0);
		CHECK(left > 0, "cannot read fail-nth");
		buf[left] = 0;
		CHECK(pwrite(nth_fd, "0", 1, 0) > 0, "cannot disarm fail-nth");
		if (atoi(buf) == 0) {
			nth++;		/* the n-th failed: the next one next time */
		} else {
			CHECK(!r, "group %d: submit failed (%s) with no allocation failed", g->id,
			      strerror(-r));
			nth = 1;	/* it makes fewer: all were failed in turn */
			nth_cycles++;
		}
	} else {
		r = submit(fd, g->j.group, g->j.cmd_va + i * 0x100, 3 * 8, 0, s->syncobj);
	}
	if (r && t_hang >= 0 && !failslab_on && group_state(fd, g->j.group, NULL)) {
		/* killed by the reset: replace_dead() checks its state */
		g->dead = true;
		s->seq--;
		return false;
	}
	if (r) {
		CHECK(failslab_on && r == -ENOMEM, "group %d: submit failed: %s", g->id,
		      strerror(-r));
		nfailed_submit++;
		s->seq--;
		return false;
	}
	s->busy = true;
	s->sf = -1;
	njobs++;
	return true;
}

/* Its fence's status and the time it signalled (ns); 0 when not signalled or not known yet. */
static int fence_info(int sf, long long *t)
{
	struct sync_fence_info fi;
	struct sync_file_info info;

	memset(&fi, 0, sizeof(fi));
	memset(&info, 0, sizeof(info));
	info.num_fences = 1;
	info.sync_fence_info = (uint64_t)(uintptr_t)&fi;
	if (ioctl(sf, SYNC_IOC_FILE_INFO, &info)) {
		CHECK(failslab_on && errno == ENOMEM, "SYNC_IOC_FILE_INFO: %s", strerror(errno));
		nenomem++;
		return 0;
	}
	if (info.status == 0)
		return 0;
	*t = fi.timestamp_ns;
	return info.status;
}

static void job_done(struct grp *g, int i, int status, long long t_done)
{
	struct slot *s = &g->s[i];
	long long d = t_done - s->t_submit;
	bool win = in_reset_window(s, t_done);
	char what[128];

	job_name(what, sizeof(what), g, i);
	CHECK(d <= (long long)(win ? HANG_BOUND_MS : NORMAL_BOUND_MS) * 1000000,
	      "%s: its fence signalled %lld ms after its submit, over the %d ms bound%s", what,
	      d / 1000000, win ? HANG_BOUND_MS : NORMAL_BOUND_MS,
	      win ? " (job timeout plus reset time)" : "");
	if (status == 1) {
		CHECK(g->j.data[i] == s->seq, "%s: fence fine but it stored %u", what,
		      g->j.data[i]);
	} else {
		CHECK(win, "%s: fence error %d outside the reset (%lld ms after the submit)", what,
		      status, d / 1000000);
		nerr_reset++;
		g->dead = true;
	}
	note(win ? &w_reset : &w_normal, d, what);
	close(s->sf);
	s->sf = -1;
	s->busy = false;
}

/*
 * Runs jobs until @until_ns (submitting new ones if @feed), then, if
 * @drain, until none is pending. Stops early when @stop says so.
 */
static void pump(long long until_ns, bool feed, bool drain, int phase, bool (*stop)(void))
{
	static long long last_mem;

	for (;;) {
		struct pollfd p[NGROUPS * QDEPTH];
		int who[NGROUPS * QDEPTH], n = 0, gi, i, pending = 0;
		long long now = now_ns();

		if (stop && stop())
			return;
		if (!failslab_on && now - last_mem > 200000000ll) {
			long f = meminfo_kb("MemFree:");

			if (min_free_kb < 0 || f < min_free_kb)
				min_free_kb = f;
			last_mem = now;
		}
		for (gi = 0; gi < NGROUPS; gi++) {
			struct grp *g = &grps[gi];

			if (!g->live)
				continue;
			for (i = 0; i < QDEPTH; i++) {
				struct slot *s = &g->s[i];

				if (!s->busy) {
					if (feed && now < until_ns && !g->dead)
						job_start(g, i, phase);
					if (!s->busy)
						continue;
				}
				if (s->sf < 0 &&
				    drmSyncobjExportSyncFile(fd, s->syncobj, &s->sf)) {
					/*
					 * drm_syncobj reports a sync file it could not
					 * allocate as EINVAL: a fence that is not there
					 * is caught by the bound instead.
					 */
					CHECK(failslab_on && (errno == ENOMEM || errno == EINVAL),
					      "group %d: cannot export the fence of job %u: %s",
					      g->id, s->seq, strerror(errno));
					nenomem++;
					s->sf = -1;
				}
				/*
				 * Overdue? The bound of its kind as if it signalled
				 * now; but the test itself may have been kept from
				 * looking, in reclaim: the fence's own time counts.
				 */
				if (s->sf >= 0 &&
				    now_ns() - s->t_submit > NORMAL_BOUND_MS * 1000000ll) {
					long long t = 0;
					int st = fence_info(s->sf, &t);

					if (st) {
						job_done(g, i, st, t);
						continue;
					}
				}
				pending++;
				{
					long long d = now_ns() - s->t_submit;
					bool win = in_reset_window(s, now_ns());
					char what[128];

					job_name(what, sizeof(what), g, i);
					CHECK(d <= (long long)(win ? HANG_BOUND_MS : NORMAL_BOUND_MS) *
							   1000000,
					      "%s: its fence has not signalled %lld ms after its submit (bound %d ms%s); fw_hang %ld",
					      what, d / 1000000, win ? HANG_BOUND_MS : NORMAL_BOUND_MS,
					      win ? ": job timeout plus reset time" : "",
					      knob_get("fw_hang"));
				}
				if (s->sf < 0)
					continue;
				p[n] = (struct pollfd){ .fd = s->sf, .events = POLLIN };
				who[n++] = gi * QDEPTH + i;
			}
		}
		if (now >= until_ns && (!drain || !pending))
			return;
		if (!n) {
			msleep(5);
			continue;
		}
		if (poll(p, n, 10) < 0) {
			CHECK(errno == EINTR || (failslab_on && errno == ENOMEM), "poll: %s",
			      strerror(errno));
			continue;
		}
		for (i = 0; i < n; i++) {
			struct grp *g = &grps[who[i] / QDEPTH];
			int k = who[i] % QDEPTH, st;
			long long t = 0;

			if (!(p[i].revents & POLLIN))
				continue;
			st = fence_info(g->s[k].sf, &t);
			if (st)
				job_done(g, k, st, t);
		}
	}
}

/* The hung job, on a group of its own. */
static struct job_ctx hj;
static uint32_t h_sync;
static int h_sf = -1;
static long long h_submit, h_done = -1;
static int h_status;

static bool hung_done(void)
{
	long long t = 0;
	int st;

	if (h_done >= 0)
		return true;
	st = fence_info(h_sf, &t);
	if (st) {
		h_status = st;
		h_done = t;
		return true;
	}
	CHECK(now_ns() - h_submit <= HANG_BOUND_MS * 1000000ll,
	      "the hung job's fence has not signalled %d ms after its submit (job timeout %d ms plus reset time %d ms); group state 0x%x",
	      HANG_BOUND_MS, JOB_TIMEOUT_MS, RESET_TIME_MS, group_state(fd, hj.group, NULL));
	return false;
}

static bool reset_seen(void)
{
	if (t_reset >= 0)
		return true;
	if (!knob_get("fw_hang")) {
		t_reset = now_ns();
		return true;
	}
	CHECK(now_ns() - t_hang <= HANG_BOUND_MS * 1000000ll,
	      "no GPU reset %d ms after the firmware hang (fw_hang still set)", HANG_BOUND_MS);
	return false;
}

/* Replaces the groups the reset killed, once their jobs are all done. */
static void replace_dead(void)
{
	int gi, i;

	for (gi = 0; gi < NGROUPS; gi++) {
		struct grp *g = &grps[gi];
		uint32_t st;

		if (!g->live)
			continue;
		st = group_state(fd, g->j.group, NULL);
		if (!st)
			continue;
		CHECK(t_hang >= 0, "group %d: state 0x%x before the firmware hang", g->id, st);
		CHECK((st & DRM_PANTHOR_GROUP_STATE_INNOCENT) &&
		      !(st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT),
		      "group %d: state 0x%x after the firmware hang: not INNOCENT, or FATAL_FAULT",
		      g->id, st);
		g->dead = true;
		for (i = 0; i < QDEPTH; i++)
			if (g->s[i].busy)
				break;
		if (i < QDEPTH)
			continue;
		printf("group %d: INNOCENT (state 0x%x) after the reset: replaced by group %d\n",
		       g->id, st, next_grp_id);
		grp_fini(g);
		grp_init(g);
	}
}

static void failslab_set(const char *attr, const char *val)
{
	char p[128];

	snprintf(p, sizeof(p), FS_DIR "%s", attr);
	CHECK(!write_file(p, val), "cannot write %s", p);
}

static bool failslab_setup(void)
{
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", getpid());
	if (access(FS_DIR "verbose", F_OK) || access(path, F_OK))
		return false;
	nth_fd = open(path, O_RDWR);
	CHECK(nth_fd >= 0, "cannot open %s: %s", path, strerror(errno));
	for (i = 0; i < 2; i++) {
		char p[128];

		snprintf(p, sizeof(p), FS_DIR "%s", fs_attrs[i]);
		CHECK(!read_file(p, fs_saved[i], sizeof(fs_saved[i])), "cannot read %s", p);
	}
	failslab_set("ignore-gfp-wait", "N");
	failslab_set("verbose", "0");
	return true;
}

static void print_worst(const char *kind, int bound, const struct worst *w)
{
	if (w->ns)
		printf("longest delay of %s (bound %d ms): %lld.%03lld ms (%s)\n", kind, bound,
		       w->ns / 1000000, w->ns / 1000 % 1000, w->what);
	else
		printf("longest delay of %s (bound %d ms): none\n", kind, bound);
}

int main(void)
{
	unsigned long long scan0, direct0, stall0, scan, direct, stall;
	struct worst all = { 0 };
	bool partial = false;
	long long t0;
	uint32_t st;
	int gi;

	fd = open_render();
	atexit(restore);
	CHECK(!write_file("/proc/self/oom_score_adj", "-1000"),
	      "cannot set the test's oom_score_adj to -1000");
	CHECK(!knob_get("fw_hang"), "the fw_hang knob is set before the test");
	CHECK(!read_file("/sys/module/mali_sim/parameters/budget", old_budget, sizeof(old_budget)),
	      "cannot read the budget knob");

	for (gi = 0; gi < NGROUPS; gi++)
		grp_init(&grps[gi]);
	job_init(&hj, fd);
	h_sync = syncobj_create(fd);

	start_hogs();
	scan0 = pgscan();
	direct0 = vmstat("pgscan_direct");
	stall0 = vmstat("allocstall_");

	/* Phase 1: jobs, a job timeout, a firmware hang and its reset. */
	t0 = now_ns();
	pump(t0 + WARMUP_MS * 1000000ll, true, false, 1, NULL);
	knob_set("budget", BUDGET);
	job_reset(&hj);
	job_emit(&hj, cs_move32(0, 1));
	job_emit(&hj, cs_branch(-1, 6 /* always */, 0));
	__sync_synchronize();
	h_submit = now_ns();
	CHECK(!submit(fd, hj.group, hj.cmd_va, hj.n * 8, 0, h_sync), "submit of the hung job failed");
	CHECK(!drmSyncobjExportSyncFile(fd, h_sync, &h_sf), "cannot export the hung job's fence");
	pump(1ll << 62, true, false, 1, hung_done);
	st = group_state(fd, hj.group, NULL);
	printf("hung job: fence status %d %lld ms after its submit; its group's state 0x%x\n",
	       h_status, (h_done - h_submit) / 1000000, st);
	CHECK(h_done - h_submit <= HANG_BOUND_MS * 1000000ll,
	      "the hung job's fence signalled %lld ms after its submit: over job timeout %d ms plus reset time %d ms",
	      (h_done - h_submit) / 1000000, JOB_TIMEOUT_MS, RESET_TIME_MS);
	CHECK(h_status < 0, "the hung job's fence signalled without an error");
	CHECK(st & DRM_PANTHOR_GROUP_STATE_TIMEDOUT, "the hung job's group is not TIMEDOUT (0x%x)",
	      st);
	snprintf(w_hung.what, sizeof(w_hung.what), "the hung job");
	w_hung.ns = h_done - h_submit;
	knob_set("budget", old_budget);
	hogs_alive("after the job timeout");

	pump(now_ns() + 500 * 1000000ll, true, false, 1, NULL);
	knob_set("fw_hang", "1");
	t_hang = now_ns();
	pump(1ll << 62, true, false, 1, reset_seen);
	printf("firmware hang %lld ms after the start; reset seen (fw_hang cleared) %lld ms after it\n",
	       (t_hang - t0) / 1000000, (t_reset - t_hang) / 1000000);
	for (;;) {
		long long until = now_ns() + 100 * 1000000ll;

		pump(until, true, false, 1, NULL);
		replace_dead();
		if (now_ns() > t_reset + (RESET_GRACE_MS + AFTER_RESET_MS) * 1000000ll)
			break;
	}
	hogs_alive("after the reset");

	/* Phase 2: the submitting task's slab allocations fail. */
	if (failslab_setup()) {
		unsigned long long before = njobs;

		failslab_on = true;
		pump(now_ns() + FAILSLAB_MS * 1000000ll, true, false, 2, NULL);
		failslab_on = false;
		pump(now_ns(), false, true, 2, NULL);
		printf("failslab (each slab allocation of a submit failed in turn, fail-nth) for %d ms: %llu jobs ran, %llu submits failed with ENOMEM, %u full rounds\n",
		       FAILSLAB_MS, njobs - before, nfailed_submit, nth_cycles);
		CHECK(nfailed_submit > 0, "failslab: no submit failed: is fail-nth counting?");
		CHECK(njobs > before, "failslab: no job could be submitted");
	} else {
		printf("no failslab in this kernel: phase 2 left out\n");
		partial = true;
	}
	pump(now_ns(), false, true, 3, NULL);
	hogs_alive("at the end");

	scan = pgscan() - scan0;
	direct = vmstat("pgscan_direct") - direct0;
	stall = vmstat("allocstall_") - stall0;
	printf("reclaim while measuring: %llu pages scanned (%llu by direct reclaim), %llu allocation stalls; MemFree down to %ld KiB\n",
	       scan, direct, stall, min_free_kb);
	CHECK(scan >= MIN_SCANNED, "only %llu pages scanned while measuring: not under memory pressure",
	      scan);

	for (gi = 0; gi < NGROUPS; gi++)
		if (grps[gi].live)
			CHECK(!group_state(fd, grps[gi].j.group, NULL),
			      "group %d: state 0x%x at the end", grps[gi].id,
			      group_state(fd, grps[gi].j.group, NULL));
	printf("%llu jobs, %llu fence errors at the reset\n", njobs, nerr_reset);
	print_worst("a job outside the reset", NORMAL_BOUND_MS, &w_normal);
	print_worst("a job in flight at the reset", HANG_BOUND_MS, &w_reset);
	print_worst("the hung job", HANG_BOUND_MS, &w_hung);
	note(&all, w_normal.ns, w_normal.what);
	note(&all, w_reset.ns, w_reset.what);
	note(&all, w_hung.ns, w_hung.what);
	printf("longest fence-signalling delay under memory pressure: %lld ms (%s)\n",
	       all.ns / 1000000, all.what);

	for (gi = 0; gi < NGROUPS; gi++)
		if (grps[gi].live)
			grp_fini(&grps[gi]);
	close(h_sf);
	job_fini(&hj);
	if (partial)
		PARTIAL("no fault injection (CONFIG_FAILSLAB): the failslab phase was left out");
	printf("ok\n");
	return 0;
}
