#!/usr/bin/env bash
# Headless Chromium for the web page test (Debian's package). Safe to re-run.
set -euo pipefail
if command -v chromium >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[bootstrap] installing Debian's chromium for the browser test"
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "[bootstrap] chromium is missing: install Debian's chromium package (sudo apt-get install chromium)" >&2
  exit 1
fi
