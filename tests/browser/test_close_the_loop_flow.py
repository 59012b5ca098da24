"""Closing the loop in the browser (issue 19): SENDOPS raise actions from a red indicator and
from a moderation key issue, the owner updates one, the next report's draft lists them under
its recommendations with the indicator's new value; a board member opens the next meeting's
papers."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from send_qa.core.models import Period, ensure_academic_year
from send_qa.reports.models import Report
from tests.audits.factories import ModerationSessionFactory
from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.governance.factories import MeetingFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.reports.factories import a_compiled_version
from wsoa.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXCEPTION = (datetime.date(2026, 1, 5), datetime.date(2026, 3, 31))  # a term-long period
LATER = (datetime.date(2026, 8, 1), datetime.date(2026, 10, 31))


def red_indicator(owner):
    indicator = IndicatorFactory(
        code="EHCP_20WK_LOCAL", name="EHCPs issued within 20 weeks", owner=owner
    )
    TargetFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2027, 8, 31),
        value=Decimal("60"),
    )
    MeasurementFactory(
        indicator=indicator,
        period_start=EXCEPTION[0],
        period_end=EXCEPTION[1],
        period_label="Spring 2026",
        value=Decimal("41.2"),
    )
    return indicator


def raise_through_the_form(page, *, plan_choice=None):
    page.get_by_role("link", name="Raise an action").first.click()
    if plan_choice:
        page.get_by_label(plan_choice).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Raise the action").click()
    page.wait_for_url("**/actions/*/")


def test_sendops_raise_actions_from_evidence_and_the_next_report_lists_them(new_page):
    people = make_people()
    ensure_academic_year(2026)
    term = Period.objects.current_term(on=timezone.localdate())
    indicator = red_indicator(people.action_owner)
    session = ModerationSessionFactory(term=term, themes="Outcomes are not SMART")
    page = new_page(people.sendops)
    problems = []

    # From the red indicator: the form is pre-filled with its words, figure and owner.
    page.goto(reverse("kpis:indicator_detail", args=[indicator.code]))
    page.get_by_role("link", name="Raise an action").click()
    assert page.get_by_label("A new improvement plan").is_checked()
    problems += axe_violations(page)
    page.get_by_role("button", name="Continue").click()
    assert "41.2% in Spring 2026: red" in page.get_by_label("Actions").input_value()
    assert page.get_by_label("Lead (a person)").input_value() == str(people.action_owner.pk)
    problems += axe_violations(page)
    page.get_by_label("Actions").fill("Recover the 20-week timeliness: weekly tracking")
    page.get_by_role("button", name="Raise the action").click()
    page.wait_for_url("**/actions/*/")
    expect(page.get_by_text("Still a concern")).to_be_visible()
    kpi_action = Action.objects.get(text__startswith="Recover the 20-week")
    assert kpi_action.weakness.plan.name == "Improvement plan"
    problems += axe_violations(page)

    # From the moderation group's key issue, into the same improvement plan.
    page.goto(reverse("audits:moderation_report", args=[session.uuid]))
    raise_through_the_form(page, plan_choice="Improvement plan")
    key_issue_action = Action.objects.exclude(pk=kpi_action.pk).get()
    assert key_issue_action.text == "Outcomes are not SMART"
    page.goto(reverse("audits:moderation_report", args=[session.uuid]))
    expect(page.get_by_role("link", name=f"Action {key_issue_action.number}").first).to_be_visible()

    # The owner updates the action they lead.
    owner_page = new_page(people.action_owner)
    owner_page.goto(reverse("wsoa:action_detail", args=[kpi_action.uuid]))
    owner_page.get_by_role("button", name="Add a progress update").click()
    owner_page.get_by_label("Progress update").fill("Weekly tracking started in all teams.")
    owner_page.get_by_label("Amber", exact=True).check()
    owner_page.get_by_role("button", name="Save the update").click()
    owner_page.wait_for_url(f"**{reverse('wsoa:action_detail', args=[kpi_action.uuid])}")

    # The indicator improves, and the term's report drafts its recommendations from it all.
    MeasurementFactory(
        indicator=indicator,
        period_start=LATER[0],
        period_end=LATER[1],
        period_label="Autumn 2026",
        value=Decimal("66"),
    )
    page.goto(reverse("wsoa:action_detail", args=[kpi_action.uuid]))
    expect(page.get_by_text("Improved", exact=True)).to_be_visible()
    report = Report.objects.for_term(term)
    page.goto(reverse("reports:report_edit", args=[report.uuid]))
    recommendations = page.get_by_label(
        "Recommendations from SEND Operations Group to SEND Partnership"
    ).input_value()
    assert f"**Action {kpi_action.number}**: Recover the 20-week timeliness" in recommendations
    assert "RAG Amber" in recommendations
    assert "now 66.0% in Autumn 2026: green" in recommendations
    assert f"**Action {key_issue_action.number}**: Outcomes are not SMART" in recommendations
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_a_board_member_opens_the_next_meetings_papers(new_page):
    people = make_people()
    ensure_academic_year(2026)
    term = Period.objects.current_term(on=timezone.localdate())
    report = Report.objects.for_term(term)
    version = a_compiled_version(report, number=2)
    version.release(by=people.sendops)
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))

    sendops = new_page(people.sendops)
    sendops.goto(reverse("governance:meeting_detail", args=[meeting.uuid]))
    sendops.get_by_role("link", name="Add a paper").click()
    sendops.get_by_label(
        f"{report}: version 2 to the SEND Strategic Partnership Board", exact=False
    ).check()
    sendops.get_by_role("button", name="Add the paper").click()
    sendops.wait_for_url(f"**{reverse('governance:meeting_detail', args=[meeting.uuid])}")

    board = new_page(people.board)
    board.goto(reverse("dashboard:home"))
    panel = board.locator(".app-dashboard-card", has_text="Next meeting")
    expect(panel.get_by_text("SEND Partnership Board").first).to_be_visible()
    paper = panel.get_by_role(
        "link", name=f"{report}: version 2 to the SEND Strategic Partnership Board", exact=False
    )
    href = paper.get_attribute("href")
    assert href == reverse("reports:version_pdf", args=[version.uuid])
    response = board.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    board.get_by_role("link", name="SEND Partnership Board", exact=False).first.click()
    expect(board.get_by_role("heading", level=1)).to_be_visible()
    assert not axe_violations(board)
