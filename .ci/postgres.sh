#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for msgraph-store's tests.
#   eval "$(.ci/postgres.sh start)"   # prints `export MSGRAPH_TEST_PG=...; export MSGRAPH_PG_DIR=...`
#   .ci/postgres.sh stop              # stops the cluster in $MSGRAPH_PG_DIR and deletes it
# initdb refuses to run as root, so as root the cluster belongs to an unprivileged `pgtest` user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u pgtest -- "$@"; else "$@"; fi
}

start() {
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 binaries not found in $PG_BIN" >&2; exit 1; }
  if [ "$(id -u)" = 0 ] && ! id pgtest >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin pgtest
  fi
  local dir port password
  dir=$(mktemp -d /tmp/msgraph-pg.XXXXXX)
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown pgtest "$dir"
  # a free loopback port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" > "$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown pgtest "$dir/pwfile"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U msgraph --pwfile="$dir/pwfile" -A scram-sha-256 \
    --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
    start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export MSGRAPH_PG_DIR='$dir'"
  echo "export MSGRAPH_TEST_PG='postgres://msgraph:$password@127.0.0.1:$port/postgres?sslmode=disable'"
}

stop() {
  local dir=${MSGRAPH_PG_DIR:-}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
