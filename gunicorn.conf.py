"""gunicorn's production settings, read by `gunicorn -c gunicorn.conf.py send_qa.wsgi` in the
image and docker-compose.yml (docs/configuration.md: GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT). `make bench` load-tests the portal with these same settings."""

from send_qa import web_workers
from send_qa.env import env_int, env_str

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = web_workers.workers()
threads = web_workers.threads()
timeout = env_int("GUNICORN_TIMEOUT", 30)
accesslog = "-"
