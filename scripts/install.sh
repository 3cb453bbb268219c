#!/usr/bin/env bash
# Builds fleetlint as a self-contained Linux binary and installs it under PREFIX (default /usr/local):
#
#   PREFIX/libexec/fleetlint/fleetlint   the binary (Swift runtime and the rules' data tables compiled in)
#   PREFIX/bin/fleetlint -> ../libexec/fleetlint/fleetlint
#
# The runtime dependencies are libxml2, jemalloc and Vectorscan (Debian: `apt-get install libxml2 libjemalloc2
# libvectorscan5`), plus glibc and libstdc++/libgcc, present on every Debian/Ubuntu. Building needs Swift 6,
# libxml2-dev, libjemalloc-dev and libvectorscan-dev (scripts/bootstrap.sh). `fleetlint --version` names the commit it was built from.
#
# Usage: scripts/install.sh [PREFIX]          build and install
#        scripts/install.sh --stage DIR       build and copy the install tree to DIR (to ship elsewhere)
set -euo pipefail
# -h/--help prints the comment above.
case "${1:-}" in -h|--help) sed -n '2,/^set -euo pipefail/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."

prefix=/usr/local
case "${1:-}" in
  "") ;;
  --stage) prefix=${2:?--stage needs a directory} ;;
  -*) echo "install.sh: unknown option $1 (usage: scripts/install.sh [PREFIX | --stage DIR])" >&2; exit 2 ;;
  *) prefix=$1 ;;
esac
case $prefix in /*) ;; *) prefix="$PWD/$prefix" ;; esac

if ! pkg-config --exists libxml-2.0 2>/dev/null; then
  echo "install.sh: libxml2's headers are missing; run scripts/bootstrap.sh first" >&2
  exit 2
fi
if [ "$(uname)" = Linux ] && ! compgen -G '/usr/lib/*/libjemalloc.so' >/dev/null && ! [ -e /usr/lib/libjemalloc.so ]; then
  echo "install.sh: jemalloc's development files are missing (libjemalloc-dev); run scripts/bootstrap.sh first" >&2
  exit 2
fi

if ! pkg-config --exists libhs 2>/dev/null; then
  echo "install.sh: Vectorscan's development files are missing (libvectorscan-dev); run scripts/bootstrap.sh first" >&2
  exit 2
fi

# Stamp the commit into the build, and put the file back however the build ends.
info=Sources/fleetlint/BuildInfo.swift
saved=$(mktemp)
cp "$info" "$saved"
trap 'cp "$saved" "$info"; rm -f "$saved"' EXIT
commit=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
sed -i "s|static let commit: String? = nil|static let commit: String? = \"$commit\"|" "$info"

# Release, Swift runtime linked in statically, optimised with the committed execution profile (scripts/release-build.sh).
bin=$(dirname "$(scripts/release-build.sh --build-path .build)")
cp "$saved" "$info"   # restore now, so that later builds of this checkout are not stamped

if ldd "$bin/fleetlint" | grep -q 'libswift\|libFoundation\|libdispatch'; then
  echo "install.sh: the binary still links the Swift runtime dynamically:" >&2
  ldd "$bin/fleetlint" >&2
  exit 1
fi

dest="$prefix/libexec/fleetlint"
mkdir -p "$dest" "$prefix/bin"
install -m 755 "$bin/fleetlint" "$dest/fleetlint"
# The symbol table is a third of the file and nothing reads it at run time (92 MB -> 64 MB).
if command -v strip >/dev/null; then strip "$dest/fleetlint"; fi
rm -rf "$dest/fleetlint_FleetLintRules.resources"  # installed beside the binary by earlier versions
ln -sfn ../libexec/fleetlint/fleetlint "$prefix/bin/fleetlint"

# A smoke run of the installed binary in a git work tree (git plumbing, the environment, a report): the
# tests run the development build, which links differently (Swift runtime and allocator).
if ! "$prefix/bin/fleetlint" check fixtures/clean-monorepo >/dev/null; then
  echo "install.sh: the installed binary failed on fixtures/clean-monorepo" >&2
  exit 1
fi
echo "installed $("$prefix/bin/fleetlint" --version) to $prefix/bin/fleetlint"
echo "runtime libraries: $(ldd "$dest/fleetlint" | awk '{print $1}' | grep -v 'linux-vdso\|ld-linux' | tr '\n' ' ')"
