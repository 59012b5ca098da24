"""Named queries other parts of the portal (dashboard, termly report) read KPIs through."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from kpis import feed
from kpis.computed import computed_recalculate
from kpis.follow_up import row_words
from kpis.models import Indicator, Measurement, Target
from kpis.rules import Direction, Rag, Shown
from kpis.scorecard import (
    AsAt,
    Standing,
    comparisons_used,
    grouped,
    scorecard_as_at,
    scorecard_rows,
)
from send_qa.core.feed import FeedTable
from send_qa.core.models import Period

if TYPE_CHECKING:
    from kpis.scorecard import Group, Row


@dataclass(frozen=True)
class RagSummary:
    """The home page's line on the scorecard, as at the scorecard's own default date."""

    as_at: AsAt
    measured: int  # indicators with a value, withheld ones included
    counts: dict[str, int]  # by `kpis.scorecard.Standing`: red, amber, green, withheld...
    exceptions: int


def rag_summary(*, on: datetime.date) -> RagSummary:
    """How many active indicators stand where (a withheld value counted as withheld, never by
    its RAG) and how many are exceptions, as at the date the scorecard opens on
    (`kpis.scorecard.scorecard_as_at`)."""
    as_at = scorecard_as_at(None, on=on)
    rows = scorecard_rows(
        Indicator.objects.active(),
        as_at=as_at.day,
        suppress=True,
        points=2,
        charts=False,
        benchmarks=False,
    )
    return RagSummary(
        as_at=as_at,
        measured=sum(1 for row in rows if row.latest is not None),
        counts={s.value: sum(1 for row in rows if row.standing == s) for s in Standing},
        exceptions=sum(1 for row in rows if row.is_exception),
    )


def scorecard_as_at_for_report(term: Period, *, on: datetime.date) -> AsAt:
    """What the report's scorecard is as at: the end of its term (or `on` while the term is
    in progress), by the scorecard's one rule."""
    return scorecard_as_at(term, on=on)


def comparisons_for_report(rows: "list[Row]") -> list[str]:
    """The neighbour sets the report's scorecard was compared with, for it to say so."""
    return comparisons_used(rows)


def scorecard_for_report(*, as_at: datetime.date) -> "tuple[list[Group], list[Row]]":
    """The scorecard's rows as the board sees them (small numbers suppressed), grouped by OBA
    category."""
    rows = scorecard_rows(
        Indicator.objects.active().select_related("owner"), as_at=as_at, suppress=True
    )
    return grouped(rows, by="oba"), rows


@dataclass(frozen=True)
class TermFigure:
    """One indicator's stored local value for exactly a term, as the scorecard shows it."""

    indicator: Indicator
    measurement: Measurement | None
    value: Shown
    target: Target | None


def term_figure(code: str, *, term: Period, suppress: bool = True) -> TermFigure | None:
    """The stored value of the indicator `code` for the term's own period, printed by the
    indicator's suppression rule, with the target in force at the term's end (the scorecard's
    rule, `kpis.models.target_in_force`). None when the catalogue has no such indicator."""
    indicator = Indicator.objects.prefetch_related("targets").filter(code=code).first()
    if indicator is None:
        return None
    measurement = (
        Measurement.objects.local()
        .filter(indicator=indicator, period_start=term.start, period_end=term.end)
        .first()
    )
    return TermFigure(
        indicator=indicator,
        measurement=measurement,
        value=indicator.shown(measurement, suppress=suppress),
        target=indicator.target_on(term.end),
    )


def computed_refresh(*, term: Period, on: datetime.date) -> int:
    """Recalculate the term's values of the indicators the portal computes from its own
    records, so that a report compiled now quotes them as they stand now; other terms are kept
    up to date as records change (`kpis.signals`) and nightly."""
    return computed_recalculate(terms=[term], on=on)


@dataclass(frozen=True)
class IndicatorFinding:
    """A scorecard row as the report's draft says it: green and improving, or an exception."""

    name: str
    words: str  # "41.2% in Autumn 2026: red, declining (target 60.0%)"
    url: str
    working_well: bool
    exception: bool


def indicator_findings(rows: "list[Row]") -> list[IndicatorFinding]:
    """The rows of `scorecard_for_report` worth a bullet: green and improving (working well),
    red or declining (worried about), each in the words the evidence pages use."""
    found = []
    for row in rows:
        if row.latest is None:
            continue
        working_well = row.rag == Rag.GREEN and row.direction == Direction.IMPROVING
        if not (working_well or row.is_exception):
            continue
        found.append(
            IndicatorFinding(
                name=row.indicator.name,
                words=row_words(row),
                url=reverse("kpis:indicator_detail", kwargs={"code": row.indicator.code})
                + "#actions",
                working_well=working_well,
                exception=row.is_exception,
            )
        )
    return found


def indicators_for_feed() -> FeedTable:
    return FeedTable("Indicators", feed.INDICATOR_HEADER, feed.indicators_table())


def values_for_feed(
    *,
    code: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> FeedTable:
    rows = feed.values_table(code=code, period_from=period_from, period_to=period_to)
    return FeedTable("Values with comparators", feed.VALUES_HEADER, rows)


def scorecard_for_feed(term: Period | None, *, on: datetime.date) -> FeedTable:
    """The scorecard as the board sees it and its export gives it: as at the end of `term` (or
    the last finished term), by the scorecard's one rule for what it is as at."""
    as_at = scorecard_as_at(term, on=on)
    indicators = Indicator.objects.active().select_related("owner")
    rows = scorecard_rows(indicators, as_at=as_at.day, suppress=True)
    return FeedTable(as_at.heading, feed.SCORECARD_HEADER, feed.scorecard_table_rows(rows))
