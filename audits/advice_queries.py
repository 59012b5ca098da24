"""Summaries of professional advice: timeliness and quality per service, profession and term.

Timeliness counts the advice *due* in the term (so that whether it came on time is known):
received by its due date is on time, after it late, not received by today missing. Quality
reads the submitted scoring audits (advice-writing QA tool) of advice requested in the term.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Max, Q
from django.db.models.functions import Cast

from audits.models import (
    Advice,
    AdviceService,
    AdviceStatus,
    Answer,
    Audit,
    Profession,
    TemplateItem,
)
from audits.models.audits import AuditQuerySet
from send_qa.core.figures import percent, round_half_up
from send_qa.core.models import Period


@dataclass
class Timeliness:
    key: str
    label: str
    profession: str
    due: int
    on_time: int
    late: int
    missing: int

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def percent_on_time(self) -> Decimal | None:
        return percent(self.on_time, self.decided)


def timeliness(*, term: Period, on: datetime.date, by: str = "service") -> list[Timeliness]:
    """Per service (or per profession): advice due in the term and how much came on time."""
    group = "service__name" if by == "service" else "service__profession"
    rows = (
        Advice.objects.with_status(on=on)
        .filter(due__gte=term.start, due__lte=min(term.end, on))
        .values(group, "service__profession")
        .annotate(
            due_count=Count("id"),
            on_time=Count("id", filter=Q(status=AdviceStatus.ON_TIME)),
            late=Count("id", filter=Q(status=AdviceStatus.LATE)),
            missing=Count("id", filter=Q(status=AdviceStatus.MISSING)),
        )
        .order_by(group)
    )
    labels = dict(Profession.choices)
    merged: dict[str, Timeliness] = {}
    for row in rows:
        key = row[group]
        entry = merged.setdefault(
            key,
            Timeliness(
                key=key,
                label=key if by == "service" else labels.get(key, key),
                profession=labels.get(row["service__profession"], ""),
                due=0,
                on_time=0,
                late=0,
                missing=0,
            ),
        )
        entry.due += row["due_count"]
        entry.on_time += row["on_time"]
        entry.late += row["late"]
        entry.missing += row["missing"]
    return list(merged.values())


def timeliness_total(rows: list[Timeliness]) -> Timeliness:
    total = Timeliness("all", "All services", "", 0, 0, 0, 0)
    for row in rows:
        total.due += row.due
        total.on_time += row.on_time
        total.late += row.late
        total.missing += row.missing
    return total


def advice_scoring_audits(*, term: Period, service: AdviceService | None = None) -> AuditQuerySet:
    """Submitted scoring audits of advice requested in the term (optionally one service's)."""
    audits = Audit.objects.submitted().filter(
        advice__isnull=False,
        advice__requested__gte=term.start,
        advice__requested__lte=term.end,
    )
    if service is not None:
        audits = audits.filter(advice__service=service)
    return audits


def mean_score_per_line(audits: AuditQuerySet) -> list[Mapping[str, Any]]:
    """Each line of the tool in order with its mean score and how many scored it."""
    return list(
        Answer.objects.filter(audit__in=audits)
        .with_value(TemplateItem.Kind.SCORE)
        .values(
            "item__code", "item__text", "item__scale_max", "item__section__order", "item__order"
        )
        .annotate(
            answers=Count("id"),
            mean=Avg(Cast(F("score"), FloatField())),
        )
        .order_by("item__section__order", "item__order", "item__code")
    )


def lowest_lines(lines: list[Mapping[str, Any]], *, limit: int = 5) -> list[Mapping[str, Any]]:
    return sorted(lines, key=lambda row: (row["mean"] / row["item__scale_max"], row["item__code"]))[
        :limit
    ]


def advice_quality(audits: AuditQuerySet) -> dict[str, Any]:
    """How many advice reports were scored, their mean total and percentage."""
    counts = audits.aggregate(
        scored=Count("id"),
        mean_points=Avg("points"),
        mean_percent=Avg("percent"),
        max_points=Max("max_points"),
    )
    return {
        "max_points": int(counts["max_points"]) if counts["max_points"] else None,
        "scored": counts["scored"],
        "mean_points": round_half_up(counts["mean_points"]) if counts["mean_points"] else None,
        "mean_percent": round_half_up(counts["mean_percent"]) if counts["mean_percent"] else None,
    }
