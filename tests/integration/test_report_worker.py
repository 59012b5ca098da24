"""A real Celery worker compiles the termly report to PDF through the real Redis broker, reading
the test database."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from send_qa.celery import app
from send_qa.reports.models import Version
from send_qa.reports.services import version_request
from tests.reports.factories import a_report

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def start_worker(**env) -> subprocess.Popen:
    """A real worker process on the test database and broker, once it answers a ping."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
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
        env={
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=1):
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {process.stdout.read()}")
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def workers(settings, tmp_path):
    """Starts workers on demand, with a media folder of this test's own, and stops whichever
    are left at the end."""
    settings.MEDIA_ROOT = tmp_path
    app.control.purge()
    started: list[subprocess.Popen] = []

    def start(**env) -> subprocess.Popen:
        started.append(start_worker(**env))
        return started[-1]

    yield start
    for process in started:
        stop(process)


def wait_for(version: Version, statuses: set[str], seconds: float = 90) -> Version:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in statuses:
            break
        time.sleep(0.05)
    return version


FINISHED = {Version.Status.DONE, Version.Status.FAILED}
PARAGRAPHS = 300


def test_a_real_worker_compiles_the_report(workers, people):
    workers()
    report = a_report()
    report.recommendations = "1. Note current performance"
    report.save()
    version = version_request(report=report, number=1, by=people.sendops)  # sent on commit
    version = wait_for(version, FINISHED)
    assert version.status == Version.Status.DONE, version.error or "still " + version.status
    pdf = PdfReader(io.BytesIO((Path(settings.MEDIA_ROOT) / version.file).read_bytes()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "How are we doing?" in text and "Note current performance" in text


def test_a_worker_killed_mid_compile_leaves_no_file_and_the_job_is_picked_up_again(workers, people):
    report = a_report()
    # A long narrative (a 15-page report), so that the compilation is still running when its worker is
    # killed: it runs for seconds, the test looks every 50 ms. Longer only slows the recompile.
    report.working_well = "\n\n".join(
        f"{n}. Plans written with families show what matters to the child."
        for n in range(PARAGRAPHS)
    )
    report.save()
    # Redis hands an unacknowledged job to the next worker to start once this has passed.
    first = workers(CELERY_VISIBILITY_TIMEOUT="2")
    version = version_request(report=report, number=1, by=people.sendops)
    version = wait_for(version, {Version.Status.RUNNING, *FINISHED})
    assert version.status == Version.Status.RUNNING, "the compilation should still be running"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)

    folder = Path(settings.MEDIA_ROOT) / "reports"
    version.refresh_from_db()
    assert version.status == Version.Status.RUNNING and not version.file
    assert [p.name for p in folder.glob("*") if not p.name.startswith(".")] == [], (
        "a killed worker must leave no report file, only a hidden temporary one at most"
    )

    time.sleep(2.5)  # past the visibility timeout: the job is unacknowledged, not lost
    workers(CELERY_VISIBILITY_TIMEOUT="2")
    version = wait_for(version, FINISHED, seconds=120)
    assert version.status == Version.Status.DONE, version.error or "still " + version.status
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO((Path(settings.MEDIA_ROOT) / version.file).read_bytes())
        ).pages
    )
    assert text.count("Plans written with families") == PARAGRAPHS
