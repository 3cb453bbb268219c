#!/usr/bin/env bash
# Records the order in which scripts/release-build.sh has the linker lay out the release binary's functions
# (pgo/fleetlint.order.gz, for lld's --symbol-ordering-file): every function the binary runs, the most run first, so
# that the code a run touches is a few MiB side by side instead of scattered over the 22 MB of machine code (the
# Swift runtime, Foundation, the libraries). The kernel maps a binary's pages as they are touched, 64 KiB around each
# touch, and every mapped page counts in the resident memory.
#
#   1. builds the release binary (scripts/release-build.sh, with the current profile and order);
#   2. runs it under valgrind's callgrind, which counts every function that runs, on the same training workload as
#      scripts/pgo.sh: synthetic monorepos from bench/gen_monorepo.py (one as a git repository: staged files, history,
#      adoption), cold, warm and without cache, every report format, `deps`, and every fixture;
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

python3 bench/gen_monorepo.py "$work/mono" --services 20 --files-per-service 20 >/dev/null
python3 bench/gen_monorepo.py "$work/migrated" --services 10 --files-per-service 20 --migrated 0.96 >/dev/null
for tree in "$work/mono" "$work/migrated"; do
  run check "$tree" --no-git --cache-dir "$work/cache" --format json -o "$work/report.json"   # cold
  run check "$tree" --no-git --cache-dir "$work/cache" --format json -o "$work/report.json"   # warm
  run check "$tree" --no-git --no-cache
done
for format in text sarif junit gitlab github markdown; do
  run check "$work/mono" --no-git --cache-dir "$work/cache" --format "$format" -o "$work/report.$format"
done
run deps "$work/mono" --no-git
# A git repository: the working tree as git lists it (cold and warm), staged files, history, adoption.
cp -r "$work/migrated" "$work/repo"
git -C "$work/repo" init -q
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=layout -c user.email=layout@example.invalid commit -qm training
run check "$work/repo" --cache-dir "$work/cache-git"
run check "$work/repo" --cache-dir "$work/cache-git"
printf 'import requests\n' >> "$(find "$work/repo" -name '*.py' | sort | head -1)"
git -C "$work/repo" add -A
run check "$work/repo" --staged --cache-dir "$work/cache-git"
run check "$work/repo" --history --no-cache
run adoption "$work/repo"
for fixture in fixtures/*/; do
  run check "$fixture" --no-git --no-cache
done

mkdir -p pgo
python3 scripts/layout-order.py fleetlint "$work"/run-*.out | gzip -9 -n > pgo/fleetlint.order.gz
echo "layout.sh: wrote pgo/fleetlint.order.gz ($(gzip -dc pgo/fleetlint.order.gz | wc -l) functions, from $n runs)"
