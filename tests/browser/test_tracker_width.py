"""At 1280 px the tracker's RAG and latest update are on the page, not cut off in a scroll box."""

import datetime

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.wsoa.factories import ActionFactory, status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = (
    "Review every education, health and care plan issued in the last twelve months against "
    "the checklist, with the caseworker and the family, and record what must change. "
)


def test_the_rag_column_is_within_the_viewport_at_1280_px(new_page, tmp_path):
    people = make_people()
    action = ActionFactory(
        text=LONG * 2,
        improvement_area="Quality of plans and the timeliness of annual reviews",
        success_measures=LONG,
        governance_forum="SEND Partnership Improvement Board",
        lead_title="Head of SEND Assessment and Commissioning",
        senior_responsible_officer="Director of Children's Services",
        timescale="By the end of the spring term 2027",
    )
    action.add_update(
        author=people.sendops,
        narrative=LONG * 3,
        status=status("Amber"),
        date=datetime.date(2026, 11, 1),
    )
    page = new_page(people.board)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("wsoa:plan_detail", kwargs={"plan_uuid": action.weakness.plan.uuid}))
    rag = page.get_by_role("columnheader", name="RAG")
    tag = page.locator("td .govuk-tag", has_text="Amber")
    latest = page.get_by_role("columnheader", name="Latest update")
    for element in (rag, tag, latest):
        box = element.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(tmp_path / "tracker.png"), full_page=True)
    assert not axe_violations(page)
