"""Computed indicators against hand-worked examples, and loading the catalogue."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from audits.models import Audit
from kpis.catalogue import catalogue_load
from kpis.computed import computed_recalculate
from kpis.models import Indicator, Measurement, Target
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AdviceFactory, AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    ensure_academic_year(2025)
    call_command("load_indicators")
    return Period.objects.terms().get(name="Autumn term 2025/26")


def local(code: str, term) -> Measurement:
    return Measurement.objects.get(indicator__code=code, period_start=term.start, area="local")


def test_the_catalogue_loads_the_fixed_codes_and_targets_once():
    created, updated = catalogue_load()
    assert created >= 30 and updated == 0
    assert set(Indicator.objects.filter(computed=True).values_list("code", flat=True)) == {
        "EHCP_20WK_INCL",
        "EHCP_COUNT",
        "AUDIT_GOOD",
        "ADVICE_6WK",
    }
    assert {"EHCP_20WK", "AR_ON_TIME"} <= set(Indicator.objects.values_list("code", flat=True))
    targets = Target.objects.filter(indicator__code="AUDIT_GOOD").order_by("period_start")
    assert [t.value for t in targets] == [Decimal(75), Decimal(100)]
    assert catalogue_load() == (0, 0)


def test_audit_good_is_the_share_of_graded_audits_good_or_better(term):
    # 3 of 4 submitted audits good or better; an open one and another term's don't count.
    for good in (True, True, True, False):
        AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=good, grade="x")
    AuditFactory(term=term)
    AuditFactory(
        term=Period.objects.terms().get(name="Spring term 2025/26"),
        status=Audit.Status.SUBMITTED,
        good_or_better=False,
    )
    computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5))
    measurement = local("AUDIT_GOOD", term)
    assert (measurement.value, measurement.numerator, measurement.denominator) == (
        Decimal("75.0"),
        Decimal(3),
        Decimal(4),
    )
    assert measurement.period_label == "Autumn term 2025/26"


def test_local_offer_checks_and_skills_self_audits_never_count_in_audit_good(term):
    from tests.audits.factories import local_offer_template, skills_template
    from tests.factories import UserFactory

    AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=True, grade="Good")
    sendops = UserFactory(roles=["sendops"])
    # A check and a self-audit in the same term, stored as graded and short of good.
    Audit.objects.create(
        template=local_offer_template(),
        auditor=sendops,
        term=term,
        status=Audit.Status.SUBMITTED,
        good_or_better=False,
        grade="Not compliant",
    )
    Audit.objects.create(
        template=skills_template(),
        auditor=sendops,
        respondent=sendops,
        term=term,
        status=Audit.Status.SUBMITTED,
        good_or_better=False,
    )
    computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5))
    measurement = local("AUDIT_GOOD", term)
    assert (measurement.value, measurement.numerator, measurement.denominator) == (
        Decimal("100.0"),
        Decimal(1),
        Decimal(1),
    )


def test_advice_within_six_weeks_counts_advice_due_in_the_term(term):
    requested = datetime.date(2025, 9, 8)  # due 20 October 2025
    AdviceFactory(requested=requested, received=datetime.date(2025, 10, 20))  # on time
    AdviceFactory(requested=requested, received=datetime.date(2025, 10, 21))  # late
    AdviceFactory(requested=requested)  # missing
    AdviceFactory(requested=datetime.date(2025, 12, 1))  # due in January: another term
    computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5))
    assert local("ADVICE_6WK", term).value == Decimal("33.3")


def test_plans_issued_within_twenty_weeks_and_plans_maintained(term):
    PlanFactory(
        assessment_requested=datetime.date(2025, 5, 1), plan_issued=datetime.date(2025, 9, 18)
    )  # 20 weeks
    PlanFactory(
        assessment_requested=datetime.date(2025, 5, 1), plan_issued=datetime.date(2025, 9, 19)
    )  # a day over
    PlanFactory(
        assessment_requested=datetime.date(2025, 3, 1), plan_issued=datetime.date(2025, 3, 30)
    )  # earlier term
    PlanFactory(plan_issued=datetime.date(2025, 10, 1), is_active=False)
    computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5))
    assert local("EHCP_20WK_INCL", term).value == Decimal("50.0")
    assert local("EHCP_COUNT", term).value == Decimal(3)


def test_recalculating_updates_values_and_keeps_history(term):
    AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=False)
    computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5))
    AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=True)
    assert computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5)) >= 1
    measurement = local("AUDIT_GOOD", term)
    assert measurement.value == Decimal("50.0")
    assert [h.value for h in measurement.history.order_by("history_date")] == [
        Decimal("0.0"),
        Decimal("50.0"),
    ]
    assert computed_recalculate(terms=[term], on=datetime.date(2026, 1, 5)) == 0


def test_a_submitted_audit_queues_one_recalculation_after_commit(
    term, django_capture_on_commit_callbacks
):
    from unittest import mock

    queued = mock.patch("kpis.tasks.recalculate_indicators.delay")
    with queued as delay, django_capture_on_commit_callbacks(execute=True):
        AuditFactory(term=term)
        AuditFactory(term=term)
        PlanFactory()
    assert delay.call_count == 1


def test_the_plans_import_queues_one_recalculation_after_commit(
    term, django_capture_on_commit_callbacks
):
    from unittest import mock

    from audits.plan_import import plans_import, read_table

    rows = "".join(f"EHC{n:06d},ASD,mainstream\n" for n in range(50))
    frame = read_table(
        io.BytesIO(b"case_reference,primary_need,placement_type\n" + rows.encode()), "p.csv"
    )
    with mock.patch("kpis.tasks.recalculate_indicators.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert plans_import(frame).created == 50
        assert delay.call_count == 1


def test_a_change_after_the_recalculation_started_queues_the_next(
    term, django_capture_on_commit_callbacks
):
    from unittest import mock

    from kpis.tasks import recalculate_indicators

    with mock.patch("kpis.tasks.recalculate_indicators.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            PlanFactory()
        with django_capture_on_commit_callbacks(execute=True):
            PlanFactory()  # the first is still waiting: it will read this plan too
        assert delay.call_count == 1
        recalculate_indicators.run()  # the job starts
        with django_capture_on_commit_callbacks(execute=True):
            PlanFactory()
        assert delay.call_count == 2


def test_a_rolled_back_change_queues_nothing_and_blocks_nothing(
    term, django_capture_on_commit_callbacks
):
    from unittest import mock

    from django.db import transaction

    with mock.patch("kpis.tasks.recalculate_indicators.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            PlanFactory()
            transaction.set_rollback(True)
        assert not callbacks and delay.call_count == 0
        with django_capture_on_commit_callbacks(execute=True):
            PlanFactory()
        assert delay.call_count == 1
