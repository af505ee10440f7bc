#!/usr/bin/env bash
# Until the first release, the schema is one initial revision generated from the models.
# Regenerate it after changing a model: it rebuilds a scratch SQLite database from empty.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*_initial_schema.py
DATABASE_URL="sqlite:///$tmp/scratch.sqlite3" FLASK_APP=wsgi .venv/bin/flask db revision --autogenerate \
  --rev-id 0001 -m "initial schema" >/dev/null 2>&1
rm -rf "$tmp"
ls migrations/versions/
