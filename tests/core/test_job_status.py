"""Pages that wait on a background job update themselves (issue 20, item 9): while the job is
queued or running, the page has a status region that static/js/job-status.mjs polls through a
JSON twin with the page's own permissions; without JavaScript it says to refresh."""

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import Import
from send_qa.reports.models import Version
from send_qa.reports.progress import compile_status
from tests.reports.factories import a_compiled_version, a_report

pytestmark = pytest.mark.django_db
REFRESH = "to see the latest status."


def _status(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_compile_status_names_what_is_waiting_then_how_it_ended():
    report = a_report()
    assert compile_status(report.versions.all()) is None
    queued = Version.objects.create(report=report, number=2)
    running = Version.objects.create(report=report, number=3, status=Version.Status.RUNNING)
    status = compile_status(report.versions.all())
    assert status.waiting
    assert status.message == "Version 2 is queued. Version 3 is being compiled."
    Version.objects.filter(pk=queued.pk).update(
        status=Version.Status.DONE, finished_at=timezone.now()
    )
    assert compile_status(report.versions.all()).message == "Version 3 is being compiled."
    Version.objects.filter(pk=running.pk).update(
        status=Version.Status.FAILED, finished_at=timezone.now()
    )
    ended = compile_status(report.versions.all())
    assert not ended.waiting and ended.failed
    assert ended.message == "Version 3 could not be compiled."


def test_the_report_page_polls_while_a_version_compiles(people, client_for):
    report = a_report()
    client = client_for(people.sendops)
    detail = reverse("reports:report_detail", kwargs={"report_uuid": report.uuid})
    status_url = reverse("reports:report_status", kwargs={"report_uuid": report.uuid})
    version = Version.objects.create(report=report, number=2)
    html = client.get(detail).content.decode()
    assert f'data-job-status-url="{status_url}"' in html
    assert 'role="status" aria-live="polite"' in html and REFRESH in html
    assert 'id="versions" data-job-result' in html
    assert _status(client.get(status_url)) == {
        "waiting": True,
        "failed": False,
        "message": "Version 2 is queued.",
    }
    Version.objects.filter(pk=version.pk).update(
        status=Version.Status.DONE, finished_at=timezone.now()
    )
    assert _status(client.get(status_url))["message"] == "Version 2 has been compiled."
    assert "data-job-status-url" not in client.get(detail).content.decode()  # nothing to wait on


def test_the_board_learns_nothing_of_a_draft_from_the_status(people, client_for):
    report = a_report()
    a_compiled_version(report, number=2, released=True)
    Version.objects.create(report=report, number=3, status=Version.Status.RUNNING)
    client = client_for(people.board)
    status_url = reverse("reports:report_status", kwargs={"report_uuid": report.uuid})
    assert _status(client.get(status_url))["waiting"] is False
    detail = reverse("reports:report_detail", kwargs={"report_uuid": report.uuid})
    assert "data-job-status-url" not in client.get(detail).content.decode()


@pytest.mark.parametrize(
    ("progress", "done", "total", "waiting", "message"),
    [
        ("saved", 0, 0, True, "The comparators are waiting to be worked out."),
        ("computing", 3, 12, True, "Working out the comparators: 3 of 12 indicators."),
        ("done", 12, 12, False, "The comparators have been worked out."),
        ("failed", 3, 12, False, "The comparators could not be worked out."),
    ],
)
def test_an_import_page_polls_while_its_comparators_are_worked_out(
    people, client_for, progress, done, total, waiting, message
):
    record = Import.objects.create(
        kind=Import.Kind.DFE_TABLE,
        source="caseload",
        file_name="caseload.csv",
        sha256="0" * 64,
        progress=progress,
        steps_done=done,
        steps_total=total,
    )
    client = client_for(people.sendops)
    status_url = reverse("benchmarks:import_status", kwargs={"pk": record.pk})
    status = _status(client.get(status_url))
    assert (status["waiting"], status["message"]) == (waiting, message)
    assert status["failed"] == (progress == "failed")
    html = client.get(reverse("benchmarks:import_detail", kwargs={"pk": record.pk})).content
    assert (f'data-job-status-url="{status_url}"' in html.decode()) == waiting
    assert (REFRESH in html.decode()) == waiting
