"""Level 1 quality assurance: each team peer-moderates 2 plans every 6 weeks (seed 002, 1a).

The year is cut into 6-week cycles from 1 September. A team's cycle is done when 2 peer
moderations of its plans were submitted in it; a past cycle that is not done is overdue.
Peer moderations are ordinary audits with the purpose "peer moderation".
"""

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from audits.models import Audit, ChecklistTemplate, Plan
from audits.models.audits import AuditQuerySet
from audits.models.moderation import PEER_MODERATION_EVERY, PEER_MODERATION_PLANS
from audits.statuses import Tag, peer_cycle_status
from send_qa.core.models import Period, Team, User, academic_year_start


@dataclass(frozen=True)
class Cycle:
    number: int  # 1 for the first 6 weeks from 1 September
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"Cycle {self.number}: {self.start:%-d %b} to {self.end:%-d %b %Y}"


def cycles_of_year(day: datetime.date) -> list[Cycle]:
    """Every cycle of the academic year holding `day`, up to and including `day`'s cycle."""
    first = datetime.date(academic_year_start(day), 9, 1)
    cycles, start, number = [], first, 1
    while start <= day:
        end = start + PEER_MODERATION_EVERY - datetime.timedelta(days=1)
        cycles.append(Cycle(number, start, end))
        start, number = end + datetime.timedelta(days=1), number + 1
    return cycles


@dataclass
class TeamCycle:
    cycle: Cycle
    done: int
    started: int
    is_current: bool

    @property
    def status(self) -> str:
        if self.done >= PEER_MODERATION_PLANS:
            return "done"
        return "due" if self.is_current else "overdue"

    @property
    def status_tag(self) -> Tag:
        return peer_cycle_status(self.status, self.cycle.end)


@dataclass
class TeamSchedule:
    team: Team
    cycles: list[TeamCycle]

    @property
    def current(self) -> TeamCycle:
        return self.cycles[-1]

    @property
    def done_count(self) -> int:
        return sum(1 for c in self.cycles if c.status == "done")

    @property
    def overdue(self) -> list[TeamCycle]:
        return [c for c in self.cycles if c.status == "overdue"]


def peer_audits() -> AuditQuerySet:
    return Audit.objects.filter(purpose=Audit.Purpose.PEER_MODERATION)


def team_schedules(teams: Iterable[Team], *, on: datetime.date) -> list[TeamSchedule]:
    """The year's cycles for each team, with what was done in each: two queries in all."""
    teams = list(teams)
    cycles = cycles_of_year(on)
    counts = {
        (row["plan__team_id"], row["day"]): row
        for row in peer_audits()
        .filter(plan__team__in=teams)
        .annotate(_day=Coalesce(TruncDate("submitted_at"), TruncDate("assigned_at")))
        .filter(_day__gte=cycles[0].start)
        .annotate(day=_cycle_start(cycles))
        .values("plan__team_id", "day")
        .annotate(
            done=Count("id", filter=Q(status=Audit.Status.SUBMITTED)),
            started=Count("id", filter=~Q(status=Audit.Status.SUBMITTED)),
        )
    }
    schedules = []
    for team in teams:
        rows = []
        for cycle in cycles:
            found = counts.get((team.pk, cycle.start), {"done": 0, "started": 0})
            rows.append(TeamCycle(cycle, found["done"], found["started"], cycle is cycles[-1]))
        schedules.append(TeamSchedule(team, rows))
    return schedules


def _cycle_start(cycles: list[Cycle]) -> Case:
    """SQL for the start of the cycle a peer moderation counts in: the day it was submitted,
    or, not yet submitted, the day it was started."""
    return Case(
        *[
            When(Q(_day__gte=cycle.start, _day__lte=cycle.end), then=Value(cycle.start))
            for cycle in cycles
        ],
        output_field=DateField(),
    )


def teams_with_plans() -> QuerySet[Team]:
    """The active teams holding an active plan: asked of each team (a few), not found by
    reading every plan and taking the repeats out (20,000 at a large county)."""
    active_plans = Plan.objects.filter(team=OuterRef("pk"), is_active=True)
    return (
        Team.objects.filter(Exists(active_plans), is_active=True)
        .select_related("organisation")
        .order_by("name")
    )


def suggested_plans(
    team: Team, *, on: datetime.date, count: int = PEER_MODERATION_PLANS
) -> QuerySet[Plan]:
    """Plans of the team picked at random for this cycle (the same all cycle long), leaving
    out plans audited or moderated in the last year."""
    cycle = cycles_of_year(on)[-1]
    recent = Audit.objects.filter(
        plan__team=team, assigned_at__date__gte=on - datetime.timedelta(days=365)
    ).values("plan_id")
    pool = list(
        Plan.objects.filter(team=team, is_active=True)
        .exclude(pk__in=recent)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(f"{team.pk}-{cycle.start.isoformat()}")  # noqa: S311 - not security
    chosen = rng.sample(pool, min(count, len(pool)))
    return Plan.objects.filter(pk__in=chosen).order_by("case_reference")


def peer_moderation_start(*, plan: Plan, by: User) -> Audit:
    """Start a peer moderation of a team plan by a member of the team."""
    template = (
        ChecklistTemplate.objects.published()
        .for_subject(ChecklistTemplate.Subject.EHCP)
        .order_by("-published_at", "-version")
        .first()
    )
    if template is None:
        raise LookupError("There is no published EHCP checklist to moderate with.")
    return Audit.objects.create(
        plan=plan,
        template=template,
        purpose=Audit.Purpose.PEER_MODERATION,
        auditor=by,
        assigned_by=by,
        term=Period.objects.current_term(on=timezone.localdate()),
    )


def peer_moderation_in_term(*, term: Period, on: datetime.date) -> list[TeamSchedule]:
    """Each team's cycles that overlap the term (up to `on`)."""
    day = min(on, term.end)
    if day < term.start:
        return []
    schedules = team_schedules(teams_with_plans(), on=day)
    for schedule in schedules:
        schedule.cycles = [c for c in schedule.cycles if c.cycle.end >= term.start]
    return schedules
