"""A whole term's audit export, prepared in the background: the link offers to prepare it, the
button queues it, its page says how far it has got and swaps in the download when it is
ready (without a reload), and the download is the file."""

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.core import export_views, exports
from send_qa.core.exports import export_make
from send_qa.core.models import Export, Period, ensure_academic_year
from tests.audits.factories import AuditFactory
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_export_is_queued_then_downloaded_when_ready(new_page, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "DIRECT_ROWS", 1)
    queued: list[int] = []  # the worker, played by the test below
    monkeypatch.setattr(export_views, "make_export", SimpleNamespace(delay=queued.append))
    people = make_people()
    ensure_academic_year(2025)
    term = Period.objects.terms().first()
    for _ in range(3):
        AuditFactory(term=term)
    page = new_page(people.sendops)
    page.goto(f"{reverse('audits:export_csv')}?term={term.uuid}")
    expect(page.get_by_text("This export holds 3 audits")).to_be_visible()
    page.get_by_role("button", name="Prepare the file").click()
    status = page.get_by_role("status")
    expect(status).to_have_text("Waiting to prepare the file…")
    expect(page.get_by_text("to see the latest status")).to_be_hidden()  # JavaScript is on
    page.evaluate("window.notReloaded = true")
    problems = axe_violations(page)
    (export_id,) = queued
    export_make(export_id=export_id)
    download = page.get_by_role("link", name="Download")
    expect(download).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
    with page.expect_download() as waiting:
        download.click()
    export = Export.objects.get(pk=export_id)
    assert waiting.value.suggested_filename == export.filename
    lines = list(csv.reader(io.StringIO(Path(waiting.value.path()).read_text(encoding="utf-8"))))
    assert lines[:2] == [["EHCP audits"], [f"Term: {term.name}"]]
    assert len(lines[lines.index([]) + 1 :]) == 4  # the header and three audits
