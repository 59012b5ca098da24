"""How many web workers and threads gunicorn runs (gunicorn.conf.py, docs/configuration.md).

Threads (gunicorn's gthread worker) let a worker answer other requests while one waits on the
database; processes let pages be rendered on every core at once. A kept-alive connection stays
with the worker that accepted it, so with one worker a core a few busy clients can hold one
worker while another core idles (the load test saw the two workers of a 2-core machine use one
core between them for seconds at a time, docs/performance.md); gunicorn's own advice, twice the
cores plus one, keeps every core busy. Each thread keeps its own database connection, so the
total stays well under PostgreSQL's usual 100 connections."""

import os

from send_qa.env import env_int

THREADS = 4
MAX_DEFAULT_WORKERS = 17


def default_workers(cpus: int | None) -> int:
    """Twice the cores plus one (gunicorn's advice), at most 17 by default (17 x 4 threads is
    68 database connections)."""
    return min(2 * (cpus or 1) + 1, MAX_DEFAULT_WORKERS)


def workers() -> int:
    return max(1, env_int("GUNICORN_WORKERS", default_workers(os.cpu_count())))


def threads() -> int:
    return max(1, env_int("GUNICORN_THREADS", THREADS))
