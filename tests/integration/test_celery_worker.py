"""A real Celery worker process runs tasks through the real Redis broker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from send_qa.celery import app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "integration tests need Redis"
    # Earlier tests that commit (the browser's) queue background jobs, such as recalculating
    # the computed indicators, that no worker took: start from an empty queue.
    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "send_qa",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {process.stdout.read()}")
        if app.control.ping(timeout=1):
            break
    else:
        process.kill()
        pytest.fail("the worker did not answer within 60 seconds")
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_runs_a_task_through_redis(worker):
    # Celery's own side-effect-free task, which every worker knows: it returns its arguments.
    result = app.send_task("celery.accumulate", args=(2, 3))
    assert result.get(timeout=30) == [2, 3]
    assert result.successful()


def test_tasks_are_acknowledged_late_and_redelivered_if_the_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
