"""SENDOPS read who changed what, when, and from what to what, for each kind of record."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audits.models import Answer, Plan, PrimaryNeed
from kpis.models import Measurement
from send_qa.core.history import Source, history_entries
from tests.audits.factories import AuditFactory, PlanFactory
from tests.kpis.factories import MeasurementFactory
from tests.queries import page_queries
from tests.reports.factories import a_report
from tests.wsoa.factories import ActionFactory, status

pytestmark = pytest.mark.django_db


def test_an_entry_says_who_changed_which_field_from_what_to_what(people):
    plan = PlanFactory(case_reference="EHC000777", primary_need=PrimaryNeed.ASD)
    plan._history_user = people.sendops
    plan.primary_need = PrimaryNeed.SEMH
    plan.save()
    changed, created = history_entries(Source(Plan.history.filter(id=plan.pk), lambda r: "plan"))
    assert changed.action == "Changed" and changed.who == "Sendops Person"
    assert [(c.field, c.before, c.after) for c in changed.changes] == [
        ("Primary need", PrimaryNeed.ASD.label, PrimaryNeed.SEMH.label)
    ]
    assert created.action == "Created" and created.who.startswith("The portal")
    assert ("Case reference", "(new)", "EHC000777") in [
        (c.field, c.before, c.after) for c in created.changes
    ]


def test_answers_saved_by_the_auditor_are_in_the_audits_history(people, client_for):
    audit = AuditFactory(auditor=people.auditor)
    items = {item.code: item for item in audit.template.sections.get(code="A").items.all()}
    audit.save_answers(
        values={items["A1"].pk: {"score": 2}}, version=audit.edit_version(), by=people.auditor
    )
    audit.save_answers(
        values={items["A1"].pk: {"score": 4}}, version=audit.edit_version(), by=people.auditor
    )
    url = reverse("audits:audit_history", kwargs={"audit_uuid": audit.uuid})
    html = client_for(people.sendops).get(url).content.decode()
    assert "Changed: the answer to A1" in html and "Created: the answer to A1" in html
    assert "Score: from 2 to 4" in html and "Auditor Person" in html


def test_the_history_page_runs_the_same_queries_however_long_the_history(people, client_for):
    audit = AuditFactory(auditor=people.auditor)
    item = audit.template.sections.get(code="A").items.get(code="A1")
    audit.save_answers(
        values={item.pk: {"score": 1}}, version=audit.edit_version(), by=people.auditor
    )
    url = reverse("audits:audit_history", kwargs={"audit_uuid": audit.uuid})
    client = client_for(people.sendops)
    short = page_queries(client, url)
    for score in (2, 3, 4, 5, 1, 2, 3):
        audit.save_answers(values={item.pk: {"score": score}}, version=audit.edit_version())
    assert Answer.history.filter(audit_id=audit.pk).count() == 8
    assert page_queries(client, url) == short


def test_a_kpi_value_corrected_by_import_shows_the_old_and_new_value(people, client_for):
    import pandas as pd

    from kpis.imports import measurements_import

    measurement = MeasurementFactory(value=Decimal("70"))
    code = measurement.indicator.code
    frame = pd.DataFrame(
        [[code, "2026-09-01", "2026-12-31", "local", "72.5"]],
        columns=["indicator_code", "period_start", "period_end", "area", "value"],
    )
    measurements_import(frame.astype(str), by=people.sendops)
    assert Measurement.objects.get().value == Decimal("72.5")
    url = reverse("kpis:indicator_history", kwargs={"code": code})
    html = client_for(people.sendops).get(url).content.decode()
    assert "Changed: the value for Autumn 2026 (This area)" in html
    assert "Value: from 70.000 to 72.500" in html and "Sendops Person" in html
    assert "Period label: from" not in html, "a column left out of the file changes nothing"


def test_a_rag_update_is_in_the_actions_history_with_its_author(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    client_for(people.action_owner).post(
        reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid}),
        {"date": "2026-11-01", "narrative": "Training done", "status": status("Amber").pk},
    )
    url = reverse("wsoa:action_history", kwargs={"action_uuid": action.uuid})
    html = client_for(people.sendops).get(url).content.decode()
    assert "Created: the progress update of 1 November 2026" in html
    assert "Status: Amber" in html and "Action Owner Person" in html


def test_a_reports_narrative_change_is_in_its_history(people):
    report = a_report()
    report._history_user = people.sendops
    report.recommendations = "1. Fund two more caseworkers"
    report.save()
    from send_qa.reports.models import Report

    latest = history_entries(Source(Report.history.filter(id=report.pk), lambda r: "report"))[0]
    assert ("Recommendations", "(empty)", "1. Fund two more caseworkers") in [
        (c.field, c.before, c.after) for c in latest.changes
    ]


def test_a_moderation_outcome_is_in_the_sessions_history(people, client_for):
    from audits.models import SampledPlan
    from tests.audits.factories import ModerationSessionFactory, sampled_plan

    session = ModerationSessionFactory()
    sample = sampled_plan(session, plan=PlanFactory())
    sample = SampledPlan.objects.get(pk=sample.pk)
    sample._history_user = people.sendops
    sample.agreed_grade = "Good"
    sample.save()
    url = reverse("audits:moderation_history", kwargs={"session_uuid": session.uuid})
    html = client_for(people.sendops).get(url).content.decode()
    assert f"Changed: sample {sample.code}" in html and "Agreed grade: from (empty) to Good" in html


def test_other_roles_cannot_read_history(people, client_for):
    plan = PlanFactory(team=people.caseworker.team)
    url = reverse("audits:plan_history", kwargs={"plan_uuid": plan.uuid})
    assert client_for(people.caseworker).get(url).status_code == 403
    assert client_for(people.sendops).get(url).status_code == 200
    detail = reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid})
    assert url in client_for(people.sendops).get(detail).content.decode()
    assert url not in client_for(people.caseworker).get(detail).content.decode()


def test_dates_are_shown_in_words():
    from django.db import models

    from send_qa.core.history import _shown

    field = models.DateField()
    assert _shown(field, datetime.date(2026, 3, 1), {}) == "1 March 2026"
    assert _shown(models.TextField(), "x" * 400, {}).endswith("…")


def test_due_dates_and_evidence_are_in_the_actions_history(people, client_for):
    from wsoa.models import DueDate, Evidence

    action = ActionFactory(led_by=people.action_owner)
    due = DueDate(action=action, due=datetime.date(2027, 3, 31))
    due._history_user = people.sendops
    due.save()
    due.due = datetime.date(2027, 6, 30)
    due.save()
    Evidence.objects.create(
        action=action,
        description="Board minutes",
        link="https://example.org/minutes",
        added_by=people.action_owner,
    )
    url = reverse("wsoa:action_history", kwargs={"action_uuid": action.uuid})
    html = client_for(people.sendops).get(url).content.decode()
    assert "Due: from 31 March 2027 to 30 June 2027" in html
    assert "Created: evidence: Board minutes" in html
