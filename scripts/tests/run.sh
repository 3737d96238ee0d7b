#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/tests/run.sh [TEST...]
# The workbench's own tests, on fixture series made here (never series/):
# apply/export round trip, a patch that does not apply, dirty trees, unknown
# topics, per-patch checks that must catch a checkpatch error, a build
# break, a new W=1 warning, code no Makefile builds, a missing Kconfig
# dependency and a Coccinelle finding (at the right head), all planted in
# one fixture series that one check run goes through; a missing sparse, a
# missing tool, the disk check, and tree/rebase on a tiny fake base
# package. Needs 'make tree' (and uses the prepared check builds).
# Prints one line per test and ends with "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixture-lib.sh"

S=$TOP/scripts
FIX=$BUILD/selftest
load_base
need_ktree
REAL_KTREE=$KTREE
mkdir -p "$FIX"

passed=0
failed=0
declare -a FAILED_NAMES

# --- fixture environment ------------------------------------------------------
# A worktree of kernel-tree/ for the fixture topics (branches fixture/*), a
# fixture series folder that is its own git repository, and a ci/ copy whose
# driver symbol is the fixture driver's.
fixture_env() {
	export KTREE=$FIX/tree SERIES=$FIX/proj/series CI_DIR=$FIX/proj/ci
	export BRANCH_PREFIX=fixture/ REPORT=$FIX/report.txt
	# no cover letters: make apply enrolls no fixture topic with b4 prep
	export COVERS=$FIX/proj/cover-letters
	export HEAD_CHECKS="kdoc" ARM64_AT=every-patch
}

# reset_fixture [git-only]: the fixture environment, its tree at the base;
# "git-only" for tests of git work only (apply, export, the checks'
# argument and tool errors), on a tree that holds only the base's files
# that the fixture series changes (git_only_base): on a worktree of the
# whole kernel, 70,000 files, each reset and checkout costs seconds.
reset_fixture() {
	fixture_env
	if [ "${1:-}" = git-only ]; then
		git_only_base || die "could not make the base tree $FIX/git-base"
		export KTREE=$FIX/git-tree
		# (fixture_tree_reset makes KTREE a worktree of REAL_KTREE)
		local REAL_KTREE=$FIX/git-base
		fixture_tree_reset
	else
		fixture_tree_reset
	fi
	echo 'module:' >"$CI_DIR/kconfig/matrix.config"
}

# git_only_base: $FIX/git-base, a repository whose first commit, tagged as
# the base, holds the base's files that the fixture series and the tests
# edit (and the kernel's .gitattributes, which shape format-patch's hunk
# headers). Like kernel-tree/, it also holds what the workbench must leave
# alone: branches without the fixture's prefix and a newer base tag on a
# later commit. Made once per run of this script (the base may have moved
# since).
rm -rf "$FIX/git-base" "$FIX/git-tree"
git_only_base() {
	local t=$FIX/git-base f
	git -C "$t" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1 && return 0
	rm -rf "$t"
	git init -q "$t" || return 1
	# the identity git am commits with: kernel-tree/'s (make tree gives it
	# one when the machine has none, as on a fresh one)
	git -C "$t" config user.name "$(git -C "$REAL_KTREE" config user.name)" &&
		git -C "$t" config user.email "$(git -C "$REAL_KTREE" config user.email)" || {
		echo "git_only_base: $REAL_KTREE has no user.name or user.email: run 'make tree'" >&2
		return 1
	}
	for f in .gitattributes drivers/gpu/drm/Kconfig drivers/gpu/drm/Makefile MAINTAINERS; do
		mkdir -p "$t/$(dirname "$f")"
		git -C "$REAL_KTREE" show "refs/tags/$BASE_TAG:$f" >"$t/$f" || {
			echo "git_only_base: $f is not in $REAL_KTREE at $BASE_TAG" >&2
			return 1
		}
	done
	git -C "$t" add -A &&
		git -C "$t" -c user.name=t -c user.email=t@t commit -q -m "the base's files the fixture edits" &&
		git -C "$t" tag "$BASE_TAG" &&
		git -C "$t" branch alpha && git -C "$t" branch gamma &&
		echo '# a later base' >>"$t/MAINTAINERS" &&
		git -C "$t" -c user.name=t -c user.email=t@t commit -q -a -m "a later base" &&
		git -C "$t" tag "$BASE_TAG.1" &&
		git -C "$t" checkout -q --detach "refs/tags/$BASE_TAG"
}


# The clean fixture series (scripts/tests/fixture-lib.sh), exported into
# the fixture project, which is its own git repository; [git-only]: on the
# base tree of git work only (reset_fixture).
make_clean_series() {
	reset_fixture "$@"
	fixture_commits
	"$S/export.sh" >/dev/null
	(cd "$FIX/proj" && git init -q && git add -A &&
		git -c user.name=t -c user.email=t@t commit -q -m fixture)
}

# cell ROW COL: the value of a cell of the last check's table.
cell() {
	awk -F'\t' -v r="$1" -v c="$2" '$1 == r && $2 == c { print $3 }' "$REPORT.tsv"
}

# --- the tests ------------------------------------------------------------------
t_apply_export_roundtrip() {
	make_clean_series git-only
	"$S/apply.sh" >"$FIX/out" 2>&1 || return 1
	[ "$(git -C "$KTREE" rev-list --count "refs/tags/$BASE_TAG..fixture/alpha")" = 2 ] || return 1
	[ "$(git -C "$KTREE" rev-parse fixture/beta)" = "$(git -C "$KTREE" rev-parse fixture/alpha)" ] || return 1
	[ "$(git -C "$KTREE" rev-list --count "fixture/beta..fixture/gamma")" = 1 ] || return 1
	"$S/export.sh" >"$FIX/out" 2>&1 || return 1
	[ -z "$(git -C "$FIX/proj" status --porcelain)" ] || return 1
	# and again, from branches made by a second apply
	"$S/apply.sh" >"$FIX/out" 2>&1 && "$S/export.sh" >"$FIX/out" 2>&1 || return 1
	[ -z "$(git -C "$FIX/proj" status --porcelain)" ]
}

t_apply_names_patch_that_does_not_apply() {
	make_clean_series git-only
	# a gamma patch whose context is not in the tree
	sed -i 's/^ #include <linux\/module.h>$/ #include <linux\/modulex.h>/' "$SERIES"/3-gamma/0001-*.patch
	if "$S/apply.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "topic 3-gamma: patch 0001-drm-fixture-use-the-helper-at-init.patch does not apply" "$FIX/out" || return 1
	git -C "$KTREE" am --abort && [ -z "$(git -C "$KTREE" status --porcelain)" ]
}

t_apply_rejects_corrupt_patch() {
	make_clean_series git-only
	printf 'this is not a patch\n' >"$SERIES/2-beta/0001-garbage.patch"
	if "$S/apply.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "topic 2-beta: patch 0001-garbage.patch does not apply" "$FIX/out" || return 1
	# git am may not even have started on a file that is no patch
	git -C "$KTREE" am --abort >/dev/null 2>&1 || true
	[ -z "$(git -C "$KTREE" status --porcelain)" ]
}

t_apply_export_refuse_dirty_tree() {
	make_clean_series git-only
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	echo '/* uncommitted */' >>"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
	if "$S/apply.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "uncommitted changes" "$FIX/out" || return 1
	if "$S/export.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "uncommitted changes" "$FIX/out" || return 1
	# the work is still there
	grep -q 'uncommitted' "$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
}

t_apply_keeps_unexported_commits() {
	make_clean_series git-only
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	git -C "$KTREE" checkout -q fixture/gamma
	echo '# more' >>"$KTREE/drivers/gpu/drm/fixture/Makefile"
	git -C "$KTREE" commit -q -a -m "not exported"
	local lost
	lost=$(git -C "$KTREE" rev-parse HEAD)
	"$S/apply.sh" >"$FIX/out" 2>&1 || return 1
	grep -q "kept as refs/forseti-backup/" "$FIX/out" || return 1
	git -C "$KTREE" for-each-ref --format='%(objectname)' refs/forseti-backup/ | grep -q "$lost"
}

t_unknown_topic() {
	make_clean_series git-only
	if "$S/check.sh" nosuch >"$FIX/out" 2>&1; then return 1; fi
	grep -q "unknown topic 'nosuch'" "$FIX/out"
}

t_check_clean_series_passes() {
	make_clean_series
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	"$S/check.sh" >"$FIX/out" 2>&1 || { cat "$FIX/out" >&2; return 1; }
	# (make check's default: arm64 at every patch, as x86_64)
	[ "$(cell alpha-01 x86_64)" = pass ] && [ "$(cell alpha-01 arm64)" = pass ] &&
		grep -q '^folders built: .*drivers/gpu/drm/fixture/' "$BUILD/check-logs/alpha-01-arm64.log" &&
		[ "$(cell alpha-02 checkpatch)" = pass ] && [ "$(cell gamma-01 built)" = pass ] &&
		[ "$(cell alpha-head kdoc)" = pass ]
}

# --- the per-patch and head checks, on planted defects -------------------------
# One check run stands for all of them: after its clean patch, topic gamma
# carries one planted defect per patch, in this order, and a last patch
# that mends the build so that the head's checks see a kernel that builds:
#   gamma-02 trailing whitespace (checkpatch)
#   gamma-03 a function without a prototype, in a file of its own that
#            nothing later recompiles (a new W=1 warning: on x86_64 here,
#            on arm64 at gamma's last patch, where make test builds it)
#   gamma-04 documentation only: no build runs, and the warning before it
#            is not its own (pass)
#   gamma-05 a C file that no Makefile builds
#   gamma-06 a NULL test before kfree() (Coccinelle, at gamma's head only)
#   gamma-07 a regulator registered without depending on REGULATOR (builds
#            here; at the head, the matrix's joined no-regulator and
#            no-pm-devfreq lanes fail, its built-in lane does not)
#   gamma-08 a syntax error (the x86_64 build)
#   gamma-09 documentation only: no build runs, and the tree still does
#            not build (the break's failure, carried)
#   gamma-10 the syntax error mended
#   gamma-11 a select of io-pgtable without IOMMU_SUPPORT, which it
#            depends on (ci/kconfig enables IOMMU_SUPPORT from the start:
#            Kconfig without it must say the dependency is unmet)
#   gamma-12 that select dropped again
#   gamma-13 documentation only, the topic's last patch: make test's
#            arm64 build of the topic runs here, reconfigured (Kconfig
#            changed before it), with the folders the topic touched, and
#            finds gamma-03's warning
# The first test that needs the run makes it (once per run of this
# script) and keeps its table and logs in $DEFECTS; each test then checks
# that its defect is reported at its patch, and not at the patches around
# it. A check run costs builds (its first patch reconfigures and relinks):
# one for all the defects, not one each.
DEFECTS=$FIX/defects
rm -rf "$DEFECTS"

edit_checkpatch_error() {
	sed -i 's/^\treturn fixture_twice(0);$/\treturn fixture_twice(0);   /' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
}

edit_w1_warning() {
	write_file drivers/gpu/drm/fixture/fixture_w1.c <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The forseti authors */

/**
 * fixture_thrice() - Triple a value
 * @v: the value
 *
 * Return: @v times three.
 */
int fixture_thrice(int v)
{
	return 3 * v;
}
EOF
	sed -i 's/^fixture-y := .*$/& fixture_w1.o/' "$KTREE/drivers/gpu/drm/fixture/Makefile"
}

edit_not_built() {
	write_file drivers/gpu/drm/fixture/fixture_orphan.c <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The forseti authors */

#include "fixture.h"

/**
 * fixture_orphan() - Nothing builds this
 *
 * Return: zero.
 */
int fixture_orphan(void)
{
	return 0;
}
EOF
}

# ifnullfree.cocci reports a NULL test before kfree().
edit_cocci_finding() {
	sed -i 's/^#include "fixture.h"$/#include <linux\/slab.h>\n\n&/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_util.c"
	cat >>"$KTREE/drivers/gpu/drm/fixture/fixture_util.c" <<'EOF'

/**
 * fixture_release() - Free a buffer
 * @p: the buffer, or NULL
 */
void fixture_release(void *p)
{
	if (p)
		kfree(p);
}
EOF
	sed -i 's/^int fixture_twice(int v);$/&\nvoid fixture_release(void *p);/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture.h"
}

# A regulator provider's registration has no stub without REGULATOR: the
# module links in the per-patch build (REGULATOR=y) and fails modpost in a
# lane without it. (REGULATOR is chosen because few files of the check
# kernel depend on it: the lane is a copy of the prepared build that
# recompiles only those, not a kernel build of its own.) The edit also
# takes away gamma-02's trailing whitespace.
edit_missing_kconfig_dep() {
	sed -i 's/^#include <linux\/module.h>$/#include <linux\/regulator\/driver.h>\n&/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
	sed -i 's/^\treturn fixture_twice(0); *$/\treturn PTR_ERR_OR_ZERO(devm_regulator_register(NULL, NULL, NULL)) + fixture_twice(0);/' \
		"$KTREE/drivers/gpu/drm/fixture/fixture_main.c"
}

edit_build_break() {
	sed -i 's/^\treturn 2 \* v;$/\treturn 2 * v +;/' "$KTREE/drivers/gpu/drm/fixture/fixture_util.c"
}

# (each call adds a paragraph to a file of the base: nothing else changes)
edit_docs_only() {
	printf '\nThe fixture driver'"'"'s helper doubles its argument.\n' \
		>>"$KTREE/Documentation/gpu/todo.rst"
}

edit_build_mend() {
	sed -i 's/^\treturn 2 \* v +;$/\treturn 2 * v;/' "$KTREE/drivers/gpu/drm/fixture/fixture_util.c"
}

edit_select_without_dependency() {
	sed -i 's/^\tdepends on DRM$/&\n\tselect IOMMU_IO_PGTABLE_LPAE/' "$KTREE/drivers/gpu/drm/fixture/Kconfig"
}

edit_select_dropped() {
	sed -i '/^\tselect IOMMU_IO_PGTABLE_LPAE$/d' "$KTREE/drivers/gpu/drm/fixture/Kconfig"
}

# defects_run: make the defects' check run, once; fails if it could not
# be made, or if the check passed the series.
defects_run() {
	if [ -f "$DEFECTS/status" ]; then
		[ "$(cat "$DEFECTS/status")" = made ]
		return
	fi
	mkdir -p "$DEFECTS"
	echo "not made: see $DEFECTS/setup.log" >"$DEFECTS/status"
	make_clean_series
	"$S/apply.sh" >"$DEFECTS/setup.log" 2>&1 || return 1
	git -C "$KTREE" checkout -q --detach "fixture/gamma"
	local e
	for e in "checkpatch_error:add trailing whitespace" \
		"w1_warning:add a function without a prototype" \
		"docs_only:document the helper" \
		"not_built:add a file no Makefile builds" \
		"cocci_finding:free a buffer after testing it for NULL" \
		"missing_kconfig_dep:register a regulator without depending on REGULATOR" \
		"build_break:break the build" \
		"docs_only:document the helper's limits" \
		"build_mend:mend the build" \
		"select_without_dependency:select io-pgtable without IOMMU_SUPPORT" \
		"select_dropped:drop the io-pgtable select" \
		"docs_only:document where the helper is used"; do
		# (called under ||, so set -e is off here: a planting that
		# failed would shift every later defect to the wrong patch)
		"edit_${e%%:*}" || return 1
		commit_fixture 3-gamma "drm/fixture: ${e#*:}" || return 1
	done
	[ "$(git -C "$KTREE" rev-list --count fixture/beta..fixture/gamma)" -eq 13 ] || {
		echo "fixture/gamma does not have its 13 patches: see $DEFECTS/setup.log" >"$DEFECTS/status"
		return 1
	}
	git -C "$KTREE" checkout -q --detach "refs/tags/$BASE_TAG"
	"$S/export.sh" >>"$DEFECTS/setup.log" 2>&1 || return 1
	# two lanes that only turn symbols off (joined in make test) and one
	# that does not (built on its own, as make check builds every lane)
	printf '%s\n' 'fixture-builtin: @builtin' 'no-regulator: CONFIG_REGULATOR=n' \
		'no-pm-devfreq: CONFIG_PM_DEVFREQ=n' >>"$CI_DIR/kconfig/matrix.config"
	"$S/apply.sh" >>"$DEFECTS/setup.log" 2>&1 || return 1
	# as make test runs it: every head check, the matrix at the series'
	# head (gamma) only, its lanes joined, arm64 at each topic's last
	# patch (the clean series' test checks arm64 at every patch)
	# (Coccinelle with the script of the planted finding and two that
	# find nothing here: the 75 scripts' starts cost minutes, and the
	# test is about the head the finding is reported at)
	if MATRIX_AT=series-head MATRIX_JOIN=1 ARM64_AT=topic-head HEAD_CHECKS="kdoc cocci matrix" \
		COCCI_SCRIPTS="ifnullfree.cocci kfree.cocci noderef.cocci" \
		"$S/check.sh" >"$DEFECTS/out" 2>&1; then
		echo "check passed a series with planted defects: see $DEFECTS/out" >"$DEFECTS/status"
		return 1
	fi
	cp "$REPORT.tsv" "$DEFECTS/report.tsv" || return 1
	cp -r "$BUILD/check-logs" "$DEFECTS/logs" || return 1
	echo made >"$DEFECTS/status"
}

# dcell ROW COL: a cell of the defects' check run.
dcell() {
	awk -F'\t' -v r="$1" -v c="$2" '$1 == r && $2 == c { print $3 }' "$DEFECTS/report.tsv"
}

t_check_catches_checkpatch_error() {
	defects_run || return 1
	[[ "$(dcell gamma-02 checkpatch)" == FAIL* ]] && [ "$(dcell gamma-01 checkpatch)" = pass ] &&
		[ "$(dcell gamma-02 x86_64)" = pass ] &&
		grep -q 'trailing whitespace' "$DEFECTS/logs/gamma-02-checkpatch.log"
}

t_check_catches_new_w1_warning() {
	defects_run || return 1
	[[ "$(dcell gamma-03 x86_64)" == FAIL*new* ]] &&
		grep -q 'fixture_w1.c: warning: no previous prototype for .fixture_thrice' \
			"$DEFECTS/logs/gamma-03-x86_64.new" &&
		[ "$(dcell gamma-03 checkpatch)" = pass ] && [ "$(dcell gamma-03 built)" = pass ] &&
		# nothing recompiles that file later: the warning is counted once
		[ "$(dcell gamma-05 x86_64)" = pass ] && [ "$(dcell gamma-07 x86_64)" = pass ]
}

# make test builds arm64 at each topic's last patch only (ARM64_AT), with
# every folder the topic touched: what an earlier patch of the topic
# brought is compiled there, and its warning found there, even when that
# last patch is documentation only (gamma-13); the Kconfig changes of the
# patches before it are configured there.
t_check_builds_arm64_at_each_topic_head() {
	defects_run || return 1
	[ "$(dcell alpha-01 arm64)" = "(at topic head)" ] && [ "$(dcell alpha-02 arm64)" = pass ] &&
		grep -q '^folders built: .*drivers/gpu/drm/fixture/' "$DEFECTS/logs/alpha-02-arm64.log" &&
		[ "$(dcell gamma-03 arm64)" = "(at topic head)" ] &&
		[ "$(dcell gamma-12 arm64)" = "(at topic head)" ] &&
		[[ "$(dcell gamma-13 arm64)" == FAIL*new* ]] &&
		grep -q 'fixture_w1.c: warning: no previous prototype for .fixture_thrice' \
			"$DEFECTS/logs/gamma-13-arm64.new" &&
		grep -q '^folders built: .*drivers/gpu/drm/fixture/' "$DEFECTS/logs/gamma-13-arm64.log" &&
		grep -q '^configured afresh' "$DEFECTS/logs/gamma-13-arm64.log" &&
		# (x86_64 reads no file gamma-13 changes: gamma-12's build)
		[ "$(dcell gamma-13 x86_64)" = pass ] &&
		grep -q "its result is gamma-12's" "$DEFECTS/logs/gamma-13-x86_64.log"
}

t_check_reports_code_not_built() {
	defects_run || return 1
	[ "$(dcell gamma-05 built)" = "FAIL(not built)" ] &&
		grep -q fixture_orphan.c "$DEFECTS/logs/gamma-05-built.log" &&
		[ "$(dcell gamma-03 built)" = pass ] && [ "$(dcell gamma-06 built)" = pass ]
}

t_check_cocci_names_the_head() {
	defects_run || return 1
	# one Coccinelle run over every head's files; the finding is gamma's
	[ "$(dcell alpha-head cocci)" = pass ] && [[ "$(dcell gamma-head cocci)" == FAIL* ]] &&
		grep -q '^drivers/gpu/drm/fixture/fixture_util.c:.*NULL check before' \
			"$DEFECTS/logs/gamma-head-cocci.log" &&
		! grep -q 'fixture_util.c' "$DEFECTS/logs/alpha-head-cocci.log"
}

t_check_matrix_catches_missing_kconfig_dependency() {
	defects_run || return 1
	[ "$(dcell alpha-head matrix)" = "(at fixture/gamma)" ] &&
		[ "$(dcell gamma-07 x86_64)" = pass ] && [[ "$(dcell gamma-head matrix)" == FAIL* ]] &&
		# the lane built on its own, then the two joined, which fail
		grep -q ' fixture-builtin:ok ' "$DEFECTS/logs/gamma-head-matrix.log" &&
		grep -q ' (no-regulator,no-pm-devfreq):FAIL(joined)' "$DEFECTS/logs/gamma-head-matrix.log" &&
		grep -q 'devm_regulator_register.*undefined' \
			"$DEFECTS/logs/gamma-head-matrix-joined-no-regulator+no-pm-devfreq.log"
}

t_check_reuses_build_for_documentation_only_patch() {
	defects_run || return 1
	# no build ran for gamma-04: gamma-03's, whose new warning is not its
	[ "$(dcell gamma-04 x86_64)" = pass ] &&
		grep -q "its result is gamma-03's" "$DEFECTS/logs/gamma-04-x86_64.log" &&
		# nor for gamma-09, and the tree it checks still does not build
		[ "$(dcell gamma-09 x86_64)" = "FAIL(build)" ] &&
		grep -q "its result is gamma-08's" "$DEFECTS/logs/gamma-09-x86_64.log" &&
		[ "$(dcell gamma-09 checkpatch)" = pass ]
}

t_check_catches_build_break() {
	defects_run || return 1
	[ "$(dcell gamma-08 x86_64)" = "FAIL(build)" ] &&
		grep -q 'fixture_util.c:.*error' "$DEFECTS/logs/gamma-08-x86_64.log" &&
		[ "$(dcell gamma-07 x86_64)" = pass ] &&
		# the next patch that builds (gamma-09 is documentation only)
		# passes: the break is gamma-08's alone
		[ "$(dcell gamma-10 x86_64)" = pass ]
}

t_check_catches_select_without_its_dependency() {
	defects_run || return 1
	[ "$(dcell gamma-11 x86_64)" = "FAIL(kconfig)" ] &&
		grep -q 'unmet direct dependencies detected for IOMMU_IO_PGTABLE_LPAE' \
			"$DEFECTS/logs/gamma-11-x86_64.log" &&
		# the patches before and after it configure cleanly
		[ "$(dcell gamma-10 x86_64)" = pass ] && [ "$(dcell gamma-12 x86_64)" = pass ]
}

t_check_fails_without_working_sparse() {
	make_clean_series
	"$S/apply.sh" >/dev/null 2>&1 || return 1
	mkdir -p "$FIX/oldsparse/bin"
	# like Debian 12's sparse 0.6.4 on 7.3's __typeof_unqual__
	printf '#!/bin/sh\necho "$1:2:9: error: undefined identifier __typeof_unqual__" >&2\n' \
		>"$FIX/oldsparse/bin/sparse"
	chmod +x "$FIX/oldsparse/bin/sparse"
	# a file that changes so the patch's objects are rebuilt and checked
	touch "$BUILD/check-src/drivers/gpu/drm/fixture/fixture_util.c" 2>/dev/null || true
	if TOOLS=$FIX/oldsparse "$S/check.sh" alpha >"$FIX/out" 2>&1; then return 1; fi
	[ "$(cell alpha-01 x86_64)" = "FAIL(no sparse)" ]
}

t_missing_tool_is_named() {
	make_clean_series git-only
	rm -rf "$FIX/nospatch"
	mkdir -p "$FIX/nospatch"
	# a PATH of every program but spatch (/usr/bin's where both have one),
	# linked by a few ln: one process per program took most of a minute
	local d
	for d in /usr/local/bin /usr/bin; do
		[ -d "$d" ] || continue
		find "$d" -maxdepth 1 ! -type d ! -name spatch -print0 |
			xargs -0 -r ln -sf -t "$FIX/nospatch" || return 1
	done
	if [ -e "$FIX/nospatch/spatch" ] || [ ! -e "$FIX/nospatch/git" ]; then
		echo "$FIX/nospatch: spatch is there, or git is not: the test's PATH is not what it needs" >&2
		return 1
	fi
	if PATH=$FIX/nospatch "$S/check.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "missing tool 'spatch' (Debian package 'coccinelle')" "$FIX/out"
}

t_test_stops_when_disk_is_short() {
	rm -rf "$FIX/disk"
	mkdir -p "$FIX/disk"
	# (fixture paths: were the check gone, test.sh would stop at once on
	# a missing base record instead of setting up the real kernel-tree/)
	if BUILD=$FIX/disk KTREE=$FIX/disk-tree BASE_FILE=$FIX/disk-BASE SERIES=$FIX/disk-series \
		TEST_DISK_NEED_MIB=999999999 "$S/test.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "make test needs about 999999999 MiB free on the file system of $FIX/disk" "$FIX/out" &&
		[ "$(tail -n 1 "$FIX/out")" = "0 passed, 1 failed" ] &&
		[ -z "$(ls -A "$FIX/disk")" ]
}

# --- tree and rebase, on a tiny fake base package --------------------------------
# mkdeb VERSION CONTENT: a linux-source-like .deb whose tarball holds a
# three-file "tree" with CONTENT in its file.c.
mkdeb() {
	local ver=$1 content=$2 d=$FIX/deb-$1
	rm -rf "$d"
	mkdir -p "$d/src/linux-source-0.1" "$d/pkg/DEBIAN" "$d/pkg/usr/src"
	printf 'VERSION = 0\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$d/src/linux-source-0.1/Makefile"
	printf '%s\n' "$content" >"$d/src/linux-source-0.1/file.c"
	printf '/*\n!/debian/\n' >"$d/src/linux-source-0.1/.gitignore"
	tar -C "$d/src" -cJf "$d/pkg/usr/src/linux-source-0.1.tar.xz" linux-source-0.1
	printf 'Package: linux-source-0.1\nVersion: %s\nArchitecture: all\nMaintainer: t <t@t>\nDescription: fixture\n' \
		"$ver" >"$d/pkg/DEBIAN/control"
	dpkg-deb -Zxz --build "$d/pkg" "$d/fixture.deb" >/dev/null
	printf '%s\n' "$d/fixture.deb"
}

tiny_env() {
	export KTREE=$FIX/tiny/tree SERIES=$FIX/tiny/series BASE_FILE=$FIX/tiny/BASE
	export BRANCH_PREFIX="" CI_DIR=$FIX/tiny/ci COVERS=$FIX/tiny/cover-letters
	rm -rf "$FIX/tiny"
	mkdir -p "$FIX/tiny/series/1-one" "$FIX/tiny/series/2-two"
	DEB1=$(mkdeb 0.1-1 "$(printf 'int a = 1;\nint b;\nint c;\nint d;\nint e = 1;')")
	local sha
	sha=$(dpkg-deb --fsys-tarfile "$DEB1" | tar -xO ./usr/src/linux-source-0.1.tar.xz | sha256sum | cut -d' ' -f1)
	cat >"$BASE_FILE" <<EOF
BASE_PACKAGE=linux-source-0.1
BASE_VERSION=0.1-1
BASE_SUITE=trixie-backports
BASE_TARBALL=usr/src/linux-source-0.1.tar.xz
BASE_SHA256=$sha
EOF
}

t_tree_imports_base_and_second_run_does_nothing() {
	tiny_env
	FORSETI_DEB=$DEB1 "$S/tree.sh" >"$FIX/out" 2>&1 || return 1
	git -C "$KTREE" rev-parse -q --verify refs/tags/base/0.1-1 >/dev/null || return 1
	# git sees the files despite Debian's "/*" ignore rule
	[ "$(git -C "$KTREE" ls-files | sort | tr '\n' ' ')" = ".gitignore Makefile file.c " ] || return 1
	FORSETI_DEB=$DEB1 "$S/tree.sh" >"$FIX/out" 2>&1 || return 1
	grep -q "nothing to do" "$FIX/out"
}

t_tree_rejects_wrong_sha256() {
	tiny_env
	sed -i 's/^BASE_SHA256=.*/BASE_SHA256=0000/' "$BASE_FILE"
	if FORSETI_DEB=$DEB1 "$S/tree.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "has sha256 .*, $BASE_FILE records 0000" "$FIX/out" && [ ! -d "$KTREE/.git" ]
}

t_tree_says_what_to_bump_when_version_left_archive() {
	tiny_env
	sed -i -e 's/^BASE_PACKAGE=.*/BASE_PACKAGE=linux-source-7.3/' \
		-e 's/^BASE_VERSION=.*/BASE_VERSION=7.3.0-0~gone1/' "$BASE_FILE"
	if DOWNLOADS=$FIX/tiny/dl "$S/tree.sh" >"$FIX/out" 2>&1; then return 1; fi
	grep -q "linux-source-7.3=7.3.0-0~gone1 has left trixie-backports .*bump BASE_VERSION" "$FIX/out"
}

# tiny_series: topic one changes file.c's first line, topic two adds a file.
tiny_series() {
	FORSETI_DEB=$DEB1 "$S/tree.sh" >/dev/null 2>&1 || return 1
	git -C "$KTREE" checkout -q --detach base/0.1-1
	sed -i "s/^int a = 1;$/int a = 2;/" "$KTREE/file.c"
	git -C "$KTREE" commit -q -a -s -m "file: set a to 2"
	git -C "$KTREE" branch -f one HEAD
	echo 'int b;' >"$KTREE/other.c"
	git -C "$KTREE" add other.c
	git -C "$KTREE" commit -q -s -m "other: add b"
	git -C "$KTREE" branch -f two HEAD
	git -C "$KTREE" checkout -q --detach base/0.1-1
	"$S/export.sh" >/dev/null && "$S/apply.sh" >/dev/null 2>&1
}

t_rebase_clean_bump() {
	tiny_env
	tiny_series || return 1
	local deb2
	deb2=$(mkdeb 0.1-2 "$(printf 'int a = 1;\nint b;\nint c;\nint d;\nint e = 5;')")
	FORSETI_DEB=$deb2 NO_CHECK=1 "$S/rebase.sh" 0.1-2 >"$FIX/out" 2>&1 || return 1
	grep -q '^BASE_VERSION=0.1-2$' "$BASE_FILE" || return 1
	git -C "$KTREE" merge-base --is-ancestor base/0.1-2 two || return 1
	[ "$(git -C "$KTREE" show two:file.c)" = "$(printf 'int a = 2;\nint b;\nint c;\nint d;\nint e = 5;')" ] || return 1
	grep -q 'int a = 2' "$SERIES"/1-one/0001-*.patch
}

t_rebase_conflict_names_topic_and_patch() {
	tiny_env
	tiny_series || return 1
	local deb2
	deb2=$(mkdeb 0.1-2 "$(printf 'int a = 3;\nint b;\nint c;\nint d;\nint e = 1;')")
	if FORSETI_DEB=$deb2 NO_CHECK=1 "$S/rebase.sh" 0.1-2 >"$FIX/out" 2>&1; then return 1; fi
	grep -q 'topic 1-one: patch "file: set a to 2" conflicts on base/0.1-2' "$FIX/out" || return 1
	grep -q '^BASE_VERSION=0.1-1$' "$BASE_FILE" || return 1
	git -C "$KTREE" rebase --abort && [ "$(git -C "$KTREE" show one:file.c | head -n 1)" = 'int a = 2;' ]
}

t_rebase_rejects_bad_version() {
	tiny_env
	tiny_series || return 1
	if NO_CHECK=1 "$S/rebase.sh" "not a version" >"$FIX/out" 2>&1; then return 1; fi
	grep -q 'is not a Debian version' "$FIX/out"
}

# --- runner -----------------------------------------------------------------------
ALL=$(declare -F | awk '{print $3}' | grep '^t_')
[ $# -eq 0 ] || ALL="$*"
for t in $ALL; do
	name=${t#t_}
	start=$(date +%s)
	if (set +e; [ -z "${TRACE:-}" ] || set -x; "$t") >"$FIX/$name.log" 2>&1; then
		printf 'PASS %s (%d s)\n' "$name" $(($(date +%s) - start))
		passed=$((passed + 1))
	else
		printf 'FAIL %s (%d s): see %s and %s\n' "$name" $(($(date +%s) - start)) "$FIX/$name.log" "$FIX/out"
		failed=$((failed + 1))
	fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
