"""A risk as evidence that mitigating actions are raised from (send_qa/core/follow_up.py)."""

import datetime
import uuid

import pytest

from risks.models import Risk
from send_qa.core import follow_up
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def test_the_risk_kind_is_registered():
    assert follow_up.kind_label("risk") == "A risk on the risk register"


def test_a_risk_is_described_for_an_action_to_be_raised(people):
    review = datetime.date(2027, 3, 31)
    risk = RiskFactory(
        title="Too few specialist places",
        cause="Demand grows.",
        consequence="Placements out of county.",
        likelihood=4,
        impact=4,
        target_likelihood=2,
        target_impact=3,
        review_date=review,
    )
    evidence = follow_up.evidence_of("risk", str(risk.uuid), people.sendops)
    assert evidence is not None
    assert evidence.kind == "risk" and evidence.ref == str(risk.uuid)
    assert evidence.title == f"Risk {risk.reference}: Too few specialist places"
    assert "Too few specialist places" in evidence.words
    assert "Demand grows." in evidence.words and "Placements out of county." in evidence.words
    assert evidence.figure == "High (16), target Medium (6)"
    assert evidence.now == "High (16)"
    assert evidence.owner_suggestion == risk.owner
    assert evidence.due_suggestion == review
    assert evidence.url == risk.get_absolute_url()
    assert evidence.concern is True


@pytest.mark.parametrize(
    ("likelihood", "impact", "concern"), [(2, 3, False), (1, 3, False), (2, 4, True)]
)
def test_a_risk_stops_being_a_concern_at_its_target(people, likelihood, impact, concern):
    risk = RiskFactory(likelihood=likelihood, impact=impact, target_likelihood=3, target_impact=2)
    evidence = follow_up.evidence_of("risk", str(risk.uuid), people.board)
    assert evidence is not None and evidence.concern is concern


def test_a_closed_risk_is_no_longer_a_concern(people):
    risk = RiskFactory(likelihood=5, impact=5, status=Risk.Status.CLOSED)
    evidence = follow_up.evidence_of("risk", str(risk.uuid), people.sendops)
    assert evidence is not None
    assert evidence.concern is False and evidence.now == "High (25), closed"


@pytest.mark.parametrize("who", ["auditor", "caseworker", "action_owner", "no_role", "admin"])
def test_no_one_else_is_told_of_a_risk(people, who):
    risk = RiskFactory()
    assert follow_up.evidence_of("risk", str(risk.uuid), people[who]) is None


@pytest.mark.parametrize(
    "ref", [pytest.param(str(uuid.uuid4()), id="unknown-uuid"), "not-a-uuid", "1"]
)
def test_an_unknown_ref_names_nothing(people, ref):
    RiskFactory()
    assert follow_up.evidence_of("risk", ref, people.sendops) is None
