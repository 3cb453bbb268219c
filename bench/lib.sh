# Shared by the bench scripts (sourced): timing of one run and medians over $RUNS runs.
# Needs RUNS set by the caller.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

one() {  # command... → "wall cpu peak_kib read_blocks" of one run (bench/timeit.py: microsecond wall clock, rusage)
  python3 "$BENCH_DIR/timeit.py" "$@" || echo "0 0 0 0"
}

# A binary and the shared libraries it loads (ldd), quoted for `eval`: what `warm` reads for a tool.
binary_files() {
  local f
  printf '%q' "$1"
  for f in $(ldd "$1" 2>/dev/null | awk '$3 ~ /^\// { print $3 }'); do printf ' %q' "$f"; done
}

# Reads files and directory trees into the page cache, untimed. The machine's DAMON reclaims pages it samples as
# cold, the page cache included, and not only pages idle for a minute: a cold run of the 1x tree read 3.9 MB of it
# from disk seconds after another tool's run had read all of it. A tool whose run came after such a reclaim paid for
# the disk (and the ratio of that round moved by it); each timed run is now preceded by reading what it reads: its
# tree, its cache directory and its binary with its shared libraries (`binary_files`). `timeit.py` reports the blocks
# a run still read from storage.
warm() {
  local p
  for p in "$@"; do
    if [ -d "$p" ]; then find "$p" -type f -print0 | xargs -0 -r cat > /dev/null 2>&1
    elif [ -f "$p" ]; then cat "$p" > /dev/null
    fi
  done
  return 0
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# name, prepare-command, command... → "name wall cpu peak". The prepare command runs before each run,
# untimed; with WARMUP=1 one untimed run comes first.
measure() {
  local name=$1 prepare=$2; shift 2
  if [ "${WARMUP:-0}" = 1 ]; then eval "$prepare"; "$@" >/dev/null 2>&1 || true; fi
  local walls=() cpus=() peak=0
  for _ in $(seq "$RUNS"); do
    eval "$prepare"
    read -r w c m _ < <(one "$@")
    walls+=("$w"); cpus+=("$c"); [ "$m" -gt "$peak" ] && peak=$m
  done
  echo "$name $(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median) $peak"
}

# Round robin over tools: TOOL_NAMES, TOOL_PREPS and TOOL_CMDS (arrays set by the caller; a command is a string,
# eval'd) are each run once per round, $RUNS rounds, so that a machine that slows down or speeds up during the
# benchmark (a shared VM does) weighs on every tool alike; prints "name wall cpu peak" per tool (medians, max), then
# "rounds NAME w1 w2 …" and "reads NAME k" (the timed runs that still read from storage).
# One untimed round comes first: the machine's DAMON pages out what was not touched for a minute (page cache
# included), so the first timed run on a tree that sat idle read it from disk. That run was the first tool's, the
# cold fleetlint run's (16x tree: 4.8 s with 1.7 s of system time, against 2.4-2.7 s for the runs after it).
measure_round_robin() {
  local n=${#TOOL_NAMES[@]} i r w c m
  local -a walls cpus peaks reads
  for ((i = 0; i < n; i++)); do walls[i]=""; cpus[i]=""; peaks[i]=0; reads[i]=0; done
  for ((i = 0; i < n; i++)); do
    eval "${TOOL_PREPS[i]}"
    eval "${TOOL_CMDS[i]}" >/dev/null 2>&1 || true
  done
  for ((r = 0; r < RUNS; r++)); do
    for ((i = 0; i < n; i++)); do
      eval "${TOOL_PREPS[i]}"
      read -r w c m b < <(eval "one ${TOOL_CMDS[i]}")
      walls[i]+="$w "; cpus[i]+="$c "; [ "$m" -gt "${peaks[i]}" ] && peaks[i]=$m
      [ "${b:-0}" -gt 0 ] && reads[i]=$((reads[i] + 1))
    done
  done
  for ((i = 0; i < n; i++)); do
    echo "${TOOL_NAMES[i]} $(printf '%s\n' ${walls[i]} | median) $(printf '%s\n' ${cpus[i]} | median) ${peaks[i]}"
  done
  # Each round's walls too ("rounds NAME w1 w2 …", in round order), for ratios taken within a round: the tools of
  # one round run seconds apart, so a slow or fast spell of the machine weighs on both sides of the ratio.
  for ((i = 0; i < n; i++)); do echo "rounds ${TOOL_NAMES[i]} ${walls[i]}"; done
  for ((i = 0; i < n; i++)); do echo "reads ${TOOL_NAMES[i]} ${reads[i]}"; done
}

# bench/results.md has three writers, each owning its sections (by their "## " headings): bench/run.sh the header,
# the trees and "Peak memory as the repository grows"; bench/instructions.sh "## Instructions"; bench/staged.sh
# "## check --staged". Each replaces its own and keeps the others' (which name the commit they measured), so the
# scripts run in any order: run.sh used to rewrite the whole file, dropping the tables the other two had added.

# sections FILE REGEX: the sections of FILE whose "## " heading matches the extended regex (nothing when FILE is absent).
sections() {
  [ -f "$1" ] || return 0
  awk -v re="$2" '/^## / { keep = ($0 ~ re) } keep' "$1"
}

# replace_sections FILE REGEX NEW: FILE's sections whose heading matches REGEX are replaced by the file NEW's
# content, placed where the first of them was (at the end when there was none); the rest stays as it was.
replace_sections() {
  local file=$1 regex=$2 new=$3 tmp
  tmp=$(mktemp)
  if [ -f "$file" ]; then
    awk -v re="$regex" -v new="$new" '
      function put() { while ((getline line < new) > 0) print line; close(new); done = 1 }
      /^## / { skip = ($0 ~ re); if (skip && !done) put() }
      !skip
      END { if (!done) put() }' "$file" > "$tmp"
  else
    cat "$new" > "$tmp"
  fi
  # Written over, not moved: the file keeps its permissions.
  cat "$tmp" > "$file"
  rm -f "$tmp"
}
