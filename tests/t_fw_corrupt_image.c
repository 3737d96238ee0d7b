// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_corrupt_image: a corrupt firmware image makes the probe fail cleanly.
 * With the driver unbound, the firmware file is replaced by a corrupt copy
 * (a bad magic, then an image cut short right after its entry table, so
 * that its sections' data lies outside the file); binding again must
 * fail and leave no render node. For forseti, the kernel log must also
 * name the defect. Then the good image is restored and the driver binds
 * again and answers GPU_INFO (and CSIF_INFO, as before, if it did). Leaks
 * show in the run's kmemleak scan.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define FW_REL		"fw/arm/mali/arch10.8/mali_csffw.bin"
#define FW_MAX		(1 << 20)

static const char *drv(void)
{
	return getenv("SIMDRIVER") ? getenv("SIMDRIVER") : "panthor";
}

static int drv_attr(const char *attr)
{
	char path[256], name[64];

	dev_name(name, sizeof(name));
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/%s", drv(), attr);
	return write_file(path, name);
}

static size_t load(const char *path, uint8_t *buf)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "cannot open %s: %s", path, strerror(errno));
	n = read(fd, buf, FW_MAX);
	close(fd);
	CHECK(n > 20 && n < FW_MAX, "cannot read %s", path);
	return n;
}

static void store(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	CHECK(fd >= 0, "cannot open %s for writing: %s", path, strerror(errno));
	CHECK(write(fd, buf, len) == (ssize_t)len, "cannot write %s", path);
	close(fd);
}

static bool render_node_appears(void)
{
	int i;

	for (i = 0; i < 40; i++) {
		if (!access("/dev/dri/renderD128", F_OK))
			return true;
		msleep(50);
	}
	return false;
}

/* The kernel log from now on: open /dev/kmsg at its end. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	CHECK(fd >= 0, "cannot open /dev/kmsg: %s", strerror(errno));
	lseek(fd, 0, SEEK_END);
	return fd;
}

static bool kmsg_find(int fd, const char *what)
{
	char rec[1024];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (n <= 0)
			return false;
		rec[n] = 0;
		/* A record is "prefix;text\n", then its properties. */
		if (strchr(rec, '\n'))
			*strchr(rec, '\n') = 0;
		if (strstr(rec, what)) {
			printf("kernel: %s\n", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
			return true;
		}
	}
}

/* Bind with a corrupt image in place: the probe must fail, naming @defect. */
static void bind_corrupt(const char *fw, const uint8_t *img, size_t len,
			 const char *defect)
{
	int kmsg = kmsg_open();

	store(fw, img, len);
	drv_attr("bind");
	CHECK(!render_node_appears(), "%s: probe succeeded with a corrupt image", defect);
	if (!strcmp(drv(), "forseti"))
		CHECK(kmsg_find(kmsg, defect), "no kernel message naming \"%s\"", defect);
	close(kmsg);
	/* The failed probe left nothing bound: unbinding has nothing to do. */
	CHECK(drv_attr("unbind"), "%s: the driver is bound after a failed probe", defect);
}

static uint8_t good[FW_MAX], bad[FW_MAX];
static char fw[512];
static size_t len;

/* Whatever happened, leave the good image in place and the driver bound. */
static void restore(void)
{
	store(fw, good, len);
	if (access("/dev/dri/renderD128", F_OK))
		drv_attr("bind");
}

int main(void)
{
	const char *run = getenv("SIMRUN");
	struct drm_panthor_csif_info before, after;
	uint32_t table_end;
	bool had_csif;
	int fd;

	CHECK(run, "SIMRUN is not set");
	snprintf(fw, sizeof(fw), "%s/%s", run, FW_REL);
	len = load(fw, good);
	atexit(restore);

	fd = open_render();
	had_csif = !try_csif_info(fd, &before);
	close(fd);
	CHECK(!drv_attr("unbind"), "unbind failed");

	/* A bad magic. */
	memcpy(bad, good, len);
	bad[0] ^= 0xff;
	bind_corrupt(fw, bad, len, "bad magic");

	/* Cut right after the entry table: the sections' data is missing. */
	memcpy(&table_end, good + 16, 4);
	CHECK(table_end > 20 && table_end < len, "entry table end %u", table_end);
	bind_corrupt(fw, good, table_end, "section data outside the image");

	store(fw, good, len);
	CHECK(!drv_attr("bind"), "binding with the good image failed");
	CHECK(render_node_appears(), "no render node with the good image");
	fd = open_render();
	CHECK(DRM_PANTHOR_ARCH_MAJOR(query_gpu_info(fd).gpu_id) == 10, "GPU_INFO after restore");
	if (had_csif) {
		CHECK(!try_csif_info(fd, &after), "CSIF_INFO fails after restore");
		CHECK(!memcmp(&before, &after, sizeof(before)), "CSIF_INFO changed");
	}
	close(fd);
	printf("ok\n");
	return 0;
}
