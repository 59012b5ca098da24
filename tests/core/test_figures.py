"""The one rounding rule: half up, one decimal place, exact (never through a binary float)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from send_qa.core.figures import percent, round_half_up
from send_qa.core.templatetags.figures import share_percent


def test_33_of_80_is_41_3_not_python_rounds_41_2():
    assert round(100 * 33 / 80, 1) == 41.2  # what the findings page printed before
    assert percent(33, 80) == Decimal("41.3")


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 8, "12.5"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (0, 5, "0.0"),
        (5, 5, "100.0"),
        (1, 16, "6.3"),
    ],
)
def test_percentages_round_half_up_to_one_place(part, whole, expected):
    assert percent(part, whole) == Decimal(expected)


def test_no_whole_has_no_percentage():
    assert percent(0, 0) is None


def test_rounding_never_prints_minus_zero():
    assert str(round_half_up(Decimal("-0.04"))) == "0.0"
    assert round_half_up(Decimal("72.45")) == Decimal("72.5")
    assert round_half_up(2.675, 2) == Decimal("2.68")  # the float 2.675 is 2.67499..., as typed


@examples(max_examples=300)
@given(whole=st.integers(1, 100_000), data=st.data())
def test_a_percentage_is_the_exact_share_rounded_half_up(whole, data):
    part = data.draw(st.integers(0, whole))
    exact = Fraction(100 * part, whole)
    tenths = exact * 10
    expected = Fraction(int(tenths + Fraction(1, 2)), 10)  # half up for non-negative shares
    assert Fraction(percent(part, whole)) == expected


def test_scorer_agreement_prints_through_the_same_rule():
    assert share_percent(4 / 6) == "66.7%"
    assert share_percent(1 / 8) == "12.5%"
    assert share_percent(None) == ""
