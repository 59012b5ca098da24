"""The annual reviews due list: which plans, by team and month, read once from the query string.

A large county has thousands of reviews due at once, so the list is shown a page at a time,
narrowed by team and by the month a review is due; the filters' choices carry their counts.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.http import QueryDict

from audits.models import Plan
from audits.models.plans import PlanQuerySet
from audits.register import filters_query
from send_qa.core.access import opaque_id
from send_qa.core.models import User

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_read(text: str) -> datetime.date | None:
    """The first day of a month written "2026-11"; None for anything else."""
    found = MONTH.match(text)
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    return datetime.date(int(found[1]), int(found[2]), 1)


def month_after(first: datetime.date) -> datetime.date:
    return datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)


@dataclass(frozen=True)
class ReviewFilters:
    """The team (by its uuid) and the month ("2026-11") the list was asked for."""

    team: str = ""
    month: str = ""

    @classmethod
    def read(cls, query: QueryDict) -> "ReviewFilters":
        month = query.get("month", "")
        return cls(
            team=opaque_id(query.get("team", "")),
            month=month if month_read(month) else "",
        )

    def query(self) -> QueryDict:
        """The filters as a query string (without the page), to carry them to a link."""
        return filters_query(self)

    def of_team(self, plans: PlanQuerySet) -> PlanQuerySet:
        return plans.filter(team__uuid=self.team) if self.team else plans

    def of_month(self, plans: PlanQuerySet) -> PlanQuerySet:
        first = month_read(self.month)
        if first is None:
            return plans
        return plans.filter(next_review_due__gte=first, next_review_due__lt=month_after(first))


def plans_with_reviews_due(user: User, *, today: datetime.date) -> PlanQuerySet:
    """The plans the person may see whose annual review is overdue or due soon."""
    return Plan.objects.visible_to(user).review_due(on=today)


REVIEWS_DUE_ORDER = (
    F("team__name").asc(nulls_last=True),
    "next_review_due",
    "case_reference",
    "pk",
)


def reviews_due_ordered(plans: PlanQuerySet) -> PlanQuerySet:
    """By team, then the earliest review first; the case reference keeps pages stable."""
    return plans.select_related("team", "caseworker").order_by(*REVIEWS_DUE_ORDER)


def reviews_due_page(
    plans: PlanQuerySet, teams: "list[TeamChoice]", start: int, end: int
) -> list[Plan]:
    """The plans from `start` to `end` in the list's order. `teams`, in that order with how
    many each has, tell which teams the page spans: each team's part is read in order from
    the reviews index (no sort of the whole list), and only the page's plans in full."""
    parts, before = [], 0
    for team in teams:
        first, last = max(start - before, 0), min(end - before, team.plans)
        if first < last:
            of_team = plans.filter(team__uuid=team.uuid) if team.uuid else plans.filter(team=None)
            parts.append(
                of_team.order_by("next_review_due", "case_reference", "pk").values("pk")[first:last]
            )
        before += team.plans
    if not parts:
        return []
    if connection.features.supports_slicing_ordering_in_compound:  # not SQLite
        parts = [parts[0].union(*parts[1:], all=True)]
    ids = [row["pk"] for part in parts for row in part]
    found = reviews_due_ordered(Plan.objects.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids]


class ReviewsDue:
    """The list for a paginator told its length: each page read by `reviews_due_page`."""

    def __init__(self, plans: PlanQuerySet, teams: "list[TeamChoice]") -> None:
        self.plans, self.teams = plans, teams

    def __getitem__(self, part: slice) -> list[Plan]:
        return reviews_due_page(self.plans, self.teams, part.start or 0, part.stop)


class CountedPaginator(Paginator):
    """A paginator told how many there are, when they have been counted already."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@dataclass(frozen=True)
class MonthChoice:
    first_day: datetime.date
    plans: int

    @property
    def value(self) -> str:
        return self.first_day.strftime("%Y-%m")

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y} ({self.plans})"


@dataclass(frozen=True)
class TeamChoice:
    uuid: str | None
    name: str
    plans: int


@dataclass(frozen=True)
class DueCount:
    team_uuid: str | None
    team_name: str | None
    first_day: datetime.date
    plans: int


@dataclass(frozen=True)
class ReviewCounts:
    """How many reviews are due per team and month (teams in the list's order), counted in
    one pass: the month choices (within the team asked for), the team choices (within the
    month) and the list's length all come from these few rows."""

    rows: list[DueCount]

    def _matching(self, *, team: str = "", month: str = "") -> list[DueCount]:
        first = month_read(month)
        return [
            row
            for row in self.rows
            if (not team or row.team_uuid == team) and (first is None or row.first_day == first)
        ]

    def months(self, filters: ReviewFilters) -> list[MonthChoice]:
        """Each month in which some of these reviews are due, earliest first, with how many."""
        plans: dict[datetime.date, int] = defaultdict(int)
        for row in self._matching(team=filters.team):
            plans[row.first_day] += row.plans
        return [MonthChoice(first_day, n) for first_day, n in sorted(plans.items())]

    def teams(self, filters: ReviewFilters) -> list[TeamChoice]:
        """Each team with some of these reviews, by name, with how many (plans without a
        team last, as "No team")."""
        plans: dict[tuple[str | None, str | None], int] = defaultdict(int)
        for row in self._matching(month=filters.month):
            plans[row.team_uuid, row.team_name] += row.plans
        return [TeamChoice(uuid, name or "No team", n) for (uuid, name), n in plans.items()]

    def total(self, filters: ReviewFilters) -> int:
        """How many plans the list shows with both filters."""
        return sum(row.plans for row in self._matching(team=filters.team, month=filters.month))


def review_counts(plans: PlanQuerySet) -> ReviewCounts:
    """One GROUP BY over the reviews due (served by the reviews-due index): a row per team
    and month. Each row is one plan (who may see a plan is a subquery, not a join), counted
    without reading the table."""
    rows = (
        plans.order_by()
        .annotate(first_day=TruncMonth("next_review_due"))
        .values("team__uuid", "team__name", "first_day")
        .annotate(plans=Count("*"))
        .order_by(REVIEWS_DUE_ORDER[0], "first_day")
    )
    return ReviewCounts(
        [
            DueCount(
                str(row["team__uuid"]) if row["team__uuid"] else None,
                row["team__name"],
                row["first_day"],
                row["plans"],
            )
            for row in rows
        ]
    )


def review_months(plans: PlanQuerySet) -> list[MonthChoice]:
    """Each month in which some of these reviews are due, earliest first, with how many."""
    return review_counts(plans).months(ReviewFilters())


def review_teams(plans: PlanQuerySet) -> list[TeamChoice]:
    """Each team with some of these reviews, by name, with how many (plans without a team
    last, as "No team")."""
    return review_counts(plans).teams(ReviewFilters())
