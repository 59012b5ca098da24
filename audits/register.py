"""The plans register's filters and sorting: one reading of a query string, so that the
register and "Assign the N plans that match these filters" always mean the same plans."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Literal

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from audits.models import AgeBand, Audit, PlacementType, Plan, PrimaryNeed
from audits.models.plans import PlanQuerySet, last_audited
from send_qa.core.access import opaque_id
from send_qa.core.models import Team, User

NOT_AUDITED_MONTHS = (3, 6, 12)

Order = Literal["ascending", "descending"]


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


COLUMNS = [
    Column("reference", "Case reference"),
    Column("need", "Need"),
    Column("age", "Age"),
    Column("placement", "Placement"),
    Column("team", "Team"),
    Column("caseworker", "Caseworker"),
    Column("review", "Next review"),
    Column("audited", "Last audited"),
]
SORT_KEYS = {column.key for column in COLUMNS}


def not_audited_since(months: int, *, today: datetime.date) -> datetime.date:
    """The first day of "the last N months": an audit submitted on it or after counts.

    The same day of the month N months before (the month's last day where it is shorter).
    """
    years, month = divmod(today.month - 1 - months, 12)
    year = today.year + years
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime.date(year, month + 1, day)


def _submitted_audits_of_the_plan() -> QuerySet[Audit]:
    return Audit.objects.of_plans().submitted().filter(plan=OuterRef("pk"))


def keep_last_audited(plan_ids: Iterable[int] | None = None) -> int:
    """Work each plan's `last_audited_at` out again from its submitted audits (of the plan as
    such), in one UPDATE: the plans given, or every plan after a bulk write. The one place that
    sets it; `audits.receivers` calls it when an audit is submitted, reopened or deleted."""
    latest = _submitted_audits_of_the_plan().order_by("-submitted_at").values("submitted_at")[:1]
    if plan_ids is not None:
        return Plan.objects.filter(pk__in=plan_ids).update(last_audited_at=Subquery(latest))
    # Every plan: only those whose last audit moved are written, so a bulk write of a few
    # audits does not leave a new row version of every plan behind (dead rows the register's
    # index scans would read past until the next VACUUM). One pass over the plans, the test in
    # the UPDATE's own WHERE: as `pk IN (the plans that moved)`, a planner that misjudged the
    # plans' number (fresh statistics of a table just written) ran the whole inner query again
    # for each plan, a minute for a few hundred plans.
    return (
        Plan.objects.alias(latest=Subquery(latest))
        .filter(
            Q(last_audited_at__isnull=True, latest__isnull=False)
            | Q(last_audited_at__isnull=False, latest__isnull=True)
            | Q(last_audited_at__lt=F("latest"))
            | Q(last_audited_at__gt=F("latest"))
        )
        .update(last_audited_at=Subquery(latest))
    )


def not_audited_in_the_last(
    plans: PlanQuerySet, months: int, *, today: datetime.date
) -> PlanQuerySet:
    """Plans with no submitted audit in the last `months` months (counting from `today`)."""
    first_day = not_audited_since(months, today=today)
    since = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    return plans.alias(last_audited=last_audited()).filter(last_audited__lt=since)


def _rank(field: str, values: list[str]) -> Case:
    """Sort a coded field in the order of its choices (age bands), not by the code's text."""
    return Case(
        *[When(**{field: value}, then=Value(n)) for n, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _label(field: str, choices: list[tuple[str, str]]) -> Case:
    """Sort a coded field by the words shown for it (placements)."""
    return Case(
        *[When(**{field: value}, then=Value(label)) for value, label in choices],
        default=Value(""),
        output_field=CharField(),
    )


def _sort_expression(key: str) -> F | Case | Coalesce:
    expressions: dict[str, F | Case | Coalesce] = {
        "reference": F("case_reference"),
        "need": F("primary_need"),
        "age": _rank("age_band", [*AgeBand.values, ""]),
        "placement": _label("placement_type", PlacementType.choices),
        "team": F("team__name"),
        "caseworker": F("caseworker__full_name"),
        "review": F("next_review_due"),
        "audited": last_audited(),
    }
    return expressions[key]


def sorted_plans(plans: PlanQuerySet, key: str, order: Order) -> PlanQuerySet:
    """The register in the chosen column's order, then by case reference so pages are stable.

    Empty values go last either way, except "Last audited", where a plan never audited is the
    oldest: first when ascending, last when descending.
    """
    expression = _sort_expression(key)
    first: OrderBy
    if key == "audited":  # never empty (`last_audited`): its indexes serve it either way
        first = expression.desc() if order == "descending" else expression.asc()
    elif order == "descending":
        first = expression.desc(nulls_last=True)
    else:
        first = expression.asc(nulls_last=True)
    if key == "reference":
        # Never empty: without a nulls placement the unique index serves either order.
        return plans.order_by("-case_reference" if order == "descending" else "case_reference")
    return plans.order_by(first, "case_reference")


def filters_query(filters: object) -> QueryDict:
    """A list's chosen filters (a dataclass of strings, "" for not chosen) as a query string,
    to carry them to its links."""
    query = QueryDict(mutable=True)
    for field in fields(filters):  # type: ignore[arg-type]
        value = getattr(filters, field.name)
        if value:
            query[field.name] = value
    return query


@dataclass(frozen=True)
class RegisterFilters:
    """What the register was asked to show, read once from its query string."""

    q: str = ""
    need: str = ""
    placement: str = ""
    age: str = ""
    team: str = ""
    caseworker: str = ""
    not_audited: str = ""

    @classmethod
    def read(cls, query: QueryDict) -> "RegisterFilters":
        months = query.get("not_audited", "")
        return cls(
            q=query.get("q", "").strip(),
            need=query.get("need", "") if query.get("need") in PrimaryNeed.values else "",
            placement=query.get("placement", "")
            if query.get("placement") in PlacementType.values
            else "",
            age=query.get("age", "") if query.get("age") in AgeBand.values else "",
            team=opaque_id(query.get("team", "")),
            caseworker=opaque_id(query.get("caseworker", "")),
            not_audited=months if months in {str(m) for m in NOT_AUDITED_MONTHS} else "",
        )

    def query(self) -> QueryDict:
        """The filters as a query string (without sort or page), to carry them to a link."""
        return filters_query(self)

    def applied(self, plans: PlanQuerySet, *, today: datetime.date) -> PlanQuerySet:
        if self.q:
            plans = plans.filter(case_reference__icontains=self.q)
        if self.need:
            plans = plans.filter(primary_need=self.need)
        if self.placement:
            plans = plans.filter(placement_type=self.placement)
        if self.age:
            plans = plans.filter(age_band=self.age)
        if self.team:
            plans = plans.filter(team__uuid=self.team)
        if self.caseworker:
            plans = plans.filter(caseworker__uuid=self.caseworker)
        if self.not_audited:
            plans = not_audited_in_the_last(plans, int(self.not_audited), today=today)
        return plans

    def described(self) -> list[tuple[str, str]]:
        """Each filter in force in the users' words, for the page that acts on the selection."""
        lines = []
        if self.q:
            lines.append(("Case reference contains", self.q))
        if self.need:
            lines.append(("Primary need", PrimaryNeed(self.need).label))
        if self.placement:
            lines.append(("Placement", PlacementType(self.placement).label))
        if self.age:
            lines.append(("Age band", AgeBand(self.age).label))
        if self.team:
            team = Team.objects.filter(uuid=self.team).first()
            lines.append(("Team", team.name if team else "A team no longer in the portal"))
        if self.caseworker:
            person = User.objects.filter(uuid=self.caseworker).first()
            lines.append(("Caseworker", str(person) if person else "Someone no longer here"))
        if self.not_audited:
            lines.append(("Not audited in the last", f"{self.not_audited} months"))
        return lines


def register_plans(user: User, filters: RegisterFilters, *, today: datetime.date) -> PlanQuerySet:
    """The plans the person may see that match the filters."""
    return filters.applied(Plan.objects.visible_to(user), today=today)


def caseworkers_of(plans: PlanQuerySet) -> QuerySet[User]:
    """The people who are caseworkers of any of these plans, for the caseworker filter."""
    people: QuerySet[User] = User.objects.filter(pk__in=plans.values("caseworker_id"))
    return people.order_by("full_name")
