#!/usr/bin/env bash
# A PostgreSQL server on loopback for the history-store tests, from Debian's packages.
# Idempotent: installs the server if missing, initialises a cluster once, starts it if stopped,
# and prints the URL to stdout. Everything else goes to stderr.
#   scripts/postgres.sh status   exits 0 when the server is running, non-zero otherwise
#   scripts/postgres.sh stop     stops it (the test command stops a server it started itself)
set -euo pipefail
mode=${1:-start}

port=${TOLLGATE_PG_PORT:-54329}
data=${TOLLGATE_PG_DATA:-${TMPDIR:-/tmp}/tollgate-postgres-$port}
database=tollgate_test

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ "$mode" != start ] && { [ -z "$bin" ] || [ ! -f "$data/PG_VERSION" ]; }; then
  [ "$mode" = status ] && exit 1 || exit 0
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "installing PostgreSQL from Debian's packages…" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# PostgreSQL refuses to run as root; run it as the postgres user the package created.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $mode in
  status) as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; exit ;;
  stop)
    if as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_server "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    exit 0 ;;
esac

if [ ! -f "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
  chmod 700 "$data"
  as_server "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
fi

if ! as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_server "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=on -c max_connections=200" start >&2
fi

for _ in $(seq 1 60); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $database" >&2
fi
echo "postgres://postgres@127.0.0.1:$port/$database?sslmode=disable"
