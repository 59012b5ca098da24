"""The ways audit findings break down by the child a plan is about, and by its team
(docs/decisions/0010-breakdowns.md).

Each rule is written twice, once in Python for a single plan and once as a database expression
for a whole queryset, so that the findings, the QA summary and the export read every plan's
group in the one query they already run; `tests/audits/test_breakdowns.py` checks the two agree
at every boundary. Every page reads the same `BREAKDOWNS` list.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, CharField, Expression, F, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from audits.models.plans import YEAR_GROUPS, AgeBand, PlacementType, PrimaryNeed

NOT_RECORDED = "Not recorded"

EARLY_YEARS = "Early years (EYFS)"
KEY_STAGE_1 = "Key stage 1"
KEY_STAGE_2 = "Key stage 2"
KEY_STAGE_3 = "Key stage 3"
KEY_STAGE_4 = "Key stage 4"
POST_16 = "Post-16"
POST_19 = "Post-19"
KEY_STAGES = [
    EARLY_YEARS,
    KEY_STAGE_1,
    KEY_STAGE_2,
    KEY_STAGE_3,
    KEY_STAGE_4,
    POST_16,
    POST_19,
    NOT_RECORDED,
]

# The national curriculum's key stages by year group, as councils write year groups.
_STAGE_OF_YEAR = {
    **dict.fromkeys(["N1", "N2", "R"], EARLY_YEARS),
    **dict.fromkeys(["1", "2"], KEY_STAGE_1),
    **dict.fromkeys(["3", "4", "5", "6"], KEY_STAGE_2),
    **dict.fromkeys(["7", "8", "9"], KEY_STAGE_3),
    **dict.fromkeys(["10", "11"], KEY_STAGE_4),
    **dict.fromkeys(["12", "13", "14"], POST_16),
}
assert set(_STAGE_OF_YEAR) == set(YEAR_GROUPS)

# An age band says the stage only where it lies inside one: 5 to 10 spans reception to year 5,
# 11 to 15 years 6 to 10, so they say nothing certain.
_STAGE_OF_AGE_BAND = {
    AgeBand.AGE_0_4.value: EARLY_YEARS,
    AgeBand.AGE_16_19.value: POST_16,
    AgeBand.AGE_20_25.value: POST_19,
}

NEW = "New plan"
EXISTING = "Existing plan"
NEW_OR_EXISTING = [NEW, EXISTING, NOT_RECORDED]


def key_stage(year_group: str, age_band: str) -> str:
    """The key stage of a plan from the child's age: the year group when recorded, else the age
    band where it lies within one stage, else "Not recorded"."""
    if year_group:
        return _STAGE_OF_YEAR.get(year_group, NOT_RECORDED)
    return _STAGE_OF_AGE_BAND.get(age_band, NOT_RECORDED)


def new_or_existing(plan_issued: datetime.date | None, on: datetime.date | None) -> str:
    """A plan audited on `on` is new when it was first issued after the same day a year before
    (in its first 12 months), existing when issued earlier; "Not recorded" without both dates."""
    if plan_issued is None or on is None:
        return NOT_RECORDED
    a_year_before = (on.year - 1, on.month, on.day)  # a tuple: 29 February has no year-before day
    if (plan_issued.year, plan_issued.month, plan_issued.day) > a_year_before:
        return NEW
    return EXISTING


def _key_stage_of_audit(via: str) -> Case:
    year_group, age_band = f"{via}plan__year_group", f"{via}plan__age_band"
    years = [When(**{year_group: y}, then=Value(s)) for y, s in _STAGE_OF_YEAR.items()]
    bands = [
        When(**{year_group: "", age_band: band}, then=Value(stage))
        for band, stage in _STAGE_OF_AGE_BAND.items()
    ]
    return Case(*years, *bands, default=Value(NOT_RECORDED), output_field=CharField())


def _as_number(year: Any, month: Any, day: Any) -> Any:
    """A date as one comparable number (20250301), so that "a year before" is a subtraction
    from the year alone and needs no date arithmetic, which databases do differently."""
    return year * 10000 + month * 100 + day


def _new_or_existing_of_audit(via: str) -> Case:
    day = Coalesce(TruncDate(f"{via}submitted_at"), F(f"{via}term__end"))
    plan_issued = f"{via}plan__plan_issued"
    issued = _as_number(
        ExtractYear(plan_issued), ExtractMonth(plan_issued), ExtractDay(plan_issued)
    )
    a_year_before = _as_number(ExtractYear(day) - 1, ExtractMonth(day), ExtractDay(day))
    return Case(
        When(**{f"{plan_issued}__isnull": True}, then=Value(NOT_RECORDED)),
        When(
            **{f"{via}submitted_at__isnull": True, f"{via}term__isnull": True},
            then=Value(NOT_RECORDED),
        ),
        When(GreaterThan(issued, a_year_before), then=Value(NEW)),
        default=Value(EXISTING),
        output_field=CharField(),
    )


def _label_of(field: str, choices: type[models.TextChoices]) -> Case:
    """A coded field in the users' words; a code the choices do not know is "Not recorded"."""
    return Case(
        *[When(**{field: code}, then=Value(str(label))) for code, label in choices.choices],
        default=Value(NOT_RECORDED),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Breakdown:
    """One way to break the findings down: its key (in the query string), its label, its
    groups in the order pages list them (None: alphabetical, "Not recorded" last), and each
    audit's group as a database expression, in the users' words."""

    key: str
    label: str
    order: tuple[str, ...] | None
    expression: Callable[[str], Expression]  # given the path from the rows to their audit

    def of_audit(self, via: str = "") -> Expression:
        """Each audit's group, over audits, or over rows that reach their audit by `via`
        ("audit__" from answers)."""
        return self.expression(via)

    def sorted(self, groups: Iterable[str]) -> list[str]:
        """The groups present, in this breakdown's order."""
        if self.order is None:
            return sorted(groups, key=lambda g: (g == NOT_RECORDED, g.casefold()))
        rank = {group: n for n, group in enumerate(self.order)}
        return sorted(groups, key=lambda g: (rank.get(g, len(rank)), g))


def _labels(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(str(label) for label in choices.labels), NOT_RECORDED]))


BREAKDOWNS = (
    Breakdown("key_stage", "Key stage", tuple(KEY_STAGES), _key_stage_of_audit),
    Breakdown(
        "primary_need",
        "Primary need",
        _labels(PrimaryNeed),
        lambda via: _label_of(f"{via}plan__primary_need", PrimaryNeed),
    ),
    Breakdown(
        "placement_type",
        "Placement type",
        _labels(PlacementType),
        lambda via: _label_of(f"{via}plan__placement_type", PlacementType),
    ),
    Breakdown(
        "team",
        "Team",
        None,
        lambda via: Coalesce(
            F(f"{via}plan__team__name"), Value(NOT_RECORDED), output_field=CharField()
        ),
    ),
    Breakdown(
        "new_or_existing",
        "New or existing plan",
        tuple(NEW_OR_EXISTING),
        _new_or_existing_of_audit,
    ),
)
BY_KEY = {breakdown.key: breakdown for breakdown in BREAKDOWNS}


def breakdown_chosen(key: str | None) -> Breakdown | None:
    """The breakdown a page was asked for, or none."""
    return BY_KEY.get(key or "")


def audit_day(
    submitted_at: datetime.datetime | None, term_end: datetime.date | None
) -> datetime.date | None:
    """The day an audit looks at its plan from: the day it was submitted, else its term's end."""
    if submitted_at is not None:
        return timezone.localdate(submitted_at)
    return term_end
