"""Redis down (issue 21): a compile that cannot be queued is recorded as not sent and says
so, a beat task sends it again, and the board's scorecard is built without its cache."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from send_qa.reports.compile import NOT_SENT, versions_resend
from send_qa.reports.models import Version
from tests.kpis.factories import IndicatorFactory
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db

BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
CLOSED_PORT = "redis://127.0.0.1:1/1"  # nothing listens on port 1


def _compile(client, report):
    return client.post(
        reverse("reports:version_compile", kwargs={"report_uuid": report.uuid}), {"number": "2"}
    )


def test_a_compile_that_cannot_be_queued_is_recorded_as_not_sent_and_says_so(
    people, client_for, django_capture_on_commit_callbacks
):
    report = a_report()
    client = client_for(people.sendops)
    with (
        mock.patch("send_qa.reports.tasks.compile_report.delay", side_effect=BROKER_DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _compile(client, report)
    assert response.status_code == 302
    version = report.versions.get()
    assert version.status == Version.Status.NOT_SENT
    page = client.get(response["Location"]).content.decode()
    assert 'class="govuk-error-summary"' in page
    assert NOT_SENT in page
    assert reverse("reports:version_retry", kwargs={"version_uuid": version.uuid}) in page
    status = client.get(reverse("reports:report_status", kwargs={"report_uuid": report.uuid}))
    assert status.json() == {"waiting": False, "failed": True, "message": NOT_SENT}


def test_beat_sends_again_what_was_not_sent_or_was_queued_and_never_started(people):
    report = a_report()
    now = timezone.now()
    not_sent = Version.objects.create(report=report, number=1, status=Version.Status.NOT_SENT)
    lost = Version.objects.create(report=report, number=2)
    just_queued = Version.objects.create(report=report, number=3)
    running = Version.objects.create(
        report=report, number=1, status=Version.Status.RUNNING, started_at=now
    )
    Version.objects.filter(pk__in=[lost.pk, running.pk]).update(
        requested_at=now - datetime.timedelta(minutes=6)
    )
    queue = mock.Mock()
    assert versions_resend(queue, now=now) == 2
    assert sorted(call.args[0] for call in queue.call_args_list) == sorted([not_sent.pk, lost.pk])
    statuses = dict(Version.objects.values_list("pk", "status"))
    assert statuses[not_sent.pk] == statuses[lost.pk] == Version.Status.QUEUED
    assert statuses[just_queued.pk] == Version.Status.QUEUED
    assert statuses[running.pk] == Version.Status.RUNNING


def test_beat_leaves_a_version_not_sent_while_the_queue_is_still_down(people):
    version = Version.objects.create(report=a_report(), number=2, status=Version.Status.NOT_SENT)
    assert versions_resend(mock.Mock(side_effect=BROKER_DOWN)) == 0
    version.refresh_from_db()
    assert (version.status, version.error) == (Version.Status.NOT_SENT, NOT_SENT)


def test_the_scorecard_is_built_without_its_cache_when_redis_is_down(people, client_for, settings):
    indicator = IndicatorFactory()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT,
        }
    }
    response = client_for(people.board).get(reverse("kpis:scorecard"))
    assert response.status_code == 200
    assert indicator.name in response.content.decode()
    indicator.name = "Renamed while the cache is down"
    indicator.save()  # the cache's version token cannot change: saving goes on
    assert (
        indicator.name in client_for(people.board).get(reverse("kpis:scorecard")).content.decode()
    )
