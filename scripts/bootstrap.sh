#!/usr/bin/env bash
# Installs what building and testing fleetlint needs on a fresh Debian/Ubuntu machine with Swift:
# libxml2's headers (JUnit writer, XSD validation), jemalloc's development files (the executable's
# allocator on Linux), Vectorscan's (the secret scanner's keyword search) and Python's jsonschema (SARIF
# validation in tests).
#
# Python packages come from Debian (`python3-jsonschema`), never from `pip install` into the system
# interpreter (Debian 12 refuses that: externally-managed-environment). Without root or sudo, jsonschema
# goes into a virtual environment at .build/test-venv, which the tests use when it exists.
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=none; fi
fi

missing=()
pkg-config --exists libxml-2.0 2>/dev/null || missing+=(libxml2-dev pkg-config)
needs_jemalloc() { [ "$(uname)" = Linux ] && ! compgen -G '/usr/lib/*/libjemalloc.so' >/dev/null && ! [ -e /usr/lib/libjemalloc.so ]; }
needs_jemalloc && missing+=(libjemalloc-dev)
pkg-config --exists libhs 2>/dev/null || missing+=(libvectorscan-dev pkg-config)
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import jsonschema' 2>/dev/null || [ -x .build/test-venv/bin/python3 ] || missing+=(python3-jsonschema)
command -v git >/dev/null || missing+=(git)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$SUDO" = none ]; then
    echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2
  else
    echo "bootstrap: apt-get install ${missing[*]}" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

pkg-config --exists libxml-2.0 2>/dev/null || { echo "bootstrap: libxml2-dev is still missing" >&2; exit 1; }
! needs_jemalloc || { echo "bootstrap: libjemalloc-dev is still missing" >&2; exit 1; }
pkg-config --exists libhs 2>/dev/null || { echo "bootstrap: libvectorscan-dev is still missing (Ubuntu: libhyperscan-dev on x86-64)" >&2; exit 1; }
if ! python3 -c 'import jsonschema' 2>/dev/null && ! [ -x .build/test-venv/bin/python3 ]; then
  # No apt package (or no root): a virtual environment, never the system interpreter.
  python3 -m venv .build/test-venv || { echo "bootstrap: install python3-venv (or python3-jsonschema)" >&2; exit 1; }
  .build/test-venv/bin/pip install --quiet jsonschema
fi
echo "bootstrap: ready (libxml2 $(pkg-config --modversion libxml-2.0), jemalloc, vectorscan $(pkg-config --modversion libhs), jsonschema via $(python3 -c 'import jsonschema' 2>/dev/null && echo python3 || echo .build/test-venv))"
