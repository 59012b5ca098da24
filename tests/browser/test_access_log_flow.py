"""An admin searches the access log by a record and pages through it with Next and Previous,
the filters kept, and each page passes axe."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.core.access_log import EVENTS_PER_PAGE
from send_qa.core.models import AccessEvent
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RECORD = "3f2c9a64-1b7e-4c55-9d0a-7e8f6a1b2c3d"


def test_an_admin_searches_by_record_and_pages_through_the_log(new_page):
    people = make_people()
    start = datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=people.auditor,
            kind=AccessEvent.Kind.RECORD_VIEWED,
            record="audit",
            reference=RECORD if n % 2 else "",
            at=start + datetime.timedelta(minutes=n),
        )
        for n in range(2 * EVENTS_PER_PAGE + 4)
    )
    page = new_page(people.admin)
    page.goto(reverse("core:access_log"))
    page.get_by_label("Record's reference (optional)").fill(RECORD[:8].upper())
    page.get_by_role("button", name="Apply filters").click()
    caption = page.locator("caption")
    assert caption.inner_text() == f"{EVENTS_PER_PAGE + 2} events"
    problems = axe_violations(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert "before=" in page.url and f"record={RECORD[:8].upper()}" in page.url
    assert page.locator("tbody tr").count() == 2
    problems += axe_violations(page)
    page.get_by_role("link", name="Previous page").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    assert "after=" in page.url
    assert page.locator("tbody tr").count() == EVENTS_PER_PAGE
    assert not problems, "\n".join(problems)
