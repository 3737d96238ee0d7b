# SPDX-License-Identifier: GPL-2.0-only
# forseti: the workbench of the patch series. `make help` lists the targets.

TOPIC ?=
BASE ?=
DRIVER ?= panthor

.PHONY: all help tree apply export check rebase test test-fresh selftest sim-test kunit bench-jobqueue \
	send reroll trailers adopt enroll bisect status

all: tree apply check

help:
	@echo 'make                  set up the tree, apply the series, check every patch'
	@echo 'make tree             tools + kernel-tree/ at the base recorded in BASE'
	@echo 'make apply            series/ -> one stacked branch per topic in kernel-tree/'
	@echo 'make export           topic branches -> series/ (git format-patch)'
	@echo 'make check [TOPIC=t]  per-patch builds, warnings, checkpatch; head checks'
	@echo 'make rebase BASE=v    move the stack onto Debian linux-source version v'
	@echo 'make test             everything CI runs; ends with "N passed, N failed"'
	@echo 'make test-fresh       make tree and the tool-dependent tests in a clean Debian 12 root (root)'
	@echo 'make selftest         the workbench scripts own tests only'
	@echo 'make send TOPIC=t [DRY_RUN=1] [OUT=dir] [VERIFY=1] [YES=1]  mail a topic with b4 send'
	@echo 'make send TOPIC=t RECORD=1  write sent/ for a version b4 sent when make send stopped before'
	@echo 'make reroll TOPIC=t   vN+1 (b4 started it at send): range-diff against vN, deps as now'
	@echo 'make trailers TOPIC=t [MBOX=thread.mbox]  review trailers in (b4 trailers -u), export'
	@echo 'make adopt ID="Name <address>"  series/ authored and signed off by a real poster'
	@echo 'make enroll [TOPIC=t]  the topic branches enrolled with b4 prep (make apply does it)'
	@echo 'make bisect GOOD=r BAD=r [TEST=cmd]  first bad patch and its topic'
	@echo 'make status UPSTREAM=tree|mbox [REF=b] [UPDATE=1]  what has merged'
	@echo 'make sim-test [DRIVER=panthor|forseti]  the uAPI tests on the simulated GPU (UML)'
	@echo 'make kunit [TREE=dir] the KUnit suites of the landed topics (UML)'
	@echo 'make bench-jobqueue [TREE=dir]  drm_jobqueue against drm_sched, figures'

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

test-fresh:
	@scripts/test-fresh.sh

selftest:
	@scripts/tests/run.sh

test:
	@scripts/test.sh

send:
	$(if $(filter-out 0 1 yes no,$(RECORD) $(DRY_RUN) $(VERIFY) $(YES)),$(error make send: RECORD, DRY_RUN, VERIFY and YES take 1 or yes, 0 or no, not "$(filter-out 0 1 yes no,$(RECORD) $(DRY_RUN) $(VERIFY) $(YES))"))
	@scripts/send.sh $(if $(filter 1 yes,$(RECORD)),--record) $(if $(filter 1 yes,$(DRY_RUN)),--dry-run) $(if $(OUT),--out "$(OUT)") $(if $(filter 1 yes,$(VERIFY)),--verify) $(if $(filter 1 yes,$(YES)),--yes) "$(TOPIC)"

reroll:
	@scripts/reroll.sh "$(TOPIC)"

trailers:
	@scripts/trailers.sh "$(TOPIC)" $(if $(MBOX),"$(MBOX)")

adopt:
	@scripts/adopt.sh "$(ID)"

enroll:
	@scripts/enroll.sh $(TOPIC)

# TEST is taken from the environment (make exports command-line
# variables), so the quotes inside it survive.
bisect:
	@scripts/bisect.sh "$(GOOD)" "$(BAD)" $${TEST:+"$$TEST"}

status:
	@scripts/status.sh $(if $(filter 1 yes,$(UPDATE)),--update-roadmap) "$(UPSTREAM)" $(if $(REF),"$(REF)")

sim-test:
	@scripts/sim-test.sh $(DRIVER)

kunit:
	@scripts/kunit.sh $(TREE)

bench-jobqueue:
	@scripts/bench-jobqueue.sh $(TREE)
