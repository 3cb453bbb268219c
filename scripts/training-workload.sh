# The training workload that scripts/pgo.sh (the execution profile) and scripts/layout.sh (the function order) record
# on, made here from this repository only: synthetic monorepos from bench/gen_monorepo.py, cold, warm and without
# cache, every report format, `deps`; one of them as a git repository (the working tree as git lists it, cold and
# warm; staged files; history; adoption); and every fixture. Never the benchmark trees or the real monorepo: bench/
# measures on those. Sourced, not run:
#
#   . scripts/training-workload.sh
#   run() { ...; }                    # runs fleetlint with its arguments (findings exit 1)
#   training_workload DIR SERVICES    # DIR: an empty scratch directory; SERVICES: the larger tree's services
training_workload() {
  local work=$1 services=$2 tree format fixture
  python3 bench/gen_monorepo.py "$work/mono" --services "$services" --files-per-service 20 >/dev/null
  python3 bench/gen_monorepo.py "$work/migrated" --services $((services / 2)) --files-per-service 20 --migrated 0.96 >/dev/null
  for tree in "$work/mono" "$work/migrated"; do
    run check "$tree" --no-git --cache-dir "$work/cache" --format json -o "$work/report.json"   # cold
    run check "$tree" --no-git --cache-dir "$work/cache" --format json -o "$work/report.json"   # warm
    run check "$tree" --no-git --no-cache
  done
  for format in text json sarif junit gitlab github markdown; do
    run check "$work/mono" --no-git --cache-dir "$work/cache" --format "$format" -o "$work/report.$format"
  done
  run deps "$work/mono" --no-git
  # A git repository: the working tree as git lists it (the index, `cat-file --batch`), cold and warm; then one
  # staged edit, the history, adoption.
  cp -r "$work/migrated" "$work/repo"
  git -C "$work/repo" init -q
  git -C "$work/repo" add -A
  git -C "$work/repo" -c user.name=training -c user.email=training@example.invalid commit -qm training
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
}
