#!/usr/bin/env bash
# Builds the release binary (Swift runtime linked in statically) under BUILD_PATH (default .build/static) and prints
# the binary's path. The one build that scripts/install.sh installs and bench/ measures.
#
#   scripts/release-build.sh [--build-path DIR] [--no-pgo] [--no-layout]
#
# Profile-guided: when pgo/fleetlint.profdata.gz exists and this toolchain's llvm-profdata reads it, the Swift code is
# compiled with that profile (LLVM's IR-level PGO: hot paths laid out together, branch weights, inlining by measured
# call counts). scripts/pgo.sh records the profile; a profile older than the code only loses the functions that changed
# since (their control-flow hash no longer matches and LLVM ignores their counts). Without the file, or with --no-pgo,
# or when the toolchain cannot read it, it is a plain release build.
#
# Laid out: with the toolchain's lld and pgo/fleetlint.order.gz (scripts/layout.sh records it), every Swift and C
# function of the package and its dependencies is compiled into a section of its own (swiftc does that only for public
# ones by default) and the linker places the functions a run executes first, in that file's order. The kernel maps a
# binary's pages as they are touched, 64 KiB around each touch, and counts them as resident: a check of the 16x tree
# touched ~15 MiB of the 22 MB of machine code, now ~9 MiB (the Swift runtime's and Foundation's prebuilt objects keep
# each file's functions in one section, placed as one). Without lld or the file, or with --no-layout, it links as
# SwiftPM does (gold).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
build_path=.build/static
pgo=1
layout=1
while [ $# -gt 0 ]; do
  case $1 in
    --build-path) build_path=${2:?--build-path needs a directory}; shift 2 ;;
    --no-pgo) pgo=0; shift ;;
    --no-layout) layout=0; shift ;;
    *) echo "release-build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case $build_path in /*) ;; *) build_path="$PWD/$build_path" ;; esac

flags=()
profile_id=none
toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
mkdir -p "$build_path"
if [ "$pgo" = 1 ] && [ -f pgo/fleetlint.profdata.gz ]; then
  profdata_tool=$toolchain/llvm-profdata
  profile=$build_path/fleetlint.profdata
  gzip -dc pgo/fleetlint.profdata.gz > "$profile.tmp"
  # Debian's own llvm-profdata (an older LLVM) is often first on PATH: the toolchain's is the one that matches swiftc.
  if [ -x "$profdata_tool" ] && "$profdata_tool" show "$profile.tmp" >/dev/null 2>&1; then
    mv "$profile.tmp" "$profile"
    profile_id=$(sha256sum "$profile" | cut -c1-16)
    # A profile recorded before the code changed: LLVM would warn once per changed function.
    flags+=(-Xswiftc -Xfrontend -Xswiftc "-ir-profile-use=$profile" -Xswiftc -Xllvm -Xswiftc -no-pgo-warn-mismatch)
  else
    rm -f "$profile.tmp"
    echo "release-build.sh: this toolchain cannot read pgo/fleetlint.profdata.gz; building without the profile" >&2
  fi
fi
order_id=none
sections=off
if [ "$layout" = 1 ] && [ -f pgo/fleetlint.order.gz ]; then
  if [ -x "$toolchain/ld.lld" ]; then
    order=$build_path/fleetlint.order
    gzip -dc pgo/fleetlint.order.gz > "$order"
    # `-function-sections` goes to the frontend: SwiftPM's own parsing of swiftc's flags rejects it. The C code
    # (BoringSSL in swift-crypto: one source file holds most of it) too: a section holding one function that runs
    # and fifty that do not would pull them all in among the ordered ones.
    flags+=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xswiftc -use-ld=lld
      -Xlinker "--symbol-ordering-file=$order" -Xlinker --no-warn-symbol-ordering)
    sections=on
    order_id=$({ cat "$order"; printf '%s\n' "${flags[@]}"; } | sha256sum | cut -c1-16)
  else
    echo "release-build.sh: the toolchain has no ld.lld; linking without pgo/fleetlint.order.gz" >&2
  fi
fi

# SwiftPM does not recompile when only these flags change: a different profile (or none) than the last build's
# deletes the Swift objects of this build path (C objects are kept), so that no object of another profile is linked
# in; function sections on where the last build had them off (or the reverse) deletes the C objects too. Only the
# objects: the build's plan (output file maps, module directories) stays, and a missing output makes the build run
# that module's compile job again. Only under this build path's own products directory: another build path may lie
# inside this one (.build/static inside .build).
products=$(swift build -c release --static-swift-stdlib --build-path "$build_path" --show-bin-path)
stamp=$build_path/pgo-profile-id
sections_stamp=$build_path/function-sections
if [ "$(cat "$sections_stamp" 2>/dev/null || echo unknown)" != "$sections" ]; then
  [ -d "$products" ] && find "$products" -mindepth 2 -maxdepth 6 -path '*.build/*' -name '*.o' -delete
elif [ "$(cat "$stamp" 2>/dev/null || echo unknown)" != "$profile_id" ]; then
  [ -d "$products" ] && find "$products" -mindepth 2 -maxdepth 3 -path '*.build/*' -name '*.swift.o' -delete
fi
echo "$profile_id" > "$stamp"
echo "$sections" > "$sections_stamp"
# Nor does it link again when only the order file's contents (or the link's flags) change.
order_stamp=$build_path/layout-order-id
if [ "$(cat "$order_stamp" 2>/dev/null || echo unknown)" != "$order_id" ]; then
  rm -f "$products/fleetlint"
fi
echo "$order_id" > "$order_stamp"

swift build -c release --static-swift-stdlib --build-path "$build_path" --product fleetlint ${flags[@]+"${flags[@]}"} >&2

# How current the recorded profile and order are: the share of pgo/fleetlint.order.gz's functions this binary still
# defines (scripts/pgo.sh records both from one workload). Renamed or removed functions lose their place and their
# profile; a changed body keeps its name, so this only bounds how stale they are from one side.
if [ "$order_id" != none ] && command -v nm >/dev/null; then
  total=$(sort -u "$order" | wc -l)
  found=$(comm -12 <(nm --defined-only --format=just-symbols "$products/fleetlint" 2>/dev/null | sort -u) <(sort -u "$order") | wc -l)
  if [ "$total" -gt 0 ]; then
    share=$((100 * found / total))
    echo "release-build.sh: $found of $total functions of pgo/fleetlint.order.gz are in this build ($share %)" >&2
    if [ "$share" -lt 90 ]; then
      echo "release-build.sh: the profile and the function order are out of date; scripts/pgo.sh records new ones" >&2
    fi
  fi
fi
echo "$products/fleetlint"
