#!/usr/bin/env bash
# Installs what building and testing fleetlint needs on a fresh Debian machine with Swift:
# libxml2's headers (JUnit writer, XSD validation) and Python's jsonschema (SARIF validation in tests).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
if ! pkg-config --exists libxml-2.0 2>/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq libxml2-dev pkg-config >/dev/null
fi
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  python3 -m pip install --quiet jsonschema
fi
