// SPDX-License-Identifier: GPL-2.0-only
/*
 * runtime_suspend_resume: an idle GPU runtime-suspends (its runtime PM
 * status becomes "suspended" and its suspended time grows); submitting a
 * job resumes it (the firmware boots again) and the job runs; once idle
 * again it suspends again.
 */
#include "common.h"

static int wait_status(const char *want, int timeout_ms)
{
	char path[256], buf[32] = "";
	int t;

	snprintf(path, sizeof(path), "%s/power/runtime_status", gpu_sysfs());
	for (t = 0; t < timeout_ms; t += 20) {
		if (!read_file(path, buf, sizeof(buf)) && !strcmp(buf, want))
			return 0;
		msleep(20);
	}
	printf("runtime_status is '%s', waited for '%s'\n", buf, want);
	return -1;
}

static unsigned long long suspended_ms(void)
{
	char path[256], buf[32] = "0";

	snprintf(path, sizeof(path), "%s/power/runtime_suspended_time", gpu_sysfs());
	read_file(path, buf, sizeof(buf));
	return strtoull(buf, NULL, 10);
}

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	unsigned long long t0, t1;

	job_init(&j, fd);
	CHECK(!wait_status("suspended", 5000), "idle GPU did not runtime-suspend");
	t0 = suspended_ms();
	msleep(300);
	t1 = suspended_ms();
	printf("suspended time %llu -> %llu ms\n", t0, t1);
	CHECK(t1 >= t0 + 200, "suspended time did not grow while idle");

	job_check_healthy(&j, "job on a suspended GPU");
	CHECK(query_csif_info(fd).csg_slot_count == 8, "firmware interface lost on resume");

	CHECK(!wait_status("suspended", 5000), "GPU did not suspend again after the job");
	job_fini(&j);
	printf("ok\n");
	return 0;
}
