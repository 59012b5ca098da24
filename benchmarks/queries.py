"""Named queries the apps that stand on published data read it through (`kpis` above all).

Nothing outside `benchmarks` reads its tables: the scorecard's comparators are worked out by
`kpis.comparators` from what these functions return.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.fields.json import KT

from benchmarks.markers import marker_text
from benchmarks.models import (
    ENGLAND,
    Authority,
    Level,
    Neighbour,
    NeighbourSet,
    OwnArea,
    PublishedRow,
    stored_cell,
)
from benchmarks.models import PublishedValue as PublishedValue
from benchmarks.periods import published_period
from benchmarks.registry import (
    Feed,
    Table,
    breakdown_order,
    feed_for,
    is_headline,
    tables,
)

__all__ = [
    "ENGLAND",
    "Authority",
    "BreakdownFigure",
    "BreakdownPeriod",
    "Comparison",
    "Figure",
    "Published",
    "PublishedValue",
    "area_breakdowns",
    "authority",
    "breakdown_order",
    "comparison_set",
    "feed_for",
    "is_headline",
    "marker_text",
    "own_area",
    "published_figures",
    "tables",
]


def own_area() -> Authority | None:
    """The portal's own local authority, once it is set (`set_area`)."""
    found = OwnArea.objects.select_related("authority__region").first()
    return found.authority if found else None


def authority(code: str) -> Authority | None:
    """An authority by its ONS code or DfE number."""
    text = code.strip().upper()
    found = Authority.objects.select_related("region").filter(code=text).first()
    if found is None and text.isdigit():
        found = Authority.objects.select_related("region").filter(old_code=text).first()
    return found


@dataclass(frozen=True)
class Comparison:
    """The authorities one authority is compared with, closest first, and the set they come
    from (the scorecard and the report say which)."""

    neighbour_set: NeighbourSet | None
    codes: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.neighbour_set is None:
            return "No statistical neighbours loaded"
        found = self.neighbour_set
        return found.name + (f" ({found.release})" if found.release else "")


def comparison_set(of: Authority, *, on: datetime.date | None = None) -> Comparison:
    """Whom `of` is compared with: for the portal's own area the set the partnership chose,
    else (and when none is chosen) the latest DfE statistical neighbours in force on `on`."""
    chosen = None
    own = OwnArea.objects.filter(authority=of).select_related("neighbour_set").first()
    if own is not None:
        chosen = own.neighbour_set
    if chosen is None:
        sets = NeighbourSet.objects.filter(kind=NeighbourSet.Kind.DFE)
        if on is not None:
            sets = sets.filter(effective_from__lte=on)
        listed = Neighbour.objects.filter(authority=of).values("neighbour_set")
        chosen = sets.filter(pk__in=listed).order_by("-effective_from", "-pk").first()
    if chosen is None:
        return Comparison(None, ())
    codes = (
        Neighbour.objects.filter(neighbour_set=chosen, authority=of)
        .order_by("rank")
        .values_list("neighbour__code", flat=True)
    )
    return Comparison(chosen, tuple(codes))


@dataclass(frozen=True)
class Figure:
    """One authority's published figure for an indicator over one period and breakdown."""

    code: str
    level: str
    region_code: str | None
    value: PublishedValue
    numerator: PublishedValue
    denominator: PublishedValue


Key = tuple[datetime.date, datetime.date, str, str]  # period start, end, topic, breakdown


@dataclass(frozen=True)
class Published:
    """Every authority's published figures for one indicator, by period and breakdown."""

    table: Table
    feed: Feed
    labels: dict[tuple[datetime.date, datetime.date], str]  # "2024 (calendar year)"
    figures: dict[Key, dict[str, Figure]]


def published_figures(
    code: str,
    *,
    headline_only: bool = False,
    exclude_headline: bool = False,
    of: Authority | None = None,
) -> Published | None:
    """The published figures of the indicator `code` for every authority (or only `of`),
    period and breakdown, read from the table that feeds it (None when no table does), in the
    file's row order. One query."""
    found = feed_for(code)
    if found is None:
        return None
    table, feed = found
    rows = PublishedRow.objects.filter(source=table.key)
    if headline_only:
        rows = rows.filter(headline=True)
    if exclude_headline:
        rows = rows.filter(headline=False)
    if of is not None:
        rows = rows.filter(authority=of)
    figures: dict[Key, dict[str, Figure]] = defaultdict(dict)
    labels: dict[tuple[datetime.date, datetime.date], str] = {}
    # Only the feed's cells, read out of the JSON by the database: a whole table has tens of
    # thousands of rows of twenty cells each.
    columns = tuple(dict.fromkeys(feed.columns))
    for row in rows.values_list(
        "period_start",
        "period_end",
        "time_period",
        "time_identifier",
        "breakdown_topic",
        "breakdown",
        "authority__code",
        "authority__level",
        "authority__region__code",
        *(KT(f"cells__{column}") for column in columns),
    ):
        start, end, period, identifier, topic, breakdown, area, level, region = row[:9]
        cells = dict(zip(columns, row[9:], strict=True))
        figures[(start, end, topic, breakdown)][area] = Figure(
            code=area,
            level=level,
            region_code=region,
            value=stored_cell(cells[feed.value]),
            numerator=(
                stored_cell(cells[feed.numerator]) if feed.numerator else PublishedValue(None, "")
            ),
            denominator=_summed([stored_cell(cells[c]) for c in feed.denominator]),
        )
        if (start, end) not in labels:
            labels[(start, end)] = published_period(period, identifier).label
    return Published(table, feed, labels, dict(figures))


def _summed(parts: list[PublishedValue]) -> PublishedValue:
    """A denominator the file gives in parts: their sum, or the first part's marker."""
    if not parts:
        return PublishedValue(None, "")
    for part in parts:
        if part.value is None:
            return part
    return PublishedValue(sum((p.value for p in parts if p.value is not None), Decimal(0)), "")


def local_authority_codes() -> frozenset[str]:
    return frozenset(
        Authority.objects.filter(level=Level.LOCAL_AUTHORITY).values_list("code", flat=True)
    )


@dataclass(frozen=True)
class BreakdownFigure:
    """One breakdown row of a published file for one authority and period ("Aged 10")."""

    breakdown: str
    value: PublishedValue
    numerator: PublishedValue
    denominator: PublishedValue


@dataclass(frozen=True)
class BreakdownPeriod:
    """An authority's published figures for an indicator in one period, split by each of the
    file's breakdowns other than the headline ("Child or young persons age": its rows)."""

    label: str
    start: datetime.date
    topics: dict[str, list[BreakdownFigure]]


def area_breakdowns(code: str, *, of: Authority | None = None) -> list[BreakdownPeriod]:
    """The published figures of the indicator `code` for this area (or `of`) by the file's own
    breakdowns (age, sex, placement...), latest period first, topics and values in
    `breakdown_order` ("Aged 2 and under" before "Aged 10"); the headline "All ..." row is left
    out, being the indicator's own figure. One query."""
    area = of or own_area()
    if area is None:
        return []
    published = published_figures(code, exclude_headline=True, of=area)
    if published is None:
        return []
    periods: dict[tuple[datetime.date, datetime.date], dict[str, list[BreakdownFigure]]] = {}
    for (start, end, topic, breakdown), by_area in published.figures.items():
        figure = by_area[area.code]
        periods.setdefault((start, end), {}).setdefault(topic, []).append(
            BreakdownFigure(breakdown, figure.value, figure.numerator, figure.denominator)
        )
    return [
        BreakdownPeriod(
            published.labels[key],
            key[0],
            {
                topic: sorted(topics[topic], key=lambda f: breakdown_order(f.breakdown))
                for topic in sorted(topics, key=breakdown_order)
            },
        )
        for key, topics in sorted(periods.items(), reverse=True)
    ]
