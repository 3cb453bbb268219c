#!/usr/bin/env bash
# The pre-commit case: `check --staged` with 1 and with 20 staged Python files on a large real repository,
# warm cache, against the full check of the same checkout in the same run (wall, CPU, peak RSS; medians), each run
# preceded by reading what it reads into the page cache (bench/lib.sh `warm`).
#
#   bench/staged.sh [--runs N] [GIT_REPOSITORY]
#
# GIT_REPOSITORY defaults to /tmp/nba-wt (a clone of najicham/nba-stats-scraper). It is never modified:
# the script clones it (`--shared`) into a temporary directory, edits and stages files there.
# Writes its table into bench/results.md, in place of the one it wrote before (bench/lib.sh `replace_sections`).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
BENCH=$PWD/bench
RUNS=5
if [ "${1:-}" = "--runs" ]; then RUNS=$2; shift 2; fi
SOURCE=${1:-/tmp/nba-wt}
# The binary scripts/install.sh installs (Swift runtime linked in statically: 4 ms less start-up), built
# apart from the development build so neither rebuilds the other.
scripts/release-build.sh --build-path .build/static >/dev/null
FL=$PWD/.build/static/release/fleetlint
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo 'no git')
WORK=$(mktemp -d /tmp/fleetlint-staged-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# A checkout that cannot write some files (a partial clone missing their blobs) is still usable.
git clone --quiet --shared "$SOURCE" "$WORK/repo" 2>/dev/null || true
cd "$WORK/repo"
git reset --quiet

source "$BENCH/lib.sh"
export WARMUP=1
EDITED=$WORK/edited
: > "$EDITED"
stage() {  # stage an edit (text $2) of the first $1 tracked Python files (sorted paths)
  git reset --quiet
  if [ -s "$EDITED" ]; then xargs -a "$EDITED" -d '\n' git checkout --quiet HEAD --; fi
  git ls-files '*.py' | sort | head -n "$1" > "$EDITED"
  while read -r f; do printf '\n# staged edit %s\n' "$2" >> "$f"; git add -- "$f"; done < "$EDITED"
}

# "seen": the staged blobs were analysed by an earlier run (a second commit attempt, an editor run);
# "new": every run stages contents no run has seen (only the rest of the repository is cached).
rows=$(
  # A cold full run fills the cache. Files written in the same second as a run are not trusted by their
  # stat (racy, as in git), so the clone first ages past that window: "warm" is then the steady state.
  sleep 2
  "$FL" check . >/dev/null 2>&1 || true
  # Before each run, what it reads goes into the page cache (bench/lib.sh `warm`): the work tree with its cache, the
  # objects of the repository it borrows them from, the binary and its libraries.
  W="warm $(binary_files "$FL") $(printf %q "$WORK/repo") $(printf %q "$(git -C "$SOURCE" rev-parse --absolute-git-dir 2>/dev/null || echo "$SOURCE/.git")/objects")"
  measure "full check (warm)" "$W" "$FL" check .
  for n in 1 20; do
    measure "check --staged, $n file(s), seen" "stage $n seen; $W" "$FL" check --staged
    measure "check --staged, $n file(s), new" 'stage '$n' "new $RANDOM$RANDOM"; '"$W" "$FL" check --staged
  done
)
table=$(echo "$rows" | awk -F' ' -v src="$SOURCE" -v tool="fleetlint $("$FL" --version) ($COMMIT)" '
  { n=NF; name=$1; for (i=2; i<=n-3; i++) name=name" "$i; w[NR]=$(n-2); c[NR]=$(n-1); m[NR]=$n; names[NR]=name; if (NR==1) fw=$(n-2) }
  END {
    printf "## check --staged on %s (warm cache)\n\n%s.\n\n", src, tool
    printf "| run | wall s | CPU s | peak MiB | wall × full check |\n|---|---:|---:|---:|---:|\n"
    for (i=1; i<=NR; i++) printf "| %s | %.3f | %.3f | %.1f | %.2f |\n", names[i], w[i], c[i], m[i]/1024, (fw>0? w[i]/fw : 0)
    printf "\n"
  }')
echo "$table"
cd - >/dev/null
# With a blank line after it: $(...) drops the one the table ends with.
{ echo "$table"; echo; } > "$WORK/table"
replace_sections bench/results.md '^## check --staged' "$WORK/table"
