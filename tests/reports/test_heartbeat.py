"""A worker killed outright (issue 21): the running compile's heartbeat stops, and the beat
task, every minute, marks a version silent for 60 seconds failed, saying so on its page."""

import datetime
import time
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from send_qa.reports import compile as compiling
from send_qa.reports.compile import STOPPED, report_compile, versions_fail_stuck
from send_qa.reports.models import Version
from send_qa.reports.tasks import fail_stuck_reports
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _running(*, started: datetime.timedelta, beat: datetime.timedelta | None) -> Version:
    now = timezone.now()
    return Version.objects.create(
        report=a_report(),
        number=2,
        status=Version.Status.RUNNING,
        started_at=now - started,
        heartbeat_at=None if beat is None else now - beat,
    )


def test_a_running_version_whose_heartbeat_is_older_than_60_seconds_is_marked_failed():
    silent = _running(started=datetime.timedelta(seconds=90), beat=datetime.timedelta(seconds=61))
    assert versions_fail_stuck() == 1
    silent.refresh_from_db()
    assert silent.status == Version.Status.FAILED
    assert silent.error == STOPPED
    assert silent.finished_at is not None


def test_a_running_version_with_a_recent_heartbeat_goes_on():
    alive = _running(started=datetime.timedelta(seconds=200), beat=datetime.timedelta(seconds=20))
    assert versions_fail_stuck() == 0
    alive.refresh_from_db()
    assert alive.status == Version.Status.RUNNING


def test_a_version_that_never_beat_is_failed_a_minute_after_it_started():
    young = _running(started=datetime.timedelta(seconds=30), beat=None)
    assert versions_fail_stuck() == 0
    assert versions_fail_stuck(now=timezone.now() + datetime.timedelta(seconds=31)) == 1
    young.refresh_from_db()
    assert young.error == STOPPED


def test_the_report_page_says_the_compile_stopped(people, client_for):
    version = _running(started=datetime.timedelta(seconds=90), beat=datetime.timedelta(seconds=70))
    fail_stuck_reports()
    client = client_for(people.sendops)
    page = client.get(reverse("reports:report_detail", kwargs={"report_uuid": version.report.uuid}))
    html = page.content.decode()
    assert STOPPED in html
    assert reverse("reports:version_retry", kwargs={"version_uuid": version.uuid}) in html
    status = client.get(
        reverse("reports:report_status", kwargs={"report_uuid": version.report.uuid})
    )
    assert status.json()["message"] == "The compile of version 2 stopped: try again."


def test_beat_checks_for_stopped_compiles_every_minute():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == fail_stuck_reports.name
    )
    assert entry["schedule"].minute == set(range(60))


def test_the_compile_beats_while_it_makes_the_pdf(monkeypatch):
    """The heartbeat thread records a sign of life while the PDF is being made."""
    version = Version.objects.create(report=a_report(), number=1)
    monkeypatch.setattr(compiling, "HEARTBEAT_SECONDS", 0.01)
    beats = []
    real_filter = compiling.Version.objects.filter

    def slow_pdf(html: str) -> bytes:
        time.sleep(0.2)
        return b"%PDF-1.4 test"

    def watched_filter(*args, **kwargs):
        if kwargs.get("status") == Version.Status.RUNNING:
            beats.append(kwargs["pk"])
        return real_filter(*args, **kwargs)

    with (
        mock.patch.object(compiling, "html_to_pdf", slow_pdf),
        mock.patch.object(compiling, "report_html", lambda v: "<p>x</p>"),
        mock.patch.object(compiling.Version.objects, "filter", watched_filter),
    ):
        done = report_compile(version_id=version.pk)
    assert done.status == Version.Status.DONE
    assert beats and set(beats) == {version.pk}
