// SPDX-License-Identifier: GPL-2.0-only
/*
 * group_slot_rotation: more groups than the firmware has CSG slots (12
 * for 8) all get their jobs run: each job stores its own value into its
 * own word, every fence signals and every value lands.
 */
#include "common.h"

#define NGROUPS 12

int main(void)
{
	int fd = open_render();
	struct job_ctx j;
	uint32_t g[NGROUPS], s[NGROUPS];
	int i, r;

	job_init(&j, fd);
	for (i = 0; i < NGROUPS; i++) {
		uint64_t *b = j.cmd + i * 0x100 / 8;

		g[i] = group_create(fd, j.vm);
		b[0] = cs_move48(0, j.data_va + 4 * i);
		b[1] = cs_move32(2, 0x1000 + i);
		b[2] = cs_store_multiple(2, 0, 0x1, 0);
	}
	for (i = 0; i < NGROUPS; i++) {
		s[i] = syncobj_create(fd);
		r = submit(fd, g[i], j.cmd_va + i * 0x100, 3 * 8, 0, s[i]);
		CHECK(!r, "submit on group %d failed: %s", i, strerror(-r));
	}
	for (i = 0; i < NGROUPS; i++) {
		CHECK(!syncobj_wait(fd, s[i], 15000), "group %d's job did not complete", i);
		CHECK(j.data[i] == 0x1000u + i, "group %d stored 0x%x", i, j.data[i]);
	}
	for (i = 0; i < NGROUPS; i++)
		group_destroy(fd, g[i]);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
