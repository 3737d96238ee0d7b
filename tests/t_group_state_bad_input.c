// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_state_bad_input: GROUP_GET_STATE and GROUP_SUBMIT on groups that
 * are not there or can no longer run.
 *
 * - GROUP_GET_STATE of a handle never given out (0, and a large one), with
 *   a non-zero pad, and of a destroyed group: EINVAL.
 * - GROUP_SUBMIT to a group that timed out (its job hung: a branch to
 *   itself, ended by the driver's job timeout) and to one with a fatal
 *   fault (an invalid instruction): the ioctl fails with EINVAL and the
 *   out-syncobj gets no fence (a wait on it without WAIT_FOR_SUBMIT fails
 *   with EINVAL), as the base tree's panthor does: it refuses a job for a
 *   group that cannot run when the job is made (panthor_job_create()).
 *   The job's fence would otherwise have to fail (ECANCELED) once run.
 *   The dead group's state stays as it was, and destroying it works.
 * - A new group still runs.
 *
 * Prints each ioctl's outcome.
 */
#include "common.h"

static void bad_state(int fd, uint32_t handle, uint32_t pad, const char *what)
{
	struct drm_panthor_group_get_state s = { .group_handle = handle, .pad = pad };
	int r = drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s);

	printf("GROUP_GET_STATE of %s: %s\n", what, r ? strerror(errno) : "success");
	CHECK(r == -1 && errno == EINVAL, "GROUP_GET_STATE of %s: %s, want EINVAL", what,
	      r ? strerror(errno) : "success");
}

/* Submit a job that would store 0x5eed to a group that cannot run. */
static void submit_to_dead(int fd, struct job_ctx *j, uint32_t want_state, const char *what)
{
	uint32_t st = group_state(fd, j->group, NULL), out, fq;
	int r, w;

	CHECK(st & want_state, "%s: the group's state is 0x%x, want 0x%x set", what, st, want_state);
	j->data[1] = 0;
	j->cmd[0x100 / 8] = cs_move48(0, j->data_va + 4);
	j->cmd[0x100 / 8 + 1] = cs_move32(2, 0x5eed);
	j->cmd[0x100 / 8 + 2] = cs_store_multiple(2, 0, 0x1, 0);
	out = syncobj_create(fd);
	__sync_synchronize();
	r = submit(fd, j->group, j->cmd_va + 0x100, 3 * 8, 0, out);
	w = syncobj_wait(fd, out, 2000);
	printf("%s (state 0x%x): GROUP_SUBMIT returns %s; its out-syncobj: %s\n", what, st,
	       r ? strerror(-r) : "success",
	       w == -EINVAL ? "no fence" : w == -ETIME ? "a fence, unsignalled after 2 s" :
	       !w ? (syncobj_fence_status(fd, out) == 1 ? "signalled, no error" : "signalled with an error") :
	       strerror(-w));
	if (!r && !w)
		printf("%s: the fence's status %d\n", what, syncobj_fence_status(fd, out));
	CHECK(r == -EINVAL, "%s: GROUP_SUBMIT to a group that cannot run: %s, want EINVAL", what,
	      r ? strerror(-r) : "success");
	CHECK(w == -EINVAL, "%s: GROUP_SUBMIT failed, yet its out-syncobj %s", what,
	      !w || w == -ETIME ? "got a fence" : strerror(-w));
	__sync_synchronize();
	CHECK(!j->data[1], "%s: the refused job ran (stored 0x%x)", what, j->data[1]);
	CHECK(group_state(fd, j->group, &fq) == st, "%s: the state changed from 0x%x after the submit",
	      what, st);
	group_destroy(fd, j->group);
	bad_state(fd, j->group, 0, "the destroyed dead group");
}

int main(void)
{
	int fd = open_render();
	struct job_ctx h, f, k;
	uint32_t g, vm, s;

	bad_state(fd, 0, 0, "handle 0");
	bad_state(fd, 0x7fffffff, 0, "handle 0x7fffffff");
	vm = vm_create(fd);
	g = group_create(fd, vm);
	bad_state(fd, g, 1, "a live group with pad 1");
	CHECK(group_state(fd, g, NULL) == 0, "a new group's state is not 0");
	group_destroy(fd, g);
	bad_state(fd, g, 0, "a destroyed group");
	vm_destroy(fd, vm);

	/* A timed-out group. */
	job_init(&h, fd);
	job_emit(&h, cs_move32(0, 1));
	job_emit(&h, cs_branch(-1, 6 /* always */, 0));
	s = job_submit(&h, 0);
	CHECK(!syncobj_wait(fd, s, 30000), "the hung job's fence did not signal within 30 s");
	submit_to_dead(fd, &h, DRM_PANTHOR_GROUP_STATE_TIMEDOUT, "TIMEDOUT group");

	/* A group with a fatal fault. */
	job_init(&f, fd);
	job_emit(&f, cs_raw(0x7f, 0));	/* no such opcode */
	s = job_submit(&f, 0);
	CHECK(!syncobj_wait(fd, s, 15000), "the faulting job's fence did not signal within 15 s");
	submit_to_dead(fd, &f, DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, "FATAL_FAULT group");

	job_init(&k, fd);
	job_check_healthy(&k, "a new group after the dead ones");
	job_fini(&k);
	printf("ok\n");
	return 0;
}
