"""An action owner updates the RAG of an action they lead, after a mistake they are told about."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.wsoa.factories import ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_owner_updates_an_actions_rag(new_page):
    people = make_people()
    action = ActionFactory(led_by=people.action_owner, text="Review all EHCP records")
    page = new_page(people.action_owner)
    page.goto(reverse("wsoa:my_actions"))
    page.get_by_role("link", name=f"{action.number}.").first.click()
    page.get_by_role("button", name="Add a progress update").click()

    # Saving without saying what happened: the error summary names it and nothing is saved.
    page.get_by_role("button", name="Save the update").click()
    summary = page.locator(".govuk-error-summary")
    # Only the narrative is missing: the date the form offered (today) is still in its boxes.
    assert summary.inner_text().splitlines()[1:] == ["Enter what progress has been made"]
    assert page.title().startswith("Error:")
    problems = axe_violations(page)
    assert action.updates.count() == 0

    # A date without its month: the error names the month, and its link goes to that box.
    date = page.get_by_role("group", name="Date of the update")
    month = date.get_by_label("Month")
    typed = month.input_value()
    month.fill("")
    page.get_by_label("Progress update").fill("Records reviewed for two of three teams.")
    page.get_by_role("button", name="Save the update").click()
    link = summary.get_by_role("link", name="Date of the update must include a month")
    link.click()
    assert month.evaluate("box => box === document.activeElement")
    assert "govuk-input--error" in (month.get_attribute("class") or "")
    assert "govuk-input--error" not in (date.get_by_label("Day").get_attribute("class") or "")
    problems += axe_violations(page)
    assert action.updates.count() == 0
    month.fill(typed)

    page.get_by_label("Amber", exact=True).check()
    page.get_by_role("button", name="Save the update").click()
    page.wait_for_url(f"**{reverse('wsoa:action_detail', kwargs={'action_uuid': action.uuid})}")
    expect(page.get_by_text("Records reviewed for two of three teams.")).to_be_visible()
    action.refresh_from_db()
    assert action.status.name == "Amber"
    assert action.updates.get().author == people.action_owner
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
