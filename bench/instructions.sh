#!/usr/bin/env bash
# Instructions, not seconds: a cold fleetlint check and `ruff check --select S113 --no-cache` on the same trees, each
# counted once under valgrind's callgrind (every thread's instructions, summed), and their ratio. The counts repeat to
# the instruction for the same binaries and trees whatever else the machine does, where bench/run.sh's wall ratios on a
# shared 2-core machine move by ±0.2–0.3 between runs: decide on these, report both. Instructions are not time (an
# atomic reference count costs many cycles and one instruction), so the wall ratio stays the target.
#
# One correction, in its own columns: valgrind's virtual CPU has no SHA instructions (SHA-NI), so under it BoringSSL
# hashes blob ids (SHA-1 of every file) and cache keys (SHA-256) with its AVX2 code, ~10 instructions a byte; a real run
# on this machine takes the SHA-NI path (`sha1_block_data_order_hw`: under 1 % of a cold run's perf samples). The
# table gives the count with and without those block functions (their self cost), and the ratio of each.
#
#   bench/instructions.sh [TREE ...]      (default: the 1x synthetic tree and /tmp/nba when it exists)
#
# Needs valgrind (Debian's `valgrind` package). About 50x slower than a plain run: ~40 s for the 1x tree, ~2 min for a
# tree of 9,000 files. Writes its table into bench/results.md, in place of the one it wrote before (bench/lib.sh
# `replace_sections`).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "bench/instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
TREES=("$@")
if [ ${#TREES[@]} -eq 0 ]; then
  t=/tmp/fleetlint-bench-1x
  [ -d "$t" ] || python3 bench/gen_monorepo.py "$t" --services 100 --files-per-service 20 >/dev/null
  TREES=("$t")
  [ -d /tmp/nba ] && TREES+=(/tmp/nba)
fi
[ -x bench/.venv/bin/ruff ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install --quiet ruff; }
scripts/release-build.sh --build-path .build/static >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Without its debug sections: valgrind reads them at start-up, which adds nothing to the count but minutes to the run.
cp .build/static/release/fleetlint "$WORK/fleetlint"
strip -g "$WORK/fleetlint" 2>/dev/null || true
RUFF=$PWD/bench/.venv/bin/ruff

# Instructions of one command (callgrind's total, every thread). The command's own exit code does not matter (findings
# exit 1); no total from valgrind does.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$WORK/out" "$@" >/dev/null 2>"$WORK/err" || true
  local n
  n=$(awk '/Collected :/ { print $NF }' "$WORK/err" | tail -1)
  [ -n "$n" ] || { echo "bench/instructions.sh: valgrind gave no count for: $*" >&2; tail -5 "$WORK/err" >&2; exit 1; }
  # The SHA block functions' own instructions (see the top): callgrind_annotate lists each function's self count.
  local sha
  sha=$(callgrind_annotate --threshold=100 "$WORK/out" 2>/dev/null \
    | awk '/sha(1|256)_block_data_order/ { gsub(",", "", $1); s += $1 } END { print s + 0 }')
  echo "$n $sha"
}

OUT=bench/results.md
{
  echo "## Instructions (callgrind, cold, one run each)"
  echo
  echo "fleetlint $("$WORK/fleetlint" --version) ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git')), $("$RUFF" --version)."
  echo
  echo "| tree | fleetlint cold, M instructions | of which SHA blocks (software under valgrind) | without them | ruff S113, M instructions | × ruff | × ruff without SHA blocks |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$WORK/table"
for TREE in "${TREES[@]}"; do
  rm -rf "$WORK/cache"
  # Assigned first: a failed count stops the script (set -e), which a process substitution would not.
  out=$(count "$WORK/fleetlint" check "$TREE" --no-git --cache-dir "$WORK/cache" --format json -o "$WORK/report.json")
  read -r fl sha <<< "$out"
  out=$(count "$RUFF" check --select S113 --no-cache --exit-zero "$TREE")
  read -r ruff ruffsha <<< "$out"
  awk -v t="$TREE" -v f="$fl" -v s="$sha" -v r="$ruff" -v rs="$ruffsha" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n", t, f / 1e6, s / 1e6, (f - s) / 1e6, r / 1e6,
      (r > 0 ? f / r : 0), (r - rs > 0 ? (f - s) / (r - rs) : 0) }' >> "$WORK/table"
done
echo >> "$WORK/table"
cat "$WORK/table"
source bench/lib.sh
replace_sections "$OUT" '^## Instructions' "$WORK/table"
echo "(written to $OUT)"
