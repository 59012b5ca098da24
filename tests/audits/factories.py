import datetime

import factory

from audits.models import (
    Advice,
    AdviceService,
    Audit,
    ModerationSession,
    Plan,
    PrimaryNeed,
    SampledPlan,
)
from audits.template_io import template_import
from tests.factories import UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    case_reference = factory.Sequence(lambda n: f"EHC{n:06d}")
    age_band = "5-10"
    primary_need = PrimaryNeed.ASD
    placement_type = "mainstream"
    setting_name = "Oakfield Primary School"


SMALL_TEMPLATE = {
    "name": "Small checklist",
    "version": 1,
    "subject": "ehcp",
    "overall_rating": {
        "text": "Rate the plan",
        "scale": {"min": 1, "max": 5, "labels": {"1": "Poor", "5": "Excellent"}},
    },
    "final_comments": True,
    "grade_bands": [
        {"label": "Good", "min_percent": 65, "good_or_better": True},
        {"label": "Requires improvement", "min_percent": 0, "good_or_better": False},
    ],
    "sections": [
        {
            "code": "A",
            "title": "Section A - Views",
            "items": [
                {
                    "code": "A1",
                    "text": "Captures aspirations",
                    "kind": "score",
                    "scale": {"min": 1, "max": 5, "labels": {"1": "Poor", "5": "Excellent"}},
                    "guidance": "Uses the child's own words",
                },
                {"code": "A2", "text": "Is there a one page profile?", "kind": "yes_no"},
            ],
        },
        {
            "code": "B",
            "title": "Section B - Needs",
            "items": [
                {
                    "code": "B1",
                    "text": "Sets out needs clearly",
                    "kind": "score",
                    "scale": {"min": 1, "max": 5},
                    "allow_na": True,
                },
                {
                    "code": "B2",
                    "text": "Matches each need to provision",
                    "kind": "yes_no",
                    "weight": 1,
                    "golden_thread": True,
                    "allow_na": True,
                },
                {"code": "B3", "text": "Anything else?", "kind": "text"},
            ],
        },
    ],
}


def small_template(**changes):
    data = {**SMALL_TEMPLATE, **changes}
    return template_import(data)[0]


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    plan = factory.SubFactory(PlanFactory)
    template = factory.LazyFunction(small_template)
    auditor = factory.SubFactory(UserFactory)


class ModerationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationSession
        skip_postgeneration_save = True

    date = factory.LazyFunction(datetime.date.today)
    term = factory.LazyFunction(lambda: _a_term())
    seed = 20261124

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


def _a_term():
    from send_qa.core.models import Period, ensure_academic_year

    ensure_academic_year(2026)
    return Period.objects.terms().order_by("start").first()


def sampled_plan(session, *, plan=None, order=1, original_audit=None) -> SampledPlan:
    """A plan placed in a session's sample by hand, for tests that do not test the draw."""
    return SampledPlan.objects.create(
        session=session,
        plan=plan or PlanFactory(),
        order=order,
        code=session.sample_code(order),
        original_audit=original_audit,
    )


class AdviceServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceService

    name = factory.Sequence(lambda n: f"Service {n}")
    profession = "educational_psychology"
    contact_email = factory.Sequence(lambda n: f"service{n}@example.org")


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    plan = factory.SubFactory(PlanFactory)
    service = factory.SubFactory(AdviceServiceFactory)
    requested = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(weeks=2))


def seed_template(name: str):
    """A checklist shipped in fixtures/templates (the seed's own words), published."""
    from audits.template_io import TEMPLATE_FIXTURES, read_template_file

    return template_import(read_template_file(TEMPLATE_FIXTURES / name))[0]


def local_offer_template():
    return seed_template("local_offer_compliance_check.json")


def skills_template():
    return seed_template("workforce_skills_self_audit.json")


def local_offer_check(*, by, title="Local Offer compliance check 2026/27", term=None):
    return Audit.objects.start_local_offer_check(
        template=local_offer_template(), by=by, term=term, title=title
    )


def self_audit(person, *, title="Skills self-audit autumn 2026", by=None):
    """The person's self-audit in the round, sent now unless it already was."""
    Audit.objects.send_self_audits(
        template=skills_template(), people=[person], title=title, term=None, by=by or person
    )
    return Audit.objects.get(respondent=person, title=title)
