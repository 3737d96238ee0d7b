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
	# a worktree of another repository (the real tree's, left by an older
	# version of the posting tests) is not ours: make it again
	if ! git -C "$KTREE" rev-parse --git-dir >/dev/null 2>&1 ||
		[ "$(cd "$KTREE" && realpath "$(git rev-parse --git-common-dir)")" != \
			"$(cd "$REAL_KTREE" && realpath "$(git rev-parse --git-common-dir)")" ]; then
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

# mini_kernel_tree DIR KERNEL-TREE: a kernel-like git repository of a few
# files in DIR, its one commit tagged $BASE_TAG like the real base, for the
# posting tests (b4 and the scripts need a kernel tree's shape, not its 1.8
# GiB: a worktree of the real tree cost a checkout per test, b4's
# check-deps another, and get_maintainer.pl read the whole MAINTAINERS for
# each patch). It holds what the fixture series edits
# (drivers/gpu/drm/{Kconfig,Makefile}, MAINTAINERS), the files that
# get_maintainer.pl takes for the top of a kernel tree, the real
# scripts/get_maintainer.pl of KERNEL-TREE's base, a short MAINTAINERS in
# its real format, and a Makefile that stands in for Kbuild where
# scripts/lib.sh's small_build calls it (allnoconfig, modules_prepare, a
# folder or an object compiled with gcc, -Werror): the mails-build and
# bisect tests compile the fixture driver's files, not a kernel. Made once
# per DIR and base; the real Kbuild path is make check's. A DIR that a
# killed run left half-deleted or half-copied (snap_load is rm then cp)
# is made again: every object of the base must still read.
mini_kernel_tree() {
	local dir=$1 real=$2 f
	if git -C "$dir" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1 &&
		[ "$(cat "$dir/.git/forseti-mini" 2>/dev/null)" = "$MINI_TREE_VERSION" ] &&
		git -C "$dir" archive "refs/tags/$BASE_TAG" >/dev/null 2>&1; then
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir/scripts" "$dir/include/linux" "$dir/drivers/gpu/drm"
	git -C "$real" show "refs/tags/$BASE_TAG:scripts/get_maintainer.pl" >"$dir/scripts/get_maintainer.pl" ||
		{ echo "mini_kernel_tree: no scripts/get_maintainer.pl at $BASE_TAG in $real" >&2; return 1; }
	chmod +x "$dir/scripts/get_maintainer.pl"
	for f in COPYING CREDITS Kbuild README; do
		printf 'The posting tests'"'"' miniature kernel tree (scripts/tests/fixture-lib.sh).\n' >"$dir/$f"
	done
	for f in Documentation arch init ipc kernel lib fs; do
		mkdir -p "$dir/$f"
		printf 'a folder get_maintainer.pl looks for\n' >"$dir/$f/README"
	done
	cat >"$dir/Makefile" <<'MK'
# SPDX-License-Identifier: GPL-2.0-only
# A stand-in for Kbuild in the posting tests' miniature kernel tree: what
# scripts/lib.sh's small_build asks of it, with the C compiler only.
# "allnoconfig" writes O/.config from KCONFIG_ALLCONFIG, "modules_prepare"
# does nothing, "dir/" compiles every object its Makefile names that has a
# .c beside it, "dir/file.o" that one file; into O=, warnings are errors.
O ?= .
CC := $(if $(filter default undefined,$(origin CC)),gcc,$(CC))
KFLAGS := -Wall -Werror -Iinclude -D__KERNEL__
MAKEFLAGS += -rR
.SUFFIXES:
.PHONY: FORCE allnoconfig modules_prepare
Makefile: ;
allnoconfig:
	@mkdir -p $(O) && cat $(KCONFIG_ALLCONFIG) >$(O)/.config
modules_prepare:
	@:
%.o: FORCE
	@mkdir -p $(dir $(O)/$@)
	@echo "  CC      $@"
	@$(CC) $(KFLAGS) -c -o $(O)/$@ $*.c
%/: FORCE
	@set -e; mkdir -p $(O)/$@; \
	for o in $$(grep -o '[A-Za-z0-9_-]*\.o' $@Makefile | sort -u); do \
		[ -f $@$${o%.o}.c ] || continue; \
		echo "  CC      $@$$o"; \
		$(CC) $(KFLAGS) -c -o $(O)/$@$$o $@$${o%.o}.c; \
	done
FORCE:
MK
	cat >"$dir/include/linux/module.h" <<'H'
/* SPDX-License-Identifier: GPL-2.0-only */
/* The posting tests' miniature kernel tree: just what the fixture uses. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#define __init
#define __exit
#define module_init(fn) int init_module(void) { return fn(); }
#define module_exit(fn) void cleanup_module(void) { fn(); }
#define MODULE_DESCRIPTION(s) extern int __fixture_modinfo
#define MODULE_LICENSE(s) extern int __fixture_modinfo
#endif
H
	cat >"$dir/drivers/gpu/drm/Kconfig" <<'K'
# SPDX-License-Identifier: GPL-2.0-only
menuconfig DRM
	tristate "Direct Rendering Manager"

source "drivers/gpu/drm/panthor/Kconfig"
K
	cat >"$dir/drivers/gpu/drm/Makefile" <<'K'
# SPDX-License-Identifier: GPL-2.0-only
obj-$(CONFIG_DRM_PANTHOR) += panthor/
K
	cat >"$dir/MAINTAINERS" <<'M'
List of maintainers
===================

The posting tests' miniature kernel tree: a few sections in the real
format, for scripts/get_maintainer.pl. Every address is example.org or
.invalid: the tests' b4 sends must reach nobody.

Maintainers List
----------------

DRM DRIVER FOR ARM MALI CSF-BASED GPUS
M:	Panthor Maintainer <panthor@example.org>
L:	dri-devel@lists.fixture.invalid
S:	Supported
F:	drivers/gpu/drm/panthor/

DRM DRIVER FOR GENERIC EDP PANELS
M:	Panel Maintainer <panel@example.org>
L:	dri-devel@lists.fixture.invalid
S:	Maintained
F:	drivers/gpu/drm/panel/panel-edp.c

DRM DRIVERS
M:	Drm Maintainer <drm@example.org>
L:	dri-devel@lists.fixture.invalid
S:	Maintained
F:	drivers/gpu/
F:	include/drm/

THE REST
M:	Rest Maintainer <rest@example.org>
L:	linux-kernel@lists.fixture.invalid
S:	Buried alive in reporters
F:	*
F:	*/
M
	git -C "$dir" init -q
	git -C "$dir" add -A
	GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
		git -C "$dir" -c user.name='Forseti Workbench' -c user.email=workbench@forseti.invalid \
		commit -q -m "miniature kernel tree at $BASE_TAG for the posting tests"
	git -C "$dir" tag "$BASE_TAG"
	git -C "$dir" config gc.auto 0
	git -C "$dir" config user.name 'Forseti Workbench'
	git -C "$dir" config user.email workbench@forseti.invalid
	printf '%s\n' "$MINI_TREE_VERSION" >"$dir/.git/forseti-mini"
}
# bumped when mini_kernel_tree changes what it makes
MINI_TREE_VERSION=2
