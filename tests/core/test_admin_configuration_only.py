"""The admin site is for configuration only: nothing that holds or leads to case-level records
can be deleted there (its confirmation page lists them by case reference), and every page an
admin opens is in the access log (issue 21, item 2)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.access_log import event_label
from send_qa.core.models import AccessEvent, Period, Team, User, ensure_academic_year
from tests.audits.factories import AdviceFactory, AuditFactory, PlanFactory

CASE_LEVEL = {
    apps.get_model(label)
    for label in ("audits.Plan", "audits.Audit", "audits.Answer", "audits.Advice")
}


def leads_to_case_records(model: type[Model]) -> bool:
    """The model is case-level, or records pointing at it lead there (what deleting it would
    touch), followed through Django's own relations."""
    seen: set[type[Model]] = set()
    waiting = [model]
    while waiting:
        current = waiting.pop()
        if current in CASE_LEVEL:
            return True
        if current in seen:
            continue
        seen.add(current)
        waiting += [relation.related_model for relation in current._meta.related_objects]
    return False


REGISTERED = list(admin.site._registry)
GUARDED = [model for model in REGISTERED if leads_to_case_records(model)]


def test_the_models_that_lead_to_case_records_are_found():
    assert {Team, Period, User} <= set(GUARDED)
    assert TOTPDevice not in GUARDED


@pytest.fixture
def case_records(people):
    ensure_academic_year(2026)
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    AdviceFactory(plan=audit.plan)
    return audit


def admin_url(model: type[Model], page: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize("model", GUARDED, ids=[m._meta.label for m in GUARDED])
def test_nothing_that_leads_to_case_records_can_be_deleted(model, people, client_for, case_records):
    record = model._default_manager.first()
    assert record is not None
    client = client_for(people.admin)
    response = client.get(admin_url(model, "delete", record.pk))
    assert response.status_code == 403
    assert case_records.plan.case_reference not in response.content.decode()
    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()


def test_a_forgotten_authenticator_can_still_be_removed(people, client_for):
    device = TOTPDevice.objects.create(user=people.caseworker, name="Old phone", confirmed=True)
    response = client_for(people.admin).get(admin_url(TOTPDevice, "delete", device.pk))
    assert response.status_code == 200


def test_every_admin_page_an_admin_opens_is_logged(people, client_for):
    client = client_for(people.admin)
    url = admin_url(Team, "change", people.caseworker.team.pk)
    assert client.get(url).status_code == 200
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.ADMIN_PAGE_VIEWED)
    assert (event.user, event.record, event.details) == (people.admin, "team", url)
    assert event_label(event) == "Opened a page of the admin site: team"

    assert client.get(reverse("admin:index")).status_code == 200
    index = AccessEvent.objects.filter(kind=AccessEvent.Kind.ADMIN_PAGE_VIEWED).first()
    assert index.details == reverse("admin:index")
    assert event_label(index) == "Opened a page of the admin site"


def test_the_admin_site_refused_is_a_refusal_not_a_page_view(people, client_for):
    assert client_for(people.sendops).get(reverse("admin:index")).status_code == 403
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.ADMIN_PAGE_VIEWED).exists()
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.ACCESS_REFUSED, user=people.sendops
    ).exists()
