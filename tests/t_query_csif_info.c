// SPDX-License-Identifier: GPL-2.0-only
/*
 * query_csif_info: DEV_QUERY(CSIF_INFO) reports what the firmware's global
 * interface published after the GLB handshake: CSG and CS slot counts and
 * CS register counts. All of it comes from the firmware, so this only
 * passes once the firmware booted.
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	struct drm_panthor_csif_info ci = query_csif_info(fd);

	printf("csg slots %u, cs slots %u, cs regs %u, unpreserved %u, scoreboards %u\n",
	       ci.csg_slot_count, ci.cs_slot_count, ci.cs_reg_count,
	       ci.unpreserved_cs_reg_count, ci.scoreboard_slot_count);
	CHECK(ci.csg_slot_count == 8, "csg_slot_count %u, want 8", ci.csg_slot_count);
	CHECK(ci.cs_slot_count == 8, "cs_slot_count %u, want 8", ci.cs_slot_count);
	CHECK(ci.cs_reg_count == 96, "cs_reg_count %u, want 96", ci.cs_reg_count);
	CHECK(ci.unpreserved_cs_reg_count == 4, "unpreserved %u, want 4",
	      ci.unpreserved_cs_reg_count);
	CHECK(ci.scoreboard_slot_count == 8, "scoreboards %u, want 8",
	      ci.scoreboard_slot_count);
	printf("ok\n");
	return 0;
}
