// SPDX-License-Identifier: GPL-2.0-only
/*
 * query_timestamp_info: DEV_QUERY(TIMESTAMP_INFO) reads the GPU's
 * timestamp and cycle counters, which advance between two queries; with
 * the 1.8 flags it also returns a CPU timestamp of the requested clock
 * and the query's duration, and rejects an unknown CPU clock or flag with
 * EINVAL, and a larger input struct whose extra bytes are not zero with
 * E2BIG. (timestamp_frequency comes from the Arm architected timer, so
 * it is not checked here: UML has none.)
 */
#include <time.h>

#include "common.h"

static int ts_query(int fd, struct drm_panthor_timestamp_info *ti, uint32_t flags)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
		.size = sizeof(*ti),
		.pointer = (uintptr_t)ti,
	};

	memset(ti, 0, sizeof(*ti));
	ti->flags = flags;
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ? -errno : 0;
}

int main(void)
{
	int fd = open_render();
	const uint32_t all = DRM_PANTHOR_TIMESTAMP_GPU |
			     DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
			     DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC |
			     DRM_PANTHOR_TIMESTAMP_DURATION;
	struct drm_panthor_timestamp_info a, b;
	struct timespec now;
	int r;

	CHECK(!ts_query(fd, &a, 0), "legacy query failed");
	msleep(20);
	CHECK(!ts_query(fd, &b, 0), "legacy query failed");
	printf("timestamp %llu -> %llu\n", (unsigned long long)a.current_timestamp,
	       (unsigned long long)b.current_timestamp);
	CHECK(b.current_timestamp > a.current_timestamp, "GPU timestamp did not advance");

	r = ts_query(fd, &a, all);
	CHECK(!r, "query with flags 0x%x failed: %s", all, strerror(-r));
	msleep(20);
	CHECK(!ts_query(fd, &b, all), "second flagged query failed");
	clock_gettime(CLOCK_MONOTONIC, &now);
	printf("cycles %llu -> %llu, cpu %llu.%09llu, duration %u ns\n",
	       (unsigned long long)a.cycle_count, (unsigned long long)b.cycle_count,
	       (unsigned long long)b.cpu_timestamp_sec,
	       (unsigned long long)b.cpu_timestamp_nsec, b.duration_nsec);
	CHECK(b.cycle_count > a.cycle_count, "GPU cycle counter did not advance");
	CHECK(b.current_timestamp > a.current_timestamp, "GPU timestamp did not advance");
	CHECK(b.cpu_timestamp_sec <= (uint64_t)now.tv_sec &&
	      b.cpu_timestamp_sec + 5 >= (uint64_t)now.tv_sec,
	      "CPU monotonic timestamp %llu s is not now (%lld s)",
	      (unsigned long long)b.cpu_timestamp_sec, (long long)now.tv_sec);

	r = ts_query(fd, &a, DRM_PANTHOR_TIMESTAMP_GPU | (7 << 1));
	CHECK(r == -EINVAL, "unknown CPU clock: got %d, want -EINVAL", r);
	r = ts_query(fd, &a, DRM_PANTHOR_TIMESTAMP_GPU | (1u << 20));
	CHECK(r == -EINVAL, "unknown flag: got %d, want -EINVAL", r);

	{
		struct {
			struct drm_panthor_timestamp_info ti;
			uint64_t extra;
		} big = { .extra = 1 };
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
			.size = sizeof(big),
			.pointer = (uintptr_t)&big,
		};

		CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, E2BIG);
	}
	printf("ok\n");
	return 0;
}
