import datetime

import pytest
from django.core.exceptions import ValidationError

from send_qa.core.models import (
    Period,
    academic_year_start,
    ensure_academic_year,
    ensure_financial_year,
)

pytestmark = pytest.mark.django_db


def test_an_academic_year_has_three_contiguous_terms():
    year, autumn, spring, summer = ensure_academic_year(2025)
    assert (year.name, year.start, year.end) == (
        "2025/26",
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    assert [t.season for t in (autumn, spring, summer)] == ["autumn", "spring", "summer"]
    assert autumn.name == "Autumn term 2025/26"
    assert autumn.start == year.start and summer.end == year.end
    assert spring.start == autumn.end + datetime.timedelta(days=1)
    assert summer.start == spring.end + datetime.timedelta(days=1)


def test_creating_a_year_twice_changes_nothing():
    ensure_academic_year(2025)
    ensure_academic_year(2025)
    assert Period.objects.count() == 4


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (datetime.date(2025, 9, 1), "Autumn term 2025/26"),
        (datetime.date(2025, 12, 31), "Autumn term 2025/26"),
        (datetime.date(2026, 1, 1), "Spring term 2025/26"),
        (datetime.date(2026, 5, 1), "Summer term 2025/26"),
        (datetime.date(2026, 8, 31), "Summer term 2025/26"),
    ],
)
def test_current_term(day, term):
    ensure_academic_year(2025)
    assert Period.objects.current_term(on=day).name == term


def test_no_current_term_when_none_is_set_up():
    assert Period.objects.current_term(on=datetime.date(2030, 1, 1)) is None


def test_financial_year_quarters():
    year, *quarters = ensure_financial_year(2025)
    assert year.name == "Financial year 2025/26"
    assert [(q.name, q.start, q.end) for q in quarters] == [
        ("Q1 2025/26", datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
        ("Q2 2025/26", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        ("Q3 2025/26", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("Q4 2025/26", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ]


def test_periods_of_a_kind_may_not_overlap():
    ensure_academic_year(2025)
    clash = Period(
        kind=Period.Kind.TERM,
        name="Odd term",
        season="spring",
        start=datetime.date(2025, 12, 1),
        end=datetime.date(2026, 1, 15),
    )
    with pytest.raises(ValidationError, match="overlaps Autumn term 2025/26"):
        clash.full_clean()


def test_a_period_cannot_end_before_it_starts():
    backwards = Period(
        kind=Period.Kind.QUARTER,
        name="Backwards",
        start=datetime.date(2025, 6, 1),
        end=datetime.date(2025, 5, 1),
    )
    with pytest.raises(ValidationError, match="on or after the start date"):
        backwards.full_clean()


@pytest.mark.parametrize(
    ("day", "start_year"),
    [(datetime.date(2025, 8, 31), 2024), (datetime.date(2025, 9, 1), 2025)],
)
def test_academic_year_start(day, start_year):
    assert academic_year_start(day) == start_year


def _names(terms):
    return [term.name for term in terms]


def test_terms_to_choose_from_start_with_the_term_in_hand_then_those_to_come():
    ensure_academic_year(2025)
    ensure_academic_year(2026)
    december = datetime.date(2026, 12, 1)
    assert _names(Period.objects.terms_for_choice(december)) == [
        "Autumn term 2026/27",
        "Spring term 2026/27",
        "Summer term 2026/27",
        "Summer term 2025/26",
        "Spring term 2025/26",
        "Autumn term 2025/26",
    ]


def test_in_a_holiday_the_term_just_ended_is_the_one_in_hand():
    Period.objects.create(
        kind=Period.Kind.TERM,
        name="Summer",
        season="summer",
        start=datetime.date(2026, 4, 20),
        end=datetime.date(2026, 7, 22),
    )
    Period.objects.create(
        kind=Period.Kind.TERM,
        name="Autumn",
        season="autumn",
        start=datetime.date(2026, 9, 3),
        end=datetime.date(2026, 12, 18),
    )
    august = datetime.date(2026, 8, 10)
    assert Period.objects.term_in_hand(august).name == "Summer"
    assert _names(Period.objects.terms_for_choice(august)) == ["Summer", "Autumn"]
    assert _names(Period.objects.terms_for_choice(datetime.date(2026, 1, 5))) == [
        "Summer",
        "Autumn",
    ]
