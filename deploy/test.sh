#!/usr/bin/env bash
# One command from a fresh checkout to the whole test suite: installs everything into .venv/,
# starts the local Kafka + Elasticsearch if they are not running (and stops them afterwards if
# it started them), then runs unit and integration tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/bootstrap.sh
./deploy/install-browser.sh

started=no
if ! .venv/bin/depeche stack status >/dev/null 2>&1; then
  .venv/bin/depeche stack up
  started=yes
fi
stop_stack() { if [ "$started" = yes ]; then .venv/bin/depeche stack down || true; fi; }
trap stop_stack EXIT

# Integration tests must run: a missing engine is a failure, never a skip.
export DEPECHE_REQUIRE_STACK=1
.venv/bin/ruff check pipeline tests bench
.venv/bin/pytest -q -ra "$@"
