// SPDX-License-Identifier: GPL-2.0-only
/*
 * module_reload: the driver module cannot be unloaded while a file is open
 * (rmmod refuses, the device keeps working); the device is unbound with
 * that file still holding a VM, a mapping and a CPU mapping of a BO, the
 * file is closed, and then the module unloads, the render node is gone,
 * and loading the module again brings a working device back: GPU_INFO,
 * CSIF_INFO identical to before if the driver answered it before (the
 * firmware booted again), a VM with a mapping.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* Is module @name loaded (a line of /proc/modules starts with it)? */
static bool module_loaded(const char *name)
{
	size_t n = strlen(name);
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	CHECK(f, "cannot read /proc/modules: %s", strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, n) && line[n] == ' ';
	CHECK(found || !ferror(f), "reading /proc/modules failed: read error");
	fclose(f);
	return found;
}

int main(void)
{
	const char *drv = getenv("SIMDRIVER") ? getenv("SIMDRIVER") : "panthor";
	const char *mods = getenv("SIMMODS");
	char cmd[512], path[256], name[64];
	int fd = open_render(), i, st;
	struct drm_panthor_csif_info before;
	bool had_csif = !try_csif_info(fd, &before);
	enum held held;
	uint32_t *p = hold_objects(fd, &held);

	/*
	 * rmmod refuses with status 1; 127 (no rmmod), a signal or any other
	 * status says nothing about the driver.
	 */
	snprintf(cmd, sizeof(cmd), "rmmod %s 2>/dev/null", drv);
	st = system(cmd);
	CHECK(st != -1 && WIFEXITED(st), "'%s' did not exit normally (wait status 0x%x)", cmd, st);
	CHECK(WEXITSTATUS(st) != 0, "'%s' unloaded the module with a file open", cmd);
	CHECK(WEXITSTATUS(st) == 1, "'%s' with a file open: exit status %d, not rmmod's refusal (1)",
	      cmd, WEXITSTATUS(st));
	CHECK(module_loaded(drv), "%s is not in /proc/modules after rmmod refused to unload it", drv);
	CHECK(DRM_PANTHOR_ARCH_MAJOR(query_gpu_info(fd).gpu_id) == 10,
	      "GPU_INFO after a refused rmmod");

	dev_name(name, sizeof(name));
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/unbind", drv);
	CHECK(!write_file(path, name), "writing %s to %s failed", name, path);
	if (p)
		munmap(p, 0x10000);
	close(fd);
	printf("unbound with the file open; closed after\n");

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
	use_objects(fd, held);
	close(fd);
	printf("ok\n");
	return 0;
}
