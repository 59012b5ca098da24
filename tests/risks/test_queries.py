"""What other floors read of the register: the high risks, and the risks whose score changed
in a period (from their history rows), each in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from risks.models import Risk
from risks.queries import high_risks, score_changes
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def saved_on(risk: Risk, day: datetime.date, **changes) -> Risk:
    for name, value in changes.items():
        setattr(risk, name, value)
    risk._history_date = at(day)
    risk.save()
    return risk


def added_on(day: datetime.date, **fields) -> Risk:
    risk = RiskFactory.build(owner=RiskFactory().owner, **fields)
    return saved_on(risk, day)


def test_high_risks_are_the_open_ones_rated_high_highest_first():
    twelve = RiskFactory(likelihood=3, impact=4, title="Twelve")
    twenty = RiskFactory(likelihood=5, impact=4, title="Twenty")
    RiskFactory(likelihood=2, impact=5)  # Medium (10)
    RiskFactory(likelihood=5, impact=5, status=Risk.Status.CLOSED)
    found = high_risks()
    assert [h.title for h in found] == ["Twenty", "Twelve"]
    assert str(found[0].rating) == "High (20)"
    assert found[0].rating.colour == "red"
    assert str(found[1].target) == "Low (4)"
    assert found[0].reference == twenty.reference and found[1].url == twelve.get_absolute_url()
    assert found[0].owner == f"{twenty.owner.full_name}, Head of SEND"


def test_high_risks_run_one_query_whatever_their_number():
    RiskFactory(likelihood=5, impact=5)
    with CaptureQueriesContext(connection) as few:
        high_risks()
    for _ in range(5):
        RiskFactory(likelihood=4, impact=4)
    with CaptureQueriesContext(connection) as many:
        assert len(high_risks()) == 6
    assert len(many.captured_queries) == len(few.captured_queries) == 1


def test_score_changes_compare_the_score_as_the_period_began_with_its_end():
    risen = added_on(D(2026, 1, 10), likelihood=2, impact=3, title="Risen")
    saved_on(risen, D(2026, 5, 2), likelihood=4)
    saved_on(risen, D(2026, 6, 20), impact=4)  # 6 -> 12 -> 16 in the period
    fallen = added_on(D(2026, 2, 1), likelihood=4, impact=5, title="Fallen")
    saved_on(fallen, D(2026, 4, 30), likelihood=2)  # the day before the period: not in it
    saved_on(fallen, D(2026, 7, 31), likelihood=1)  # the period's last day: in it
    words_only = added_on(D(2026, 1, 1), likelihood=3, impact=3, title="Words only")
    saved_on(words_only, D(2026, 5, 5), title="Words only, renamed")
    back_again = added_on(D(2026, 1, 1), likelihood=3, impact=3, title="Back again")
    saved_on(back_again, D(2026, 5, 5), likelihood=5)
    saved_on(back_again, D(2026, 6, 5), likelihood=3)
    later = added_on(D(2026, 1, 1), likelihood=3, impact=3, title="Later")
    saved_on(later, D(2026, 8, 1), likelihood=5)  # after the period

    changes = score_changes(D(2026, 5, 1), D(2026, 7, 31))

    assert [(c.title, str(c.before), str(c.after)) for c in changes] == [
        ("Fallen", "Medium (10)", "Medium (5)"),
        ("Risen", "Medium (6)", "High (16)"),
    ]
    assert changes[1].when == at(D(2026, 6, 20))
    assert changes[0].reference == fallen.reference
    assert changes[0].url == fallen.get_absolute_url()


def test_a_risk_added_in_the_period_changed_only_if_rescored_after():
    steady = added_on(D(2026, 5, 10), likelihood=4, impact=4, title="Added")
    rescored = added_on(D(2026, 5, 10), likelihood=4, impact=4, title="Added then rescored")
    saved_on(rescored, D(2026, 6, 1), impact=1)
    changes = score_changes(D(2026, 5, 1), D(2026, 7, 31))
    assert [(c.title, str(c.before), str(c.after)) for c in changes] == [
        ("Added then rescored", "High (16)", "Low (4)")
    ]
    assert steady.reference not in [c.reference for c in changes]


def test_score_changes_run_one_query_whatever_the_number_of_risks():
    def make(n):
        for _ in range(n):
            risk = added_on(D(2026, 1, 1), likelihood=2, impact=2)
            saved_on(risk, D(2026, 6, 1), likelihood=5)

    make(1)
    with CaptureQueriesContext(connection) as few:
        assert len(score_changes(D(2026, 5, 1), D(2026, 7, 31))) == 1
    make(6)
    with CaptureQueriesContext(connection) as many:
        assert len(score_changes(D(2026, 5, 1), D(2026, 7, 31))) == 7
    assert len(many.captured_queries) == len(few.captured_queries) == 1
