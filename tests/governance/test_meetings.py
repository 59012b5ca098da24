"""Meetings, decisions and who may record them, the forward-plan page, and the home page."""

import datetime

import pytest
from django.urls import reverse

from governance.models import Decision, Forum, ForwardPlanItem, Meeting, MeetingPaper
from send_qa.core import follow_up
from send_qa.core.follow_up import FollowUp
from send_qa.core.models import ensure_academic_year
from tests.conflicts import assert_refused, page_version
from tests.governance.factories import DecisionFactory, ForwardPlanItemFactory, MeetingFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def detail(meeting: Meeting) -> str:
    return reverse("governance:meeting_detail", kwargs={"meeting_uuid": meeting.uuid})


def record(meeting: Meeting) -> str:
    return reverse("governance:decision_new", kwargs={"meeting_uuid": meeting.uuid})


# Who records decisions.


def test_a_board_member_records_a_decision_of_the_partnership_board(people, client_for):
    meeting = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD)
    response = client_for(people.board).post(
        record(meeting), {"kind": "decision", "text": "Accept the termly report"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.kind, decision.recorded_by, decision.meeting) == (
        Decision.Kind.DECISION,
        people.board,
        meeting,
    )


def test_a_board_member_records_only_decisions(people, client_for):
    meeting = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD)
    response = client_for(people.board).post(
        record(meeting), {"kind": "recommendation", "text": "Ask cabinet for money"}
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


@pytest.mark.parametrize("forum", [Forum.SENDOPS, Forum.SCRUTINY, Forum.MODERATION])
def test_a_board_member_may_not_record_on_other_meetings(forum, people, client_for):
    meeting = MeetingFactory(forum=forum)
    client = client_for(people.board)
    assert client.get(record(meeting)).status_code == 403
    assert client.post(record(meeting), {"kind": "decision", "text": "x"}).status_code == 403
    assert "Record a decision" not in client.get(detail(meeting)).content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["action_owner", "auditor", "caseworker"])
def test_others_may_not_record_or_read(role, people, client_for):
    meeting = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD)
    client = client_for(people[role])
    assert client.post(record(meeting), {"kind": "decision", "text": "x"}).status_code == 403
    assert client.get(detail(meeting)).status_code == 403
    assert not Decision.objects.exists()


def test_sendops_record_recommendations_on_any_meeting(people, client_for):
    meeting = MeetingFactory(forum=Forum.SENDOPS)
    response = client_for(people.sendops).post(
        record(meeting), {"kind": "recommendation", "text": "Take the delays to the board"}
    )
    assert response.status_code == 302
    assert Decision.objects.get().kind == Decision.Kind.RECOMMENDATION


# A decision as evidence that raises actions.


def test_a_decision_is_described_as_evidence(people):
    ensure_academic_year(2026)
    meeting = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2027, 1, 14))
    decision = DecisionFactory(meeting=meeting, text="Commission a deep dive into health advice")
    evidence = follow_up.evidence_of("board_decision", str(decision.uuid), people.sendops)
    assert evidence is not None
    assert evidence.title == "SEND Partnership Board 14 January 2027: recommendation"
    assert evidence.words == "Commission a deep dive into health advice"
    assert evidence.url == detail(meeting)
    assert evidence.term == "Spring term 2026/27"
    assert evidence.concern is None
    assert follow_up.kind_label("board_decision") == "A decision or recommendation of a meeting"


def test_unknown_or_hidden_decisions_are_none(people):
    decision = DecisionFactory()
    for ref in ["", "nonsense", "7d7c2b8e-4b1f-4c55-9d6e-2f1f0a3c9e11"]:
        assert follow_up.evidence_of("board_decision", ref, people.sendops) is None
    assert follow_up.evidence_of("board_decision", str(decision.uuid), people.action_owner) is None
    assert follow_up.evidence_of("board_decision", str(decision.uuid), people.board) is not None


def test_each_decision_shows_the_actions_raised_from_it(people, client_for, monkeypatch):
    first, second = DecisionFactory.create_batch(2, meeting=MeetingFactory())
    asked: list[list[str]] = []

    def raised(kind, refs, user):
        asked.append(list(refs))
        return {
            str(first.uuid): [FollowUp("Action 1.1: deep dive", "/actions/1/", "On track", "green")]
        }

    monkeypatch.setattr(follow_up, "_follow_ups", [raised])
    page = client_for(people.sendops).get(detail(first.meeting)).content.decode()
    assert asked == [[str(first.uuid), str(second.uuid)]]  # once for the page, not per item
    assert page.count("Actions raised from this") == 2
    assert "Action 1.1: deep dive" in page
    assert "No actions have been raised from this yet." in page


# Forms.


def test_a_blank_meeting_gives_the_error_summary(people, client_for):
    response = client_for(people.sendops).post(reverse("governance:meeting_new"), {})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose the forum that meets" in page
    assert "Enter the date of the meeting" in page
    assert not Meeting.objects.exists()


def test_a_blank_decision_gives_the_error_summary(people, client_for):
    page = client_for(people.sendops).post(record(MeetingFactory()), {}).content.decode()
    assert "There is a problem" in page
    assert "Enter what was decided or recommended" in page


def test_a_deferred_paper_needs_a_reason(people, client_for):
    item = ForwardPlanItemFactory()
    url = reverse("governance:plan_item_edit", kwargs={"item_uuid": item.uuid})
    client = client_for(people.sendops)
    version = page_version(client.get(url))
    data = {"title": item.title, "meeting": item.meeting.pk, "status": "deferred"}
    page = client.post(url, {**data, "version": version}).content.decode()
    assert "There is a problem" in page
    assert "Say why the paper was deferred" in page
    saved = client.post(url, {**data, "version": version, "deferred_reason": "Data late"})
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.deferred_reason) == ("deferred", "Data late")


def test_a_meeting_edited_by_someone_else_meanwhile_is_not_saved_over(people, client_for):
    meeting = MeetingFactory(place="Room 1")
    url = reverse("governance:meeting_edit", kwargs={"meeting_uuid": meeting.uuid})
    client = client_for(people.sendops)
    version = page_version(client.get(url))
    Meeting.objects.filter(pk=meeting.pk).update(place="Room 2")
    data = {"forum": meeting.forum, "date": meeting.date.isoformat(), "place": "Room 3"}
    assert_refused(client.post(url, {**data, "version": version}), "meeting", url)
    meeting.refresh_from_db()
    assert meeting.place == "Room 2"


# The forward-plan page.


def test_sendops_draw_up_the_plan_and_the_page_lists_it_by_meeting(people, client_for):
    MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2026, 10, 14))
    MeetingFactory(forum=Forum.SCRUTINY, date=datetime.date(2026, 9, 20))
    client = client_for(people.sendops)
    url = reverse("governance:forward_plan") + "?year=2026"
    before = client.get(url).content.decode()
    assert "Draw up the forward plan for 2026/27" in before
    assert "Quarterly summary report to the Children Services Overview and Scrutiny" in before
    response = client.post(reverse("governance:forward_plan_draw"), {"year": "2026"})
    assert response.status_code == 302
    assert ForwardPlanItem.objects.filter(meeting__forum=Forum.SCRUTINY).count() == 1
    page = client.get(url).content.decode()
    assert page.index("Quarterly summary report") < page.index("How are we doing?")  # by date
    assert "Planned" in page
    assert "Spring term 2026/27" in page  # a gap, still listed


def test_an_item_is_removed_by_hand(people, client_for):
    item = ForwardPlanItemFactory()
    url = reverse("governance:plan_item_remove", kwargs={"item_uuid": item.uuid})
    assert client_for(people.sendops).post(url).status_code == 302
    assert not ForwardPlanItem.objects.exists()


# A fixed number of queries.


def _meetings_and_papers(count: int) -> None:
    today = datetime.date.today()
    for n in range(count):
        for days in (n + 1, -n - 1):
            meeting = MeetingFactory(date=today + datetime.timedelta(days=days))
            MeetingPaper.objects.create(meeting=meeting, kind="k", ref=str(n), title="A paper")


def test_the_meetings_list_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.board)
    _meetings_and_papers(1)
    few = page_queries(client, reverse("governance:meeting_list"))
    _meetings_and_papers(5)
    assert page_queries(client, reverse("governance:meeting_list")) == few


def test_a_meeting_page_runs_a_fixed_number_of_queries(people, client_for):
    meeting = MeetingFactory()
    client = client_for(people.sendops)
    DecisionFactory(meeting=meeting, recorded_by=people.sendops)
    ForwardPlanItemFactory(meeting=meeting, lead=people.board)
    MeetingPaper.objects.create(meeting=meeting, kind="k", ref="1", title="A paper")
    few = page_queries(client, detail(meeting))
    for n in range(5):
        DecisionFactory(meeting=meeting, recorded_by=people.board)
        ForwardPlanItemFactory(meeting=meeting, lead=people.sendops)
        MeetingPaper.objects.create(meeting=meeting, kind="k", ref=f"x{n}", title="A paper")
    assert page_queries(client, detail(meeting)) == few


def test_the_forward_plan_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.sendops)
    ForwardPlanItemFactory(lead=people.board)
    few = page_queries(client, reverse("governance:forward_plan"))
    ForwardPlanItemFactory.create_batch(5, lead=people.sendops)
    assert page_queries(client, reverse("governance:forward_plan")) == few


# The home page.


def home(client) -> str:
    return client.get(reverse("dashboard:home")).content.decode()


def test_a_board_member_sees_the_next_board_meeting_and_its_papers(people, client_for):
    today = datetime.date.today()
    MeetingFactory(forum=Forum.SENDOPS, date=today + datetime.timedelta(days=1))
    MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=today - datetime.timedelta(days=1))
    later = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=today + datetime.timedelta(days=30))
    nearer = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=today + datetime.timedelta(days=9))
    MeetingPaper.objects.create(
        meeting=nearer, kind="k", ref="1", title="How are we doing? Autumn", url="/reports/x/"
    )
    MeetingPaper.objects.create(meeting=later, kind="k", ref="2", title="Later paper")
    page = home(client_for(people.board))
    assert "Next meeting" in page
    assert f'href="{detail(nearer)}"' in page
    assert '<a class="govuk-link" href="/reports/x/">How are we doing? Autumn</a>' in page
    assert "Later paper" not in page
    sendops_page = home(client_for(people.sendops))
    assert "SEND Operations Group (SENDOPS)" in sendops_page  # the next of any forum


def test_the_home_panel_says_when_no_meeting_is_planned(people, client_for):
    assert "No meeting is planned." in home(client_for(people.board))
    assert "Next meeting" not in home(client_for(people.action_owner))


def test_the_board_home_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.board)
    meeting = MeetingFactory()
    MeetingPaper.objects.create(meeting=meeting, kind="k", ref="1", title="A paper")
    few = page_queries(client, reverse("dashboard:home"))
    for n in range(5):
        MeetingPaper.objects.create(meeting=meeting, kind="k", ref=f"x{n}", title="A paper")
    assert page_queries(client, reverse("dashboard:home")) == few
