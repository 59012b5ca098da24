# Throwaway PostgreSQL and Redis for the test suite and the benchmarks (sourced, not run).
# Uses DATABASE_URL and CELERY_BROKER_URL when they are set; otherwise starts servers on free
# loopback ports under $WORK and stops them when the calling script exits.
PY=${PY:-.venv/bin/python}
WORK=$(mktemp -d /tmp/send-qa-services.XXXXXX)
chmod 755 "$WORK"

services_stop() {
  if [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "${REDIS_PID_FILE:-}" ] && [ -f "$REDIS_PID_FILE" ]; then
    kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap services_stop EXIT

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DBNAME: exports DATABASE_URL for DBNAME on a new server (the database itself
# is created by the caller: pytest does it for the tests, the benchmark script for itself).
start_postgres() {
  [ -n "${DATABASE_URL:-}" ] && return 0
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ]; then
    echo "PostgreSQL is not installed: install the 'postgresql' package or set DATABASE_URL." >&2
    exit 1
  fi
  PG_DATA="$WORK/pg"
  mkdir -p "$PG_DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DATA"
  PG_PORT=$($PY scripts/free_port.py)
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -o \
    "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 ${PG_OPTIONS:-}" \
    start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$1"
  echo "Started a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
}

start_redis() {
  [ -n "${CELERY_BROKER_URL:-}" ] && return 0
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not installed: install the 'redis-server' package or set CELERY_BROKER_URL." >&2
    exit 1
  fi
  REDIS_PORT=$($PY scripts/free_port.py)
  REDIS_PID_FILE="$WORK/redis.pid"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --dir "$WORK" --logfile "$WORK/redis.log"
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "Started a throwaway Redis on 127.0.0.1:$REDIS_PORT"
}

# Production-like settings (debug off), minus what needs HTTPS or collected static files.
production_like_env() {
  export SECRET_KEY="${SECRET_KEY:-test-secret-key-not-for-production-0123456789abcdefghijklmnop}"
  export ALLOWED_HOSTS="testserver,localhost,127.0.0.1"
  export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
  export STATIC_MANIFEST=false
  export SEND_QA_VAR_DIR="${SEND_QA_VAR_DIR:-$WORK/var}"
  unset DJANGO_DEBUG
}
