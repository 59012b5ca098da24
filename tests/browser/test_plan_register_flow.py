"""Choosing plans for a term in a browser: filter the register, sort it, assign every plan that
matches (on every page) in one go; axe on each state."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit
from audits.views.plans import PLANS_PER_PAGE
from send_qa.core.models import ensure_academic_year
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_select_all_matching_and_assign(new_page):
    people = make_people()
    ensure_academic_year(timezone.localdate().year - 1)
    ensure_academic_year(timezone.localdate().year)
    small_template()
    matching = [
        PlanFactory(case_reference=f"EHC-SEMH-{n:03d}", primary_need="SEMH")
        for n in range(PLANS_PER_PAGE + 3)
    ]
    recently = PlanFactory(case_reference="EHC-SEMH-RECENT", primary_need="SEMH")
    AuditFactory(plan=recently, status=Audit.Status.SUBMITTED, submitted_at=timezone.now())
    PlanFactory(case_reference="EHC-ASD-001", primary_need="ASD")
    page = new_page(people.sendops)
    page.goto(reverse("audits:plan_list"))
    page.get_by_label("Primary need").select_option("SEMH")
    page.get_by_label("Not audited in the last").select_option("6")
    page.get_by_role("button", name="Apply filters").click()
    caption = f"{len(matching)} plans"
    assert page.locator("caption").inner_text() == caption
    page.get_by_role("link", name="Last audited").click()
    assert page.locator("th[aria-sort='ascending']").inner_text().startswith("Last audited")
    page.get_by_role("link", name="Case reference").click()
    page.get_by_role("link", name="Case reference").click()
    assert page.locator("th[aria-sort='descending']").inner_text().startswith("Case reference")
    first_row = page.locator("tbody tr").first.locator("td").nth(1).inner_text()
    assert first_row == matching[-1].case_reference
    problems = axe_violations(page)
    page.get_by_role(
        "link", name=f"Assign the {len(matching)} plans that match these filters"
    ).click()
    expect(page.get_by_role("heading", name=f"Assign the {len(matching)} plans")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Assign audits").click()
    expect(page.get_by_text("Select the auditor who will score these plans").first).to_be_visible()
    problems += axe_violations(page)
    page.get_by_label("Auditor").select_option(label=str(people.auditor))
    page.get_by_role("button", name="Assign audits").click()
    assert page.url.endswith(reverse("audits:audit_list"))
    expect(page.get_by_text(f"{len(matching)} audits assigned to {people.auditor}")).to_be_visible()
    assigned = set(Audit.objects.open().values_list("plan__case_reference", flat=True))
    assert assigned == {plan.case_reference for plan in matching}
    assert not problems, "\n".join(problems)
