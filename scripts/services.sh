#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL and Redis on loopback for the integration tests,
# without systemd. Needs Debian's postgresql and redis-server packages (.ci/run installs them).
# `up` prints the DATABASE_URL and REDIS_URL to export.
set -euo pipefail
cmd=${1:-up}
root=${SERVICES_DIR:-/tmp/kumamoto-volunteer-services}
pg_port=${PG_PORT:-55432}
redis_port=${REDIS_PORT:-56379}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

up() {
  mkdir -p "$root"
  chown postgres:postgres "$root" 2>/dev/null || true
  if [ ! -s "$root/pg/PG_VERSION" ]; then
    runuser -u postgres -- "$pg_bin/initdb" -D "$root/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log"
  fi
  if ! runuser -u postgres -- "$pg_bin/pg_ctl" -D "$root/pg" status >/dev/null 2>&1; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$root/pg" -l "$root/pg.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $root -c fsync=off -c synchronous_commit=off" start >/dev/null
  fi
  # The tests' role owns what it creates: the test runner's databases, and for the ledger's role test
  # (tests/integration/test_database_roles_postgres.py) a database and an application role of its own.
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='volunteer'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE ROLE volunteer LOGIN PASSWORD 'volunteer'" >/dev/null
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -c "ALTER ROLE volunteer CREATEDB CREATEROLE" >/dev/null
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='volunteer'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE volunteer OWNER volunteer" >/dev/null
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --daemonize yes --port "$redis_port" --bind 127.0.0.1 --pidfile "$root/redis.pid" \
      --dir "$root" --appendonly yes --maxmemory-policy noeviction --logfile "$root/redis.log"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "export DATABASE_URL=postgres://volunteer:volunteer@127.0.0.1:$pg_port/volunteer"
  echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
}

down() {
  [ -f "$root/redis.pid" ] && kill "$(cat "$root/redis.pid")" 2>/dev/null || true
  [ -d "$root/pg" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$root/pg" -m fast stop >/dev/null 2>&1 || true
}

case "$cmd" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
