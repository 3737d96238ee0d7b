// SPDX-License-Identifier: GPL-2.0-only
/*
 * module_reload: the driver module unloads with the device bound (and no
 * open files), the render node goes away, and loading the module again
 * brings a working device back: GPU_INFO, and CSIF_INFO identical to
 * before if the driver answered it before (the firmware booted again).
 */
#include <unistd.h>

#include "common.h"

int main(void)
{
	const char *drv = getenv("SIMDRIVER") ? getenv("SIMDRIVER") : "panthor";
	const char *mods = getenv("SIMMODS");
	char cmd[512];
	int fd = open_render(), i;
	struct drm_panthor_csif_info before;
	bool had_csif = !try_csif_info(fd, &before);

	close(fd);
	snprintf(cmd, sizeof(cmd), "rmmod %s", drv);
	CHECK(!system(cmd), "'%s' failed", cmd);
	CHECK(access("/dev/dri/renderD128", F_OK), "render node still there after rmmod");
	snprintf(cmd, sizeof(cmd), "modprobe %s%s %s", mods ? "-d " : "", mods ? mods : "", drv);
	CHECK(!system(cmd), "'%s' failed", cmd);
	for (i = 0; i < 100 && access("/dev/dri/renderD128", F_OK); i++)
		msleep(50);
	fd = open_render();
	CHECK(DRM_PANTHOR_ARCH_MAJOR(query_gpu_info(fd).gpu_id) == 10, "GPU_INFO after reload");
	/* Whatever the device answered before, it answers the same again. */
	if (had_csif) {
		struct drm_panthor_csif_info after;

		CHECK(!try_csif_info(fd, &after), "CSIF_INFO fails after reload");
		CHECK(!memcmp(&before, &after, sizeof(before)), "CSIF_INFO changed after reload");
	}
	close(fd);
	printf("ok\n");
	return 0;
}
