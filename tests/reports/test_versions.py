"""Releasing, retrying and marking stuck versions of the report: the rules are the model's
and the services', called directly here; reading a page never changes anything."""

import datetime
import os
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from send_qa.reports.models import Version
from send_qa.reports.services import version_request, version_retry
from send_qa.reports.tasks import fail_stuck_reports
from tests.reports.factories import a_compiled_version, a_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_version_1_is_never_released(people):
    version = a_compiled_version(a_report(), number=1)
    with pytest.raises(PermissionDenied):
        version.release(by=people.sendops)
    version.refresh_from_db()
    assert not version.is_released


def test_version_3_is_released_only_with_the_boards_commentary(people):
    report = a_report()
    version = a_compiled_version(report, number=3)
    with pytest.raises(ValidationError, match="Add the board's commentary"):
        version.release(by=people.sendops)
    report.board_commentary = "The board welcomed the progress."
    report.save()
    version.refresh_from_db()
    assert version.release(by=people.sendops) is True
    version.refresh_from_db()
    assert version.is_released and version.released_by == people.sendops


def test_releasing_again_keeps_the_first_release(people):
    from send_qa.core.models import User

    version = a_compiled_version(a_report(), number=2)
    assert version.release(by=people.sendops) is True
    first = Version.objects.get(pk=version.pk)
    other = User.objects.create_user(email="second-releaser@example.org", password="x")
    assert Version.objects.get(pk=version.pk).release(by=other) is False
    again = Version.objects.get(pk=version.pk)
    assert (again.released_at, again.released_by) == (first.released_at, people.sendops)


def test_a_version_not_compiled_is_not_released(people):
    version = Version.objects.create(report=a_report(), number=2, status=Version.Status.FAILED)
    with pytest.raises(ValidationError, match="Only a compiled version"):
        version.release(by=people.sendops)


def test_a_request_queues_the_compilation_once_the_transaction_commits(
    people, django_capture_on_commit_callbacks
):
    report = a_report()
    with mock.patch("send_qa.reports.tasks.compile_report.delay") as delay:
        with django_capture_on_commit_callbacks() as callbacks:
            version = version_request(report=report, number=2, by=people.sendops)
        delay.assert_not_called()  # the worker must find the version when it starts
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(version.pk)
    assert (version.status, version.requested_by) == (Version.Status.QUEUED, people.sendops)


@pytest.mark.parametrize(
    "status", [Version.Status.FAILED, Version.Status.RUNNING, Version.Status.NOT_SENT]
)
def test_a_version_that_did_not_finish_is_tried_again(status, django_capture_on_commit_callbacks):
    version = Version.objects.create(
        report=a_report(), number=1, status=status, error="MemoryError: out of memory"
    )
    with (
        mock.patch("send_qa.reports.tasks.compile_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        version_retry(version=version)
    delay.assert_called_once_with(version.pk)
    version.refresh_from_db()
    assert (version.status, version.error) == (Version.Status.QUEUED, "")


def test_a_compiled_version_is_never_compiled_over(django_capture_on_commit_callbacks):
    version = a_compiled_version(a_report(), number=2, released=True)
    with (
        mock.patch("send_qa.reports.tasks.compile_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="compile a new one instead"),
    ):
        version_retry(version=version)
    delay.assert_not_called()
    version.refresh_from_db()
    assert version.status == Version.Status.DONE


@pytest.fixture
def stuck():
    """A compilation whose worker was killed long ago, with the temporary file it left."""
    report = a_report()
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 120)
    version = Version.objects.create(
        report=report, number=1, status=Version.Status.RUNNING, started_at=long_ago
    )
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / ".killed.part"
    partial.write_bytes(b"%PDF-")
    os.utime(partial, (long_ago.timestamp(), long_ago.timestamp()))
    return version, partial


def test_reading_the_report_pages_changes_nothing(stuck, people, client_for):
    version, partial = stuck
    done = a_compiled_version(version.report, number=2, released=True)
    pages = [
        reverse("reports:report_list"),
        reverse("reports:report_detail", kwargs={"report_uuid": version.report.uuid}),
        reverse("reports:report_history", kwargs={"report_uuid": version.report.uuid}),
        reverse("reports:version_pdf", kwargs={"version_uuid": done.uuid}),
    ]
    for person in (people.sendops, people.board):
        client = client_for(person)
        for url in pages:
            assert client.get(url).status_code in (200, 403)
    version.refresh_from_db()
    assert (version.status, version.error, version.finished_at) == (
        Version.Status.RUNNING,
        "",
        None,
    )
    assert partial.exists()


def test_the_beat_task_marks_a_killed_compilation_failed_and_removes_its_file(stuck):
    version, partial = stuck
    assert fail_stuck_reports() == 1
    version.refresh_from_db()
    assert version.status == Version.Status.FAILED and "Try again" in version.error
    assert not partial.exists()


def test_beat_runs_the_stuck_compilations_task():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert fail_stuck_reports.name in scheduled
