#!/usr/bin/env bash
# Starts, stops or checks the production set of one machine: gunicorn, rq workers and (with --cron) rq cron.
#   scripts/production.sh migrate          flask db upgrade + flask setup (once per release)
#   scripts/production.sh start [--cron]   web + workers (+ the one scheduler of the installation)
#   scripts/production.sh stop | status
# Needs the production environment: WAGEWATCH_ENV=production, DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY,
# WAGEWATCH_DATA_KEY, EXPORT_DIR; WAGEWATCH_BIND (127.0.0.1:8000), WEB_CONCURRENCY, RQ_WORKERS (2).
# Pid files and logs go to $WAGEWATCH_RUN_DIR (instance/run). The app itself refuses to start on SQLite,
# without Redis or with weak secrets, so a wrong environment fails here, loudly, before serving anything.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${WAGEWATCH_RUN_DIR:-instance/run}
mkdir -p "$RUN_DIR"
export FLASK_APP=wsgi WAGEWATCH_ENV=${WAGEWATCH_ENV:-production}
: "${REDIS_URL:?REDIS_URL must be set for production}"

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

launch() {  # name, command...: run in the background with its own log and pid file
  local name=$1; shift
  if alive "$name"; then echo "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  nohup "$@" >>"$RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  echo "started $name (pid $!)"
}

stop_one() {
  local name=$1
  if alive "$name"; then
    kill -TERM "$(cat "$RUN_DIR/$name.pid")"
    for _ in $(seq 1 60); do alive "$name" || break; sleep 0.5; done
    alive "$name" && kill -KILL "$(cat "$RUN_DIR/$name.pid")" || true
    echo "stopped $name"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

case "${1:-}" in
  migrate)
    .venv/bin/flask db upgrade
    .venv/bin/flask setup
    ;;
  start)
    .venv/bin/python -c "from wagewatch import create_app; create_app()"  # refuses a wrong environment now
    launch web .venv/bin/gunicorn -c scripts/gunicorn.conf.py wsgi:app
    for n in $(seq 1 "${RQ_WORKERS:-2}"); do
      launch "worker$n" .venv/bin/rq worker exports nightly --url "$REDIS_URL" --worker-ttl 75 \
        --maintenance-interval 60 --name "$(hostname)-$n-$$"
    done
    if [ "${2:-}" = "--cron" ]; then launch cron .venv/bin/rq cron jobs.schedule --url "$REDIS_URL"; fi
    ;;
  stop)
    for pidfile in "$RUN_DIR"/*.pid; do [ -e "$pidfile" ] && stop_one "$(basename "$pidfile" .pid)"; done
    ;;
  status)
    for pidfile in "$RUN_DIR"/*.pid; do
      [ -e "$pidfile" ] || continue
      name=$(basename "$pidfile" .pid)
      if alive "$name"; then echo "$name running (pid $(cat "$pidfile"))"; else echo "$name DEAD"; fi
    done
    curl -fsS "http://${WAGEWATCH_BIND:-127.0.0.1:8000}/ready" && echo || { echo "not ready"; exit 1; }
    ;;
  *)
    sed -n 2,9p "$0"; exit 2
    ;;
esac
