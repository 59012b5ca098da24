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
from send_qa.reports.compile import version_request
from send_qa.reports.models import Version
from tests.reports.factories import a_report

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
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
        env={**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=1):
        if process.poll() is not None:
            pytest.fail(f"the worker stopped: {process.stdout.read()}")
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_compiles_the_report(worker, people):
    report = a_report()
    report.recommendations = "1. Note current performance"
    report.save()
    version = version_request(report, number=1, by=people.sendops)  # sent on commit
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in (Version.Status.DONE, Version.Status.FAILED):
            break
        time.sleep(0.5)
    assert version.status == Version.Status.DONE, version.error or "still " + version.status
    pdf = PdfReader(io.BytesIO((Path(settings.MEDIA_ROOT) / version.file).read_bytes()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "How are we doing?" in text and "Note current performance" in text
