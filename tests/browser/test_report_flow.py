"""SENDOPS compile the termly report and release it to the board; a board member downloads the
PDF."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from send_qa.reports.models import Version
from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.reports.factories import a_compiled_version, a_report

DOWNLOAD_2 = re.compile(r"Download PDF\W+version 2")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sendops_compile_and_release_and_the_board_downloads_the_pdf(
    new_page, eager_celery, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    people = make_people()
    report = a_report()
    report.recommendations = "1. Recruit two more educational psychologists"
    report.save()
    page = new_page(people.sendops)
    page.goto(reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}))
    page.get_by_label("Version 2", exact=False).check()
    page.get_by_role("button", name="Compile").click()
    expect(page.get_by_role("link", name=DOWNLOAD_2)).to_be_visible()
    page.get_by_role("link", name="Release version 2").click()
    expect(
        page.get_by_role(
            "heading", name="Are you sure you want to release version 2 to the SEND Strategic"
        )
    ).to_be_visible()
    problems = axe_violations(page)
    page.get_by_role("button", name="Release version 2").click()
    expect(page.get_by_text("released").first).to_be_visible()
    problems += axe_violations(page)

    board = new_page(people.board)
    board.goto(reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}))
    with board.expect_download() as download:
        board.get_by_role("link", name=DOWNLOAD_2).click()
    path = download.value.path()
    pdf = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "How are we doing?" in text
    assert "Recruit two more educational psychologists" in text
    problems += axe_violations(board)
    assert not problems, "\n".join(problems)


def test_the_compile_status_updates_itself_and_the_pdf_link_appears(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = make_people()
    report = a_report()
    waiting = Version.objects.create(report=report, number=2)
    page = new_page(people.sendops)
    page.goto(reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}))
    status = page.get_by_role("status")
    expect(status).to_have_text("Version 2 is queued.")
    expect(page.get_by_text("to see the latest status")).to_be_hidden()  # JavaScript is on
    page.evaluate("window.notReloaded = true")
    Version.objects.filter(pk=waiting.pk).update(status=Version.Status.RUNNING)
    expect(status).to_have_text("Version 2 is being compiled.")
    problems = axe_violations(page)
    compiled = a_compiled_version(report, number=2)
    waiting.delete()
    expect(status).to_have_text("Version 2 has been compiled.")
    expect(page.get_by_role("link", name=DOWNLOAD_2)).to_be_visible()
    release = page.get_by_role("link", name="Release version 2").get_attribute("href")
    assert str(compiled.uuid) in release  # the swapped-in table is the server's new one
    assert page.evaluate("window.notReloaded") is True
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
