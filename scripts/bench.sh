#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): builds a synthetic large county in a throwaway
# PostgreSQL (or the database of DATABASE_URL, which it empties first) and measures it.
# Arguments go to `python -m bench` (for example --scale 0.1 for a quick run).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
. scripts/services.sh
start_postgres send_qa_bench
start_redis
production_like_env
if [ -n "${PG_BIN:-}" ]; then
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres send_qa_bench
fi
${BENCH_RUN:-$PY -m bench} "$@"
