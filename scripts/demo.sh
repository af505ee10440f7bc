#!/usr/bin/env bash
# Sets up and serves the WageWatch demo at http://127.0.0.1:5000 on the embedded defaults
# (SQLite file in instance/, jobs in-process). Safe to run again: it migrates and tops up.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export FLASK_APP=wsgi
.venv/bin/flask db upgrade
.venv/bin/flask setup
if [ ! -f instance/.demo-loaded ]; then
  .venv/bin/flask demo --scale "${DEMO_SCALE:-1}" | tee instance/demo-users.txt
  touch instance/.demo-loaded
else
  echo "演示数据已存在；演示账号见 instance/demo-users.txt"
  cat instance/demo-users.txt 2>/dev/null | grep -E '^(  |用户)' || true
fi
echo "WageWatch 演示：http://127.0.0.1:5000"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
