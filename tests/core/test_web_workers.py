"""gunicorn's production setting (gunicorn.conf.py), read as gunicorn reads it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from send_qa.web_workers import THREADS, default_workers

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_config(**environ: str) -> dict[str, str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--print-config",
            "-c",
            "gunicorn.conf.py",
            "send_qa.wsgi",
        ],
        cwd=ROOT,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


@pytest.mark.parametrize(
    ("cpus", "workers"), [(None, 3), (1, 3), (2, 5), (4, 9), (8, 17), (64, 17)]
)
def test_twice_the_cores_plus_one_at_most_seventeen(cpus, workers):
    assert default_workers(cpus) == workers


def test_the_default_database_connections_stay_under_postgresqls_hundred():
    """Every thread of every worker may hold a connection; the worker and beat hold 3 more."""
    assert default_workers(1024) * THREADS + 3 < 100


def test_gunicorn_runs_threaded_workers_sized_to_the_cores():
    config = gunicorn_config()
    assert config["worker_class"] == "gthread"
    assert config["workers"] == str(default_workers(os.cpu_count()))
    assert config["threads"] == str(THREADS)


def test_the_environment_sets_the_workers_and_threads():
    config = gunicorn_config(GUNICORN_WORKERS="3", GUNICORN_THREADS="5", GUNICORN_TIMEOUT="45")
    assert (config["workers"], config["threads"], config["timeout"]) == ("3", "5", "45")
