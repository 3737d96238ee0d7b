// SPDX-License-Identifier: GPL-2.0-only
/*
 * job_submit_cycles: many submits leave nothing behind. njobs jobs (1000,
 * or JOB_SUBMIT_CYCLES_JOBS, see below) over 4 groups, in STRIDE
 * interleaved syncobj chains (job i waits on job i-STRIDE's out-syncobj,
 * on another group, and signals its own; a small
 * ring of syncobjs is reused): job i logs the counter it finds and adds
 * one to it, so job i must find more than job i-STRIDE did (the chains
 * held), and the counter must read njobs (every job ran);
 * every batch's fences signal. After a warm-up round of one batch (the
 * caches a first batch of jobs in flight fills), the process's memory
 * (VmRSS), the file's fdinfo (every "*-memory" key: drm-total-,
 * drm-resident-, panthor-resident-...) and /proc/meminfo's Slab (after
 * every cache gave its empty slabs back, /sys/kernel/slab/<cache>/shrink)
 * are measured before the groups are made and after they are destroyed:
 * fdinfo must not grow at all, Slab and VmRSS only by a little. A per-job
 * object leaked (a job, a fence, a dependency) shows in Slab.
 */
#include <ctype.h>
#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

/*
 * In the guest at load 5-6 on 2 cores: 1000 jobs (and the warm-up's 250)
 * take 20 s; with one chain instead of three, 29 s (2000: 49 s).
 */
#define DEFAULT_JOBS	1000
#define WARMUP		BATCH	/* as many jobs in flight as a batch of the run */
#define NGROUPS		4
#define NSYNC		8
#define STRIDE		3	/* not a multiple of NGROUPS: each wait crosses groups */
#define BATCH		250
#define JOB_BYTES	0x40		/* 6 instructions, padded */
#define CMDS_VA		0x40000000ull
#define LOG		0x1000		/* byte offset of the log in data */
/*
 * The number of jobs: DEFAULT_JOBS, or JOB_SUBMIT_CYCLES_JOBS=<n> from the
 * guest's command line (scripts/sim-test.sh's SIM_GUEST_ENV) for a long
 * run.
 */
static unsigned int njobs = DEFAULT_JOBS;
/* The command and data buffers' sizes for njobs (64 KiB multiples). */
static uint64_t cmds_size, data_size;

/*
 * Allowed growth. Measured in the guest (KASAN, kmemleak): unmodified
 * panthor -100 to +152 kB (over 1000 or 2000 jobs); a 128-byte fence
 * leaked per job (plant.sh's fence-leak) +2852 kB over 1000 jobs, the
 * whole job (job-leak) +3568 kB. The slack is absolute, whatever njobs:
 * a long run is stricter per job.
 */
#define SLAB_SLACK_KB	1024
#define RSS_SLACK_KB	512

#define MAX_KEYS	16
struct mem {
	long rss_kb, slab_kb;
	unsigned int nkeys;
	char key[MAX_KEYS][48];
	unsigned long long bytes[MAX_KEYS];
};

static long status_kb(const char *key)
{
	char buf[4096], *p;

	CHECK(!read_file("/proc/self/status", buf, sizeof(buf)), "cannot read /proc/self/status");
	p = strstr(buf, key);
	CHECK(p, "no %s in /proc/self/status", key);
	return strtol(p + strlen(key), NULL, 10);
}

/*
 * Slab counts slab pages, not objects: give every cache's empty slabs
 * back (SLUB keeps some for reuse), so that only live objects count.
 */
static void shrink_slabs(void)
{
	char path[300];
	struct dirent *e;
	DIR *d = opendir("/sys/kernel/slab");

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", e->d_name);
		write_file(path, "1");
	}
	closedir(d);
}

static void measure(int fd, struct mem *m)
{
	char path[64], buf[4096], *line, *save;

	/* RCU-freed objects (fences, scheduler jobs) go after a grace period. */
	msleep(500);
	shrink_slabs();
	memset(m, 0, sizeof(*m));
	m->rss_kb = status_kb("VmRSS:");
	m->slab_kb = meminfo_kb("Slab:");
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK(!read_file(path, buf, sizeof(buf)), "cannot read %s", path);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *end;
		unsigned long long v;

		if (!colon || colon - line < 7 || strncmp(colon - 7, "-memory", 7))
			continue;
		CHECK(m->nkeys < MAX_KEYS, "too many memory keys in %s", path);
		*colon = 0;
		snprintf(m->key[m->nkeys], sizeof(m->key[0]), "%s", line);
		v = size_with_unit(colon + 1, &end);
		m->bytes[m->nkeys++] = v;
	}
}

struct run {
	int fd;
	uint32_t vm, cmd_bo, data_bo, sync[NSYNC];
	uint64_t *cmd;
	uint32_t *data;
};

/* @n jobs in STRIDE chains over NGROUPS new groups, destroyed after. */
static void cycle(struct run *rn, unsigned int n, const char *what)
{
	uint32_t g[NGROUPS];
	unsigned int i, k;

	memset(rn->data, 0, LOG + 4 * njobs);
	for (k = 0; k < NGROUPS; k++)
		g[k] = group_create(rn->fd, rn->vm);
	for (i = 0; i < n; i++) {
		uint32_t out = rn->sync[i % NSYNC];
		int r;

		r = submit(rn->fd, g[i % NGROUPS], CMDS_VA + i * JOB_BYTES, 6 * 8,
			   i >= STRIDE ? rn->sync[(i - STRIDE) % NSYNC] : 0, out);
		CHECK(!r, "%s: submit %u failed: %s", what, i, strerror(-r));
		if ((i + 1) % BATCH && i + 1 < n)
			continue;
		/* a batch: the fences of its last NSYNC jobs (those of every chain) */
		for (k = 0; k < NSYNC && k <= i; k++)
			CHECK(!syncobj_wait(rn->fd, rn->sync[k], 30000),
			      "%s: a fence of the batch ending at job %u did not signal", what, i);
	}
	__sync_synchronize();
	for (i = 0; i < n; i++)
		CHECK(i < STRIDE || rn->data[LOG / 4 + i] > rn->data[LOG / 4 + i - STRIDE],
		      "%s: job %u found the counter at %u, job %u (which it waits on) at %u: the chain did not hold",
		      what, i, rn->data[LOG / 4 + i], i - STRIDE, rn->data[LOG / 4 + i - STRIDE]);
	CHECK(rn->data[0] == n, "%s: counter %u after %u jobs", what, rn->data[0], n);
	for (k = 0; k < NGROUPS; k++) {
		uint32_t st = group_state(rn->fd, g[k], NULL);

		CHECK(!st, "%s: group %u's state is 0x%x", what, k, st);
		group_destroy(rn->fd, g[k]);
	}
}

int main(void)
{
	long start = now_ms();
	struct run rn = { .fd = open_render() };
	const char *env = getenv("JOB_SUBMIT_CYCLES_JOBS");
	struct mem before, after;
	unsigned int i, k;
	bool grew = false;

	if (env) {
		char *end;
		unsigned long n = strtoul(env, &end, 10);

		CHECK(*env && !*end && n >= BATCH && n <= 100000,
		      "JOB_SUBMIT_CYCLES_JOBS=%s: want %u to 100000 jobs", env, BATCH);
		njobs = n;
	}
	cmds_size = ((uint64_t)njobs * JOB_BYTES + 0xffff) & ~0xffffull;
	data_size = (LOG + 4ull * njobs + 0xffff) & ~0xffffull;

	rn.vm = vm_create(rn.fd);
	rn.cmd_bo = bo_create(rn.fd, cmds_size, 0, 0);
	rn.data_bo = bo_create(rn.fd, data_size, 0, 0);
	rn.cmd = bo_mmap(rn.fd, rn.cmd_bo, cmds_size);
	rn.data = bo_mmap(rn.fd, rn.data_bo, data_size);
	vm_map(rn.fd, rn.vm, rn.cmd_bo, CMDS_VA, cmds_size, 0);
	vm_map(rn.fd, rn.vm, rn.data_bo, DATA_VA, data_size, 0);
	for (i = 0; i < NSYNC; i++)
		rn.sync[i] = syncobj_create(rn.fd);
	CHECK(njobs * JOB_BYTES <= cmds_size && LOG + 4 * njobs <= data_size, "buffers too small");
	/* Job i: log[i] = counter; counter += 1. */
	for (i = 0; i < njobs; i++) {
		uint64_t *b = rn.cmd + i * JOB_BYTES / 8;

		b[0] = cs_move48(0, DATA_VA);
		b[1] = cs_load_multiple(2, 0, 0x1, 0);
		b[2] = cs_move48(4, DATA_VA + LOG + 4 * i);
		b[3] = cs_store_multiple(2, 4, 0x1, 0);
		b[4] = cs_move32(6, 1);
		b[5] = cs_sync_add32(0, 6);
	}

	cycle(&rn, WARMUP, "warm-up");
	measure(rn.fd, &before);
	cycle(&rn, njobs, "cycles");
	measure(rn.fd, &after);

	printf("%u jobs over %u groups: VmRSS %+ld kB, Slab %+ld kB (%ld -> %ld)\n", njobs, NGROUPS,
	       after.rss_kb - before.rss_kb, after.slab_kb - before.slab_kb, before.slab_kb,
	       after.slab_kb);
	CHECK(before.nkeys > 0, "no *-memory keys in the file's fdinfo");
	CHECK(after.nkeys == before.nkeys, "fdinfo had %u memory keys, now %u", before.nkeys,
	      after.nkeys);
	for (k = 0; k < before.nkeys; k++) {
		CHECK(!strcmp(before.key[k], after.key[k]), "fdinfo key %s became %s", before.key[k],
		      after.key[k]);
		printf("fdinfo %s: %llu -> %llu bytes\n", before.key[k], before.bytes[k],
		       after.bytes[k]);
		grew |= after.bytes[k] > before.bytes[k];
	}
	CHECK(!grew, "the file's fdinfo memory grew over %u jobs (the groups are destroyed)", njobs);
	CHECK(after.slab_kb - before.slab_kb <= SLAB_SLACK_KB,
	      "Slab grew by %ld kB over %u jobs: a per-job object leaked?",
	      after.slab_kb - before.slab_kb, njobs);
	CHECK(after.rss_kb - before.rss_kb <= RSS_SLACK_KB, "VmRSS grew by %ld kB over %u jobs",
	      after.rss_kb - before.rss_kb, njobs);

	for (i = 0; i < NSYNC; i++)
		drmSyncobjDestroy(rn.fd, rn.sync[i]);
	vm_unmap(rn.fd, rn.vm, CMDS_VA, cmds_size);
	vm_unmap(rn.fd, rn.vm, DATA_VA, data_size);
	munmap(rn.cmd, cmds_size);
	munmap(rn.data, data_size);
	bo_close(rn.fd, rn.cmd_bo);
	bo_close(rn.fd, rn.data_bo);
	vm_destroy(rn.fd, rn.vm);
	printf("ok (%ld ms)\n", now_ms() - start);
	return 0;
}
