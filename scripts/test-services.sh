#!/usr/bin/env bash
# scripts/test-services.sh start|stop|status|env|clean
#
# Throwaway PostgreSQL + Redis for the test suite, on spare loopback ports, for
# machines where the usual 127.0.0.1:5432 / :6379 services are missing or down.
#
#   scripts/test-services.sh start          # installs Debian packages if needed, starts both
#   eval "$(scripts/test-services.sh env)"  # exports TEST_DATABASE_URL / TEST_REDIS_URL
#   scripts/test-services.sh stop           # stops both (data kept for the next start)
#   scripts/test-services.sh clean          # stops both and deletes the data directory
#
# Settings (environment): PGPORT (55432), REDIS_PORT (56379),
# TEST_SERVICES_DIR (/tmp/rosedesk-test-services).
# PostgreSQL runs with trust auth, user postgres, fsync off: for tests only.
# start is idempotent: services that already answer are left alone.
set -euo pipefail

BASE=${TEST_SERVICES_DIR:-/tmp/rosedesk-test-services}
PGPORT=${PGPORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
PGDATA_DIR=$BASE/pg

log() { printf 'test-services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a PostgreSQL server binary as the cluster owner (initdb/postgres refuse root).
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Newest /usr/lib/postgresql/<version>/bin, or nothing.
pg_bindir() {
  local dir best="" best_ver=0 ver
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] || continue
    ver=${dir#/usr/lib/postgresql/}
    ver=${ver%%/*}
    ver=${ver%%.*}
    if [ "$ver" -gt "$best_ver" ] 2>/dev/null; then best_ver=$ver; best=$dir; fi
  done
  printf '%s' "$best"
}

install_missing() {
  local pkgs=()
  [ -n "$(pg_bindir)" ] || pkgs+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || pkgs+=(redis-tools)
  [ "${#pkgs[@]}" -eq 0 ] && return 0
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${pkgs[*]}"
    sudo=(sudo)
  fi
  log "installing ${pkgs[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  # Debian's postinst may start a default cluster/daemon where an init system
  # exists; ours are separate instances on their own ports and directories.
}

pg_running() {
  local bindir
  bindir=$(pg_bindir)
  [ -n "$bindir" ] && [ -s "$PGDATA_DIR/PG_VERSION" ] \
    && as_pg "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PGPORT" -t 2 >/dev/null 2>&1; }

redis_ready() {
  [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

start_pg() {
  local bindir
  bindir=$(pg_bindir)
  [ -n "$bindir" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  if pg_running; then
    log "PostgreSQL already running on 127.0.0.1:$PGPORT ($PGDATA_DIR)"
    return 0
  fi
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    rm -rf "$PGDATA_DIR"
    as_pg "$bindir/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --no-locale >"$BASE/initdb.log" 2>&1 \
      || { cat "$BASE/initdb.log" >&2; die "initdb failed"; }
  fi
  as_pg "$bindir/pg_ctl" -D "$PGDATA_DIR" -l "$BASE/pg.log" -w -t 30 \
    -o "-p $PGPORT -k $BASE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000" \
    start >/dev/null \
    || { tail -n 20 "$BASE/pg.log" >&2 || true; die "PostgreSQL did not start on port $PGPORT"; }
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') started on 127.0.0.1:$PGPORT"
}

start_redis() {
  if redis_ready; then
    log "Redis already answering on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$BASE/redis.pid" --logfile "$BASE/redis.log" --dir "$BASE"
  local _
  for _ in $(seq 50); do
    redis_ready && { log "Redis $(redis-server --version | awk '{sub(/^v=/, "", $3); print $3}') started on 127.0.0.1:$REDIS_PORT"; return 0; }
    sleep 0.1
  done
  tail -n 20 "$BASE/redis.log" >&2 || true
  die "Redis did not start on port $REDIS_PORT"
}

stop_pg() {
  local bindir
  bindir=$(pg_bindir)
  if [ -n "$bindir" ] && pg_running; then
    as_pg "$bindir/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null
    log "PostgreSQL on 127.0.0.1:$PGPORT stopped"
  fi
}

stop_redis() {
  # Only our instance: it is the one that wrote our pidfile and listens on our port.
  [ -f "$BASE/redis.pid" ] || return 0
  local pid _
  pid=$(cat "$BASE/redis.pid")
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 \
    || kill "$pid" 2>/dev/null || true
  # An orphaned daemon may stay a zombie if PID 1 does not reap; the port is what counts.
  for _ in $(seq 50); do redis_ready || break; sleep 0.1; done
  rm -f "$BASE/redis.pid"
  log "Redis on 127.0.0.1:$REDIS_PORT stopped"
}

print_env() {
  printf 'export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:%s/postgres\n' "$PGPORT"
  printf 'export TEST_REDIS_URL=redis://127.0.0.1:%s\n' "$REDIS_PORT"
}

case "${1:-}" in
  start)
    install_missing
    mkdir -p "$BASE"
    if is_root; then chown postgres:postgres "$BASE"; fi
    start_pg
    start_redis
    ;;
  stop)
    stop_pg
    stop_redis
    ;;
  clean)
    stop_pg
    stop_redis
    rm -rf "$BASE"
    ;;
  status)
    rc=0
    if pg_ready; then echo "postgres: up on 127.0.0.1:$PGPORT"; else echo "postgres: down"; rc=1; fi
    if command -v redis-cli >/dev/null 2>&1 && redis_ready; then echo "redis: up on 127.0.0.1:$REDIS_PORT"; else echo "redis: down"; rc=1; fi
    exit "$rc"
    ;;
  env)
    print_env
    ;;
  *)
    echo "usage: $0 start|stop|status|env|clean" >&2
    exit 2
    ;;
esac
