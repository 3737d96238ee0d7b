#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: scripts/export.sh
# Write every topic branch of kernel-tree/ back into series/<N-topic>/ with
# git format-patch. Exporting an unchanged tree changes no file.
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/export.sh (it takes no arguments)"
need_ktree
need_clean_ktree

# Check the whole stack before writing anything.
for t in $(topics); do
	branch=$(topic_branch "$t")
	kgit rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
		die "topic $t: no branch '$branch' in $KTREE: run 'make apply' first"
	parent=$(parent_of_topic "$t")
	kgit merge-base --is-ancestor "$parent" "refs/heads/$branch" ||
		die "topic $t: branch '$branch' is not stacked on ${parent#refs/*/}: rebase it onto its parent first"
done

tmp=$(mktemp -d "$BUILD/export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for t in $(topics); do
	branch=$(topic_branch "$t")
	parent=$(parent_of_topic "$t")
	mkdir -p "$tmp/$t"
	format_patch -q -o "$tmp/$t" "$parent..refs/heads/$branch" >/dev/null
	rm -f "$SERIES/$t"/*.patch
	n=0
	for p in "$tmp/$t"/*.patch; do
		[ -e "$p" ] || break
		mv "$p" "$SERIES/$t/"
		n=$((n + 1))
	done
	info "$t: $n patch(es)"
done
