#!/usr/bin/env bash
# Runs one libFuzzer target of fuzz/ for a given time.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#   TARGET: requirements | pep508 | pyproject | dockerfile | glob | yaml | secrets | python | cache
#   FLEETLINT_FUZZ_BIN=path skips the build and runs that binary.
#
# Builds fuzz/ (release, every Swift module instrumented with -sanitize=fuzzer,address), seeds the
# corpus from the fixtures and test vectors, and runs with a 10 s per-input timeout and a 2 GiB RSS
# limit, so a hang or a blow-up is a finding like a crash. Findings land in fuzz/artifacts/; each one
# becomes a regression test (Tests/FleetLintIntegrationTests/HostileInputTests.swift or the parser's suite).
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
if [ $# -lt 2 ]; then sed -n '2,10p' "$0"; exit 2; fi
target=$1; seconds=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"
flags=(-c release --product FleetLintFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
if [ -n "${FLEETLINT_FUZZ_BIN:-}" ]; then
    bin=$FLEETLINT_FUZZ_BIN   # an already built binary (skips the build)
else
    # SwiftPM keeps the build manifest of fuzz/ across changes to the path dependency's Package.swift
    # (a new dependency then fails with "no such module"); regenerating it costs seconds, not a rebuild.
    rm -f "$fuzz/.build/release.yaml"
    swift build --package-path "$fuzz" "${flags[@]}" >&2
    bin="$(swift build --package-path "$fuzz" "${flags[@]}" --show-bin-path)/FleetLintFuzz"
fi

seeds="$fuzz/.seeds/$target"; corpus="$fuzz/.corpus/$target"; artifacts="$fuzz/artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
copy() { # copy matching files into the seed directory under unique names
    find "$@" -type f -size -64k 2>/dev/null | while read -r f; do
        cp "$f" "$seeds/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
    done
}
vectors="$root/Tests/FleetLintSyntaxTests/Vectors"
strings() { # every JSON string value in the given vector files, one seed each
    python3 - "$seeds" "$@" <<'PY'
import json, sys, hashlib, os
out = sys.argv[1]
def walk(v):
    if isinstance(v, str): yield v
    elif isinstance(v, list):
        for x in v: yield from walk(x)
    elif isinstance(v, dict):
        for k, x in v.items(): yield k; yield from walk(x)
for path in sys.argv[2:]:
    try: data = json.load(open(path))
    except Exception: continue
    for s in set(walk(data)):
        if 0 < len(s) < 4096:
            open(os.path.join(out, hashlib.sha1(s.encode()).hexdigest()[:16]), "w").write(s)
PY
}
case "$target" in
    requirements) copy "$root/fixtures" -name '*.txt' -o -name '*.in'; copy "$vectors/requirements/files" ;;
    pep508) strings "$vectors"/requirements/{requirements,markers,specifiers,specifier_sets,versions}.json ;;
    pyproject) copy "$root/fixtures" -name 'pyproject.toml' ;;
    dockerfile) copy "$root/fixtures" -name 'Dockerfile*' -o -name '*.dockerignore' -o -name '.dockerignore'; copy "$vectors/dockerfile/files" ;;
    glob) printf '**/build/**\nsvc/build/x.py\n' > "$seeds/a"; printf '*.py[cod]\na/b.pyc\n' > "$seeds/b"
          printf '**/**/**/**/x\na/b/c/d/e/y\n' > "$seeds/c"; printf 'svc/[!a-c]*/\\*\nsvc/d/*\n' > "$seeds/d" ;;
    yaml) copy "$root/rules" "$root/fixtures" -name '*.yaml' ;;
    secrets) copy "$root/fixtures/committed-secret" "$root/fixtures/committed-env-file" ;;
    python) copy "$root/fixtures" -name '*.py'; copy "$vectors/python/corpus" ;;
    cache) # the payloads of real cache entries (the pack's and the run memo's) and stat tables, from the fixtures
        fl="$root/.build/debug/fleetlint"; [ -x "$fl" ] || fl="$root/.build/release/fleetlint"
        [ -x "$fl" ] || { echo "cache seeds need a fleetlint build (swift build)" >&2; exit 2; }
        made=$(mktemp -d); trap 'rm -rf "$made"' EXIT
        # Twice, 2 s apart: the first run's files are too new for the stat table (git's racy rule), so only the second
        # writes the run memo; text runs, so the source lines beside it too.
        for pass in 1 2; do
            for f in "$root"/fixtures/*/; do "$fl" check "$f" --no-git --cache-dir "$made/$(basename "$f")" >/dev/null 2>&1 || true; done
            if [ $pass = 1 ]; then sleep 2; fi
        done
        python3 - "$made" "$seeds" <<'PY'
import hashlib, os, sys
made, out = sys.argv[1], sys.argv[2]
def seed(b):
    open(os.path.join(out, hashlib.sha1(b).hexdigest()[:16]), "wb").write(b)
for d, _, files in os.walk(made):
    for name in files:
        b = open(os.path.join(d, name), "rb").read()
        if name == "stat.tsv": seed(b); continue
        magic = next((m for m in (b"FLCACHE3\n", b"FLRUN4\n", b"FLMEMO2\n", b"FLLINES1\n") if b.startswith(m)), None)
        if magic is None: continue
        i = len(magic)
        while i + 76 <= len(b):  # 64 key bytes, a 4-byte length, an 8-byte checksum, the payload
            n = int.from_bytes(b[i + 64:i + 68], "little")
            if i + 76 + n > len(b): break
            seed(b[i + 76:i + 76 + n]); i += 76 + n
PY
        ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
export FLEETLINT_FUZZ_TARGET="$target"
# Leak detection is off: TOMLKit leaks its error object on every invalid TOML and Foundation's
# NSRegularExpression keeps its compiled pattern (both third-party, both found by the first runs).
# libFuzzer's -detect_leaks=0 covers the inputs; ASan's own check at exit needs detect_leaks=0 too, or a
# clean run of -runs=N ends with a leak report, exit code 1 and an empty "crash" artifact.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -detect_leaks=0 \
    -artifact_prefix="$artifacts/$target-" "$corpus" "$seeds" "$@"
