#!/usr/bin/env bash
# Builds the release binary (Swift runtime linked in statically) under BUILD_PATH (default .build/static) and prints
# the binary's path. The one build that scripts/install.sh installs and bench/ measures.
#
#   scripts/release-build.sh [--build-path DIR] [--no-pgo]
#
# Profile-guided: when pgo/fleetlint.profdata.gz exists and this toolchain's llvm-profdata reads it, the Swift code is
# compiled with that profile (LLVM's IR-level PGO: hot paths laid out together, branch weights, inlining by measured
# call counts). scripts/pgo.sh records the profile; a profile older than the code only loses the functions that changed
# since (their control-flow hash no longer matches and LLVM ignores their counts). Without the file, or with --no-pgo,
# or when the toolchain cannot read it, it is a plain release build.
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
build_path=.build/static
pgo=1
while [ $# -gt 0 ]; do
  case $1 in
    --build-path) build_path=${2:?--build-path needs a directory}; shift 2 ;;
    --no-pgo) pgo=0; shift ;;
    *) echo "release-build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case $build_path in /*) ;; *) build_path="$PWD/$build_path" ;; esac

flags=()
profile_id=none
if [ "$pgo" = 1 ] && [ -f pgo/fleetlint.profdata.gz ]; then
  toolchain=$(dirname "$(readlink -f "$(command -v swift)")")
  profdata_tool=$toolchain/llvm-profdata
  mkdir -p "$build_path"
  profile=$build_path/fleetlint.profdata
  gzip -dc pgo/fleetlint.profdata.gz > "$profile.tmp"
  # Debian's own llvm-profdata (an older LLVM) is often first on PATH: the toolchain's is the one that matches swiftc.
  if [ -x "$profdata_tool" ] && "$profdata_tool" show "$profile.tmp" >/dev/null 2>&1; then
    mv "$profile.tmp" "$profile"
    profile_id=$(sha256sum "$profile" | cut -c1-16)
    # A profile recorded before the code changed: LLVM would warn once per changed function.
    flags=(-Xswiftc -Xfrontend -Xswiftc "-ir-profile-use=$profile" -Xswiftc -Xllvm -Xswiftc -no-pgo-warn-mismatch)
  else
    rm -f "$profile.tmp"
    echo "release-build.sh: this toolchain cannot read pgo/fleetlint.profdata.gz; building without the profile" >&2
  fi
fi

# SwiftPM does not recompile when only these flags change: a different profile (or none) than the last build's
# deletes the Swift objects of this build path (C objects are kept), so that no object of another profile is linked
# in. Only the objects: the build's plan (output file maps, module directories) stays, and a missing output makes
# the build run that module's compile job again. Only under this build path's own products directory: another
# build path may lie inside this one (.build/static inside .build).
stamp=$build_path/pgo-profile-id
if [ "$(cat "$stamp" 2>/dev/null || echo unknown)" != "$profile_id" ]; then
  products=$(swift build -c release --static-swift-stdlib --build-path "$build_path" --show-bin-path)
  [ -d "$products" ] && find "$products" -mindepth 2 -maxdepth 3 -path '*.build/*' -name '*.swift.o' -delete
fi
mkdir -p "$build_path"
echo "$profile_id" > "$stamp"

swift build -c release --static-swift-stdlib --build-path "$build_path" --product fleetlint ${flags[@]+"${flags[@]}"} >&2
echo "$(swift build -c release --static-swift-stdlib --build-path "$build_path" --show-bin-path)/fleetlint"
