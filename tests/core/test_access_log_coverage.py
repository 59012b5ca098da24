"""Refusals and addresses the portal does not have, in the access log (issue 21, item 4).

That every page of the permission matrix that shows a case reference, every download and every
refusal writes an access event is checked cell by cell in tests/test_permission_matrix.py
(tests/page_checks.py, `access_log_problems`), in the same request as the cell's answer."""

import pytest
from django.urls import reverse

from send_qa.core.models import AccessEvent

REFUSED = AccessEvent.Kind.ACCESS_REFUSED


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


def test_a_refusal_names_the_path_and_who_never_the_query(people, client_for):
    client = client_for(people.caseworker)
    response = client.get(reverse("audits:findings"), {"q": "EHC000123"})
    assert response.status_code == 403
    event = AccessEvent.objects.get(kind=REFUSED)
    assert event.user == people.caseworker
    assert event.details == f"{reverse('audits:findings')} (no right to it)"


def test_an_address_the_portal_does_not_have_is_not_a_refusal(people, client_for):
    assert client_for(people.caseworker).get("/no-such-page/").status_code == 404
    assert not AccessEvent.objects.filter(kind=REFUSED).exists()
