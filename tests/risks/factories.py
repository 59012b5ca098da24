import datetime

import factory

from risks.models import Risk
from tests.factories import UserFactory


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk to outcomes number {n}")
    cause = "Demand for assessments has risen faster than capacity."
    consequence = "Children wait longer for the right support."
    owner = factory.SubFactory(UserFactory, roles=["sendops"])
    owner_title = "Head of SEND"
    likelihood = 3
    impact = 3
    controls = "Weekly triage of requests."
    target_likelihood = 2
    target_impact = 2
    review_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


def risk_post(risk=None, **changes):
    """What the risk form posts: `risk`'s fields (or a new risk's), with `changes`."""
    risk = risk or RiskFactory.build(owner=UserFactory())
    data = {
        "title": risk.title,
        "cause": risk.cause,
        "consequence": risk.consequence,
        "owner": risk.owner.pk,
        "owner_title": risk.owner_title,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "controls": risk.controls,
        "target_likelihood": risk.target_likelihood,
        "target_impact": risk.target_impact,
        "review_date": risk.review_date.isoformat(),
        "status": risk.status,
    }
    return {**data, **changes}
