"""The termly report: its PDF holds every section and the right values and never a case
reference; failures are shown; released files never change; the fetcher fetches nothing
from outside; who reads which version."""

import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from send_qa.reports.compile import report_compile
from send_qa.reports.markup import render
from send_qa.reports.models import NARRATIVE, Report, Version
from send_qa.reports.pdf import RefusedURL, StaticOnlyFetcher
from tests.audits.factories import PlanFactory
from tests.conflicts import assert_refused, page_version
from tests.kpis.factories import IndicatorFactory, MeasurementFactory
from tests.reports.factories import a_compiled_version, a_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(version: Version) -> str:
    reader = PdfReader(io.BytesIO((Path(settings.MEDIA_ROOT) / version.file).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_compiled_version_holds_every_section_and_the_kpi_values():
    report = a_report()
    report.working_well = "- Plans are **better** each term"
    report.save()
    indicator = IndicatorFactory(name="Annual reviews on time", code="AR_ON_TIME")
    MeasurementFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2025, 12, 31),
        period_label="Autumn 2025",
        value=Decimal("72.5"),
    )
    PlanFactory(case_reference="EHC-SECRET-77")
    version = report_compile(version_id=Version.objects.create(report=report, number=1).pk)
    assert version.status == Version.Status.DONE, version.error
    text = pdf_text(version)
    for heading in [
        "How are we doing?",
        "Our priorities",
        "Summary of evidence available in the period",
        "Review of performance",
        "What is working well?",
        "What are we worried about?",
        "Voices (children, families, professionals)",
        "Key performance indicators",
        "EHC plan audits",
        "Professional advice",
        "Moderation and scorer agreement",
        "Action plans",
        "Other information and emerging issues",
        "Recommendations",
        "Commentary from the SEND Strategic Partnership Board meeting",
    ]:
        assert heading in text, heading
    # The scorecard's columns are narrow: a long name may wrap onto a second line.
    assert "Annual reviews on time" in " ".join(text.split()) and "72.5%" in text
    assert "Plans are better each term" in text
    assert "EHC-SECRET-77" not in text
    stored = (Path(settings.MEDIA_ROOT) / version.file).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == version.checksum
    assert stored.startswith(b"%PDF")


def test_a_template_error_fails_with_its_message_and_leaves_no_file():
    from django.template import TemplateSyntaxError

    report = a_report()
    version = Version.objects.create(report=report, number=1)
    broken = mock.patch(
        "send_qa.reports.compile.render_to_string",
        side_effect=TemplateSyntaxError("Invalid block tag on line 7"),
    )
    with broken:
        version = report_compile(version_id=version.pk)
    assert version.status == Version.Status.FAILED
    assert version.error == "TemplateSyntaxError: Invalid block tag on line 7"
    assert not version.file
    assert not list((Path(settings.MEDIA_ROOT) / "reports").glob("*"))


def test_compiling_again_makes_a_new_file_and_never_touches_a_released_one():
    report = a_report()
    released = a_compiled_version(report, number=2, released=True)
    before = (Path(settings.MEDIA_ROOT) / released.file).read_bytes()
    again = report_compile(version_id=Version.objects.create(report=report, number=2).pk)
    assert again.file != released.file
    assert (Path(settings.MEDIA_ROOT) / released.file).read_bytes() == before
    assert report_compile(version_id=released.pk).file == released.file  # done: left alone


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/logo.png",
        "http://report.invalid/static/portal.css",
        "https://report.invalid/static/../../send_qa/settings.py",
        "https://report.invalid/media/reports/other.pdf",
        "ftp://report.invalid/static/portal.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(url):
    with pytest.raises((RefusedURL, ValueError)):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert fetcher.fetch("https://report.invalid/static/portal.css").content_type == "text/css"


def test_the_narrative_is_escaped_then_formatted():
    html = render("Hello <script>alert(1)</script>\n\n- one **two**\n- three")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<ul><li>one <strong>two</strong></li><li>three</li></ul>" in html


def test_who_reads_which_version(people, client_for):
    report = a_report()
    v1 = a_compiled_version(report, number=1)
    v2 = a_compiled_version(report, number=2, released=True)
    v3_draft = a_compiled_version(report, number=3)
    pdf = lambda v: reverse("reports:version_pdf", kwargs={"version_uuid": v.uuid})  # noqa: E731
    board, caseworker = client_for(people.board), client_for(people.caseworker)
    assert board.get(pdf(v2)).status_code == 200
    assert board.get(pdf(v1)).status_code == 404  # version 1 is SENDOPS's
    assert board.get(pdf(v3_draft)).status_code == 404  # not released
    assert caseworker.get(pdf(v2)).status_code == 404
    sendops = client_for(people.sendops)
    release = reverse("reports:version_release", kwargs={"version_uuid": v3_draft.uuid})
    refused = sendops.post(release, follow=True).content.decode()
    assert "Add the board&#x27;s commentary before version 3 is circulated" in refused
    commentary = reverse("reports:board_commentary", kwargs={"report_uuid": report.uuid})
    board.post(
        commentary,
        {
            "version": page_version(board.get(commentary)),
            "board_commentary": "The board welcomed the progress.",
        },
    )
    sendops.post(release)
    assert caseworker.get(pdf(v3_draft)).status_code == 200
    assert sendops.get(pdf(v1)).status_code == 200


def test_a_save_based_on_an_old_page_is_refused(people, client_for):
    report = a_report()
    url = reverse("reports:report_edit", kwargs={"report_uuid": report.uuid})
    client = client_for(people.sendops)
    fields = {name: "" for name, _ in NARRATIVE if name != "board_commentary"}
    base = {"purpose": report.purpose, "period_covered": "", "author": "", **fields}
    opened = page_version(client.get(url))
    client.post(url, {**base, "version": opened, "working_well": "First"})
    response = client.post(url, {**base, "version": opened, "working_well": "Second"})
    assert_refused(response, "report", url)
    assert "Second" in response.content.decode()  # what they typed is still on the page
    again = client.post(url, {**base, "version": opened, "working_well": "Second"})
    assert again.status_code == 409  # pressing Save again on the refused page is refused again
    report.refresh_from_db()
    assert report.working_well == "First"
    fresh = page_version(client.get(url))
    assert client.post(url, {**base, "version": fresh, "working_well": "Second"}).status_code == 302
    report.refresh_from_db()
    assert report.working_well == "Second"


def test_the_boards_commentary_saved_on_an_old_page_is_refused(people, client_for):
    report = a_report()
    url = reverse("reports:board_commentary", kwargs={"report_uuid": report.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    Report.objects.filter(pk=report.pk).update(board_commentary="From the meeting's chair")
    response = client.post(url, {"version": opened, "board_commentary": "Mine"})
    assert_refused(response, "report", url)
    report.refresh_from_db()
    assert report.board_commentary == "From the meeting's chair"
    fresh = page_version(client.get(url))
    assert client.post(url, {"version": fresh, "board_commentary": "Mine"}).status_code == 302
    report.refresh_from_db()
    assert report.board_commentary == "Mine"


def test_compiling_sends_the_job_after_the_transaction_commits(
    people, client_for, django_capture_on_commit_callbacks
):
    report = a_report()
    queued = mock.patch("send_qa.reports.tasks.compile_report.delay")
    with queued as delay, django_capture_on_commit_callbacks(execute=True):
        client_for(people.sendops).post(
            reverse("reports:version_compile", kwargs={"report_uuid": report.uuid}),
            {"number": "1"},
        )
    version = report.versions.get()
    delay.assert_called_once_with(version.pk)
    assert version.status == Version.Status.QUEUED


def test_a_draft_is_made_for_a_term_that_has_ended():
    from send_qa.core.models import Period, ensure_academic_year
    from send_qa.reports.models import Report

    ensure_academic_year(2025)
    assert Report.objects.drafts_for_ended_terms(on=datetime.date(2026, 1, 2)) == 1
    assert Period.objects.get(name="Autumn term 2025/26").report
    assert Report.objects.drafts_for_ended_terms(on=datetime.date(2026, 1, 3)) == 0


def test_the_command_compiles_a_version_to_a_file(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    a_report()
    target = tmp_path / "report.pdf"
    call_command(
        "compile_report",
        "--term",
        "Autumn term 2025/26",
        "--version",
        "2",
        "--sync",
        "--output",
        str(target),
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert "version 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No term called"):
        call_command("compile_report", "--term", "Winter", "--sync")


def test_a_compilation_whose_worker_died_is_marked_failed_not_left_running(settings):
    from django.utils import timezone

    from send_qa.reports.compile import versions_fail_stuck

    report = a_report()
    now = timezone.now()
    stuck = Version.objects.create(
        report=report,
        number=1,
        status=Version.Status.RUNNING,
        started_at=now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 61),
    )
    busy = Version.objects.create(
        report=report, number=1, status=Version.Status.RUNNING, started_at=now
    )
    assert versions_fail_stuck(now=now) == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == Version.Status.FAILED and "Try again" in stuck.error
    assert busy.status == Version.Status.RUNNING
    # And it can be compiled again: a running or failed version is picked up afresh.
    assert report_compile(version_id=stuck.pk).status == Version.Status.DONE


def test_the_temporary_file_of_a_killed_compilation_is_removed_once_stale(settings):
    import os

    from django.utils import timezone

    from send_qa.reports.compile import versions_fail_stuck

    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    stale, fresh, released = folder / ".old.part", folder / ".new.part", folder / "kept.pdf"
    for path in (stale, fresh, released):
        path.write_bytes(b"%PDF-")
    long_ago = (now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 61)).timestamp()
    os.utime(stale, (long_ago, long_ago))
    os.utime(released, (long_ago, long_ago))
    versions_fail_stuck(now=now)
    assert not stale.exists()
    assert fresh.exists(), "a compilation still within its time limit keeps its file"
    assert released.exists(), "finished reports are never removed"


def _structure_tags(node, tags: dict[str, list]) -> dict[str, list]:
    """Every structure element under `node`, by tag."""
    node = node.get_object()
    if hasattr(node, "keys"):
        if "/S" in node:
            tags.setdefault(node["/S"], []).append(node)
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            if hasattr(kid, "get_object"):
                _structure_tags(kid, tags)
    return tags


def test_the_pdf_is_tagged_for_accessibility_as_pdf_ua_asks():
    """The machine-checkable parts of PDF/UA-1: a tagged structure with headings, tables with
    header cells, lists and figures with alternative text; the language; the title shown."""
    report = a_report()
    indicator = IndicatorFactory(name="Annual reviews on time", code="AR_ON_TIME")
    for month, value in ((1, 60), (4, 64), (9, 70)):
        MeasurementFactory(
            indicator=indicator,
            period_start=datetime.date(2025, month, 1),
            period_end=datetime.date(2025, month + 2, 28),
            value=Decimal(value),
        )
    version = report_compile(version_id=Version.objects.create(report=report, number=1).pk)
    reader = PdfReader(io.BytesIO((Path(settings.MEDIA_ROOT) / version.file).read_bytes()))
    catalog = reader.trailer["/Root"]
    # pypdf's BooleanObject is always truthy: compare its value.
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    metadata = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfuaid:part="1"' in metadata
    assert "How are we doing? Autumn term 2025/26" in metadata
    tags = _structure_tags(catalog["/StructTreeRoot"], {})
    assert len(tags["/H1"]) == 1 and len(tags["/H2"]) >= len(NARRATIVE) // 2
    assert tags["/Table"] and tags["/TH"] and tags["/TD"]
    assert tags["/L"] and tags["/LI"]
    assert tags["/Figure"], "the KPI chart is a figure"
    for figure in tags["/Figure"]:
        assert str(figure.get("/Alt", "")).strip(), "every figure has alternative text"
