#!/usr/bin/env bash
# Records the order in which scripts/release-build.sh has the linker lay out the release binary's functions
# (pgo/fleetlint.order.gz, for lld's --symbol-ordering-file): every function the binary runs, the most run first, so
# that the code a run touches is a few MiB side by side instead of scattered over the 22 MB of machine code (the
# Swift runtime, Foundation, the libraries). The kernel maps a binary's pages as they are touched, 64 KiB around each
# touch, and every mapped page counts in the resident memory.
#
#   1. builds the release binary (scripts/release-build.sh, with the current profile and order);
#   2. runs it under valgrind's callgrind, which counts every function that runs, on scripts/pgo.sh's training workload
#      (scripts/training-workload.sh, with trees half the size: callgrind runs ~50x slower);
#   3. writes the functions of the binary by their own instruction count (scripts/layout-order.py).
#
#   scripts/layout.sh     (~5 minutes on 2 cores; scripts/pgo.sh runs it after recording a profile; commit the file)
#
# An order older than the code loses only the functions renamed or added since: the linker places them after the
# ordered ones (--no-warn-symbol-ordering keeps it quiet about names it does not find).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "layout.sh: valgrind is missing (Debian: apt-get install valgrind)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
built=$(scripts/release-build.sh)
# callgrind reads the symbol table; the DWARF of this toolchain is newer than Debian's valgrind reads.
mkdir -p "$work/bin"
cp "$built" "$work/bin/fleetlint"
strip -g "$work/bin/fleetlint"
fl=$work/bin/fleetlint
n=0
run() {   # findings exit 1
  n=$((n + 1))
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/run-$n.out" "$fl" "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
}

. scripts/training-workload.sh
training_workload "$work" 20

mkdir -p pgo
python3 scripts/layout-order.py fleetlint "$work"/run-*.out | gzip -9 -n > pgo/fleetlint.order.gz
echo "layout.sh: wrote pgo/fleetlint.order.gz ($(gzip -dc pgo/fleetlint.order.gz | wc -l) functions, from $n runs)"
