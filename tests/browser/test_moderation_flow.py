"""SENDOPS set up a moderation session and draw its sample; a moderator sees codes only."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.audits.factories import PlanFactory
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sendops_draw_a_sample_and_a_moderator_sees_only_codes(new_page):
    from send_qa.core.models import ensure_academic_year

    ensure_academic_year(2026)
    people = make_people()
    plans = [PlanFactory(primary_need=need) for need in ["ASD", "SEMH", "SLCN"] * 3]
    page = new_page(people.sendops)
    page.goto(reverse("audits:moderation_list"))
    page.get_by_role("button", name="Set up a session").click()
    page.get_by_role("button", name="Save session").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the date of the meeting" in summary.inner_text()
    assert "Select the members of the moderation group" in summary.inner_text()
    problems = axe_violations(page)
    date = page.get_by_role("group", name="Date of the meeting")
    for part, typed in [("Day", "1"), ("Month", "12"), ("Year", "26")]:
        date.get_by_label(part).fill(typed)
    page.get_by_role("button", name="Save session").click()
    assert "Year must include 4 numbers" in summary.inner_text()
    date.get_by_label("Year").fill("2026")
    page.get_by_label(people.auditor.full_name).check()
    page.get_by_label("All active plans").check()
    page.get_by_role("button", name="Save session").click()
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text("6 plans sampled from 9")).to_be_visible()
    codes = page.locator("tbody tr td:first-child").all_inner_texts()[:6]
    assert all(code.startswith("MOD-") for code in codes)
    problems += axe_violations(page)
    session_url = page.url
    page.get_by_role("link", name="Draw the sample again").click()
    expect(page.get_by_text("The 6 plans sampled")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("link", name="Cancel").click()
    assert page.url == session_url
    assert page.locator("tbody tr td:first-child").all_inner_texts()[:6] == codes
    page.get_by_role("link", name="Draw the sample again").click()
    page.get_by_role("button", name="Draw the sample again").click()
    expect(page.get_by_text("6 plans sampled from 9")).to_be_visible()

    moderator = new_page(people.auditor)
    moderator.goto(session_url)
    html = moderator.content()
    assert all(code in html for code in codes)
    assert not any(plan.case_reference in html for plan in plans)
    assert not problems, "\n".join(problems)
