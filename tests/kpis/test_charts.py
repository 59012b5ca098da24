"""Server-side SVG charts: well-formed, named and described for screen readers, deterministic.

Pure functions: nothing here touches the database.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.charts import (
    BLUE,
    DARK_GREY,
    GREEN,
    Series,
    sparkline,
    tick_label,
    trend_chart,
    value_ticks,
)
from kpis.rules import format_value

SVG = "{http://www.w3.org/2000/svg}"

TERMS = [
    "Autumn 2024/25",
    "Spring 2024/25",
    "Summer 2024/25",
    "Autumn 2025/26",
    "Spring 2025/26",
]
LOCAL = [Decimal("62.0"), Decimal("65.5"), None, Decimal("70.25"), Decimal("71.2")]
ENGLAND = [Decimal("66"), Decimal("66.5"), Decimal("67"), Decimal("67.2"), Decimal("68")]
NEIGHBOURS = [Decimal("64"), None, Decimal("66"), Decimal("65"), Decimal("69.9")]
TARGET = [Decimal("70")] * 3 + [Decimal("75")] * 2


def parse(svg: str) -> ET.Element:
    """The chart as XML, checked to be an image named by its title and described by its desc."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert list(root)[:2] == [title, desc]  # first, where assistive technology looks
    return root


def text_of(root: ET.Element, tag: str) -> str:
    element = root.find(f"{SVG}{tag}")
    assert element is not None
    return element.text or ""


def visible_text(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def chart(**overrides) -> str:
    arguments = {
        "periods": TERMS,
        "series": [
            Series("Local", LOCAL),
            Series("England", ENGLAND, "benchmark"),
            Series("Statistical neighbours", NEIGHBOURS, "benchmark"),
            Series("Target", TARGET, "target"),
        ],
        "title": "EHC plans issued within 20 weeks",
        "unit": "percentage",
    }
    return trend_chart(**{**arguments, **overrides})


# --- sparkline -----------------------------------------------------------------------------------


def test_sparkline_is_a_described_image():
    root = parse(sparkline(LOCAL, title="EHC plans on time: trend", unit="percentage"))
    assert text_of(root, "title") == "EHC plans on time: trend"
    assert root.get("viewBox") == "0 0 120 32"
    desc = text_of(root, "desc")
    assert desc == "Oldest to latest: 62.0%, 65.5%, no value, 70.3%, 71.2%. Latest: 71.2%."


def test_sparkline_lists_every_value_in_its_unit():
    values = [1200, 1250, None, 1302]
    desc = text_of(parse(sparkline(values, title="Plans", unit="count")), "desc")
    for value in values:
        assert (format_value(value, unit="count") if value else "no value") in desc
    assert desc.index("1,200") < desc.index("1,250") < desc.index("1,302")


def test_sparkline_marks_the_last_value():
    root = parse(sparkline([5, 6, 7, None], title="t", unit="days"))
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 1
    assert float(circles[0].get("cx")) == pytest.approx(120 * 2 / 3, abs=2)  # third of four slots


@pytest.mark.parametrize("values", [[], [None, None], [Decimal("70")], [None, 4, None]])
def test_sparkline_without_a_trend_keeps_its_size(values):
    svg = sparkline(values, title="Too soon", unit="percentage", width=100, height=20)
    root = parse(svg)
    assert root.get("viewBox") == "0 0 100 20"
    assert text_of(root, "desc").startswith("No trend yet")
    assert root.find(f"{SVG}path") is None


def test_sparkline_with_one_value_says_what_it_is():
    desc = text_of(parse(sparkline([None, 70], title="t", unit="percentage")), "desc")
    assert desc == "No trend yet. One value so far: 70.0%."


def test_sparkline_breaks_the_line_at_gaps():
    root = parse(sparkline([1, 2, None, 3, 4, None, 5], title="t", unit="count"))
    paths = [path.get("d") for path in root.iter(f"{SVG}path")]
    assert len(paths) == 2  # 1-2 and 3-4; 5 stands alone, marked by the end dot
    assert all(path.count("M") == 1 for path in paths)


def test_sparkline_copes_with_a_flat_line_and_floats():
    root = parse(sparkline([0.5, 0.5, 0.5], title="t", unit="rate_10k"))
    assert text_of(root, "desc").startswith("Oldest to latest: 0.5 per 10,000, 0.5 per 10,000")


def test_sparkline_is_deterministic_and_escapes_text():
    first = sparkline(LOCAL, title='Plans <&> "on time"', unit="percentage")
    assert first == sparkline(LOCAL, title='Plans <&> "on time"', unit="percentage")
    assert text_of(parse(first), "title") == 'Plans <&> "on time"'


# --- trend chart ---------------------------------------------------------------------------------


def test_trend_chart_is_a_described_image():
    root = parse(chart())
    assert text_of(root, "title") == "EHC plans issued within 20 weeks"
    assert root.get("viewBox") == "0 0 640 320"


def test_trend_chart_desc_states_every_value_of_every_series():
    desc = text_of(parse(chart()), "desc")
    assert desc.startswith("Local: Autumn 2024/25: 62.0%; Spring 2024/25: 65.5%; ")
    assert "Summer 2024/25: no value; Autumn 2025/26: 70.3%" in desc
    for label, points in (("England", ENGLAND), ("Statistical neighbours", NEIGHBOURS)):
        sentence = next(part for part in desc.split(". ") if part.startswith(f"{label}:"))
        for term, point in zip(TERMS, points, strict=True):
            words = format_value(point, unit="percentage") if point is not None else "no value"
            assert f"{term}: {words}" in sentence
    assert "Target: Autumn 2024/25: 70.0%;" in desc
    assert "Spring 2025/26: 75.0%." in desc


def test_a_steady_target_is_stated_once():
    desc = text_of(parse(chart(series=[Series("Target", [75] * 5, "target")])), "desc")
    assert desc == "Target: 75.0% in every period."


def test_a_target_is_called_a_target_whatever_its_label():
    desc = text_of(parse(chart(series=[Series("Plan for 2025", [75] * 5, "target")])), "desc")
    assert desc == "Target (Plan for 2025): 75.0% in every period."


def test_every_line_is_named_in_text_at_its_end():
    labels = visible_text(parse(chart()))
    for name in ("Local", "England", "Statistical neighbours", "Target"):
        assert name in labels


def test_a_target_is_a_step_line():
    root = parse(chart())
    target = next(p for p in root.iter(f"{SVG}path") if p.get("stroke") == GREEN)
    assert target.get("d").count("V") == 1  # 70% for three terms, then one step up to 75%


def test_lines_differ_by_more_than_colour():
    root = parse(chart())
    paths = list(root.iter(f"{SVG}path"))
    local = [p for p in paths if p.get("stroke") == BLUE]
    benchmark_dashes = {p.get("stroke-dasharray") for p in paths if p.get("stroke") == DARK_GREY}
    target = [p for p in paths if p.get("stroke") == GREEN]
    assert local and all(p.get("stroke-dasharray") is None for p in local)
    assert (
        len(benchmark_dashes) == 2 and None not in benchmark_dashes
    )  # two benchmarks, two patterns
    assert target and all(p.get("stroke-dasharray") for p in target)
    assert not benchmark_dashes & {p.get("stroke-dasharray") for p in target}
    # Local values are circles too, one per value present.
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == BLUE]
    assert len(circles) == sum(point is not None for point in LOCAL)


def test_percentage_axis_labels_carry_the_unit():
    wide = visible_text(parse(chart(series=[Series("Local", [10, 40, 90, 60, 20])])))
    assert {"0%", "25%", "50%", "75%", "100%"} <= set(wide)
    narrow = visible_text(parse(chart()))
    assert "75%" in narrow and "0%" not in narrow  # 62-75% fits a narrower range


def test_days_and_rates_name_their_unit_once():
    days = visible_text(parse(chart(series=[Series("Local", [12, 15, 9, 20, 18])], unit="days")))
    assert "Days" in days and "20" in days
    rates = visible_text(parse(chart(series=[Series("Local", [3, 4, 2, 5, 4])], unit="rate_10k")))
    assert "Per 10,000" in rates


def test_count_axis_uses_thousands_separators():
    values = [1200, 2500, 4100, 3900, 5000]
    labels = visible_text(parse(chart(series=[Series("Local", values)], unit="count")))
    assert "5,000" in labels
    desc = text_of(parse(chart(series=[Series("Local", values)], unit="count")), "desc")
    assert "Autumn 2024/25: 1,200" in desc


@pytest.mark.parametrize(
    "points",
    [
        [None] * 5,
        [None, Decimal(5), None, None, None],  # one value between gaps
        [Decimal(5), None, Decimal(5), None, Decimal(5)],
        [0, 0, 0, 0, 0],
    ],
)
def test_gaps_and_sparse_series_do_not_crash(points):
    series = [
        Series("Local", points),
        Series("England", points, "benchmark"),
        Series("Target", points, "target"),
    ]
    parse(chart(series=series))


def test_gaps_break_the_lines():
    root = parse(chart())
    local = next(p for p in root.iter(f"{SVG}path") if p.get("stroke") == BLUE)
    assert local.get("d").count("M") == 1  # the first run; the second run is its own path
    local_paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == BLUE]
    # Two runs of the local line, plus the sample beside its end label.
    assert len(local_paths) == 3


def test_no_series_or_no_periods_still_draws_an_empty_chart():
    assert text_of(parse(chart(series=[])), "desc") == "No data yet."
    assert text_of(parse(trend_chart([], [], title="t", unit="count")), "desc") == "No data yet."


def test_many_periods_are_thinned_to_eight_labels_keeping_the_latest():
    periods = [f"Month {number}" for number in range(1, 25)]
    svg = trend_chart(
        periods, [Series("Local", list(range(24)))], title="Monthly", unit="count", width=640
    )
    root = parse(svg)
    printed = [label for label in visible_text(root) if label.startswith("Month ")]
    assert 1 < len(printed) <= 8
    assert printed[-1] == "Month 24"
    desc = text_of(root, "desc")
    assert all(f"{period}: " in desc for period in periods)  # the desc still has them all


def test_few_short_periods_are_all_labelled_flat():
    root = parse(chart(periods=["2021", "2022", "2023", "2024", "2025"]))
    labels = [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("20")]
    assert [t.text for t in labels] == ["2021", "2022", "2023", "2024", "2025"]
    assert all(t.get("transform") is None for t in labels)


def test_crowded_period_labels_are_turned():
    periods = [f"Autumn term 20{year}/{year + 1}" for year in range(10, 22)]
    root = parse(trend_chart(periods, [Series("Local", [1] * 12)], title="t", unit="count"))
    turned = [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Autumn")]
    assert turned and all("rotate(-45" in t.get("transform", "") for t in turned)


def test_trend_chart_is_deterministic():
    assert chart() == chart()


def test_different_charts_get_different_ids():
    first, second = parse(chart()), parse(chart(title="Another"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    own = parse(chart(chart_id="plans-chart"))
    assert own.get("aria-labelledby") == "plans-chart-title plans-chart-desc"


def test_text_is_escaped_everywhere():
    nasty = 'A <b>&"quoted"</b>'
    svg = trend_chart(
        [nasty, "Spring"],
        [Series(nasty, [1, 2]), Series("England <&>", [2, 2], "benchmark")],
        title=nasty,
        unit="count",
        chart_id='x"<&>',
    )
    root = parse(svg)
    assert text_of(root, "title") == nasty
    assert nasty in text_of(root, "desc")
    assert "England <&>" in " ".join(visible_text(root))
    assert root.find(f"{SVG}title").get("id") == 'x"<&>-title'


def test_mismatched_series_are_refused():
    with pytest.raises(ValueError, match="3 points for 5 periods"):
        chart(series=[Series("Local", [1, 2, 3])])


def test_unknown_styles_and_units_are_refused():
    with pytest.raises(ValueError, match="style"):
        Series("Local", [1], "dotted")
    with pytest.raises(ValueError, match="unit"):
        chart(unit="percent")


# --- the value axis ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "unit", "ticks"),
    [
        ([10, 40, 90], "percentage", [0, 25, 50, 75, 100]),
        ([62, "65.5", 75], "percentage", [60, 65, 70, 75]),
        ([], "percentage", [0, 25, 50, 75, 100]),
        ([0], "percentage", [0, 25, 50, 75, 100]),
        ([12, 15, 9, 20], "days", [0, 5, 10, 15, 20]),
        ([1200, 5000], "count", [0, 1000, 2000, 3000, 4000, 5000]),
        ([0, 3], "count", [0, 1, 2, 3]),
        (["3.4", "3.9"], "rate_10k", ["3.4", "3.5", "3.6", "3.7", "3.8", "3.9"]),
        ([-5, 10], "count", [-5, 0, 5, 10]),
    ],
)
def test_value_ticks(values, unit, ticks):
    found = value_ticks([Decimal(str(value)) for value in values], unit=unit)
    assert found == [Decimal(str(tick)) for tick in ticks]


@given(
    st.lists(
        st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["percentage", "count", "days", "rate_10k"]),
)
def test_value_ticks_are_round_even_and_cover_the_values(values, unit):
    ticks = value_ticks(values, unit=unit)
    assert len(ticks) <= 6
    assert len(ticks) >= 4 or unit == "count"  # small counts only get whole-number ticks
    assert ticks[0] <= min(values) and ticks[-1] >= max(values)
    steps = {later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() > 0
    if unit == "count":
        assert all(tick == tick.to_integral_value() for tick in ticks)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=12))
def test_percentage_ticks_stay_within_nought_to_a_hundred(values):
    ticks = value_ticks(values, unit="percentage")
    assert Decimal(0) <= ticks[0] and ticks[-1] <= Decimal(100)


@pytest.mark.parametrize(
    ("tick", "unit", "label"),
    [
        ("75", "percentage", "75%"),
        ("2.5", "percentage", "2.5%"),
        ("1E+3", "count", "1,000"),
        ("0.00", "days", "0"),
        ("-0", "count", "0"),
        ("3.50", "rate_10k", "3.5"),
    ],
)
def test_tick_labels(tick, unit, label):
    assert tick_label(Decimal(tick), unit=unit) == label


def test_sparkline_refuses_an_unknown_unit_even_with_nothing_to_draw():
    with pytest.raises(ValueError, match="unit"):
        sparkline([], title="t", unit="percent")
