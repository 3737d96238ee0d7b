# SPDX-License-Identifier: GPL-2.0-only
# The fixture series that the workbench's own tests (run.sh, posting.sh)
# stand on: a worktree of kernel-tree/ at the base, and a tiny driver in
# three topics. Sourced after lib.sh, never run.
#
# The caller sets FIX (its scratch folder), REAL_KTREE (kernel-tree/), and
# exports KTREE (the fixture worktree), SERIES, CI_DIR and BRANCH_PREFIX.

# fixture_tree_reset [REF-NAMESPACE...]: the fixture worktree, clean, at the
# base, with no branch under $BRANCH_PREFIX (nor any ref in the namespaces
# given), and an empty fixture project folder with the three topics.
fixture_tree_reset() {
	local r ns=("refs/heads/$BRANCH_PREFIX" "$@")
	if ! git -C "$KTREE" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$REAL_KTREE" worktree prune
		rm -rf "$KTREE"
		git -C "$REAL_KTREE" worktree add -q --detach "$KTREE" "refs/tags/$BASE_TAG"
	fi
	git -C "$KTREE" am --abort >/dev/null 2>&1 || true
	git -C "$KTREE" rebase --abort >/dev/null 2>&1 || true
	git -C "$KTREE" checkout -q --detach --force "refs/tags/$BASE_TAG"
	git -C "$KTREE" clean -q -fd
	git -C "$KTREE" for-each-ref --format='%(refname)' "${ns[@]}" |
		while read -r r; do git -C "$KTREE" update-ref -d "$r"; done
	# and no configuration of such branches (b4 prep keeps its state there)
	git -C "$KTREE" config --name-only --get-regexp "^branch\.$BRANCH_PREFIX" 2>/dev/null |
		sed 's/\.[^.]*$//' | sort -u | while read -r r; do git -C "$KTREE" config --remove-section "$r"; done || true
	rm -rf "$FIX/proj"
	mkdir -p "$SERIES" "$CI_DIR/kconfig"
	cp "$TOP/ci/kconfig/base.config" "$TOP/ci/kconfig/x86_64.config" \
		"$TOP/ci/kconfig/arm64.config" "$CI_DIR/kconfig/"
	echo 'CONFIG_DRM_FIXTURE=m' >"$CI_DIR/kconfig/driver.config"
	for r in 1-alpha 2-beta 3-gamma; do
		mkdir -p "$SERIES/$r"
		touch "$SERIES/$r/.keep"
	done
}

# commit_fixture TOPIC SUBJECT [AUTHOR]: commit the fixture tree's changes
# as the next patch of TOPIC's branch (exported by the caller).
commit_fixture() {
	local t=$1 subj=$2 author=${3:-Fixture Dev <fixture@forseti.invalid>}
	git -C "$KTREE" add -A || return 1
	git -C "$KTREE" -c user.name="${author% <*}" \
		-c user.email="$(printf '%s' "${author#*<}" | tr -d '>')" \
		commit -q -s -m "$subj" -m "This change exists only in the workbench's own tests; it
checks that the workbench sees what it should." || return 1
	git -C "$KTREE" branch -f "$BRANCH_PREFIX${t#*-}" HEAD
}

# write_file PATH: the fixture tree's file PATH, from stdin.
write_file() {
	mkdir -p "$(dirname "$KTREE/$1")"
	cat >"$KTREE/$1"
}

# fixture_commits: the clean fixture series as branches: a tiny driver in
# two patches (alpha), an empty topic (beta), one more patch (gamma). Each
# patch builds and is clean under every check. Leaves the worktree detached
# at the base.
fixture_commits() {
	write_file drivers/gpu/drm/fixture/Kconfig <<'EOF'
# SPDX-License-Identifier: GPL-2.0-only
config DRM_FIXTURE
	tristate "Workbench fixture driver"
	depends on DRM
	help
	  A driver that exists only in the forseti workbench's own tests,
	  to check that the per-patch checks see what they should. It is
	  never posted and does nothing.

	  If unsure, say N.
EOF
	write_file drivers/gpu/drm/fixture/Makefile <<'EOF'
# SPDX-License-Identifier: GPL-2.0-only
fixture-y := fixture_main.o
obj-$(CONFIG_DRM_FIXTURE) += fixture.o
EOF
	write_file drivers/gpu/drm/fixture/fixture_main.c <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The forseti authors */

#include <linux/module.h>

static int __init fixture_init(void)
{
	return 0;
}
module_init(fixture_init);

static void __exit fixture_exit(void)
{
}
module_exit(fixture_exit);

MODULE_DESCRIPTION("forseti workbench fixture");
MODULE_LICENSE("GPL");
EOF
	sed -i 's|^source "drivers/gpu/drm/panthor/Kconfig"$|&\nsource "drivers/gpu/drm/fixture/Kconfig"|' \
		"$KTREE/drivers/gpu/drm/Kconfig"
	sed -i 's|^obj-$(CONFIG_DRM_PANTHOR) += panthor/$|&\nobj-$(CONFIG_DRM_FIXTURE) += fixture/|' \
		"$KTREE/drivers/gpu/drm/Makefile"
	python3 - "$KTREE/MAINTAINERS" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
entry = ("DRM DRIVER FOR FIXTURES\n"
         "M:\tFixture Dev <fixture@forseti.invalid>\n"
         "S:\tMaintained\n"
         "F:\tdrivers/gpu/drm/fixture/\n\n")
s = s.replace("DRM DRIVER FOR GENERIC EDP PANELS\n", entry + "DRM DRIVER FOR GENERIC EDP PANELS\n", 1)
open(p, "w").write(s)
EOF
	commit_fixture 1-alpha "drm/fixture: add a fixture driver"
	write_file drivers/gpu/drm/fixture/fixture_util.c <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The forseti authors */

#include "fixture.h"

/**
 * fixture_twice() - Double a value
 * @v: the value
 *
 * Return: @v times two.
 */
int fixture_twice(int v)
{
	return 2 * v;
}
EOF
	write_file drivers/gpu/drm/fixture/fixture.h <<'EOF'
/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The forseti authors */

#ifndef FIXTURE_H
#define FIXTURE_H

int fixture_twice(int v);

#endif
EOF
	sed -i 's/^fixture-y := fixture_main.o$/fixture-y := fixture_main.o fixture_util.o/' \
		"$KTREE/drivers/gpu/drm/fixture/Makefile"
	commit_fixture 1-alpha "drm/fixture: add a helper"
	git -C "$KTREE" branch -f "${BRANCH_PREFIX}beta" HEAD
	sed -i 's/^#include <linux\/module.h>$/&\n\n#include "fixture.h"/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
	sed -i 's/^\treturn 0;$/\treturn fixture_twice(0);/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
	commit_fixture 3-gamma "drm/fixture: use the helper at init"
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
}
