"""SENDOPS import a council's own action table: its headings beside the portal's fields, one
changed, checked again, then imported (axe on every page)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.wsoa.factories import ActionPlanFactory
from wsoa.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = (
    "Area for Improvement,Ref,What we will do,Lead officer,SRO,RAG May 2020,RAG at 31/03/2021,"
    "Notes\n"
    '"Area for Improvement 1 - Records: inaccurate",1.1,Audit every record,Head of SEND,'
    "Director,Red,Amber,Audit half done\n"
)


def test_sendops_map_a_councils_headings_and_import_its_table(new_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    people = make_people()
    plan = ActionPlanFactory()
    file = tmp_path / "council-plan.csv"
    file.write_text(TABLE)
    page = new_page(people.sendops)
    page.goto(reverse("wsoa:actions_upload", kwargs={"plan_uuid": plan.uuid}))
    problems = axe_violations(page)
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(file))
    page.get_by_role("button", name="Check the table").click()

    # The guesses: the council's words read as the portal's fields; "Notes" fits nothing.
    assert page.get_by_label("Area for Improvement").input_value() == "weakness"
    assert page.get_by_label("SRO").input_value() == "senior_responsible_officer"
    assert page.get_by_label("Notes").input_value() == ""
    expect(page.get_by_text("1 new action, 0 changed and 0 unchanged")).to_be_visible()
    problems += axe_violations(page)

    page.get_by_label("Notes").select_option("progress_update")
    page.get_by_role("button", name="Check again with these choices").click()
    assert page.get_by_label("Notes").input_value() == "progress_update"
    page.get_by_role("button", name="Import these actions").click()
    page.wait_for_url(f"**{reverse('wsoa:plan_detail', kwargs={'plan_uuid': plan.uuid})}")
    expect(page.get_by_text("Imported council-plan.csv")).to_be_visible()
    action = Action.objects.get()
    assert (action.number, action.initial_status.name, action.status.name) == (
        "1.1",
        "Red",
        "Amber",
    )
    assert action.updates.order_by("date", "pk").last().narrative == "Audit half done"
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
