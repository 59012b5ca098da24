"""The annual reviews due list: which plans, by team and month, read once from the query string.

A large county has thousands of reviews due at once, so the list is shown a page at a time,
narrowed by team and by the month a review is due; the filters' choices carry their counts.
"""

import datetime
import re
from dataclasses import dataclass

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


def reviews_due_ordered(plans: PlanQuerySet) -> PlanQuerySet:
    """By team, then the earliest review first; the case reference keeps pages stable."""
    return plans.select_related("team", "caseworker").order_by(
        F("team__name").asc(nulls_last=True), "next_review_due", "case_reference", "pk"
    )


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


def review_months(plans: PlanQuerySet) -> list[MonthChoice]:
    """Each month in which some of these reviews are due, earliest first, with how many."""
    rows = (
        plans.order_by()
        .annotate(first_day=TruncMonth("next_review_due"))
        .values("first_day")
        .annotate(plans=Count("pk", distinct=True))
        .order_by("first_day")
    )
    return [MonthChoice(row["first_day"], row["plans"]) for row in rows]


def review_teams(plans: PlanQuerySet) -> list[TeamChoice]:
    """Each team with some of these reviews, by name, with how many (plans without a team
    last, as "No team")."""
    rows = (
        plans.order_by()
        .values("team__uuid", "team__name")
        .annotate(plans=Count("pk", distinct=True))
        .order_by(F("team__name").asc(nulls_last=True))
    )
    return [
        TeamChoice(
            str(row["team__uuid"]) if row["team__uuid"] else None,
            row["team__name"] or "No team",
            row["plans"],
        )
        for row in rows
    ]
