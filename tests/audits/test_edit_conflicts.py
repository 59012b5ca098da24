"""A save of an advice request or a moderation session based on an out-of-date page is refused,
with a link to the current version; the colleague's change is kept."""

import datetime

import pytest
from django.urls import reverse

from audits.models import Advice, AdviceService, ModerationSession
from tests.audits.factories import AdviceFactory, AdviceServiceFactory, ModerationSessionFactory
from tests.conflicts import assert_refused, page_version
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def advice_data(advice, received):
    return {
        "case_reference": advice.plan.case_reference,
        "service": advice.service.pk,
        "requested": advice.requested.isoformat(),
        "due": advice.due.isoformat(),
        "received": received,
    }


def test_a_stale_save_of_an_advice_request_is_refused(people, client_for):
    advice = AdviceFactory()
    url = reverse("audits:advice_edit", kwargs={"advice_uuid": advice.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    colleague_received = advice.requested + datetime.timedelta(days=3)
    Advice.objects.filter(pk=advice.pk).update(received=colleague_received)
    mine = (advice.requested + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {**advice_data(advice, mine), "version": opened})
    assert_refused(response, "advice request", url)
    advice.refresh_from_db()
    assert advice.received == colleague_received
    fresh = {**advice_data(advice, mine), "version": page_version(client.get(url))}
    assert client.post(url, fresh).status_code == 302
    advice.refresh_from_db()
    assert advice.received.isoformat() == mine


def session_data(session, sample_size, members):
    return {
        "date": session.date.isoformat(),
        "term": session.term.pk,
        "pool": session.pool,
        "sample_size": sample_size,
        "exclude_months": session.exclude_months,
        "members": [m.pk for m in members],
    }


def test_a_stale_save_of_a_moderation_session_is_refused_even_when_only_its_members_changed(
    people, client_for
):
    first, second = UserFactory(roles=["auditor"]), UserFactory(roles=["auditor"])
    session = ModerationSessionFactory(members=[first], sample_size=8)
    url = reverse("audits:moderation_edit", kwargs={"session_uuid": session.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    session.members.add(second)  # a colleague adds a member
    response = client.post(url, {**session_data(session, 10, [first]), "version": opened})
    assert_refused(response, "moderation session", url)
    session.refresh_from_db()
    assert session.sample_size == 8 and set(session.members.all()) == {first, second}
    fresh = page_version(client.get(url))
    response = client.post(url, {**session_data(session, 10, [first]), "version": fresh})
    assert response.status_code == 302
    assert ModerationSession.objects.get(pk=session.pk).sample_size == 10


def test_a_stale_save_of_a_contributing_service_is_refused(people, client_for):
    service = AdviceServiceFactory(name="Educational psychology")
    url = reverse("audits:advice_service_edit", kwargs={"service_uuid": service.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    AdviceService.objects.filter(pk=service.pk).update(contact_email="new-team@example.org")
    posted = {
        "name": "Educational psychology",
        "profession": service.profession,
        "contact_email": "old-team@example.org",
        "is_active": "on",
    }
    response = client.post(url, {**posted, "version": opened})
    assert_refused(response, "service", url)
    service.refresh_from_db()
    assert service.contact_email == "new-team@example.org"
    assert client.post(url, {**posted, "version": page_version(client.get(url))}).status_code == 302
    service.refresh_from_db()
    assert service.contact_email == "old-team@example.org"
