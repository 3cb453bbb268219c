# Shared by the bench scripts (sourced): timing of one run and medians over $RUNS runs.
# Needs RUNS set by the caller.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

one() {  # command... → "wall cpu peak_kib" of one run (bench/timeit.py: microsecond wall clock, rusage)
  python3 "$BENCH_DIR/timeit.py" "$@" || echo "0 0 0"
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
    read -r w c m < <(one "$@")
    walls+=("$w"); cpus+=("$c"); [ "$m" -gt "$peak" ] && peak=$m
  done
  echo "$name $(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median) $peak"
}
