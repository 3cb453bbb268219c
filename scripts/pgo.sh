#!/usr/bin/env bash
# Records the execution profile that scripts/release-build.sh optimises the release binary with
# (pgo/fleetlint.profdata.gz), as CPython's `--enable-optimizations` and rustc's releases do:
#
#   1. builds an instrumented binary (LLVM's IR-level instrumentation, `-ir-profile-generate`) under .build/pgo-gen;
#   2. runs it on a training workload made here, from this repository only (scripts/training-workload.sh): synthetic
#      monorepos from bench/gen_monorepo.py (one as a git repository: staged files, history, adoption), cold and warm,
#      every report format, `deps`, and every fixture;
#   3. merges the counts (the toolchain's llvm-profdata, functions that never ran left out) into
#      pgo/fleetlint.profdata.gz;
#   4. records the linker's function order for the binary built with that profile (scripts/layout.sh; needs
#      valgrind, skipped with a warning without it).
#
#   scripts/pgo.sh        (~15 minutes on 2 cores; run it again after changing hot code, and commit both files)
#
# The benchmark trees and the large real monorepo are not part of the training: bench/ measures on them.
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
profdata_tool=$toolchain/llvm-profdata
[ -x "$profdata_tool" ] || { echo "pgo.sh: $profdata_tool is missing (the Swift toolchain's llvm-profdata)" >&2; exit 2; }
# The profile runtime that the instrumented code calls: the driver links it for `-profile-generate` only.
runtime=$(compgen -G "$toolchain/../lib/clang/*/lib/linux/libclang_rt.profile-$(uname -m).a" | head -1 || true)
[ -n "$runtime" ] || { echo "pgo.sh: the toolchain has no libclang_rt.profile-$(uname -m).a" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
raw=$work/raw
build=$PWD/.build/pgo-gen
# Stale objects of another build would not be instrumented (SwiftPM does not rebuild when only flags change).
rm -rf "$build"
swift build -c release --static-swift-stdlib --build-path "$build" --product fleetlint \
  -Xswiftc -Xfrontend -Xswiftc "-ir-profile-generate=$raw" \
  -Xlinker "$runtime" -Xlinker -u__llvm_profile_runtime >&2
fl=$(swift build -c release --static-swift-stdlib --build-path "$build" --show-bin-path)/fleetlint
export LLVM_PROFILE_FILE="$raw/fleetlint-%p.profraw"

run() { "$fl" "$@" >/dev/null 2>&1 || [ $? -eq 1 ]; }   # findings exit 1

. scripts/training-workload.sh
training_workload "$work" 40

mkdir -p pgo
"$profdata_tool" merge --sparse -o "$work/fleetlint.profdata" "$raw"/*.profraw
gzip -9 -n -c "$work/fleetlint.profdata" > pgo/fleetlint.profdata.gz
echo "pgo.sh: wrote pgo/fleetlint.profdata.gz ($(wc -c < pgo/fleetlint.profdata.gz) bytes, from $(ls "$raw" | wc -l) runs)"

if command -v valgrind >/dev/null; then
  scripts/layout.sh
else
  echo "pgo.sh: valgrind is missing: pgo/fleetlint.order.gz was not recorded again (scripts/layout.sh)" >&2
fi
