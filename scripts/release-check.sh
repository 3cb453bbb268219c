#!/usr/bin/env bash
# Checks the release binary against the debug one: every fixture's JSON report must be byte-identical from both, cold
# and then warm from the cache (a run answered by the run memo, and one answered by the pack after an edit).
#
#   scripts/release-check.sh [--build-path DIR]
#
# Why: the test suite runs the debug build, and the optimiser can change what code does. Stop 55 found results written
# from `concurrentPerform` through an array literal's buffer lost in release builds only (docs/ARCHITECTURE.md, "Tried
# and not kept"); every test passed. `.ci/run` runs this after the tests.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
build_path=.build/static
if [ "${1:-}" = "--build-path" ]; then build_path=${2:?--build-path needs a directory}; fi

swift build >/dev/null
debug=$PWD/.build/debug/fleetlint
release=$(scripts/release-build.sh --build-path "$build_path" | tail -1)
[ -x "$release" ] || { echo "release-check: no release binary at $release" >&2; exit 2; }

work=$(mktemp -d /tmp/fleetlint-release-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
report() {  # report BINARY TREE CACHE OUT: the JSON report (exit 0 or 1 are both reports)
  local status=0
  "$1" check --no-git --format json --cache-dir "$3" "$2" -o "$4" 2>"$4.err" || status=$?
  if [ "$status" -gt 1 ]; then echo "release-check: $1 exited $status on $2: $(cat "$4.err")" >&2; failed=1; fi
}
same() {  # same A B WHAT
  if ! cmp -s "$1" "$2"; then echo "release-check: $3 differs between the debug and the release binary" >&2; failed=1; fi
}
checked=0
for fixture in fixtures/*/; do
  name=$(basename "$fixture")
  tree=$work/$name
  cp -R "$fixture" "$tree"
  rm -rf "$tree/.fleetlint-cache"
  report "$debug" "$tree" "$work/$name.debug-cache" "$work/$name.debug.json"
  report "$release" "$tree" "$work/$name.release-cache" "$work/$name.release.json"
  same "$work/$name.debug.json" "$work/$name.release.json" "$name (cold)"
  # Warm: answered by the run memo; then, after an edit, by the pack (and its delta).
  report "$release" "$tree" "$work/$name.release-cache" "$work/$name.warm.json"
  same "$work/$name.release.json" "$work/$name.warm.json" "$name (warm, release against its own cold run)"
  python=$(cd "$tree" && find . -name '*.py' | sort | head -1)
  if [ -n "$python" ]; then
    printf '\n# edited by release-check\n' >> "$tree/$python"
    report "$debug" "$tree" "$work/$name.debug-cache" "$work/$name.debug-edit.json"
    report "$release" "$tree" "$work/$name.release-cache" "$work/$name.release-edit.json"
    same "$work/$name.debug-edit.json" "$work/$name.release-edit.json" "$name (after an edit, from the cache)"
  fi
  checked=$((checked + 1))
done
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "release-check: $checked fixtures, cold, warm and after an edit: the release binary's reports equal the debug binary's"
