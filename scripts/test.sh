#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL and Redis.
# Uses DATABASE_URL and CELERY_BROKER_URL when they are set; otherwise starts
# throwaway servers on free loopback ports and removes them afterwards.
#
# Tests run in parallel (pytest-xdist), one worker per core up to 4: TEST_WORKERS=N sets the
# number, TEST_WORKERS=0 runs them in this one process. A test file stays on one worker
# (--dist loadfile), so data built once per module (tests/conftest.py built_once) is built once;
# the files are handed out in the order tests/conftest.py gives them (--no-loadscope-reorder).
# Arguments that need the one process (-n, -s, --pdb, --trace, -p no:xdist) turn it off.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
. scripts/services.sh
# Durability does not matter for a throwaway test database.
PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
start_postgres send_qa
start_redis
production_like_env
export CACHE_URL="${CACHE_URL:-locmem://}"  # each test clears it (tests/conftest.py)
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop in the test thread

cores=$(nproc 2>/dev/null || echo 1)
workers="${TEST_WORKERS:-$((cores < 4 ? cores : 4))}"
parallel=()
for arg in "$@"; do
  case "$arg" in
    -n | -n[0-9]* | --numprocesses* | -s | --capture=no | --pdb | --trace | no:xdist) workers=0 ;;
  esac
done
if [ "$workers" -gt 1 ]; then
  parallel=(-n "$workers" --dist loadfile --no-loadscope-reorder)
fi

exec_status=0
# The 20 slowest tests show at the end of every run: the suite is to stay under 6 minutes.
$PY -m pytest -p no:cacheprovider --create-db --durations=20 "${parallel[@]}" "$@" || exec_status=$?
exit $exec_status
