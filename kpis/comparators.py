"""Comparators worked out from published figures, never typed (issue 17).

For each indicator a published table feeds (`fixtures/benchmarks/sources.json`), each period
and each breakdown: the area's own published figure with its marker, England's, the area's
region's, the neighbours' mean and median with how many of them had a figure, and the area's
rank among every local authority with a figure (rank 1 is the best, by the indicator's
polarity) with its LAIT quartile band (A best to D). The maths are the pure functions of
`kpis.rules` (`neighbours`, `benchmark`); this module gathers their inputs.

They are worked out once after each import (`comparators_refresh`, a Celery task, its
progress on the import's page) and stored for the portal's own area; the scorecard, the
indicator page, the exports and the report read the stored rows. For any other authority
(`export_benchmarks --area`) they are worked out on request by the same function.

The own area's published figure is kept beside the portal's: for an indicator the portal
calculates from its own records it stays a comparator (the indicator page shows both,
labelled); for one the portal does not calculate, it is also this area's value for the period
unless someone entered another (a person's figure is never overwritten).
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from benchmarks.progress import import_progress
from benchmarks.queries import (
    ENGLAND,
    Authority,
    Comparison,
    Figure,
    Published,
    comparison_set,
    is_headline,
    own_area,
    published_figures,
    tables,
)
from kpis.cache import data_changed
from kpis.models import Area, Comparator, Indicator, Measurement
from kpis.rules import Benchmark, Shown, benchmark, export_cell, judged, neighbours
from kpis.validity import measurement_problems
from send_qa.core.figures import round_half_up

PUBLISHED_NOTE = "Published by the DfE"
LOCAL_AUTHORITY = "local_authority"

Progress = Callable[[int, int], None]


def fed_codes() -> list[str]:
    """The codes of the indicators a published table feeds."""
    return [feed.code for table in tables().values() for feed in table.feeds]


def comparators_of(
    indicator: Indicator,
    published: Published,
    area: Authority,
    comparison: Comparison,
    *,
    now: datetime.datetime,
) -> list[Comparator]:
    """The comparators of `area` on `indicator`, one per period and breakdown the area has a
    published row for (unsaved)."""
    region = area.region
    found = []
    for (start, end, topic, breakdown), figures in published.figures.items():
        mine = figures.get(area.code)
        if mine is None:
            continue
        england = figures.get(ENGLAND)
        in_region = figures.get(region.code) if region else None
        near = neighbours(
            [figures[c].value.value if c in figures else None for c in comparison.codes]
        )
        authorities = [f.value.value for f in figures.values() if f.level == LOCAL_AUTHORITY]
        place = benchmark(mine.value.value, authorities, polarity=indicator.polarity)
        found.append(
            Comparator(
                indicator=indicator,
                area_code=area.code,
                area_name=area.name,
                period_start=start,
                period_end=end,
                period_label=published.labels[(start, end)],
                breakdown_topic=topic,
                breakdown=breakdown,
                headline=is_headline(topic, breakdown),
                source=published.table.key,
                value=_stored(mine.value.value),
                status=mine.value.status,
                numerator=_stored(mine.numerator.value),
                denominator=_stored(mine.denominator.value),
                england=_stored(england.value.value) if england else None,
                england_status=_status(england),
                region_code=region.code if region else "",
                region_name=region.name if region else "",
                region=_stored(in_region.value.value) if in_region else None,
                region_status=_status(in_region),
                comparison=comparison.label if comparison.codes else "",
                neighbour_mean=_stored(near.mean),
                neighbour_median=_stored(near.median),
                neighbours_with_data=near.with_data,
                neighbours_listed=near.listed,
                rank=place.rank if place else None,
                of=place.out_of if place else None,
                quartile=place.quartile if place else "",
                computed_at=now,
            )
        )
    return found


def _stored(number: Decimal | None) -> Decimal | None:
    """Kept to six decimal places (the DfE publishes some to fourteen)."""
    return None if number is None else round_half_up(number, 6)


def _status(figure: Figure | None) -> str:
    """The marker of a comparator's figure; "blank" when the file has no row for it at all."""
    return "blank" if figure is None else figure.value.status


def comparators_refresh(*, progress: Progress | None = None, notes: list[str] | None = None) -> int:
    """Work out and store the own area's comparators for every indicator a published table
    feeds, and write the own area's published figures as its values where the portal does not
    calculate them; returns how many comparators were stored. Each indicator is saved in its
    own transaction, so the progress can be read as it goes."""
    area = own_area()
    indicators = list(Indicator.objects.filter(code__in=fed_codes()).order_by("code"))
    if area is None:
        Comparator.objects.all().delete()
        data_changed()
        return 0
    comparison = comparison_set(area)
    now = timezone.now()
    stored = 0
    Comparator.objects.exclude(area_code=area.code).delete()
    for done, indicator in enumerate(indicators, start=1):
        published = published_figures(indicator.code)
        rows = comparators_of(indicator, published, area, comparison, now=now) if published else []
        if published and published.feed.unit != indicator.unit:
            rows = []  # a council changed the unit: a published figure would be misread
            if notes is not None:
                notes.append(
                    f"{indicator.code} is counted as {indicator.get_unit_display().lower()}, "
                    f"but the DfE's {published.feed.value} is a {published.feed.unit}: its "
                    "comparators are left out."
                )
        with transaction.atomic():
            Comparator.objects.filter(indicator=indicator).delete()
            Comparator.objects.bulk_create(rows, batch_size=2_000)
            if not indicator.computed:
                published_values_write(indicator, [r for r in rows if r.headline])
        stored += len(rows)
        if progress:
            progress(done, len(indicators))
    data_changed()
    return stored


def published_values_write(indicator: Indicator, headline: list[Comparator]) -> int:
    """The own area's published figures as its values, for an indicator the portal does not
    calculate: added where the period has no value, updated where the value came from an
    earlier publication, left alone where a person entered it. Returns how many changed."""
    periods = Q()
    for row in headline:
        periods |= Q(period_start=row.period_start, period_end=row.period_end)
    if not periods:
        return 0
    existing = {
        (m.period_start, m.period_end): m
        for m in Measurement.objects.local().filter(periods, indicator=indicator)
    }
    changed = 0
    for row in headline:
        if row.value is None:
            continue
        value = round_half_up(row.value, 3)
        numerator = None if row.numerator is None else round_half_up(row.numerator, 3)
        denominator = None if row.denominator is None else round_half_up(row.denominator, 3)
        if measurement_problems(
            unit=indicator.unit,
            computed=False,
            code=indicator.code,
            period_start=row.period_start,
            period_end=row.period_end,
            area=Area.LOCAL,
            value=value,
            numerator=numerator,
            denominator=denominator,
            period_label=row.period_label,
            by_portal=False,
        ):
            numerator = denominator = None  # the DfE's parts disagree with its rounded figure
        found = existing.get((row.period_start, row.period_end))
        note = f"{PUBLISHED_NOTE} ({row.source})"
        if found is None:
            Measurement.objects.create(
                indicator=indicator,
                period_start=row.period_start,
                period_end=row.period_end,
                period_label=row.period_label,
                area=Area.LOCAL,
                value=value,
                numerator=numerator,
                denominator=denominator,
                source_note=note,
            )
            changed += 1
        elif found.source_note.startswith(PUBLISHED_NOTE) and (
            found.value,
            found.numerator,
            found.denominator,
        ) != (value, numerator, denominator):
            found.value, found.numerator, found.denominator = value, numerator, denominator
            found.source_note = note
            found.save()
            changed += 1
    return changed


def comparators_for_area(indicator: Indicator, area: Authority) -> list[Comparator]:
    """Any authority's comparators on `indicator`, worked out now (unsaved): the stored ones
    are the own area's."""
    published = published_figures(indicator.code)
    if published is None:
        return []
    return comparators_of(indicator, published, area, comparison_set(area), now=timezone.now())


def comparators_after_import(import_id: int | None) -> int:
    """Work out the comparators after an import (or a change of the own area or its
    neighbours, with no import), reporting progress on the import's page."""
    import_progress(import_id, "computing")
    worked = [0]  # how many indicators were worked out, for the final count

    def step(done: int, total: int) -> None:
        worked[0] = total
        import_progress(import_id, "computing", done=done, total=total)

    notes: list[str] = []
    try:
        stored = comparators_refresh(progress=step, notes=notes)
    except Exception:
        import_progress(
            import_id,
            "failed",
            note="Something went wrong; the figures imported are kept. "
            "Try again with Recalculate on the scorecard, or ask support.",
        )
        raise
    import_progress(
        import_id,
        "done",
        done=worked[0],
        total=worked[0],
        note=" ".join([f"{stored:,} comparators worked out for this area.", *notes]),
    )
    return stored


BENCHMARK_HEADER = [
    "Period",
    "Area code",
    "Area",
    "Value",
    "DfE marker",
    "England",
    "Region",
    "Neighbours' mean",
    "Neighbours' median",
    "Neighbours with data",
    "Rank",
    "Out of",
    "Quartile",
]


def benchmark_rows(indicator: Indicator, area: Authority | None = None) -> list[list[object]]:
    """One row per period of the whole area's comparators (the "All" breakdown), oldest first,
    for the export: the own area's as stored, any other authority's worked out now. Figures
    are printed by the indicator's rule with small numbers withheld (exports leave SENDOPS): a
    number, or the words for why there is none."""
    own = own_area()
    if area is None or (own is not None and area.code == own.code):
        comparators = list(
            Comparator.objects.headline().filter(indicator=indicator).order_by("period_start")
        )
    else:
        comparators = sorted(
            (c for c in comparators_for_area(indicator, area) if c.headline),
            key=lambda c: c.period_start,
        )
    return [benchmark_row(indicator, c) for c in comparators]


def benchmark_row(indicator: Indicator, c: Comparator) -> list[object]:
    """One period's comparators as the export prints them (BENCHMARK_HEADER)."""

    def shown(value: Decimal | None, status: str = "", **parts: Decimal | None) -> Shown:
        return indicator.shown_figure(value, status=status, suppress=True, **parts)

    own_figure = shown(c.value, c.status, numerator=c.numerator, denominator=c.denominator)
    # Rank and quartile only beside a figure that is shown (kpis.rules.judged).
    rank = judged(Benchmark(c.rank, c.of, c.quartile), own_figure) if c.rank and c.of else None
    return [
        c.period_label,
        c.area_code,
        c.area_name,
        export_cell(own_figure),
        c.status,
        export_cell(shown(c.england, c.england_status)),
        export_cell(shown(c.region, c.region_status)),
        export_cell(shown(c.neighbour_mean)),
        export_cell(shown(c.neighbour_median)),
        f"{c.neighbours_with_data} of {c.neighbours_listed}" if c.neighbours_listed else "",
        rank.rank if rank else "",
        rank.out_of if rank else "",
        rank.quartile if rank else "",
    ]
