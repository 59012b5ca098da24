"""Recalculating the computed indicators is a tracked job (issue 20, item 9): asking records it,
the job records when it started and how it ended, and its page's status region polls a JSON
twin with the page's own permissions; a second ask while one waits queues nothing."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.models import Recalculation
from kpis.services import recalculation_ask
from kpis.tasks import recalculate_indicators

pytestmark = pytest.mark.django_db
DELAY = "kpis.tasks.recalculate_indicators.delay"


def _status(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_job_records_when_it_started_and_how_many_values_it_updated(people):
    record = Recalculation.objects.create(requested_by=people.sendops)
    assert record.job_status.waiting
    with mock.patch("kpis.computed.computed_recalculate", return_value=23):
        assert recalculate_indicators.run(record.pk) == 23
    record.refresh_from_db()
    assert record.status == Recalculation.Status.DONE
    assert record.started_at <= record.finished_at
    assert record.values_updated == 23
    status = record.job_status
    assert not status.waiting and not status.failed
    assert status.message.startswith("Recalculated at ")
    assert status.message.endswith(": 23 values updated.")


def test_a_failed_job_is_recorded_as_failed(people):
    record = Recalculation.objects.create(requested_by=people.sendops)
    broken = mock.patch("kpis.computed.computed_recalculate", side_effect=RuntimeError("boom"))
    with broken, pytest.raises(RuntimeError):
        recalculate_indicators.run(record.pk)
    record.refresh_from_db()
    assert record.status == Recalculation.Status.FAILED and record.finished_at
    status = record.job_status
    assert status.failed and not status.waiting
    assert status.message.startswith("Failed at ") and "boom" not in status.message


def test_the_nightly_job_without_a_record_still_recalculates():
    with mock.patch("kpis.computed.computed_recalculate", return_value=0) as run:
        assert recalculate_indicators.run() == 0
    assert run.called and not Recalculation.objects.exists()


def test_a_second_ask_while_one_waits_queues_nothing(people, django_capture_on_commit_callbacks):
    with mock.patch(DELAY) as delay, django_capture_on_commit_callbacks(execute=True):
        first, queued = recalculation_ask(by=people.sendops)
        again, queued_again = recalculation_ask(by=people.sendops)
    assert queued and not queued_again and again == first
    delay.assert_called_once_with(first.pk)
    first.mark_started()
    assert recalculation_ask(by=people.sendops) == (first, False)
    first.mark_finished(3)
    with mock.patch(DELAY), django_capture_on_commit_callbacks(execute=True):
        later, queued_later = recalculation_ask(by=people.sendops)
    assert queued_later and later != first


def test_a_lost_job_does_not_block_the_next_ask(people):
    lost = Recalculation.objects.create(requested_by=people.sendops)
    Recalculation.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    lost.refresh_from_db()
    assert lost.job_status.failed and not lost.job_status.waiting
    with mock.patch(DELAY):
        assert recalculation_ask(by=people.sendops)[1]


def test_an_unreachable_worker_is_recorded_as_a_failure(people, django_capture_on_commit_callbacks):
    with mock.patch(DELAY, side_effect=OSError), django_capture_on_commit_callbacks(execute=True):
        record, _ = recalculation_ask(by=people.sendops)
    record.refresh_from_db()
    assert record.status == Recalculation.Status.FAILED
    assert "background worker could not be reached" in record.job_status.message


def test_the_page_after_recalculate_polls_its_status(
    people, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.sendops)
    page = reverse("kpis:recalculation")
    status_url = reverse("kpis:recalculation_status")
    with mock.patch(DELAY) as delay, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kpis:recalculate"))
    assert response.status_code == 302 and response["Location"] == page
    assert delay.call_count == 1
    html = client.get(page).content.decode()
    assert f'data-job-status-url="{status_url}"' in html
    assert 'role="status" aria-live="polite"' in html and "to see the latest status." in html
    assert "Refresh the scorecard in a minute" not in html
    assert _status(client.get(status_url)) == {
        "waiting": True,
        "failed": False,
        "message": "Waiting to recalculate the computed indicators…",
    }
    scorecard = client.get(reverse("kpis:scorecard")).content.decode()
    assert "see how far it has got" in scorecard and f'href="{page}"' in scorecard
    Recalculation.objects.get().mark_started()
    assert _status(client.get(status_url))["message"] == "Recalculating the computed indicators…"

    with mock.patch(DELAY) as delay, django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("kpis:recalculate"), follow=True)
    assert delay.call_count == 0 and Recalculation.objects.count() == 1
    assert "A recalculation is already running" in again.content.decode()

    Recalculation.objects.get().mark_finished(1)
    ended = _status(client.get(status_url))
    assert not ended["waiting"] and ended["message"].endswith(": 1 value updated.")
    html = client.get(page).content.decode()
    assert "data-job-status-url" not in html and ended["message"] in html
    assert "see how far it has got" not in client.get(reverse("kpis:scorecard")).content.decode()


@pytest.mark.parametrize("role", ["board", "auditor", "action_owner"])
def test_only_those_who_may_recalculate_see_its_status(people, client_for, role):
    Recalculation.objects.create(requested_by=people.sendops)
    client = client_for(getattr(people, role))
    assert client.get(reverse("kpis:recalculation_status")).status_code == 403
    assert client.get(reverse("kpis:recalculation")).status_code == 403
