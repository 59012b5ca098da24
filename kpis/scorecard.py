"""Building the scorecard: for each indicator its latest local value as at a date, the target,
RAG, direction of travel, benchmarks, this area's rank among local authorities, and the trend.
Benchmarks and rank come from the comparators worked out from published figures
(`kpis.comparators`) where a published table feeds the indicator, else from figures typed in.

A fixed number of queries whatever the number of indicators and periods: one for the
indicators, one for their recent local values (a window function keeps the last few per
indicator), one for the benchmarks of those periods, one for the published comparators, one
for the targets, and, when a breakdown is chosen, one for every indicator's figures by it.

A breakdown ("Sex", "Type of placement") is one of the DfE file's own: the scorecard reads
this area's published figures for it from the stored comparators (worked out from the
published rows after each import, `kpis.comparators`), the latest period up to the date, as
the headline comparison does.
"""

import datetime
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.db.models import F, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify

from benchmarks.queries import breakdown_order
from kpis.charts import sparkline
from kpis.models import (
    Area,
    Comparator,
    Indicator,
    KpiData,
    Measurement,
    ObaCategory,
    StoredScorecardRow,
    Target,
    target_in_force,
)
from kpis.periods import period_kind
from kpis.rules import Benchmark, Direction, Rag, Shown, benchmark, direction, judged, rag
from send_qa.core.models import Period

TREND_POINTS = 8


@functools.lru_cache(maxsize=4096)
def indicator_address(prefix: str, code: str) -> str:
    """An indicator's page, worked out once per process (and script prefix): the scorecard
    links every row to one, and reversing an address costs more than printing its row."""
    return reverse("kpis:indicator_detail", kwargs={"code": code})


@dataclass(frozen=True)
class AsAt:
    """The day a scorecard shows values up to, and the term it is the end of (decision 0013):
    the values of periods that have ended by `day`."""

    day: datetime.date
    term: Period | None
    in_progress: bool  # the term has not ended: values up to today

    @property
    def heading(self) -> str:
        """What the page, the home page and the report say they show."""
        if self.term is None:
            return f"As at {self.day:%-d %B %Y}"
        if self.in_progress:
            return f"{self.term.name}, in progress: as at {self.day:%-d %B %Y}"
        return f"As at the end of {self.term.name} ({self.day:%-d %B %Y})"


def scorecard_as_at(term: Period | None, *, on: datetime.date) -> AsAt:
    """The one rule for what a scorecard is as at. A chosen term: its end, or `on` while it is
    in progress. No term chosen: the end of the last term that has finished by `on` (a value
    is judged only once its period is over), or `on` when no term has finished. One query."""
    if term is None:
        term = Period.objects.terms().filter(end__lt=on).order_by("-end").first()
        if term is None:
            return AsAt(on, None, in_progress=False)
    return AsAt(min(term.end, on), term, in_progress=term.start <= on <= term.end)


def values_not_yet_shown(indicators: Iterable[Indicator], *, as_at: datetime.date) -> int:
    """How many of this area's values of `indicators` are for periods ending after `as_at`
    (the current term's, say): the page says they are there and why they are not shown."""
    return (
        Measurement.objects.local()
        .filter(indicator__in=[i.pk for i in indicators], period_end__gt=as_at)
        .count()
    )


class Standing(StrEnum):
    """Where a row stands, for the summary strip and the home page: its RAG, or why it has
    none. A withheld value is counted as withheld, never by the RAG it would have had."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NO_TARGET = "no target"
    WITHHELD = "withheld"
    NO_VALUE = "no value"


STANDING_LABELS = {
    Standing.RED: "Red",
    Standing.AMBER: "Amber",
    Standing.GREEN: "Green",
    Standing.NO_TARGET: "No target",
    Standing.WITHHELD: "Withheld",
    Standing.NO_VALUE: "No value yet",
}
# The GOV.UK tag colour of each, always beside its word.
STANDING_TAGS = {
    Standing.RED: "govuk-tag--red",
    Standing.AMBER: "govuk-tag--yellow",
    Standing.GREEN: "govuk-tag--green",
    Standing.NO_TARGET: "govuk-tag--grey",
    Standing.WITHHELD: "govuk-tag--grey",
    Standing.NO_VALUE: "govuk-tag--grey",
}


@dataclass(frozen=True)
class StandingCount:
    standing: Standing
    label: str
    tag: str
    count: int


def standing_counts(rows: Iterable["Row"]) -> list[StandingCount]:
    """How many rows stand where, in the strip's order (red first), each with its word."""
    counts = Counter(row.standing for row in rows)
    return [
        StandingCount(s, STANDING_LABELS[s], STANDING_TAGS[s], counts[s])
        for s in Standing
        if counts[s] or s in (Standing.RED, Standing.AMBER, Standing.GREEN, Standing.NO_TARGET)
    ]


@dataclass(frozen=True)
class BreakdownLine:
    """One value of the chosen breakdown under an indicator's row: this area's latest
    published figure for it ("Aged 10": 214), printed as any published figure is."""

    breakdown: str
    period_label: str
    value: Shown


@dataclass
class Row:
    indicator: Indicator
    latest: Measurement | None
    previous: Measurement | None
    target: Target | None
    rag: Rag | None
    direction: Direction | None
    value: Shown
    benchmarks: dict[str, Shown] = field(default_factory=dict)
    rank: Benchmark | None = None
    trend: list[Measurement] = field(default_factory=list)
    sparkline: str = ""
    comparator: Comparator | None = None  # the latest published comparison (kpis.comparators)
    published: Shown | None = None  # this area's published figure in that comparison
    # By the chosen breakdown: one line per value; None when it is not published by it.
    breakdowns: list[BreakdownLine] | None = None
    # The other areas' values the benchmarks print, where no published comparison feeds them.
    benchmark_values: dict[str, Measurement | None] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """The indicator's page."""
        return indicator_address(get_script_prefix(), self.indicator.code)

    @property
    def compared_elsewhere(self) -> bool:
        """The comparators are of another period than the latest value (a calculated termly
        indicator beside the DfE's calendar year): the page names that period."""
        if self.comparator is None:
            return False
        if self.latest is None:
            return True
        return (self.comparator.period_start, self.comparator.period_end) != (
            self.latest.period_start,
            self.latest.period_end,
        )

    @property
    def is_exception(self) -> bool:
        return self.rag == Rag.RED or self.direction == Direction.DECLINING

    @property
    def withheld(self) -> bool:
        """The latest value is withheld (or "fewer than 5"): it has no RAG, direction or rank."""
        return self.value.suppressed

    @property
    def standing(self) -> Standing:
        if self.withheld:
            return Standing.WITHHELD
        if self.latest is None:
            return Standing.NO_VALUE
        if self.rag is None:
            return Standing.NO_TARGET
        return Standing(self.rag.value)


@dataclass
class Group:
    title: str
    rows: list[Row]

    @property
    def anchor(self) -> str:
        """The id of the group's heading, for the summary's jump links."""
        return "group-" + slugify(self.title)

    @property
    def standings(self) -> str:
        """ "2 red, 1 amber, 5 green": the group's counts in words, for its jump link."""
        return ", ".join(
            f"{c.count} {c.label.lower()}" for c in standing_counts(self.rows) if c.count
        )


def scorecard_rows(
    indicators: Iterable[Indicator],
    *,
    as_at: datetime.date,
    suppress: bool = True,
    points: int = TREND_POINTS,
    charts: bool = True,
    benchmarks: bool = True,
    breakdown: str = "",
) -> list[Row]:
    """The rows of the scorecard, each with its figures by `breakdown` (a published topic)
    when one is asked for. Summaries that need only the RAG and direction ask for two points,
    no charts and no benchmarks, and load a quarter of the values.

    The board's rows (small numbers suppressed, the full trend, charts and benchmarks) are
    read from the rows stored
    for `as_at` at the current data version (`scorecard_rows_store`), in one query; an
    indicator without one (not stored yet, or stored before a change) is worked out here."""
    indicators = list(indicators)
    board_rows = suppress and points == TREND_POINTS and charts and benchmarks
    stored = _stored_rows(indicators, as_at=as_at) if board_rows else {}
    missing = [i for i in indicators if i.pk not in stored]
    worked_out = {
        row.indicator.pk: row
        for row in _rows_worked_out(
            missing,
            as_at=as_at,
            suppress=suppress,
            points=points,
            charts=charts,
            benchmarks=benchmarks,
        )
    }
    rows = [stored.get(i.pk) or worked_out[i.pk] for i in indicators]
    ids = [i.pk for i in indicators]
    by_breakdown = _by_breakdown(ids, topic=breakdown, as_at=as_at) if breakdown else {}
    for row in rows:
        if row.indicator.pk in by_breakdown:
            row.breakdowns = [
                BreakdownLine(
                    c.breakdown,
                    c.period_label,
                    row.indicator.shown_figure(
                        c.value,
                        status=c.status,
                        numerator=c.numerator,
                        denominator=c.denominator,
                        suppress=suppress,
                    ),
                )
                for c in by_breakdown[row.indicator.pk]
            ]
    return rows


def _rows_worked_out(
    indicators: list[Indicator],
    *,
    as_at: datetime.date,
    suppress: bool,
    points: int,
    charts: bool,
    benchmarks: bool,
) -> list[Row]:
    """The rows worked out from the values, targets and comparators, in four queries."""
    if not indicators:
        return []
    ids = [i.pk for i in indicators]
    recent = (
        Measurement.objects.local()
        .filter(indicator_id__in=ids, period_end__lte=as_at)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period_end").desc(), F("period_start").desc()],
            )
        )
        .filter(position__lte=points)
        .order_by("indicator_id", "period_end", "period_start")
    )
    trends: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in recent:
        trends[measurement.indicator_id].append(measurement)
    latest = {pk: values[-1] for pk, values in trends.items()}
    others = _benchmarks(latest.values()) if benchmarks else {}
    published = _comparators(ids, as_at=as_at) if benchmarks else {}
    targets = _targets(ids)
    rows = []
    for indicator in indicators:
        # Like with like: a value is followed and charted only beside values of its own kind
        # of period (kpis.periods), never a calendar year beside an academic year or a term.
        values = _like_the_latest(trends.get(indicator.pk, []))
        current = values[-1] if values else None
        previous = values[-2] if len(values) > 1 else None
        target = (
            target_in_force(targets.get(indicator.pk, []), on=current.period_end)
            if current
            else None
        )
        value = indicator.shown(current, suppress=suppress)
        before = indicator.shown(previous, suppress=suppress) if previous else None
        row = Row(
            indicator=indicator,
            latest=current,
            previous=previous,
            target=target,
            # A withheld value is judged by nothing (kpis.rules.judged): no RAG, direction
            # of travel, rank or quartile, on every page, export and count that reads the row.
            rag=judged(
                rag(
                    current.value if current else None,
                    target.value if target else None,
                    polarity=indicator.polarity,
                    tolerance=indicator.tolerance,
                ),
                value,
            ),
            direction=judged(
                direction(
                    current.value if current else None,
                    previous.value if previous else None,
                    polarity=indicator.polarity,
                ),
                value,
                before,
            ),
            value=value,
            trend=values,
            sparkline=sparkline(
                [indicator.shown(m, suppress=suppress).value for m in values],
                title=f"{indicator.name}: trend",
                unit=indicator.unit,
            )
            if charts
            else "",
        )
        comparator = published.get(indicator.pk)
        if comparator is not None:
            _compared_with_published(row, comparator, suppress=suppress)
            if comparator.rank and comparator.of:
                row.rank = judged(
                    Benchmark(comparator.rank, comparator.of, comparator.quartile),
                    value,
                    row.published,
                )
        elif current is not None:
            areas = others.get((indicator.pk, current.period_start, current.period_end), {})
            row.benchmarks = {
                area: indicator.shown(areas.get(area), suppress=suppress) for area in BENCHMARKS
            }
            row.benchmark_values = {area: areas.get(area) for area in BENCHMARKS}
            authorities = [m.value for a, m in areas.items() if a.startswith("la:")]
            if authorities:
                row.rank = judged(
                    benchmark(
                        current.value, [*authorities, current.value], polarity=indicator.polarity
                    ),
                    value,
                )
        rows.append(row)
    return rows


BENCHMARKS = (Area.ENGLAND, Area.REGION, Area.STATISTICAL_NEIGHBOURS)


def _compared_with_published(row: Row, comparator: Comparator, *, suppress: bool) -> None:
    """The row's published figure and benchmarks, from its latest published comparison."""
    indicator = row.indicator
    row.comparator = comparator
    row.published = indicator.shown_figure(
        comparator.value,
        status=comparator.status,
        numerator=comparator.numerator,
        denominator=comparator.denominator,
        suppress=suppress,
    )
    row.benchmarks = {
        Area.ENGLAND: indicator.shown_figure(
            comparator.england, status=comparator.england_status, suppress=suppress
        ),
        Area.REGION: indicator.shown_figure(
            comparator.region, status=comparator.region_status, suppress=suppress
        ),
        Area.STATISTICAL_NEIGHBOURS: indicator.shown_figure(
            comparator.neighbour_mean, suppress=suppress
        ),
    }


def _stored_rows(indicators: list[Indicator], *, as_at: datetime.date) -> dict[int, Row]:
    """The rows stored for `as_at` at the current data version, by indicator, in one query.
    A row stored before the latest change names an older version and is not read."""
    by_id = {i.pk: i for i in indicators}
    return {
        stored.indicator_id: _row_read(by_id[stored.indicator_id], stored)
        for stored in StoredScorecardRow.objects.filter(
            as_at=as_at,
            indicator_id__in=list(by_id),
            data_version=Subquery(KpiData.objects.filter(pk=1).values("version")[:1]),
        ).select_related(*STORED_FIGURES)
    }


STORED_FIGURES = ("latest", "previous", "target", "comparator", "england", "region", "neighbours")


def _row_read(indicator: Indicator, stored: StoredScorecardRow) -> Row:
    """A stored row as the row it was worked out as: its values printed by the indicator's
    rule, its RAG, direction and rank as judged when it was stored."""
    row = Row(
        indicator=indicator,
        latest=stored.latest,
        previous=stored.previous,
        target=stored.target,
        rag=Rag(stored.rag) if stored.rag else None,
        direction=Direction(stored.direction) if stored.direction else None,
        value=indicator.shown(stored.latest, suppress=True),
        sparkline=stored.sparkline,
    )
    if stored.comparator is not None:
        _compared_with_published(row, stored.comparator, suppress=True)
    elif stored.latest is not None:
        areas = dict(
            zip(BENCHMARKS, (stored.england, stored.region, stored.neighbours), strict=True)
        )
        row.benchmarks = {area: indicator.shown(m, suppress=True) for area, m in areas.items()}
        row.benchmark_values = areas
    if stored.rank is not None and stored.out_of is not None:
        row.rank = Benchmark(stored.rank, stored.out_of, stored.quartile)
    return row


def scorecard_rows_store(*, on: datetime.date) -> int:
    """Work out and store every indicator's board row as at each day a scorecard is asked
    for most (`stored_days`), at the data version read first: a change committed meanwhile
    makes the rows outdated rather than wrong. Rows of other days are removed. Returns how
    many rows were stored."""
    version = KpiData.objects.version()
    days = stored_days(on=on)
    indicators = list(Indicator.objects.all())
    stored = []
    for day in days:
        for row in _rows_worked_out(
            indicators,
            as_at=day,
            suppress=True,
            points=TREND_POINTS,
            charts=True,
            benchmarks=True,
        ):
            stored.append(_row_stored(row, as_at=day, version=version))
    with transaction.atomic():
        StoredScorecardRow.objects.all().delete()
        StoredScorecardRow.objects.bulk_create(stored, batch_size=1000)
    return len(stored)


# The finished terms whose rows are kept, latest first (two academic years); older terms'
# scorecards are worked out when asked for.
TERMS_STORED = 6


def stored_days(*, on: datetime.date) -> list[datetime.date]:
    """The days the rows are stored as at: today (the term in progress) and the ends of the
    last TERMS_STORED finished terms (the first of them what the scorecard opens on)."""
    ends = Period.objects.terms().filter(end__lt=on).order_by("-end")[:TERMS_STORED]
    return [on, *ends.values_list("end", flat=True)]


def _row_stored(row: Row, *, as_at: datetime.date, version: int) -> StoredScorecardRow:
    values = row.benchmark_values
    return StoredScorecardRow(
        indicator=row.indicator,
        as_at=as_at,
        data_version=version,
        latest=row.latest,
        previous=row.previous,
        target=row.target,
        rag=row.rag or "",
        direction=row.direction or "",
        comparator=row.comparator,
        england=values.get(Area.ENGLAND),
        region=values.get(Area.REGION),
        neighbours=values.get(Area.STATISTICAL_NEIGHBOURS),
        rank=row.rank.rank if row.rank else None,
        out_of=row.rank.out_of if row.rank else None,
        quartile=row.rank.quartile if row.rank else "",
        sparkline=row.sparkline,
    )


def _like_the_latest(values: list[Measurement]) -> list[Measurement]:
    if not values:
        return values
    kind = period_kind(values[-1].period_start, values[-1].period_end)
    return [m for m in values if period_kind(m.period_start, m.period_end) == kind]


def _comparators(ids: list[int], *, as_at: datetime.date) -> dict[int, Comparator]:
    """Each indicator's latest published comparison of the whole area (the "All" breakdown)
    up to `as_at`, in one query."""
    found: dict[int, Comparator] = {}
    for comparator in (
        Comparator.objects.headline()
        .filter(indicator_id__in=ids, period_end__lte=as_at)
        .order_by("indicator_id", "period_end", "period_start")
    ):
        found[comparator.indicator_id] = comparator  # the last of each is its latest
    return found


def breakdown_topics(indicators: Iterable[Indicator], *, as_at: datetime.date) -> list[str]:
    """The published breakdowns (the DfE file's topics) any of `indicators` has a figure by up
    to `as_at`, in `breakdown_order`: what the scorecard offers to break down by. One query."""
    topics = (
        Comparator.objects.filter(
            indicator__in=[i.pk for i in indicators], headline=False, period_end__lte=as_at
        )
        .order_by("breakdown_topic")
        .values_list("breakdown_topic", flat=True)
        .distinct()
    )
    return sorted(topics, key=breakdown_order)


def _by_breakdown(
    ids: list[int], *, topic: str, as_at: datetime.date
) -> dict[int, list[Comparator]]:
    """Each indicator's published figures by the values of `topic` in the latest period it
    has them up to `as_at`, in `breakdown_order`, in one query. An indicator the topic does
    not break down is left out."""
    periods: dict[int, dict[tuple[datetime.date, datetime.date], list[Comparator]]]
    periods = defaultdict(dict)
    for c in Comparator.objects.filter(
        indicator_id__in=ids, headline=False, breakdown_topic=topic, period_end__lte=as_at
    ).order_by():
        periods[c.indicator_id].setdefault((c.period_end, c.period_start), []).append(c)
    return {
        pk: sorted(by_period[max(by_period)], key=lambda c: breakdown_order(c.breakdown))
        for pk, by_period in periods.items()
    }


def _benchmarks(
    latest: Iterable[Measurement],
) -> dict[tuple[int, datetime.date, datetime.date], dict[str, Measurement]]:
    """Every other area's value for the same periods as the latest local values, in one query."""
    periods = Q()
    for m in latest:
        periods |= Q(
            indicator_id=m.indicator_id, period_start=m.period_start, period_end=m.period_end
        )
    if not periods:
        return {}
    found: dict[tuple[int, datetime.date, datetime.date], dict[str, Measurement]]
    found = defaultdict(dict)
    for m in Measurement.objects.filter(periods).exclude(area=Area.LOCAL):
        found[(m.indicator_id, m.period_start, m.period_end)][m.area] = m
    return found


def _targets(ids: list[int]) -> dict[int, list[Target]]:
    found: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator_id__in=ids).order_by("period_start"):
        found[target.indicator_id].append(target)
    return found


def comparisons_used(rows: Iterable[Row]) -> list[str]:
    """The neighbour sets the rows' comparators used, for the page and the report to say."""
    return sorted(
        {r.comparator.comparison for r in rows if r.comparator and r.comparator.comparison}
    )


def grouped(rows: list[Row], *, by: str) -> list[Group]:
    """Rows grouped by OBA category (in its order) or by priority (alphabetically)."""
    if by == "priority":
        titles = sorted({r.indicator.priority or "Other" for r in rows})
        return [
            Group(t, [r for r in rows if (r.indicator.priority or "Other") == t]) for t in titles
        ]
    return [
        Group(label, [r for r in rows if r.indicator.oba_category == value])
        for value, label in ObaCategory.choices
        if any(r.indicator.oba_category == value for r in rows)
    ]
