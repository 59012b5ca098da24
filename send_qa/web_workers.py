"""How many web workers and threads gunicorn runs (gunicorn.conf.py, docs/configuration.md).

Threads (gunicorn's gthread worker) let a worker answer other requests while one waits on the
database; processes let pages be rendered on every core at once. Each thread keeps its own
database connection, so the total stays well under PostgreSQL's usual 100 connections."""

import os

from send_qa.env import env_int

THREADS = 8
MAX_DEFAULT_WORKERS = 8


def default_workers(cpus: int | None) -> int:
    """One worker a core, at least two (one can restart while the other answers), at most 8
    by default (8 x 8 threads is 64 database connections)."""
    return max(2, min(cpus or 1, MAX_DEFAULT_WORKERS))


def workers() -> int:
    return max(1, env_int("GUNICORN_WORKERS", default_workers(os.cpu_count())))


def threads() -> int:
    return max(1, env_int("GUNICORN_THREADS", THREADS))
