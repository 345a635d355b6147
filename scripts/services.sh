# Sourced by test.sh and bench.sh: installs and starts what the tests need, on loopback:
# PostgreSQL 15 on a private port, Redis, Debian's Chromium. Idempotent; stops on exit only
# the servers it started (KEEP_SERVICES=1 leaves them up for a quick dev loop).

PG_PORT="${PG_PORT:-5440}"
REDIS_PORT="${REDIS_PORT:-6390}"
REDIS_DB="${REDIS_DB:-15}"
KEEP_SERVICES="${KEEP_SERVICES:-0}"
APT_PKGS=(postgresql-15 postgresql-client-15 redis-server chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils)
REDIS_DIR="$STATE/redis"

PGBIN=/usr/lib/postgresql/15/bin
STARTED=()

as_pg() { (cd / && runuser -u postgres -- "$@"); }

stop_services() {
  [ "$KEEP_SERVICES" = 1 ] && return 0
  local s
  for s in "${STARTED[@]}"; do
    case $s in
      redis) [ -s "$REDIS_DIR/redis.pid" ] && kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true ;;
      postgres) as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true ;;
    esac
  done
}

install_system_packages() {
  local need=() p
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
  ((${#need[@]})) || return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${need[*]}" >&2
    echo "Install them (e.g. sudo apt-get install ${need[*]}) and run again." >&2
    exit 1
  fi
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

start_redis() {
  mkdir -p "$REDIS_DIR"
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    log "redis already up on $REDIS_PORT"
  else
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save '' --appendonly no
    STARTED+=(redis)
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping | grep -q PONG || { cat "$REDIS_DIR/redis.log"; exit 1; }
    log "redis started on $REDIS_PORT"
  fi
}

choose_pgroot() {
  # The cluster lives under $STATE unless the 'postgres' user cannot reach it (a private mktemp
  # folder, /root...): initdb and pg_ctl refuse root, so it then goes to a traversable /tmp folder.
  if runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
    PGROOT="$STATE/pg"
  else
    PGROOT="/tmp/plage-libre-pg-$(printf '%s' "$STATE" | sha256sum | cut -c1-12)"
  fi
  PGDATA="$PGROOT/data"
}

start_postgres() {
  choose_pgroot
  mkdir -p "$PGROOT" && chown postgres:postgres "$PGROOT"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 > "$PGROOT/initdb.log"
  fi
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    log "postgres already up on $PG_PORT"
  else
    pg_start() {
      as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start > /dev/null
    }
    if ! pg_start; then  # a throwaway fsync=off cluster may not survive a crash: rebuild it
      log "postgres failed to start; re-initialising"; rm -rf "$PGDATA"
      as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 > "$PGROOT/initdb.log"
      pg_start
    fi
    STARTED+=(postgres)
    log "postgres started on $PG_PORT"
  fi
  psql_su() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
  psql_su "SELECT 1 FROM pg_roles WHERE rolname='app'" | grep -q 1 || psql_su "CREATE ROLE app LOGIN CREATEDB PASSWORD 'app'"
  psql_su "SELECT 1 FROM pg_database WHERE datname='app'" | grep -q 1 || psql_su "CREATE DATABASE app OWNER app"
}

start_services() {
  mkdir -p "$STATE" && chmod 755 "$STATE"
  trap stop_services EXIT
  install_system_packages
  start_redis
  start_postgres
  export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=app PGPASSWORD=app PGDATABASE="${PGDATABASE:-app}"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
  export CHROMIUM_PATH=/usr/bin/chromium
  export DJANGO_ALLOW_ASYNC_UNSAFE=true  # pytest-playwright keeps an event loop in the main thread
}
