"""Pages that may show case-level records are never kept in a cache."""

import pytest
from django.urls import reverse

from tests.audits.factories import AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_sent_with_no_store(people, client_for):
    plan = PlanFactory(team=people.caseworker.team)
    audit = AuditFactory(auditor=people.auditor, plan=plan)
    pages = [
        (people.sendops, reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid})),
        (people.auditor, reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})),
        (people.sendops, reverse("audits:export_csv")),
        (people.board, reverse("dashboard:home")),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, url
