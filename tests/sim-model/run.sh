#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# usage: tests/sim-model/run.sh
# Builds the simulator's MMU model (sim/sim_mmu.c, unchanged) as a host
# program against a small header shim and runs its checks: seconds, no
# kernel build. Prints the failing checks, then PASS or FAIL, then
# "N passed, N failed" (make test runs it as the suite sim-model).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -std=gnu11 -O1 -g -Wall -Wno-unused-function -Werror -I"$here/include" \
	-o "$out/mmu_test" "$here/mmu_test.c" || { echo "FAIL: sim-model does not build"; echo "0 passed, 1 failed"; exit 1; }
"$out/mmu_test"
