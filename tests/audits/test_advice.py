"""Professional advice: the 6-week timescale, scoring and feedback, summaries and reminders."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from audits.advice_queries import (
    advice_scoring_audits,
    lowest_lines,
    mean_score_per_line,
    timeliness,
)
from audits.forms import AdviceForm
from audits.models import Advice, AdviceReminder, AdviceStatus, Audit, TemplateItem
from audits.reminders import advice_reminders_send, reminders_due
from audits.template_io import TEMPLATE_FIXTURES, read_template_file, template_import
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AdviceFactory, AdviceServiceFactory, PlanFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 9, 7)
DUE = MONDAY + datetime.timedelta(weeks=6)  # 19 October 2026


@pytest.mark.parametrize(
    ("received", "today", "status"),
    [
        (DUE - datetime.timedelta(days=1), DUE, AdviceStatus.ON_TIME),
        (DUE, DUE + datetime.timedelta(days=30), AdviceStatus.ON_TIME),  # on the day is on time
        (DUE + datetime.timedelta(days=1), DUE + datetime.timedelta(days=1), AdviceStatus.LATE),
        (None, DUE, AdviceStatus.AWAITED),  # due today, not yet missing
        (None, DUE + datetime.timedelta(days=1), AdviceStatus.MISSING),
    ],
)
def test_timeliness_around_the_six_week_boundary(received, today, status):
    advice = AdviceFactory(requested=MONDAY, received=received)
    assert advice.due == DUE
    assert advice.status(on=today) == status
    # The SQL annotation used by lists and summaries agrees with the model.
    assert Advice.objects.with_status(on=today).get(pk=advice.pk).status == status


def test_the_form_defaults_the_due_date_and_names_mistakes():
    plan = PlanFactory(case_reference="EHC000777")
    service = AdviceServiceFactory()
    form = AdviceForm(
        {"case_reference": "ehc000777", "service": service.pk, "requested": "2026-09-07"}
    )
    assert form.is_valid(), form.errors
    advice = form.save()
    assert (advice.plan, advice.due) == (plan, DUE)
    bad = AdviceForm(
        {
            "case_reference": "EHC999",
            "service": service.pk,
            "requested": "2026-09-07",
            "due": "2026-09-01",
            "received": "2026-09-01",
        }
    )
    assert not bad.is_valid()
    assert bad.errors["case_reference"] == [
        "There is no plan with case reference EHC999. Check it, or import the plan"
    ]
    assert bad.errors["due"] == ["The date due must be on or after the date requested"]
    assert bad.errors["received"] == ["The date received must be on or after the date requested"]


@pytest.fixture
def advice_tool():
    return template_import(read_template_file(TEMPLATE_FIXTURES / "advice_writing_qa_tool.json"))[0]


def score_advice(advice, auditor, *, score, comment="", low_line=None):
    audit = Audit.objects.get(advice=advice, auditor=auditor)
    items = TemplateItem.objects.filter(section__template=audit.template)
    values = {i.pk: {"score": score, "comment": comment} for i in items}
    if low_line:
        values[items.get(code=low_line).pk] = {"score": 0, "comment": "No reasons given"}
    audit.save_answers(values=values, version=audit.edit_version())
    audit.submit(version=audit.edit_version(), by=auditor)
    return audit


def test_sendops_assign_advice_to_be_scored_and_the_service_gets_a_feedback_sheet(
    people, client_for, advice_tool
):
    advice = AdviceFactory(received=datetime.date.today())
    client = client_for(people.sendops)
    url = reverse("audits:advice_assign", kwargs={"advice_uuid": advice.uuid})
    client.post(url, {"auditor": people.auditor.pk})
    audit = Audit.objects.get(advice=advice)
    assert (audit.template, audit.auditor, audit.plan) == (advice_tool, people.auditor, advice.plan)
    score_advice(advice, people.auditor, score=3, comment="Clear", low_line="P1")
    sheet = client_for(people.auditor).get(
        reverse("audits:advice_feedback", kwargs={"advice_uuid": advice.uuid})
    )
    html = sheet.content.decode()
    assert "Total score (max 95)" in html
    assert "54 out of 95" in html  # 18 lines of 3 and one of 0
    assert "0 (No evidence)" in html and "No reasons given" in html


def test_summaries_per_service_and_term(people, advice_tool):
    ensure_academic_year(2026)
    term = Period.objects.terms().get(name__startswith="Autumn")
    psychology, therapy = (
        AdviceServiceFactory(name="EP service"),
        AdviceServiceFactory(name="Therapies", profession="health_therapies"),
    )
    requested = term.start
    due = requested + datetime.timedelta(weeks=6)
    AdviceFactory(service=psychology, requested=requested, received=due)  # on time
    AdviceFactory(service=psychology, requested=requested, received=due + datetime.timedelta(1))
    AdviceFactory(service=therapy, requested=requested)  # missing
    rows = {row.label: row for row in timeliness(term=term, on=term.end, by="service")}
    assert (rows["EP service"].on_time, rows["EP service"].late) == (1, 1)
    assert rows["EP service"].percent_on_time == 50.0
    assert (rows["Therapies"].missing, rows["Therapies"].percent_on_time) == (1, 0.0)
    by_profession = timeliness(term=term, on=term.end, by="profession")
    assert {row.label for row in by_profession} == {"Educational psychology", "Health: therapies"}

    for advice in Advice.objects.filter(service=psychology):
        Audit.objects.create(
            plan=advice.plan, advice=advice, template=advice_tool, auditor=people.auditor
        )
        score_advice(advice, people.auditor, score=4, low_line="C3")
    lines = mean_score_per_line(advice_scoring_audits(term=term))
    assert len(lines) == 19 and lines[0]["mean"] == 4.0
    assert lowest_lines(lines)[0]["item__code"] == "C3"


def test_reminders_go_once_per_stage_to_each_active_service():
    today = datetime.date(2026, 11, 24)
    service = AdviceServiceFactory(name="Paediatrics", contact_email="paeds@example.org")
    soon = AdviceFactory(service=service, requested=today - datetime.timedelta(weeks=6, days=-3))
    late = AdviceFactory(service=service, requested=today - datetime.timedelta(weeks=7))
    AdviceFactory(service=service, requested=today - datetime.timedelta(weeks=1))  # not yet
    AdviceFactory(service=service, requested=today - datetime.timedelta(weeks=7), received=today)
    AdviceFactory(service=AdviceServiceFactory(is_active=False), requested=soon.requested)

    assert advice_reminders_send(on=today) == 1
    (email,) = mail.outbox
    assert email.to == ["paeds@example.org"]
    assert email.subject == "Overdue: EHC needs assessment advice from Paediatrics"
    assert soon.plan.case_reference in email.body and late.plan.case_reference in email.body
    assert advice_reminders_send(on=today) == 0  # never the same stage twice
    # Three days later the first becomes overdue: one more reminder, for it alone.
    later = today + datetime.timedelta(days=4)
    assert advice_reminders_send(on=later) == 1
    assert soon.plan.case_reference in mail.outbox[1].body
    assert late.plan.case_reference not in mail.outbox[1].body
    assert set(AdviceReminder.objects.values_list("advice_id", "stage")) == {
        (soon.pk, "due_soon"),
        (late.pk, "overdue"),
        (soon.pk, "overdue"),
    }


def test_a_failed_email_records_nothing_so_the_next_run_tries_again():
    today = datetime.date(2026, 11, 24)
    AdviceFactory(requested=today - datetime.timedelta(weeks=7))
    failing = mock.patch("audits.reminders.email_send", side_effect=OSError("mail server down"))
    with failing, pytest.raises(OSError):
        advice_reminders_send(on=today)
    assert not AdviceReminder.objects.exists()
    assert len(reminders_due(on=today)) == 1


def test_the_daily_job_is_scheduled_and_sends(settings):
    from audits.tasks import send_advice_reminders

    schedule = settings.CELERY_BEAT_SCHEDULE["advice-reminders"]
    assert schedule["task"] == "audits.tasks.send_advice_reminders"
    AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=7))
    assert send_advice_reminders.apply().get() == 1


def test_sendops_see_the_same_list_in_the_portal(people, client_for):
    overdue = AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=7))
    html = client_for(people.sendops).get(reverse("audits:advice_reminders")).content.decode()
    assert overdue.plan.case_reference in html
    assert f"{overdue.service.name} ({overdue.service.contact_email}): 1 overdue" in html


def test_advice_pages_run_a_fixed_number_ofpage_queries(people, client_for, advice_tool):
    ensure_academic_year(2026)
    client = client_for(people.sendops)
    urls = [
        reverse("audits:advice_list"),
        reverse("audits:advice_reminders"),
        reverse("audits:advice_summary"),
    ]
    AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=7))
    AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=6, days=-3))
    few = [page_queries(client, url) for url in urls]
    for weeks in range(12):
        advice = AdviceFactory(
            service=AdviceServiceFactory(),
            requested=datetime.date.today() - datetime.timedelta(weeks=weeks),
        )
        Audit.objects.create(
            plan=advice.plan, advice=advice, template=advice_tool, auditor=people.auditor
        )
    assert [page_queries(client, url) for url in urls] == few


def test_an_auditor_sees_only_the_advice_they_score(people, client_for):
    mine, other = AdviceFactory(), AdviceFactory()
    from tests.audits.factories import small_template

    Audit.objects.create(
        plan=mine.plan, advice=mine, template=small_template(), auditor=people.auditor
    )
    client = client_for(people.auditor)
    assert client.get(reverse("audits:advice_detail", args=[mine.uuid])).status_code == 200
    assert client.get(reverse("audits:advice_detail", args=[other.uuid])).status_code == 404


def test_services_are_addressed_and_filtered_by_opaque_ids(people, client_for):
    ensure_academic_year(2026)
    ep = AdviceServiceFactory(name="EP service")
    AdviceFactory(service=ep, plan=PlanFactory(case_reference="EHC-EP"))
    AdviceFactory(plan=PlanFactory(case_reference="EHC-OTHER"))
    client = client_for(people.sendops)
    edit = reverse("audits:advice_service_edit", kwargs={"service_uuid": ep.uuid})
    assert f'href="{edit}"' in client.get(reverse("audits:advice_services")).content.decode()
    assert client.get(edit).status_code == 200
    assert client.get(f"/advice/services/{ep.pk}/").status_code == 404
    listed = client.get(reverse("audits:advice_list"), {"service": ep.uuid}).content.decode()
    assert "EHC-EP" in listed and "EHC-OTHER" not in listed
    assert f'<option value="{ep.uuid}" selected>EP service</option>' in listed
    by_number = client.get(reverse("audits:advice_list"), {"service": ep.pk}).content.decode()
    assert "EHC-EP" in by_number and "EHC-OTHER" in by_number  # a number chooses nothing
    summary = client.get(reverse("audits:advice_summary"), {"service": ep.uuid}).content.decode()
    assert f'<option value="{ep.uuid}" selected>EP service</option>' in summary
