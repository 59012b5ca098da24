"""A whole term's export is prepared in the background (issue 22): the link queues a job when
the export is large, its page says how far it has got (and to refresh without JavaScript),
and only the person who asked may download the file, while their role still allows it,
until it expires."""

import datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from audits.exports import AUDITS
from send_qa.core import exports
from send_qa.core.exports import (
    NOT_SENT,
    export_ask,
    export_kind,
    export_make,
    export_status,
    exports_remove_expired,
)
from send_qa.core.models import AccessEvent, Export, Period, ensure_academic_year
from send_qa.core.roles import Role
from send_qa.core.tables import Table, table_content
from tests.audits.factories import AuditFactory
from tests.exports import csv_parts, xlsx_parts
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    ensure_academic_year(2025)
    return Period.objects.terms().first()


@pytest.fixture
def large(monkeypatch):
    """Every export counts as large: the job, not the request, makes the file."""
    monkeypatch.setattr(exports, "DIRECT_ROWS", 0)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def audits_in(term, count: int) -> None:
    for _ in range(count):
        AuditFactory(term=term)


def asked(client, term, fmt="xlsx", capture=None):
    """Follow the export link to its "Prepare the file" page, and press the button."""
    page = client.get(reverse(f"audits:export_{fmt}"), {"term": term.uuid})
    assert page.status_code == 200 and not page.has_header("Content-Disposition")
    assert "Prepare the file" in page.content.decode()
    with capture(execute=True):
        response = client.post(
            reverse("core:export_new"), {"kind": AUDITS, "fmt": fmt, "term": term.uuid}
        )
    assert response.status_code == 302
    return Export.objects.get(uuid=response.url.rstrip("/").split("/")[-1])


def test_a_small_export_is_given_at_once(term, people, client_for):
    audits_in(term, 2)
    response = client_for(people.sendops).get(reverse("audits:export_csv"), {"term": term.uuid})
    assert response.has_header("Content-Disposition")
    assert len(csv_parts(response)[1]) == 3  # the header and two audits
    assert not Export.objects.exists()
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT, record="audits").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_job_makes_the_same_file_as_the_request(
    fmt,
    term,
    people,
    client_for,
    eager_celery,
    private_media,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    audits_in(term, 3)
    client = client_for(people.sendops)
    at_once = client.get(reverse(f"audits:export_{fmt}"), {"term": term.uuid})
    monkeypatch.setattr(exports, "DIRECT_ROWS", 0)
    export = asked(client, term, fmt, django_capture_on_commit_callbacks)
    assert export.status == Export.Status.DONE and export.requested_by == people.sendops
    assert export.rows_total == export.rows_done == 3
    assert export.expires_at == export.finished_at + Export.KEPT_FOR
    assert (Path(private_media) / export.file).is_relative_to(Path(private_media) / "exports")
    assert (Path(private_media) / export.file).exists(), "kept in the default storage"
    before = AccessEvent.objects.count()
    downloaded = client.get(reverse("core:export_download", kwargs={"export_uuid": export.uuid}))
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].endswith(f'filename="{export.filename}"')
    assert export.filename == f"ehcp-audits-{slugify(term.name)}.{fmt}"
    the_file = HttpResponse(b"".join(downloaded.streaming_content))  # read as every export
    parts = csv_parts if fmt == "csv" else xlsx_parts
    (about, table), (about_now, table_now) = parts(the_file), parts(at_once)
    assert table == table_now and len(table) == 4
    assert about[:2] == about_now[:2] == ["EHCP audits", f"Term: {term.name}"]
    assert about[2].startswith("Exported ")
    logged = AccessEvent.objects.order_by("-pk")[: AccessEvent.objects.count() - before]
    assert [(e.kind, e.record, e.reference, e.user) for e in logged] == [
        (AccessEvent.Kind.EXPORT, "audits", str(export.uuid), people.sendops)
    ]


def test_its_page_waits_then_offers_the_download_without_javascript(
    term, people, client_for, large
):
    audits_in(term, 1)
    kind = export_kind(AUDITS)
    export = export_ask(
        kind=kind,
        fmt="xlsx",
        filters={"term": str(term.uuid)},
        by=people.sendops,
        queue=lambda pk: None,
    )
    client = client_for(people.sendops)
    url = reverse("core:export", kwargs={"export_uuid": export.uuid})
    status_url = reverse("core:export_status", kwargs={"export_uuid": export.uuid})
    html = client.get(url).content.decode()
    assert f'data-job-status-url="{status_url}"' in html
    assert "Waiting to prepare the file…" in html
    assert f'href="{url}">Refresh the page</a>' in html  # works without JavaScript
    assert "Download" not in html
    assert client.get(status_url).json() == {
        "waiting": True,
        "failed": False,
        "message": "Waiting to prepare the file…",
    }
    export_make(export_id=export.pk)
    html = client.get(url).content.decode()
    assert "data-job-status-url" not in html and "The file is ready: 1 audits." in html
    assert reverse("core:export_download", kwargs={"export_uuid": export.uuid}) in html
    assert client.get(status_url).json()["waiting"] is False


def test_asking_twice_queues_one_job(term, people, large):
    sent = []
    kind = export_kind(AUDITS)
    filters = {"term": str(term.uuid)}
    first = export_ask(kind=kind, fmt="csv", filters=filters, by=people.sendops, queue=sent.append)
    again = export_ask(kind=kind, fmt="csv", filters=filters, by=people.sendops, queue=sent.append)
    other = export_ask(kind=kind, fmt="xlsx", filters=filters, by=people.sendops, queue=sent.append)
    assert again == first and other != first
    assert Export.objects.count() == 2


def test_a_queue_that_cannot_be_reached_fails_the_export(
    term, people, django_capture_on_commit_callbacks
):
    def unreachable(pk: int) -> None:
        raise ConnectionError("no broker")

    with django_capture_on_commit_callbacks(execute=True):
        export = export_ask(
            kind=export_kind(AUDITS),
            fmt="csv",
            filters={"term": str(term.uuid)},
            by=people.sendops,
            queue=unreachable,
        )
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and export.failure == NOT_SENT
    status = export_status(export)
    assert status.failed and not status.waiting and NOT_SENT in status.message


def test_progress_is_told_as_rows_are_written(term, people, monkeypatch):
    monkeypatch.setattr("send_qa.core.tables.PROGRESS_EVERY", 2)
    told: list[int] = []
    table = Table(["A"], [[n] for n in range(5)], "x")
    table_content(table, "xlsx", told.append)
    table_content(table, "csv", told.append)
    assert told == [2, 4, 2, 4]
    export = Export.objects.create(
        kind=AUDITS,
        fmt="xlsx",
        title="EHCP audits",
        requested_by=people.sendops,
        status=Export.Status.RUNNING,
        rows_total=1056,
        rows_done=250,
    )
    assert export_status(export).message == "Preparing the file: 250 of 1,056 audits written…"
    assert export_status(export).waiting


def test_a_job_lost_for_half_an_hour_says_so(term, people):
    export = Export.objects.create(
        kind=AUDITS, fmt="csv", title="EHCP audits", requested_by=people.sendops
    )
    Export.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    export.refresh_from_db()
    assert export_status(export).failed


def ready_export(term, person) -> Export:
    export = export_ask(
        kind=export_kind(AUDITS),
        fmt="csv",
        filters={"term": str(term.uuid)},
        by=person,
        queue=lambda pk: None,
    )
    return export_make(export_id=export.pk)


def test_only_the_person_who_asked_may_see_or_download_it(term, people, client_for, private_media):
    export = ready_export(term, people.sendops)
    colleague = UserFactory(roles=[Role.SENDOPS])
    for name in ("core:export", "core:export_status", "core:export_download"):
        url = reverse(name, kwargs={"export_uuid": export.uuid})
        assert client_for(colleague).get(url).status_code == 404
        assert client_for(people.sendops).get(url).status_code == 200
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT, user=colleague).exists()


def test_nobody_whose_role_was_removed_may_download_it(term, people, client_for, private_media):
    export = ready_export(term, people.sendops)
    client = client_for(people.sendops)
    download = reverse("core:export_download", kwargs={"export_uuid": export.uuid})
    people.sendops.set_roles([Role.BOARD])
    assert client.get(download).status_code == 404
    assert (
        client.get(reverse("core:export", kwargs={"export_uuid": export.uuid})).status_code == 404
    )


def test_a_job_asked_for_by_someone_who_has_since_lost_the_role_makes_no_file(
    term, people, private_media
):
    export = export_ask(
        kind=export_kind(AUDITS),
        fmt="csv",
        filters={"term": str(term.uuid)},
        by=people.sendops,
        queue=lambda pk: None,
    )
    people.sendops.set_roles([Role.BOARD])
    made = export_make(export_id=export.pk)
    assert made.status == Export.Status.FAILED and not made.file


def test_nobody_may_ask_for_an_export_their_role_does_not_allow(term, people, client_for):
    for person in (people.board, people.auditor):
        response = client_for(person).post(
            reverse("core:export_new"), {"kind": AUDITS, "fmt": "csv", "term": term.uuid}
        )
        assert response.status_code == 404
    response = client_for(people.sendops).post(
        reverse("core:export_new"), {"kind": "no-such-kind", "fmt": "csv"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_an_expired_export_is_not_given_and_is_removed_with_its_file(
    term, people, client_for, private_media
):
    old = ready_export(term, people.sendops)
    fresh = ready_export(term, people.sendops)
    assert fresh == old  # the same ask, still ready
    newer = export_make(
        export_id=export_ask(
            kind=export_kind(AUDITS),
            fmt="xlsx",
            filters={"term": str(term.uuid)},
            by=people.sendops,
            queue=lambda pk: None,
        ).pk
    )
    Export.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    old.refresh_from_db()
    client = client_for(people.sendops)
    response = client.get(reverse("core:export_download", kwargs={"export_uuid": old.uuid}))
    assert response.status_code == 404
    assert "This file has expired. Export again." in response.content.decode()
    assert default_storage.exists(old.file)
    assert exports_remove_expired() == 1
    assert not default_storage.exists(old.file) and not Export.objects.filter(pk=old.pk).exists()
    assert default_storage.exists(newer.file) and Export.objects.filter(pk=newer.pk).exists()


def test_the_pages_run_a_fixed_number_of_queries(term, people, client_for, private_media):
    audits_in(term, 1)
    export = ready_export(term, people.sendops)
    client = client_for(people.sendops)
    page = reverse("core:export", kwargs={"export_uuid": export.uuid})
    status = reverse("core:export_status", kwargs={"export_uuid": export.uuid})
    few = page_queries(client, page), page_queries(client, status)
    audits_in(term, 5)
    for _ in range(5):
        Export.objects.create(kind=AUDITS, fmt="csv", title="x", requested_by=people.sendops)
    assert (page_queries(client, page), page_queries(client, status)) == few


def test_the_prepare_page_counts_the_audits_in_a_fixed_number_of_queries(
    term, people, client_for, large
):
    audits_in(term, 1)
    client = client_for(people.sendops)
    url = f"{reverse('audits:export_xlsx')}?term={term.uuid}"
    few = page_queries(client, url)
    audits_in(term, 10)
    assert page_queries(client, url) == few
    assert "This export holds 11 audits" in client.get(url).content.decode()
