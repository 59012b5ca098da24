#!/usr/bin/env bash
# `make deploy-check`: the portal on two web servers behind nginx with two workers and an S3
# bucket (scripts/check_two_machines.py), against a throwaway PostgreSQL and Redis started here
# unless DATABASE_URL and CELERY_BROKER_URL are set.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/services.sh
. scripts/services.sh
PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
start_postgres send_qa_deploy_check
start_redis
production_like_env
if [ -n "${PG_PORT:-}" ]; then
  as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database send_qa_deploy_check" >/dev/null
fi
$PY scripts/check_two_machines.py
