"""The forward-plan rule (governance/cycle.py) and drawing the plan up (governance/services.py)."""

import datetime
from dataclasses import dataclass

import pytest

from governance.cycle import CYCLE, Frequency, RecurringPaper, Span, default_terms, forward_plan_for
from governance.models import Forum, ForwardPlanItem, Meeting
from governance.services import forward_plan_draw
from tests.governance.factories import MeetingFactory

YEAR = 2026
TERMS = default_terms(YEAR)


@dataclass(frozen=True)
class Sitting:
    forum: str
    date: datetime.date


def board(*days: tuple[int, int, int]) -> list[Sitting]:
    return [Sitting(Forum.PARTNERSHIP_BOARD, datetime.date(*day)) for day in days]


def paper(frequency: Frequency, forum: str = Forum.PARTNERSHIP_BOARD) -> RecurringPaper:
    return RecurringPaper("p", "A paper", forum, frequency, "Lead", "Seed")


def placed(placements) -> list[datetime.date | None]:
    return [p.meeting.date if p.meeting else None for p in placements]


def test_a_termly_paper_goes_to_the_first_meeting_of_its_forum_in_each_term():
    meetings = board((2026, 12, 2), (2026, 10, 7), (2027, 2, 10), (2027, 3, 10), (2027, 6, 9))
    placements = forward_plan_for(meetings, [paper(Frequency.TERMLY)], YEAR, TERMS)
    assert placed(placements) == [
        datetime.date(2026, 10, 7),
        datetime.date(2027, 2, 10),
        datetime.date(2027, 6, 9),
    ]
    assert [p.period.name for p in placements] == [t.name for t in TERMS]


def test_a_paper_goes_only_to_its_own_forum():
    meetings = [
        Sitting(Forum.SENDOPS, datetime.date(2026, 9, 8)),
        *board((2026, 10, 7)),
        Sitting(Forum.SCRUTINY, datetime.date(2026, 9, 20)),
    ]
    placements = forward_plan_for(meetings, [paper(Frequency.TERMLY, Forum.SCRUTINY)], YEAR, TERMS)
    assert placed(placements) == [datetime.date(2026, 9, 20), None, None]


def test_quarters_run_from_september():
    meetings = board((2026, 11, 30), (2026, 12, 1), (2027, 5, 31), (2027, 6, 1), (2027, 8, 31))
    placements = forward_plan_for(meetings, [paper(Frequency.QUARTERLY)], YEAR, TERMS)
    assert [(p.period.start, p.period.end) for p in placements] == [
        (datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)),
        (datetime.date(2026, 12, 1), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 3, 1), datetime.date(2027, 5, 31)),
        (datetime.date(2027, 6, 1), datetime.date(2027, 8, 31)),
    ]
    assert placed(placements) == [
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 5, 31),
        datetime.date(2027, 6, 1),
    ]


def test_a_bi_monthly_paper_goes_to_one_meeting_every_two_months():
    monthly = board(*[(2026 + (m < 9), m, 15) for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)])
    placements = forward_plan_for(monthly, [paper(Frequency.BI_MONTHLY)], YEAR, TERMS)
    assert [d.month for d in placed(placements)] == [9, 11, 1, 3, 5, 7]


def test_an_annual_paper_goes_to_one_meeting():
    meetings = board((2027, 3, 1), (2026, 10, 1), (2027, 8, 31), (2027, 9, 1))
    placements = forward_plan_for(meetings, [paper(Frequency.ANNUAL)], YEAR, TERMS)
    assert placed(placements) == [datetime.date(2026, 10, 1)]


def test_a_period_with_no_meeting_of_the_forum_is_reported_as_a_gap():
    meetings = board((2026, 10, 7), (2027, 6, 9))
    placements = forward_plan_for(meetings, [paper(Frequency.TERMLY)], YEAR, TERMS)
    gaps = [p for p in placements if p.meeting is None]
    assert len(placements) == 3
    assert [g.period.name for g in gaps] == ["Spring term 2026/27"]


def test_terms_are_core_s_terms_as_given():
    """Admins may move term dates: the rule reads the terms it is given."""
    moved = [
        Span("Autumn term", TERMS[0].start, datetime.date(2027, 1, 4)),
        Span("Spring term", datetime.date(2027, 1, 5), TERMS[1].end),
    ]
    meetings = board((2027, 1, 4), (2027, 1, 6))
    placements = forward_plan_for(meetings, [paper(Frequency.TERMLY)], YEAR, moved)
    assert placed(placements) == [datetime.date(2027, 1, 4), datetime.date(2027, 1, 6)]


def test_the_cycle_names_the_seeds_papers_with_their_seed():
    titles = {p.title for p in CYCLE}
    assert "How are we doing? summary report" in titles
    assert "Quarterly summary report" in titles
    assert all(p.seed for p in CYCLE)
    assert len({p.key for p in CYCLE}) == len(CYCLE)


@pytest.mark.django_db
def test_drawing_the_plan_twice_adds_nothing_the_second_time():
    MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2026, 10, 14))
    MeetingFactory(forum=Forum.SCRUTINY, date=datetime.date(2026, 11, 5))
    first = forward_plan_draw(YEAR)
    board_papers = [p for p in CYCLE if p.forum == Forum.PARTNERSHIP_BOARD]
    # The autumn board takes each board paper once (first term, quarter, two months, year).
    assert first.created == len(board_papers) + 1  # and scrutiny's first quarterly report
    assert first.gaps  # spring and summer have no meetings yet
    again = forward_plan_draw(YEAR)
    assert again.created == 0
    assert ForwardPlanItem.objects.count() == first.created


@pytest.mark.django_db
def test_an_item_moved_by_hand_is_not_drawn_again():
    october = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2026, 10, 14))
    forward_plan_draw(YEAR)
    later = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2026, 10, 28))
    item = ForwardPlanItem.objects.get(paper="how_are_we_doing")
    item.meeting = later
    item.save()
    assert forward_plan_draw(YEAR).created == 0
    assert ForwardPlanItem.objects.filter(meeting=october, paper="how_are_we_doing").count() == 0


@pytest.mark.django_db
def test_a_new_meeting_fills_a_gap_when_drawn_again():
    MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2026, 10, 14))
    forward_plan_draw(YEAR)
    spring = MeetingFactory(forum=Forum.PARTNERSHIP_BOARD, date=datetime.date(2027, 2, 10))
    drawn = forward_plan_draw(YEAR)
    assert drawn.created > 0
    assert ForwardPlanItem.objects.filter(meeting=spring, paper="how_are_we_doing").exists()
    assert Meeting.objects.count() == 2
