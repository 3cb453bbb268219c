#!/usr/bin/env bash
# Compares fleetlint with `ruff check --select S113 --no-cache` and `grep` on the same trees, in one run,
# as ratios: cold (empty cache), warm (nothing changed) and edit1 (one Python file changed since the last run)
# wall time, CPU time and peak RSS.
#
#   bench/run.sh [--runs N] [TREE ...]
#
# Without trees: synthetic monorepos at 1x, 4x and 16x (bench/gen_monorepo.py: 100, 400 and 1,600 services
# of 20 files), the 4x one with 96 % of its modules migrated (few findings), plus /tmp/nba when it exists (a large real monorepo: `../shared/tools/export_tree.py GIT_DIR
# HEAD /tmp/nba`) and /tmp/nba-x4, four copies of it side by side (made on first use). A tree that is a git work tree gets one more row, the cold run in git mode (`fleetlint-cold-git`,
# without --no-git). Installs ruff into bench/.venv from PyPI on first use; builds fleetlint as scripts/install.sh
# does (release, Swift runtime linked in statically) under .build/static.
# Medians of N rounds (default 5) after one untimed round (bench/lib.sh), each round running every tool once (round robin: a shared machine that drifts
# weighs on every tool alike), each timed run preceded by reading what it reads into the page cache (its tree, cache and
# binary: bench/lib.sh `warm`; the table says if a run still read from storage); peak RSS is the maximum over the runs. Writes its part of bench/results.md, keeping the
# sections of bench/instructions.sh and bench/staged.sh (bench/lib.sh `sections`), its part ending with each tool's peak per tree and its growth per 1,000 files from the smallest tree
# to the largest (flat memory: ~0).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
RUNS=5
if [ "${1:-}" = "--runs" ]; then RUNS=$2; shift 2; fi
TREES=("$@")
if [ ${#TREES[@]} -eq 0 ]; then
  for scale in 1 4 16; do
    t=/tmp/fleetlint-bench-${scale}x
    [ -d "$t" ] || python3 bench/gen_monorepo.py "$t" --services $((100 * scale)) --files-per-service 20 >/dev/null
    TREES+=("$t")
  done
  # The 4x tree with 96 % of its modules migrated (`--migrated 0.96`: ~0.15 findings per Python file instead of ~2.7):
  # the same code to read, a fifteenth of the findings.
  t=/tmp/fleetlint-bench-4x-m96
  [ -d "$t" ] || python3 bench/gen_monorepo.py "$t" --services 400 --files-per-service 20 --migrated 0.96 >/dev/null
  TREES+=("$t")
  if [ -d /tmp/nba ]; then
    TREES+=(/tmp/nba)
    # The real tree four times over (copy1/ ... copy4/): how memory grows on real code, whose files are mostly not
    # Python (nba: 5,100 Markdown files, 540 shell scripts), where the synthetic trees are nine tenths Python.
    if [ ! -d /tmp/nba-x4 ]; then
      for k in 1 2 3 4; do mkdir -p "/tmp/nba-x4/copy$k" && cp -a /tmp/nba/. "/tmp/nba-x4/copy$k/"; done
      rm -rf /tmp/nba-x4/copy*/.fleetlint-cache /tmp/nba-x4/copy*/.git
    fi
    TREES+=(/tmp/nba-x4)
  fi
fi
[ -x bench/.venv/bin/ruff ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install --quiet ruff; }
# The binary scripts/install.sh installs (Swift runtime linked in statically: 4 ms less start-up), built
# apart from the development build so neither rebuilds the other.
scripts/release-build.sh --build-path .build/static >/dev/null
FL=$PWD/.build/static/release/fleetlint
RUFF=$PWD/bench/.venv/bin/ruff
CACHE=/tmp/fleetlint-bench-cache
EDIT_TREE=/tmp/fleetlint-bench-edit1-tree EDIT_CACHE=/tmp/fleetlint-bench-edit1-cache

source bench/lib.sh

RESULTS=bench/results.md
# This script's part, written over the results' old one at the end (an interrupted run leaves them as they were).
OUT=$(mktemp)
MEMORY=$(mktemp)
trap 'rm -f "$MEMORY" "$OUT"' EXIT
{
  echo "# fleetlint benchmarks"
  echo
  echo "Median of $RUNS rounds after an untimed one (each tool once per round, in turn) on $(nproc) cores; ratios against \`ruff check --select S113 --no-cache\` on the same tree:"
  echo "of the medians, and the median of each round's own ratio (the tools of a round run seconds apart, so a slow or fast spell of a shared machine weighs on both sides of it)."
  echo "Before each timed run, what it reads (its tree, its cache, its binary) is read into the page cache, untimed: this machine reclaims cached pages it samples as cold."
  echo "fleetlint runs every default rule (\`check --no-git --format json\`); cold = empty cache, warm = nothing changed, edit1 = one Python file changed since the last run; warm-text = the warm run with the default text report (after an untimed text run, as a user's repeated \`fleetlint check\`)."
  echo
  # What was measured: the ratios move with either tool's version and with the machine.
  echo "Tools: fleetlint $("$FL" --version) ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git')$(git diff --quiet HEAD -- Sources Package.swift pgo 2>/dev/null || echo ', with uncommitted changes')), $("$RUFF" --version), $(grep --version | head -1)."
  echo "Machine: $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || uname -m)."
  echo
} > "$OUT"
for TREE in "${TREES[@]}"; do
  py=$(find "$TREE" -name '*.py' -not -path '*/.venv/*' | wc -l)
  files=$(find "$TREE" -type f -not -path '*/.fleetlint-cache/*' -not -path '*/.git/*' | wc -l)
  # One round runs each tool once (the cold run fills the cache the warm run after it reads).
  # edit1: one Python file changed since the last run (a commit's worth, as a CI job that keeps its cache sees it): a
  # comment line appended, another each round. It runs on a copy of the tree with a cache of its own: an edit in the
  # tree itself would be under 2 s old at the next round's cold run, which then leaves the file out of the stat table
  # (git's "racy" rule), and the warm run after it could not answer from the run memo.
  TOOL_NAMES=(fleetlint-cold fleetlint-warm fleetlint-warm-text fleetlint-edit1 fleetlint-no-cache ruff-S113 grep-clients)
  rm -rf "$EDIT_TREE" "$EDIT_CACHE"
  cp -a "$TREE" "$EDIT_TREE"
  rm -rf "$EDIT_TREE/.fleetlint-cache"
  # The first module that is not a package's `__init__.py` (awk reads every line: `head` would stop sort with SIGPIPE).
  edited=$(cd "$EDIT_TREE" && find . -name '*.py' -not -path '*/.venv/*' | LC_ALL=C sort | awk '!/\/__init__\.py$/ && !found { print; found = 1 }')
  cp -p "$EDIT_TREE/$edited" "$EDIT_TREE.original"
  # Commands are eval'd: every path in them is quoted for the shell.
  q_fl=$(printf %q "$FL") q_tree=$(printf %q "$TREE") q_cache=$(printf %q "$CACHE") q_ruff=$(printf %q "$RUFF")
  q_etree=$(printf %q "$EDIT_TREE") q_ecache=$(printf %q "$EDIT_CACHE") q_edited=$(printf %q "$EDIT_TREE/$edited")
  q_original=$(printf %q "$EDIT_TREE.original")
  # Before each timed run, what it reads goes into the page cache (`warm`, bench/lib.sh): no tool pays for disk reads.
  b_fl=$(binary_files "$FL") b_ruff=$(binary_files "$RUFF")
  w_fl="warm $b_fl $q_tree" w_cache="warm $b_fl $q_tree $q_cache" w_edit="warm $b_fl $q_etree $q_ecache"
  TOOL_PREPS=("rm -rf $q_cache && $w_fl" "$w_cache"
    "$w_cache && { $q_fl check $q_tree --no-git --cache-dir $q_cache >/dev/null; true; }"
    "cp $q_original $q_edited && echo \"# bench edit \$RANDOM\$RANDOM\" >> $q_edited && $w_edit"
    "$w_fl" "warm $b_ruff $q_tree" "warm $(binary_files "$(command -v grep)") $q_tree")
  TOOL_CMDS=(
    "$q_fl check $q_tree --no-git --cache-dir $q_cache --format json"
    "$q_fl check $q_tree --no-git --cache-dir $q_cache --format json"
    "$q_fl check $q_tree --no-git --cache-dir $q_cache"
    "$q_fl check $q_etree --no-git --cache-dir $q_ecache --format json"
    "$q_fl check $q_tree --no-git --no-cache --format json"
    "$q_ruff check --select S113 --no-cache --exit-zero $q_tree"
    "grep -rE --include='*.py' 'bigquery\\.Client\\(|requests\\.(get|post)\\(' $q_tree"
  )
  # A git work tree (e.g. a fresh clone, as in a CI job) also runs as git lists it: the files git tracks plus
  # untracked ones not ignored (`git ls-files`, where --no-git walks the tree itself).
  if git -C "$TREE" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    TOOL_NAMES+=(fleetlint-cold-git)
    TOOL_PREPS+=("rm -rf $q_cache && $w_fl")
    TOOL_CMDS+=("$q_fl check $q_tree --cache-dir $q_cache --format json")
  fi
  rows=$(measure_round_robin)
  rm -rf "$EDIT_TREE" "$EDIT_TREE.original" "$EDIT_CACHE"
  # Each tool's peak on this tree, for the memory-growth table at the end.
  echo "$rows" | awk -v OFS='\t' -v tree="$TREE" -v files="$files" '$1 != "rounds" && $1 != "reads" { print files, tree, $1, $4 }' >> "$MEMORY"
  table=$(echo "$rows" | awk -v tree="$TREE" -v files="$files" -v py="$py" '
    function median(a, k,   i, j, t) {  # of a[1..k], sorted in place
      for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    $1 == "rounds" { nr = NF - 2; for (k = 3; k <= NF; k++) r[$2, k - 2] = $k; next }
    $1 == "reads" { if ($3 > 0) disk = disk sprintf("%s%s %d of %d", (disk == "" ? "" : ", "), $2, $3, nr); next }
    { name[++n]=$1; w[n]=$2; c[n]=$3; m[n]=$4; if ($1=="ruff-S113") { rw=$2; rc=$3 } }
    END {
      printf "## %s (%d files, %d Python)\n\n", tree, files, py
      printf "| tool | wall s | CPU s | peak MiB | wall × ruff S113 | CPU × ruff S113 | wall × ruff, median of rounds | rounds, lowest-highest |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
      for (i=1; i<=n; i++) {
        k = 0
        for (j = 1; j <= nr; j++) if (r["ruff-S113", j] > 0) q[++k] = r[name[i], j] / r["ruff-S113", j]
        mq = k > 0 ? median(q, k) : 0  # sorts q[1..k]: its ends are the lowest and highest round
        printf "| %s | %.3f | %.3f | %.1f | %.2f | %.2f | %.2f | %s |\n", name[i], w[i], c[i], m[i]/1024, (rw>0? w[i]/rw : 0), (rc>0? c[i]/rc : 0), mq, (k > 0 ? sprintf("%.2f-%.2f", q[1], q[k]) : "")
      }
      printf "\nTimed runs that read from storage despite the page cache being filled before each: %s.\n\n", (disk == "" ? "none" : disk)
    }')
  echo "$table"
  echo "$table" >> "$OUT"
done
# Peak memory as the repository grows: each tool's peak per tree (fewest files first, tools in the order measured), and
# its growth per 1,000 files between the trees with the fewest and the most files (flat memory grows by ~0): a slope
# between two trees, meant for the synthetic ones (a real tree passed in among them may be smaller or larger than both);
# with /tmp/nba and /tmp/nba-x4 among the trees, a second slope between them (the same code, four times over).
# Rows are tab-separated: a tree's path may hold spaces.
growth=$(sort -t "$(printf '\t')" -s -k1,1n "$MEMORY" | awk -F '\t' -v real1=/tmp/nba -v real4=/tmp/nba-x4 '
  { if (!($2 in seen)) { seen[$2] = 1; tree[++nt] = $2; nf[nt] = $1 } ; peak[$2, $3] = $4 / 1024
    if (!($3 in known)) { known[$3] = 1; tool[++nk] = $3 } }
  END {
    if (nt < 2) exit
    printf "## Peak memory as the repository grows\n\n| tool |"
    for (t = 1; t <= nt; t++) printf " %s (%d files) |", tree[t], nf[t]
    printf " MiB per 1,000 more files |"
    real = 0
    for (t = 1; t <= nt; t++) { if (tree[t] == real1) r1 = t; if (tree[t] == real4) r4 = t }
    if (r1 && r4 && nf[r4] > nf[r1]) { real = 1; printf " MiB per 1,000 more files, %s to %s |", real1, real4 }
    printf "\n|---|"
    for (t = 1; t <= nt + 1 + real; t++) printf "---:|"
    printf "\n"
    for (k = 1; k <= nk; k++) {
      printf "| %s |", tool[k]
      for (t = 1; t <= nt; t++) { if ((tree[t], tool[k]) in peak) printf " %.1f |", peak[tree[t], tool[k]]; else printf " |" }
      if ((tree[1], tool[k]) in peak && (tree[nt], tool[k]) in peak && nf[nt] > nf[1])
      { g = (peak[tree[nt], tool[k]] - peak[tree[1], tool[k]]) * 1000 / (nf[nt] - nf[1]); printf " %.2f |", (g > -0.005 && g < 0.005) ? 0 : g }
      else printf " |"
      if (real && (tree[r1], tool[k]) in peak && (tree[r4], tool[k]) in peak)
      { g = (peak[tree[r4], tool[k]] - peak[tree[r1], tool[k]]) * 1000 / (nf[r4] - nf[r1]); printf " %.2f |", (g > -0.005 && g < 0.005) ? 0 : g }
      else if (real) printf " |"
      printf "\n"
    }
    printf "\n"
  }')
if [ -n "$growth" ]; then echo "$growth"; { echo "$growth"; echo; } >> "$OUT"; fi
# The other scripts' sections follow, as they were.
sections "$RESULTS" '^## (Instructions|check --staged)' >> "$OUT"
cat "$OUT" > "$RESULTS"
echo "(written to $RESULTS)"
