"""What other floors read of the risk register (the termly report, the dashboard): the risks
rated high, and those whose score changed in a period. Each is one query, whatever the number
of risks or of changes."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone

from risks.models import Risk, reference_of
from risks.scoring import Rating, risk_rating, risk_score

HISTORY_FIELDS = (
    "id",
    "uuid",
    "number",
    "title",
    "likelihood",
    "impact",
    "history_date",
    "history_type",
)


def _url(risk_uuid: uuid.UUID) -> str:
    return reverse("risks:risk_detail", kwargs={"risk_uuid": risk_uuid})


@dataclass(frozen=True)
class HighRisk:
    reference: str
    title: str
    rating: Rating
    target: Rating
    owner: str
    review_date: datetime.date
    url: str


@dataclass(frozen=True)
class ScoreChange:
    """A risk whose score at the end of a period differs from its score as the period began
    (or, for a risk added during the period, from its score when added)."""

    reference: str
    title: str
    before: Rating
    after: Rating
    when: datetime.datetime  # the last change of score in the period
    url: str


def high_risks() -> list[HighRisk]:
    """Open risks rated High, highest score first."""
    risks = Risk.objects.open().rated_high().by_score().select_related("owner")
    return [
        HighRisk(
            reference=risk.reference,
            title=risk.title,
            rating=risk.rating,
            target=risk.target_rating,
            owner=risk.owner_shown,
            review_date=risk.review_date,
            url=_url(risk.uuid),
        )
        for risk in risks
    ]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def score_changes(since: datetime.date, until: datetime.date) -> list[ScoreChange]:
    """Risks whose score changed from `since` to `until` (both days included), read from
    their history rows, most recently changed first."""
    start, end = _day_start(since), _day_start(until + datetime.timedelta(days=1))
    touched = Risk.history.filter(history_date__gte=start, history_date__lt=end).values("id")
    rows = (
        Risk.history.filter(id__in=Subquery(touched), history_date__lt=end)
        .order_by("id", "history_date", "history_id")
        .values(*HISTORY_FIELDS)
    )
    changes = [
        change
        for _, history in groupby(rows, key=lambda row: row["id"])
        if (change := _change(history, start)) is not None
    ]
    return sorted(changes, key=lambda change: change.when, reverse=True)


def _change(history: Iterable[dict[str, Any]], start: datetime.datetime) -> ScoreChange | None:
    before: int | None = None
    last: dict[str, Any] | None = None
    when: datetime.datetime | None = None
    for row in history:
        score = risk_score(row["likelihood"], row["impact"])
        if row["history_date"] < start or before is None:
            before = score  # the score as the period began, or when the risk was added
        elif last is not None and score != risk_score(last["likelihood"], last["impact"]):
            when = row["history_date"]
        last = row
    if last is None or before is None or when is None or last["history_type"] == "-":
        return None
    after = risk_score(last["likelihood"], last["impact"])
    if after == before:
        return None
    return ScoreChange(
        reference=reference_of(last["number"]),
        title=last["title"],
        before=risk_rating(before),
        after=risk_rating(after),
        when=when,
        url=_url(last["uuid"]),
    )
