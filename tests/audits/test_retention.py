"""Retention on worked examples: case-level details go, aggregates stay."""

import datetime

import pytest
from django.core.management import call_command

from audits.models import Answer, Audit, Plan
from audits.retention import ANONYMISED_PREFIX, retention_apply, retention_cutoff
from tests.audits.factories import AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def six_years(settings):
    settings.RETENTION_YEARS = 6


def ceased(reference: str, on: datetime.date, **fields) -> Plan:
    plan = PlanFactory(case_reference=reference, is_active=False, **fields)
    Plan.objects.filter(pk=plan.pk).update(ceased_on=on)
    plan.refresh_from_db()
    return plan


def scored_audit(plan: Plan, people) -> Audit:
    audit = AuditFactory(plan=plan, auditor=people.auditor)
    item = audit.template.sections.get(code="A").items.get(code="A1")
    audit.save_answers(
        values={item.pk: {"score": 4, "comment": "Jo likes trains"}},
        version=audit.edit_version(),
        by=people.auditor,
    )
    Audit.objects.filter(pk=audit.pk).update(final_comments="Jo's plan is good")
    audit.refresh_from_db()
    return audit


def test_a_plan_ceasing_is_dated_and_coming_back_clears_the_date():
    plan = PlanFactory()
    assert plan.ceased_on is None
    plan.is_active = False
    plan.save()
    assert plan.ceased_on is not None
    plan.is_active = True
    plan.save()
    assert plan.ceased_on is None


def test_an_old_audited_plan_is_anonymised_and_its_findings_kept(people):
    old = ceased("EHC-OLD-1", datetime.date(2020, 1, 1), setting_name="Oakfield Primary")
    audit = scored_audit(old, people)
    percent, grade = audit.percent, audit.grade
    recent = ceased("EHC-RECENT", datetime.date(2024, 1, 1))
    active = PlanFactory(case_reference="EHC-ACTIVE")

    report = retention_apply(on=TODAY)

    old.refresh_from_db()
    assert old.case_reference.startswith(ANONYMISED_PREFIX) and old.setting_name == ""
    assert old.primary_need and old.placement_type, "what the aggregates need stays"
    audit.refresh_from_db()
    assert (audit.percent, audit.grade) == (percent, grade)
    assert audit.final_comments == ""
    answer = Answer.objects.get(audit=audit)
    assert answer.score == 4 and answer.comment == ""
    # The history that held the old reference and comments is gone too.
    assert not Plan.history.filter(id=old.pk).exists()
    assert not Answer.history.filter(audit_id=audit.pk).exists()
    assert not Audit.history.filter(id=audit.pk).exists()
    for plan in (recent, active):
        assert Plan.objects.get(pk=plan.pk).case_reference == plan.case_reference
    assert report.counts["plans anonymised"] == 1 and report.counts["plans deleted"] == 0


def test_an_old_plan_with_nothing_on_it_is_deleted():
    plan = ceased("EHC-NOTHING", datetime.date(2019, 6, 30))
    report = retention_apply(on=TODAY)
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not Plan.history.filter(id=plan.pk).exists()
    assert report.counts["plans deleted"] == 1


def test_the_cutoff_is_exactly_the_retention_period_before():
    assert retention_cutoff(TODAY, 6) == datetime.date(2020, 11, 24)
    assert retention_cutoff(datetime.date(2028, 2, 29), 6) == datetime.date(2022, 2, 28)
    on_the_day = ceased("EHC-EDGE", datetime.date(2020, 11, 24))
    retention_apply(on=TODAY)
    assert Plan.objects.filter(pk=on_the_day.pk).exists(), "ceased on the cut-off day: kept"


def test_a_dry_run_says_what_would_happen_and_changes_nothing(people, capsys):
    plan = ceased("EHC-OLD-2", datetime.date(2018, 3, 1))
    scored_audit(plan, people)
    ceased("EHC-OLD-3", datetime.date(2018, 3, 1))
    call_command("apply_retention", "--dry-run", "--on", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Would apply retention to plans that ceased before 24 November 2020" in out
    assert "plans deleted: 1" in out and "plans anonymised: 1" in out
    assert "answers cleared of text: 1" in out
    assert Plan.objects.filter(case_reference__in=["EHC-OLD-2", "EHC-OLD-3"]).count() == 2
    call_command("apply_retention", "--on", TODAY.isoformat())
    assert "Did apply retention" in capsys.readouterr().out
    assert not Plan.objects.filter(case_reference__startswith="EHC-OLD").exists()
    # Applying again finds nothing new.
    assert retention_apply(on=TODAY).counts["plans anonymised"] == 0


def test_retention_runs_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "audits.tasks.apply_retention"
