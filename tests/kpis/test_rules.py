"""RAG, direction of travel, benchmarking and small-number suppression, on worked examples.

Pure functions: nothing here touches the database.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.rules import (
    DIRECTION_LABELS,
    HIGHER,
    LOWER,
    RAG_LABELS,
    Benchmark,
    Direction,
    Rag,
    Shown,
    benchmark,
    direction,
    format_value,
    quartile,
    rag,
    shown,
    suppressed_count,
    to_decimal,
)

# --- numbers in ----------------------------------------------------------------------------------


def test_numbers_are_read_as_they_are_written():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(3) == Decimal(3)
    assert to_decimal(Decimal("72.50")) == Decimal("72.5")
    assert to_decimal(None) is None


@pytest.mark.parametrize("bad", ["72.5", True, [1]])
def test_only_numbers_are_accepted(bad):
    with pytest.raises(TypeError):
        to_decimal(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_non_finite_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        to_decimal(bad)


# --- RAG -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (85, Rag.GREEN),  # better than target
        (80, Rag.GREEN),  # exactly at target
        (Decimal("79.9"), Rag.AMBER),  # just short
        (75, Rag.AMBER),  # exactly at target - tolerance
        (Decimal("74.9"), Rag.RED),  # just beyond tolerance
        (0, Rag.RED),
    ],
)
def test_rag_when_higher_is_better(value, expected):
    assert rag(value, 80, polarity=HIGHER, tolerance=5) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15, Rag.GREEN),
        (20, Rag.GREEN),  # exactly at target
        (Decimal("20.1"), Rag.AMBER),
        (22, Rag.AMBER),  # exactly at target + tolerance
        (Decimal("22.1"), Rag.RED),  # just beyond tolerance
    ],
)
def test_rag_when_lower_is_better(value, expected):
    assert rag(value, 20, polarity=LOWER, tolerance=2) == expected


def test_without_tolerance_any_miss_is_red():
    assert rag(Decimal("79.99"), 80, polarity=HIGHER) == Rag.RED
    assert rag(80, 80, polarity=HIGHER) == Rag.GREEN
    assert rag(Decimal("20.01"), 20, polarity=LOWER) == Rag.RED
    assert rag(20, 20, polarity=LOWER) == Rag.GREEN


def test_rag_mixes_ints_floats_and_decimals():
    assert rag(72.5, Decimal("72.50"), polarity=HIGHER) == Rag.GREEN
    assert rag(Decimal("70.5"), 72, polarity=HIGHER, tolerance=1.5) == Rag.AMBER
    assert rag(0.3, 0.1, polarity=LOWER, tolerance=0.2) == Rag.AMBER  # 0.1 + 0.2 exactly


@pytest.mark.parametrize(("value", "target"), [(None, 80), (80, None), (None, None)])
def test_rag_needs_a_value_and_a_target(value, target):
    assert rag(value, target, polarity=HIGHER, tolerance=5) is None


def test_rag_refuses_a_negative_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        rag(80, 80, polarity=HIGHER, tolerance=-1)


def test_rag_refuses_an_unknown_polarity():
    with pytest.raises(ValueError, match="polarity"):
        rag(80, 80, polarity="up")
    with pytest.raises(ValueError, match="polarity"):
        rag(None, None, polarity="")  # checked even when there is nothing to judge


def test_every_rag_has_a_label_in_words():
    assert set(RAG_LABELS) == set(Rag)
    assert RAG_LABELS[Rag.AMBER] == "Amber: within tolerance of target"
    assert Rag.RED == "red"


# --- direction of travel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "polarity", "expected"),
    [
        (70, HIGHER, Direction.IMPROVING),
        (60, HIGHER, Direction.DECLINING),
        (65, HIGHER, Direction.NO_CHANGE),
        (60, LOWER, Direction.IMPROVING),
        (70, LOWER, Direction.DECLINING),
        (65, LOWER, Direction.NO_CHANGE),
        (Decimal("65.001"), HIGHER, Direction.IMPROVING),  # threshold 0: any change counts
        (Decimal("65.001"), LOWER, Direction.DECLINING),
    ],
)
def test_direction_follows_polarity(current, polarity, expected):
    assert direction(current, 65, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("current", "higher", "lower"),
    [
        (66, Direction.NO_CHANGE, Direction.NO_CHANGE),  # exactly at +threshold
        (64, Direction.NO_CHANGE, Direction.NO_CHANGE),  # exactly at -threshold
        (Decimal("66.1"), Direction.IMPROVING, Direction.DECLINING),  # just beyond
        (Decimal("63.9"), Direction.DECLINING, Direction.IMPROVING),
    ],
)
def test_direction_threshold_edges(current, higher, lower):
    assert direction(current, 65, polarity=HIGHER, threshold=1) == higher
    assert direction(current, 65, polarity=LOWER, threshold=1) == lower


@pytest.mark.parametrize(("current", "previous"), [(None, 65), (65, None), (None, None)])
def test_direction_needs_two_values(current, previous):
    assert direction(current, previous, polarity=HIGHER) is None


def test_direction_refuses_bad_settings():
    with pytest.raises(ValueError, match="threshold"):
        direction(1, 2, polarity=HIGHER, threshold=-0.5)
    with pytest.raises(ValueError, match="polarity"):
        direction(1, 2, polarity="sideways")


def test_every_direction_has_words():
    assert DIRECTION_LABELS == {
        Direction.IMPROVING: "Improving",
        Direction.DECLINING: "Declining",
        Direction.NO_CHANGE: "No change",
    }
    assert Direction.NO_CHANGE == "no change"


# --- benchmarking --------------------------------------------------------------------------------

EIGHT = [90, 85, 85, 80, 75, 70, 70, 60]  # eight authorities, two pairs of ties


@pytest.mark.parametrize(
    ("value", "rank", "band"),
    [(90, 1, "A"), (85, 2, "A"), (80, 4, "B"), (75, 5, "C"), (70, 6, "C"), (60, 8, "D")],
)
def test_benchmark_when_higher_is_better(value, rank, band):
    assert benchmark(value, EIGHT, polarity=HIGHER) == Benchmark(rank=rank, out_of=8, quartile=band)


@pytest.mark.parametrize(
    ("value", "rank", "band"),
    [(60, 1, "A"), (70, 2, "A"), (75, 4, "B"), (80, 5, "C"), (85, 6, "C"), (90, 8, "D")],
)
def test_benchmark_when_lower_is_better(value, rank, band):
    assert benchmark(value, EIGHT, polarity=LOWER) == Benchmark(rank=rank, out_of=8, quartile=band)


def test_benchmark_ignores_missing_values_and_compares_numbers_not_spellings():
    values = [None, Decimal("72.50"), 60.0, None, 55, Decimal("40")]
    assert benchmark(72.5, values, polarity=HIGHER) == Benchmark(rank=1, out_of=4, quartile="A")


@pytest.mark.parametrize(
    ("value", "values"),
    [
        (None, EIGHT),
        (81, EIGHT),  # not among the authorities
        (90, [90, 85, 80]),  # too few to band
        (90, [90, 85, 80, None]),
    ],
)
def test_benchmark_is_none_when_it_cannot_be_placed(value, values):
    assert benchmark(value, values, polarity=HIGHER) is None


def test_benchmark_refuses_an_unknown_polarity():
    with pytest.raises(ValueError, match="polarity"):
        benchmark(90, EIGHT, polarity="best")


@pytest.mark.parametrize(
    ("out_of", "bands"),
    [
        (4, "ABCD"),
        (5, "ABCDD"),  # 5/4 = 1.25, 5/2 = 2.5, 15/4 = 3.75
        (6, "ABBCDD"),  # 1.5, 3, 4.5
        (7, "ABBCCDD"),  # 1.75, 3.5, 5.25
        (8, "AABBCCDD"),
    ],
)
def test_quartile_boundaries_are_exact_fractions(out_of, bands):
    assert "".join(quartile(rank, out_of) for rank in range(1, out_of + 1)) == bands


def test_quartiles_for_all_english_authorities():
    # 150 areas: n/4 = 37.5, n/2 = 75, 3n/4 = 112.5
    assert [quartile(rank, 150) for rank in (37, 38, 75, 76, 112, 113, 150)] == list("ABBCCDD")


def test_quartile_refuses_a_rank_outside_the_field():
    with pytest.raises(ValueError):
        quartile(0, 8)
    with pytest.raises(ValueError):
        quartile(9, 8)


authority_values = st.lists(
    st.decimals(min_value=-50, max_value=200, places=1, allow_nan=False, allow_infinity=False),
    min_size=4,
    max_size=40,
)


@given(authority_values)
def test_benchmark_properties(values):
    n = len(values)
    for polarity, best in ((HIGHER, max(values)), (LOWER, min(values))):
        results = {value: benchmark(value, values, polarity=polarity) for value in values}
        assert all(result is not None and result.out_of == n for result in results.values())
        # Rank 1 goes to the best value, and only to it (ties share it).
        assert {value for value, result in results.items() if result.rank == 1} == {best}
        # A strictly better value never ranks or bands below a worse one.
        ordered = sorted(results.values(), key=lambda result: result.rank)
        assert [result.quartile for result in ordered] == sorted(r.quartile for r in ordered)
        assert ordered[0].quartile == "A"
        # Competition ranking: one more than the number of strictly better values.
        in_order = sorted(values, reverse=polarity == HIGHER)
        for value, result in results.items():
            assert result.rank == in_order.index(value) + 1
    # Swapping polarity turns the order round: with k areas tied on a value,
    # rank(higher) + rank(lower) = n + 2 - k (so n + 1 when there are no ties).
    for value in values:
        higher = benchmark(value, values, polarity=HIGHER)
        lower = benchmark(value, values, polarity=LOWER)
        assert higher.rank + lower.rank == n + 2 - values.count(value)


# --- what to print -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("72.5"), "percentage", "72.5%"),
        (75, "percentage", "75.0%"),
        (Decimal("72.45"), "percentage", "72.5%"),  # half up, as published statistics round
        (Decimal("72.44"), "percentage", "72.4%"),
        (100, "percentage", "100.0%"),
        (Decimal("-0.01"), "percentage", "0.0%"),  # never "-0.0%"
        (1234, "count", "1,234"),
        (1234567, "count", "1,234,567"),
        (Decimal("12.000"), "count", "12"),
        (0, "count", "0"),
        (Decimal("12.5"), "days", "12.5 days"),
        (1, "days", "1.0 days"),
        (Decimal("1234.56"), "days", "1,234.6 days"),
        (3.4, "rate_10k", "3.4 per 10,000"),
        (Decimal("3.45"), "rate_10k", "3.5 per 10,000"),
        (Decimal("12.5"), "weeks", "12.5 weeks"),
        (20, "weeks", "20.0 weeks"),
        (Decimal("12.45"), "weeks", "12.5 weeks"),
        (Decimal("1234.5"), "weeks", "1,234.5 weeks"),
        (1234, "pounds", "£1,234"),  # whole pounds: no pence (GOV.UK style)
        (Decimal("1234.000"), "pounds", "£1,234"),
        (Decimal("1234.5"), "pounds", "£1,234.50"),
        (Decimal("1234.505"), "pounds", "£1,234.51"),  # half up to the penny
        (Decimal("0.004"), "pounds", "£0"),
        (Decimal("1234567.89"), "pounds", "£1,234,567.89"),
        (Decimal("1234.995"), "pounds", "£1,235"),  # rounds up to whole pounds
    ],
)
def test_values_are_formatted_for_their_unit(value, unit, text):
    assert format_value(value, unit=unit) == text
    result = shown(value, unit=unit, suppress=False)
    assert result == Shown(text=text, value=to_decimal(value), suppressed=False)
    assert isinstance(result.value, Decimal)


@pytest.mark.parametrize("unit", ["percentage", "count", "days", "rate_10k", "weeks", "pounds"])
@pytest.mark.parametrize("suppress", [True, False])
def test_no_value_is_a_dash_not_a_suppression(unit, suppress):
    assert shown(None, unit=unit, numerator=2, suppress=suppress) == Shown("–", None, False)


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unit"):
        shown(5, unit="percent", suppress=False)
    with pytest.raises(ValueError, match="unit"):
        format_value(None, unit="")


@pytest.mark.parametrize("count", [1, 2, 3, 4, Decimal("4.000")])
def test_small_counts_are_suppressed_on_board_pages(count):
    assert shown(count, unit="count", suppress=True) == Shown("fewer than 5", None, True)


@pytest.mark.parametrize(("count", "text"), [(0, "0"), (5, "5"), (1234, "1,234")])
def test_zero_and_five_or_more_are_shown(count, text):
    assert shown(count, unit="count", suppress=True) == Shown(text, Decimal(count), False)


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [
        (1, 200),
        (4, 200),
        (None, 3),
        (3, None),
        (2, 4),
        (Decimal("4.000"), Decimal("10.000")),
        (198, 200),  # 2 are not
        (Decimal("196.000"), Decimal("200.000")),
    ],
)
def test_values_built_on_small_numbers_are_withheld(numerator, denominator):
    result = shown(
        50, unit="percentage", numerator=numerator, denominator=denominator, suppress=True
    )
    assert result == Shown("withheld", None, True)


@pytest.mark.parametrize(
    ("numerator", "denominator"), [(0, 20), (5, 20), (150, 200), (None, None), (5, 5)]
)
def test_values_built_on_zero_or_five_or_more_are_shown(numerator, denominator):
    result = shown(
        Decimal("62.5"),
        unit="percentage",
        numerator=numerator,
        denominator=denominator,
        suppress=True,
    )
    assert result == Shown("62.5%", Decimal("62.5"), False)


def test_a_small_count_says_fewer_than_five_rather_than_withheld():
    result = shown(3, unit="count", numerator=3, denominator=40, suppress=True)
    assert result.text == "fewer than 5"


def test_a_rate_on_a_small_numerator_is_withheld():
    result = shown(Decimal("2.1"), unit="rate_10k", numerator=3, denominator=14000, suppress=True)
    assert result == Shown("withheld", None, True)


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "denominator", "text"),
    [
        (3, "count", None, None, "3"),
        (1, "count", 1, None, "1"),
        (50, "percentage", 2, 4, "50.0%"),
        (Decimal("12.5"), "days", 3, None, "12.5 days"),
    ],
)
def test_nothing_is_suppressed_when_not_asked(value, unit, numerator, denominator, text):
    result = shown(value, unit=unit, numerator=numerator, denominator=denominator, suppress=False)
    assert result == Shown(text, to_decimal(value), False)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (None, "–"),
        (0, "0"),
        (1, "fewer than 5"),
        (4, "fewer than 5"),
        (5, "5"),
        (12345, "12,345"),
    ],
)
def test_suppressed_count(n, text):
    assert suppressed_count(n) == text


@given(st.integers(min_value=0, max_value=10**9))
def test_suppressed_counts_never_reveal_one_to_four(n):
    text = suppressed_count(n)
    assert (text == "fewer than 5") == (1 <= n <= 4)
    if text != "fewer than 5":
        assert int(text.replace(",", "")) == n


def test_the_small_number_threshold_is_a_setting(settings):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert shown(7, unit="count", suppress=True) == Shown("fewer than 10", None, True)
    assert shown(10, unit="count", suppress=True).value == Decimal(10)
    assert shown(50, unit="percentage", numerator=8, denominator=16, suppress=True).text == (
        "withheld"
    )
    assert suppressed_count(9) == "fewer than 10" and suppressed_count(0) == "0"
