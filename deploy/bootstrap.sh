#!/usr/bin/env bash
# Creates .venv/ in the checkout and installs depeche with everything it needs (spaCy models
# included, they are ordinary packages). Safe to re-run: it reinstalls only when pyproject.toml
# changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "depeche needs Python 3.11 or newer (found: $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
command -v java >/dev/null || { echo "Java 17+ is missing: install a JDK (apt-get install openjdk-17-jdk)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "Maven is missing: install it (apt-get install maven)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "[bootstrap] creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.depeche-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "[bootstrap] installing depeche and its dependencies into .venv (a few minutes the first time)"
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e '.[dev,train]'
  echo "$want" > "$stamp"
else
  # Editable install: code changes need nothing; still make sure the console script exists.
  [ -x .venv/bin/depeche ] || .venv/bin/pip install --quiet --no-deps -e .
fi
