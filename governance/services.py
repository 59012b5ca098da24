"""Writing the forward plan: drawing it up for a year from the cycle (governance/cycle.py)."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db import transaction

from governance.cycle import CYCLE, Placement, Span, default_terms, forward_plan_for
from governance.models import ForwardPlanItem, Meeting
from send_qa.core.models import Period


def terms_of_year(start_year: int) -> list[Span]:
    """The year's terms as core keeps them (admins may move their dates), else core's default
    terms for the year, worked out without writing them (a page that asks changes nothing)."""
    first, last = datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)
    terms = Period.objects.terms().filter(start__gte=first, start__lte=last).order_by("start")
    found = [Span(term.name, term.start, term.end) for term in terms]
    return found or default_terms(start_year)


def forward_plan(start_year: int) -> list[Placement]:
    """Where the cycle puts each recurring paper among the year's meetings, gaps included."""
    meetings = list(Meeting.objects.in_academic_year(start_year))
    return forward_plan_for(meetings, CYCLE, start_year, terms_of_year(start_year))


@dataclass(frozen=True)
class Drawn:
    created: int
    gaps: list[Placement]


@transaction.atomic
def forward_plan_draw(start_year: int) -> Drawn:
    """Add the items the cycle places and the plan lacks. An item already there for a paper
    and period (wherever it was moved to, whatever its status) is left as it is, so drawing
    twice adds nothing the second time."""
    placements = forward_plan(start_year)
    placed = [p for p in placements if p.meeting is not None]
    existing = set(
        ForwardPlanItem.objects.select_for_update()
        .filter(
            paper__in={p.paper.key for p in placed}, due_from__in={p.period.start for p in placed}
        )
        .values_list("paper", "due_from")
    )
    new = [
        ForwardPlanItem(
            meeting=cast(Meeting, p.meeting),  # the rule returns the meetings it was given
            paper=p.paper.key,
            title=p.paper.title,
            due_from=p.period.start,
            due_period=p.period.name,
            lead_name=p.paper.lead,
        )
        for p in placed
        if (p.paper.key, p.period.start) not in existing
    ]
    for item in new:
        item.save()  # one by one, so each has its history row
    return Drawn(len(new), [p for p in placements if p.meeting is None])
