"""Papers for a meeting from other apps, through send_qa/core/papers.py."""

import pytest
from django.urls import reverse

from governance.models import ForwardPlanItem, MeetingPaper
from send_qa.core import papers
from tests.governance.factories import ForwardPlanItemFactory, MeetingFactory
from tests.reports.factories import a_compiled_version, a_report
from tests.wsoa.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["report_version", "action_plan_summary"])
@pytest.mark.parametrize("ref", ["", "not-a-uuid", "7d7c2b8e-4b1f-4c55-9d6e-2f1f0a3c9e11"])
def test_an_unknown_paper_is_none(kind, ref, people):
    assert papers.paper_of(kind, ref, people.sendops) is None


def test_an_unknown_kind_is_none(people):
    plan = ActionPlanFactory()
    assert papers.paper_of("minutes", str(plan.uuid), people.sendops) is None


def test_only_released_versions_are_papers(people):
    report = a_report()
    released = a_compiled_version(report, number=2, released=True)
    draft = a_compiled_version(report, number=3)
    refs = {p.ref for p in papers.candidates(people.sendops) if p.kind == "report_version"}
    assert refs == {str(released.uuid)}
    assert papers.paper_of("report_version", str(draft.uuid), people.sendops) is None
    paper = papers.paper_of("report_version", str(released.uuid), people.board)
    assert paper.url == reverse("reports:version_pdf", kwargs={"version_uuid": released.uuid})
    assert paper.date is not None


def test_a_plan_summary_is_a_paper_for_those_who_read_plans(people):
    plan = ActionPlanFactory(name="Improvement plan 2026")
    paper = papers.paper_of("action_plan_summary", str(plan.uuid), people.board)
    assert paper.title == "Improvement plan 2026: summary"
    assert paper.url == reverse("wsoa:plan_summary", kwargs={"plan_uuid": plan.uuid})
    assert papers.paper_of("action_plan_summary", str(plan.uuid), people.auditor) is None
    assert papers.candidates(people.auditor) == []


def _add(client, meeting, paper: str, fulfils: str = ""):
    return client.post(
        reverse("governance:paper_add", kwargs={"meeting_uuid": meeting.uuid}),
        {"paper": paper, "fulfils": fulfils},
    )


def test_a_paper_added_keeps_its_title_after_the_source_is_gone(people, client_for):
    meeting = MeetingFactory()
    plan = ActionPlanFactory(name="Improvement plan 2026")
    item = ForwardPlanItemFactory(meeting=meeting, title="Improvement plan monitoring report")
    client = client_for(people.sendops)
    response = _add(client, meeting, f"action_plan_summary:{plan.uuid}", str(item.pk))
    assert response.status_code == 302
    paper = MeetingPaper.objects.get()
    assert (paper.title, paper.fulfils, paper.added_by) == (
        "Improvement plan 2026: summary",
        item,
        people.sendops,
    )
    item.refresh_from_db()
    assert item.status == ForwardPlanItem.Status.READY
    plan.delete()
    page = client_for(people.board).get(
        reverse("governance:meeting_detail", kwargs={"meeting_uuid": meeting.uuid})
    )
    assert "Improvement plan 2026: summary" in page.content.decode()


def test_a_paper_is_added_once_and_the_form_says_what_is_wrong(people, client_for):
    meeting = MeetingFactory()
    plan = ActionPlanFactory()
    client = client_for(people.sendops)
    _add(client, meeting, f"action_plan_summary:{plan.uuid}")
    again = _add(client, meeting, f"action_plan_summary:{plan.uuid}")
    assert again.status_code == 200  # no longer offered, so not a valid choice
    assert MeetingPaper.objects.count() == 1
    blank = client.post(
        reverse("governance:paper_add", kwargs={"meeting_uuid": meeting.uuid}), {}
    ).content.decode()
    assert "There is a problem" in blank


def test_a_meeting_with_nothing_to_add_says_so(people, client_for):
    meeting = MeetingFactory()
    page = client_for(people.sendops).get(
        reverse("governance:paper_add", kwargs={"meeting_uuid": meeting.uuid})
    )
    assert "There are no papers to add" in page.content.decode()
