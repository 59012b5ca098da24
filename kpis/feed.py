"""The KPI tables that leave the portal: the scorecard export and the data feed (issue 23).

Each table is a header and rows of cells, printed by the indicator's own rule with small
numbers withheld (`kpis.rules.shown`, `export_cell`): a number, or the words for why there is
none. The scorecard's CSV and XLSX, and the feed's scorecard, are one table (`SCORECARD_HEADER`,
`scorecard_table_rows`); the feed reads them through `kpis.queries`.
"""

import datetime

from kpis.comparators import BENCHMARK_HEADER, benchmark_row
from kpis.models import Area, Comparator, Indicator, Measurement
from kpis.rules import DIRECTION_LABELS, RAG_LABELS, export_cell
from kpis.scorecard import Row

SCORECARD_HEADER = [
    "Code",
    "Indicator",
    "Unit",
    "Better when",
    "Period",
    "Value",
    "Target",
    "RAG",
    "Direction",
    "England",
    "Region",
    "Statistical neighbours",
    "Rank",
    "Quartile",
    "Period compared",
    "Published for this area",
    "Region name",
    "Neighbours' median",
    "Neighbours with data",
    "Compared with",
    "Broken down by",
    "Group",
]
NOT_PUBLISHED_BY_BREAKDOWN = "Not published by this breakdown"
RAG_NAMES = {rag: RAG_LABELS[rag].split(":")[0] for rag in RAG_LABELS}  # "Red", as the tags say


def scorecard_table_rows(rows: list[Row], *, breakdown: str = "") -> list[list[object]]:
    """One row per indicator and, when a breakdown is chosen, one under it per value of the
    breakdown (or one saying it is not published by it)."""
    found: list[list[object]] = []
    for row in rows:
        found.append(_scorecard_row(row))
        if breakdown:
            found.extend(_breakdown_rows(row, breakdown))
    return found


def _breakdown_rows(row: Row, topic: str) -> list[list[object]]:
    """An indicator's figures by the chosen breakdown: its period, value and the value's
    name, the other columns (which are about the whole area) left empty."""
    blank = [""] * (len(SCORECARD_HEADER) - 8)
    first = [row.indicator.code, row.indicator.name]
    first += [row.indicator.get_unit_display(), row.indicator.get_polarity_display()]
    if row.breakdowns is None:
        return [[*first, "", NOT_PUBLISHED_BY_BREAKDOWN, *blank, topic, ""]]
    return [
        [*first, line.period_label, export_cell(line.value), *blank, topic, line.breakdown]
        for line in row.breakdowns
    ]


def _scorecard_row(row: Row) -> list[object]:
    benchmarks = (Area.ENGLAND, Area.REGION, Area.STATISTICAL_NEIGHBOURS)
    return [
        row.indicator.code,
        row.indicator.name,
        row.indicator.get_unit_display(),
        row.indicator.get_polarity_display(),
        row.latest.label if row.latest else "",
        export_cell(row.value),
        row.target.value if row.target else "",
        RAG_NAMES[row.rag] if row.rag else "",
        DIRECTION_LABELS[row.direction] if row.direction else "",
        *[export_cell(row.benchmarks.get(area)) for area in benchmarks],
        f"{row.rank.rank} of {row.rank.out_of}" if row.rank else "",
        row.rank.quartile if row.rank else "",
        *_published_columns(row),
        "",
        "",
    ]


def _published_columns(row: Row) -> list[object]:
    """Where the comparators come from the published figures: their period, this area's
    published figure, the region's name, the neighbours' median and coverage, and the set."""
    c = row.comparator
    if c is None:
        return ["", "", "", "", "", ""]
    median = row.indicator.shown_figure(c.neighbour_median, suppress=True)
    return [
        c.period_label,
        export_cell(row.published),
        c.region_name,
        export_cell(median),
        f"{c.neighbours_with_data} of {c.neighbours_listed}" if c.neighbours_listed else "",
        c.comparison,
    ]


INDICATOR_HEADER = [
    "Code",
    "Indicator",
    "Definition",
    "Unit",
    "Better when",
    "OBA category",
    "Source",
    "Frequency",
    "About",
    "Computed by the portal",
]


def indicators_table() -> list[list[object]]:
    """The active indicators of the catalogue, by code."""
    return [
        [
            i.code,
            i.name,
            i.definition,
            i.get_unit_display(),
            i.get_polarity_display(),
            i.get_oba_category_display(),
            i.get_source_display(),
            i.get_frequency_display(),
            i.get_describes_display(),
            "Yes" if i.computed else "No",
        ]
        for i in Indicator.objects.active().order_by("code")
    ]


VALUES_HEADER = [
    "Code",
    "Indicator",
    "Period",
    "Period start",
    "Period end",
    "Value",
    "Unit",
    *BENCHMARK_HEADER[5:],  # England to quartile: the cells `benchmark_row` gives from [5:]
]


def values_table(
    *,
    code: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> list[list[object]]:
    """This area's values of the active indicators (of `code` alone, when given), oldest period
    first, each beside the published comparators of the same period where there are some (the
    benchmark export's columns, `kpis.comparators.benchmark_rows`). A period is in when it
    overlaps `period_from`..`period_to`. Three queries whatever the number of values."""
    indicators = Indicator.objects.active().order_by("code")
    if code:
        indicators = indicators.filter(code=code)
    by_pk = {i.pk: i for i in indicators}
    values = Measurement.objects.local().filter(indicator__in=list(by_pk))
    comparators = Comparator.objects.headline().filter(indicator__in=list(by_pk))
    if period_from:
        values = values.filter(period_end__gte=period_from)
        comparators = comparators.filter(period_end__gte=period_from)
    if period_to:
        values = values.filter(period_start__lte=period_to)
        comparators = comparators.filter(period_start__lte=period_to)
    compared = {
        (c.indicator_id, c.period_start, c.period_end): c for c in comparators.order_by("pk")
    }
    found: list[list[object]] = []
    for value in values.order_by("indicator__code", "period_start", "period_end"):
        indicator = by_pk[value.indicator_id]
        key = (value.indicator_id, value.period_start, value.period_end)
        comparison = compared.get(key)
        columns = _comparator_columns(indicator, comparison) if comparison else [""] * 8
        found.append(
            [
                indicator.code,
                indicator.name,
                value.label,
                value.period_start,
                value.period_end,
                export_cell(indicator.shown(value, suppress=True)),
                indicator.get_unit_display(),
                *columns,
            ]
        )
    return found


def _comparator_columns(indicator: Indicator, comparator: Comparator) -> list[object]:
    """The comparators' cells of the benchmark export (England to quartile), by its rule."""
    return benchmark_row(indicator, comparator)[5:]
