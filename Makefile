# SPDX-License-Identifier: GPL-2.0-only
# forseti: the workbench of the patch series. `make help` lists the targets.

TOPIC ?=
BASE ?=
DRIVER ?= panthor

.PHONY: all help tree apply export check rebase test selftest sim-test kunit bench-jobqueue

all: tree apply check

help:
	@echo 'make                  set up the tree, apply the series, check every patch'
	@echo 'make tree             tools + kernel-tree/ at the base recorded in BASE'
	@echo 'make apply            series/ -> one stacked branch per topic in kernel-tree/'
	@echo 'make export           topic branches -> series/ (git format-patch)'
	@echo 'make check [TOPIC=t]  per-patch builds, warnings, checkpatch; head checks'
	@echo 'make rebase BASE=v    move the stack onto Debian linux-source version v'
	@echo 'make test             everything CI runs; ends with "N passed, N failed"'
	@echo 'make selftest         the workbench scripts own tests only'

tree:
	@scripts/tree.sh

apply:
	@scripts/apply.sh

export:
	@scripts/export.sh

check:
	@scripts/check.sh $(TOPIC)

rebase:
	@scripts/rebase.sh "$(BASE)"

selftest:
	@scripts/tests/run.sh

test:
	@scripts/test.sh
