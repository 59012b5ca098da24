"""The one rule for a risk's score and rating (risks/scoring.py, decision 0008)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks.models import Risk
from risks.scoring import (
    HIGH,
    LOW,
    MEDIUM,
    POSSIBLE_SCORES,
    risk_rating,
    risk_score,
    scores_rated,
)
from tests.risks.factories import RiskFactory

levels = st.integers(min_value=1, max_value=5)


@pytest.mark.parametrize(
    ("score", "name", "colour"),
    [
        (1, LOW, "green"),
        (4, LOW, "green"),
        (5, MEDIUM, "yellow"),
        (10, MEDIUM, "yellow"),
        (12, HIGH, "red"),
        (25, HIGH, "red"),
    ],
)
def test_each_boundary_of_the_rating(score, name, colour):
    rating = risk_rating(score)
    assert (rating.name, rating.colour, rating.score) == (name, colour, score)
    assert str(rating) == f"{name} ({score})"


@given(levels, levels)
def test_the_score_is_likelihood_times_impact_and_rated_by_its_band(likelihood, impact):
    score = risk_score(likelihood, impact)
    assert score == likelihood * impact
    expected = LOW if score <= 4 else MEDIUM if score <= 10 else HIGH
    assert risk_rating(score).name == expected


@given(levels, levels, levels, levels)
def test_a_higher_score_never_has_a_lower_rating(l1, i1, l2, i2):
    order = [LOW, MEDIUM, HIGH]
    a, b = risk_score(l1, i1), risk_score(l2, i2)
    if a <= b:
        assert order.index(risk_rating(a).name) <= order.index(risk_rating(b).name)


@pytest.mark.parametrize("level", [0, 6, -1, 2.5, True, None, "3"])
def test_a_level_outside_1_to_5_is_refused(level):
    with pytest.raises(ValueError, match="from 1 to 5"):
        risk_score(level, 3)
    with pytest.raises(ValueError, match="from 1 to 5"):
        risk_score(3, level)


@pytest.mark.parametrize("score", [0, 26, -4, 3.0, None])
def test_a_score_outside_1_to_25_is_refused(score):
    with pytest.raises(ValueError, match="from 1 to 25"):
        risk_rating(score)


def test_scores_rated_splits_every_possible_score_once():
    assert scores_rated(LOW) == [1, 2, 3, 4]
    assert scores_rated(MEDIUM) == [5, 6, 8, 9, 10]
    assert scores_rated(HIGH) == [12, 15, 16, 20, 25]
    assert sorted(scores_rated(LOW) + scores_rated(MEDIUM) + scores_rated(HIGH)) == list(
        POSSIBLE_SCORES
    )


@pytest.mark.django_db
def test_the_database_sorts_by_the_same_score_as_the_rule():
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            RiskFactory(likelihood=likelihood, impact=impact)
    for risk in Risk.objects.with_score():
        assert risk.score_value == risk_score(risk.likelihood, risk.impact) == risk.score
    scores = [risk.score for risk in Risk.objects.by_score()]
    assert scores == sorted(scores, reverse=True)
    assert {risk.score for risk in Risk.objects.rated_high()} == set(scores_rated(HIGH))
