#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server on a loopback port for the test suite.
#   scripts/test-postgres.sh start   # prints the TEST_DATABASE_URL to use (a running one is reused)
#   scripts/test-postgres.sh stop
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user.
set -euo pipefail

PGPORT="${POSTBAG_TEST_PG_PORT:-55432}"
PGDIR="${POSTBAG_TEST_PG_DIR:-/tmp/postbag-test-pg}"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then RUN_AS=(runuser -u postgres --); fi

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

case "${1:-}" in
  start)
    if [ -z "$(find_bin initdb)" ]; then
      echo "PostgreSQL not found; installing Debian's postgresql package" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
    # Already running (another suite of this session started it): share it, never restart it
    # under the suites using it. Each test makes a database of its own.
    if "${RUN_AS[@]}" "$PG_CTL" -D "$PGDIR" status >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
      exit 0
    fi
    "${RUN_AS[@]}" "$PG_CTL" -D "$PGDIR" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$PGDIR"; mkdir -p "$PGDIR"
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PGDIR"; fi
    "${RUN_AS[@]}" "$INITDB" -D "$PGDIR" -U postgres --auth=trust -E UTF8 >/dev/null
    "${RUN_AS[@]}" "$PG_CTL" -D "$PGDIR" -l "$PGDIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c max_connections=200 -c fsync=off" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    "${RUN_AS[@]}" "$(find_bin pg_ctl)" -D "$PGDIR" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2
    ;;
esac
