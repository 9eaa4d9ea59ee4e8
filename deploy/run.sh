#!/usr/bin/env bash
# One command from a fresh checkout to a running service: installs everything into .venv/,
# starts the local Kafka + Elasticsearch (downloaded once with Maven, cached), then runs
# `depeche run` with config/depeche.yaml (or $DEPECHE_CONFIG). Extra arguments go to `depeche run`.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/bootstrap.sh
.venv/bin/depeche stack up
exec .venv/bin/depeche run "$@"
