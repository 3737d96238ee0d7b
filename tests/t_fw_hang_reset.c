// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_hang_reset: when the firmware stops answering (the simulator's
 * fw_hang knob), the driver notices, resets the GPU (the reset clears the
 * knob, so reading it back shows a reset happened) and boots the firmware
 * again; the job submitted into the hang ends (its fence signals, with or
 * without an error) within 30 s; jobs submitted afterwards run.
 */
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

static int knob_fw_hang(void)
{
	char buf[8] = "";

	read_file("/sys/module/mali_sim/parameters/fw_hang", buf, sizeof(buf));
	return buf[0] == 'Y' || buf[0] == '1';
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j, k;
	uint32_t s;
	int i, r;

	job_init(&j, fd);
	job_emit(&j, cs_move48(0, j.data_va));
	job_emit(&j, cs_move32(2, 1));
	job_emit(&j, cs_store_multiple(2, 0, 0x1, 0));

	knob_set("fw_hang", "1");
	s = job_submit(&j, 0);
	/* The job cannot start: the firmware does not acknowledge anything. */
	r = syncobj_wait(fd, s, 30000);
	for (i = 0; i < 300 && knob_fw_hang(); i++)
		msleep(100);
	CHECK(!knob_fw_hang(), "no GPU reset within 30 s of a firmware hang");
	CHECK(!r, "the job submitted into the hang did not end within 30 s (%s)", strerror(-r));
	printf("GPU was reset, first job's group state 0x%x\n", group_state(fd, j.group, NULL));

	job_init(&k, fd);
	job_check_healthy(&k, "job after the reset");
	job_fini(&k);
	printf("ok\n");
	return 0;
}
