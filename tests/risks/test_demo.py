"""The demo register gives the register, the matrix and the report's lists something to show."""

import datetime

import pytest

from risks import demo
from risks.models import Risk
from risks.queries import high_risks, score_changes
from send_qa.core.demo import seed_core

pytestmark = pytest.mark.django_db


def test_the_demo_register_has_high_risks_and_changes_this_term():
    area = seed_core(password="demo-password-123")
    demo.seed(area)
    demo.seed(area)  # a second run adds nothing
    assert Risk.objects.count() == len(demo.RISKS)
    assert [risk.reference for risk in Risk.objects.all()] == [
        f"R{n}" for n in range(1, len(demo.RISKS) + 1)
    ]
    assert high_risks()
    today = datetime.date.today()
    changes = score_changes(today - datetime.timedelta(days=60), today)
    assert len(changes) == sum(1 for risk in demo.RISKS if risk[-1])
    assert all(change.before != change.after for change in changes)
