"""An auditor scores an EHC plan in the browser: section by section, a draft, then submits."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AuditFactory, PlanFactory
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_scores_saves_a_draft_comes_back_and_submits(new_page):
    people = make_people()
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    page = new_page(people.auditor)
    page.goto(reverse("audits:audit_list"))
    page.get_by_role("link", name=audit.plan.case_reference).click()
    page.get_by_role("link", name="Section A - Views").click()
    expect(page.get_by_text("Uses the child's own words")).to_be_visible()  # guidance beside it
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers to Section A - Views have been saved.")).to_be_visible()

    # Submitting too early lists what is missing in an error summary.
    page.get_by_role("button", name="Check your answers").click()
    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "A2. Is there a one page profile?" in summary.inner_text()
    problems = axe_violations(page)

    # Come back to section A: the draft answer is still there.
    page.get_by_role("link", name="Section A - Views").click()
    assert page.get_by_label("4", exact=True).is_checked()
    page.get_by_role("group", name="A2. Is there a one page profile?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("group", name="B1. Sets out needs clearly").get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("group", name="B2. Matches each need to provision").get_by_label("Yes").check()
    # The last section continues to the plan as a whole, and that to Check your answers.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="The plan as a whole")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before you submit")).to_be_visible()
    a1 = page.locator(".govuk-summary-list__row", has_text="A1. Captures aspirations")
    assert a1.locator(".govuk-summary-list__value").inner_text().strip() == "4"
    expect(a1.get_by_role("link", name="Change your answer to A1")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text(f"Audit of {audit.plan.case_reference} submitted.")).to_be_visible()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert audit.percent is not None
    problems += axe_violations(page)
    # A submitted audit's sections still open, read-only.
    page.get_by_role("link", name="Section A - Views").click()
    a1 = page.locator(".govuk-summary-list__row", has_text="A1. Captures aspirations")
    assert "Score: 4 out of 5" in a1.inner_text()
    assert page.get_by_role("button", name="Save and continue").count() == 0
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def test_the_home_page_count_opens_the_auditors_worklist(new_page):
    people = make_people()
    term = Period.objects.current_term() or ensure_academic_year_of_today()
    to_do = AuditFactory(auditor=people.auditor, term=term, plan=PlanFactory())
    done = AuditFactory(
        auditor=people.auditor, term=term, plan=PlanFactory(), status=Audit.Status.SUBMITTED
    )
    page = new_page(people.auditor)
    page.goto(reverse("dashboard:home"))
    page.get_by_role("link", name="1 audit to finish, 0 started.").click()
    assert page.url.endswith("/audits/#to-do")
    worklist = page.get_by_role("table", name="To do this term: 1")
    expect(worklist.get_by_role("link", name=to_do.plan.case_reference)).to_be_visible()
    others = page.get_by_role("table", name="Submitted and other audits: 1")
    expect(others.get_by_role("link", name=done.plan.case_reference)).to_be_visible()
    problems = axe_violations(page)
    assert not problems, "\n".join(problems)


def ensure_academic_year_of_today():
    today = timezone.localdate()
    ensure_academic_year(today.year if today.month >= 9 else today.year - 1)
    return Period.objects.current_term()


def test_a_failed_submit_links_straight_to_each_question_not_answered(new_page):
    people = make_people()
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    page = new_page(people.auditor)
    page.goto(reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid}))
    page.get_by_role("link", name="Section A - Views").click()
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    section_a = page.locator(".govuk-task-list__item", has_text="Section A - Views")
    assert "1 question in this section is not answered yet" in section_a.inner_text()
    page.get_by_role("button", name="Check your answers").click()
    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(
        summary.get_by_role("heading", name="Section B - Needs: 2 questions not answered")
    ).to_be_visible()
    assert page.evaluate("() => document.activeElement.closest('.govuk-error-summary') !== null")
    problems = axe_violations(page)
    page.reload()  # a GET: nothing is posted again, the list is worked out afresh
    assert "Section B - Needs" in page.locator(".govuk-error-summary").inner_text()

    summary.get_by_role("link", name="B2. Matches each need to provision").click()
    page.wait_for_url("**/sections/B/#item-B2")
    question = page.locator("#item-B2")
    expect(question.get_by_role("group", name="B2. Matches each need to provision")).to_be_visible()
    # The browser scrolls to the question once the page has loaded: wait for it, up to 5 s.
    page.wait_for_function(
        "() => { const r = document.getElementById('item-B2').getBoundingClientRect();"
        " return r.top > -1 && r.top < innerHeight; }",
        timeout=5_000,
    )
    page.go_back()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="A2. Is there a one page profile?"
    ).click()
    page.wait_for_url("**/sections/A/#item-A2")
    expect(page.get_by_text("1 question in this section is not answered yet:")).to_be_visible()
    expect(page.locator("#item-A2").get_by_text("Not answered yet")).to_be_visible()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


def tab_until(page, test: str, *, limit: int = 150) -> None:
    """Press Tab until the focused element passes `test` (JavaScript on `el`), and check the
    focus can be seen (GOV.UK's yellow focus state or an outline)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test}); }}"):
            visible = page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                    return s.outlineStyle !== 'none' || s.boxShadow !== 'none'
                        || s.backgroundColor === 'rgb(255, 221, 0)'; }"""
            )
            assert visible, "the focused element shows no focus indicator"
            return
    pytest.fail(f"Tab never reached an element where {test}")


def test_an_auditor_scores_a_section_with_the_keyboard_alone(new_page):
    people = make_people()
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    page = new_page(people.auditor)
    page.goto(reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid}))
    tab_until(page, "el.textContent.trim() === 'Section A - Views'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/sections/A/")
    a1 = page.get_by_role("group", name=re.compile(r"^A1\.")).locator("input").first
    tab_until(page, f"el.name === '{a1.get_attribute('name')}'")
    page.keyboard.press("Space")  # the first score
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # arrows move the choice along the scale: 4
    a2 = page.get_by_role("group", name=re.compile(r"^A2\.")).locator("input").first
    tab_until(page, f"el.name === '{a2.get_attribute('name')}'")
    page.keyboard.press("Space")
    tab_until(page, "el.textContent.trim() === 'Save and come back later'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Your answers to Section A - Views have been saved.")).to_be_visible()
    answers = {a.item.code: a for a in audit.answers.select_related("item")}
    assert answers["A1"].score == 4 and answers["A2"].yes_no == "yes"
