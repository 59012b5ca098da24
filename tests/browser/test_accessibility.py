"""axe-core on every page of the permission matrix, as every role that may open it, and\nnothing cut off at 1280 px."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.permission_matrix import ANONYMOUS, ROLES, ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_for(role: str) -> list:
    return [
        row for row in ROWS if row.method == "get" and row.is_page and row.status_for(role) == 200
    ]


# What a page must not do at 1280 px: be wider than the window, hide part of itself in a
# scroll box, cut a chosen option short in its box, or wrap the menu onto a second line.
CUT_OFF_AT_1280 = """() => {
  const found = [];
  if (document.documentElement.scrollWidth > 1280) found.push("wider than 1280 px");
  for (const box of document.querySelectorAll("main *")) {
    const style = getComputedStyle(box);
    if (["auto", "scroll"].includes(style.overflowX) && box.scrollWidth > box.clientWidth + 1) {
      found.push(`a scroll box hides ${box.scrollWidth - box.clientWidth} px of ${box.className}`);
    }
  }
  const measure = document.createElement("canvas").getContext("2d");
  for (const select of document.querySelectorAll("main select")) {
    const style = getComputedStyle(select);
    measure.font = style.font;
    const chosen = select.options[select.selectedIndex];
    const room = select.clientWidth - parseFloat(style.paddingLeft) - 24;  // 24: the arrow
    if (chosen && measure.measureText(chosen.text).width > room) {
      found.push(`the box ${select.id || select.name} cuts "${chosen.text}" short`);
    }
  }
  const items = [...document.querySelectorAll(".govuk-service-navigation__item")];
  if (new Set(items.map((item) => Math.round(item.getBoundingClientRect().top))).size > 1) {
    found.push("the menu wraps onto a second line");
  }
  return found;
}"""


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_has_no_wcag_violation(role, new_page):
    people = make_people()
    page = new_page(None if role == ANONYMOUS else people[role])
    page.set_viewport_size({"width": 1280, "height": 900})
    problems, visited = [], 0
    for row in pages_for(role):
        data = row.data(people) if callable(row.data) else row.data
        query = f"?{urlencode(data)}" if data else ""
        response = page.goto(reverse(row.url_name, kwargs=row.kwargs(people)) + query)
        if "json" in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, f"{row.url_name} as {role}: {response.status}"
        problems += axe_violations(page)
        problems += [f"{row.url_name}: {what}" for what in page.evaluate(CUT_OFF_AT_1280)]
        visited += 1
    assert visited, f"no page was checked for {role}"
    assert not problems, "\n".join(problems)


def test_forms_showing_errors_have_no_wcag_violation(new_page):
    people = make_people()
    page = new_page()
    page.goto(reverse("login"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems = axe_violations(page)

    page = new_page(people.admin)
    page.goto(reverse("core:user_invite"))
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems += axe_violations(page)

    page.goto(reverse("core:access_log"))
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)


# Forms sent empty: each shows its error summary, and the page with errors passes axe.
EMPTY_FORMS = [
    ("sendops", "audits:advice_new"),
    ("sendops", "audits:advice_service_new"),
    ("sendops", "audits:moderation_new"),
    ("sendops", "audits:skills_send"),
    ("sendops", "audits:plan_import"),
    ("sendops", "kpis:import"),
    ("sendops", "kpis:scorecard_new"),
    ("sendops", "kpis:measurement_edit"),
    ("sendops", "wsoa:plan_new"),
    ("sendops", "wsoa:weakness_new"),
    ("sendops", "wsoa:action_new"),
    ("sendops", "wsoa:actions_upload"),
    ("sendops", "risks:risk_new"),
    ("sendops", "risks:risk_edit"),
    ("board", "reports:board_commentary"),
    ("sendops", "governance:meeting_new"),
    ("sendops", "governance:plan_item_new"),
    ("board", "governance:decision_new"),
    ("action_owner", "wsoa:evidence_add"),
    ("admin", "audits:template_upload"),
]
ROW_BY_NAME = {row.url_name: row for row in ROWS if row.method == "get"}


def test_forms_sent_empty_show_their_errors_accessibly(new_page):
    people = make_people()
    pages = {}
    problems, missing = [], []
    for role, url_name in EMPTY_FORMS:
        page = pages.get(role) or pages.setdefault(role, new_page(people[role]))
        row = ROW_BY_NAME[url_name]
        page.goto(reverse(url_name, kwargs=row.kwargs(people)))
        for field in page.locator("main form[method=post] .govuk-date-input input").all():
            field.fill("")  # a date the form offers would otherwise be sent
        submit = page.locator("main form[method=post] [type=submit]").last
        if not submit.count():
            missing.append(f"{url_name} (no submit button)")
            continue
        submit.click()
        page.wait_for_load_state()
        if not page.locator(".govuk-error-summary").is_visible():
            missing.append(url_name)
            continue
        problems += axe_violations(page)
    assert not missing, f"no error summary after sending these empty: {missing}"
    assert not problems, "\n".join(problems)


def test_long_lists_are_paged_accessibly(new_page):
    from tests.audits.factories import AuditFactory, PlanFactory

    people = make_people()
    for n in range(60):
        AuditFactory(auditor=people.auditor, plan=PlanFactory(case_reference=f"EHC-LONG-{n:03d}"))
    page = new_page(people.sendops)
    problems = []
    for url_name in ("audits:plan_list", "audits:audit_list"):
        page.goto(reverse(url_name))
        page.get_by_role("link", name="Next page").click()
        assert "page=2" in page.url
        problems += axe_violations(page)
    assert not problems, "\n".join(problems)
