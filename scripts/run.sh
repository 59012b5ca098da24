#!/usr/bin/env bash
# Serves the portal on http://127.0.0.1:8000 with a Celery worker (and beat) beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=1
mkdir -p var/celery/queue var/celery/processed var/celery/results
.venv/bin/celery -A send_qa worker --beat --loglevel=INFO --concurrency=1 \
  --schedule=var/celery/beat-schedule >var/celery/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Celery worker started (log: var/celery/worker.log)"
.venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
