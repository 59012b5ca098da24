#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL and Redis.
# Uses DATABASE_URL and CELERY_BROKER_URL when they are set; otherwise starts
# throwaway servers on free loopback ports and removes them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
. scripts/services.sh
# Durability does not matter for a throwaway test database.
PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
start_postgres send_qa
start_redis
production_like_env
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop in the test thread

exec_status=0
$PY -m pytest -p no:cacheprovider --create-db "$@" || exec_status=$?
exit $exec_status
