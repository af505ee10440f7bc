#!/usr/bin/env bash
# Makes sure the services the tests use are up: PostgreSQL and Redis on 127.0.0.1, Chromium for
# the browser tests. Installs what is missing when run as root (CI runs as root with no prompt).
set -uo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }
apt_install() {
  [ -n "${APT_UPDATED:-}" ] || { as_root apt-get update -qq >/dev/null 2>&1; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1
}

if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing chromium for the browser tests"
  apt_install chromium || echo "services: could not install chromium"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "services: installing postgresql"; apt_install postgresql
  fi
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql 2>/dev/null | head -n1)
    [ -n "$version" ] && as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null
  fi
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break; sleep 0.5; done
fi

if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
  command -v redis-server >/dev/null || { echo "services: installing redis"; apt_install redis-server; }
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
exit 0
