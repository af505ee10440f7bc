#!/usr/bin/env bash
# Runs the whole WageWatch test suite: SQLite, PostgreSQL, Redis, RQ workers and headless Chromium.
# Installs what it needs; pass pytest options through, e.g. scripts/test.sh -k approvals
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
bash scripts/services.sh
export PYTHONHASHSEED=0
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --durations=15 "$@"
