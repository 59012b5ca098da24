"""SENDOPS compile the termly report and release it to the board; a board member downloads the
PDF."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.reports.factories import a_report

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
    page.get_by_role("link", name="Refresh").click()
    assert page.get_by_role("link", name=DOWNLOAD_2).is_visible()
    page.get_by_role("link", name="Release version 2").click()
    assert page.get_by_role(
        "heading", name="Are you sure you want to release version 2 to the SEND Strategic"
    ).is_visible()
    problems = axe_violations(page)
    page.get_by_role("button", name="Release version 2").click()
    assert page.get_by_text("released").first.is_visible()
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
