"""The suite's signed-in test clients (tests/conftest.py signed_in_client) carry the session a
real sign-in gives: what Django's force_login and the portal's sign-in receivers put in it."""

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from send_qa.core.session_timeout import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import authenticator_for, signed_in_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CLOCKS = {SIGNED_IN_AT, LAST_SEEN_AT}


def force_login_session(user) -> dict:
    """The session as force_login leaves it, with the two-factor step done as a person does."""
    client = Client()
    client.force_login(user)
    if user.has_role(*settings.OTP_REQUIRED_ROLES):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        session.save()
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value).get_decoded()


@pytest.mark.parametrize("role", ["sendops", "admin", "auditor", "board", "no_role"])
def test_a_test_client_holds_the_session_force_login_and_the_sign_in_receivers_make(people, role):
    person = people[role]
    twin = UserFactory(organisation=person.organisation, roles=sorted(person.roles))
    expected = force_login_session(twin)
    client = signed_in_client(person)
    made = Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value).get_decoded()

    assert made.keys() == expected.keys()
    own = {SESSION_KEY, HASH_SESSION_KEY, DEVICE_ID_SESSION_KEY}  # the twin's are its own
    assert {key: made[key] for key in made.keys() - CLOCKS - own} == {
        key: expected[key] for key in expected.keys() - CLOCKS - own
    }
    assert made[SESSION_KEY] == str(person.pk)
    assert made[HASH_SESSION_KEY] == person.get_session_auth_hash()
    assert all(abs(made[key] - expected[key]) <= 5 for key in CLOCKS)


@pytest.mark.parametrize("role", ["sendops", "auditor", "no_role"])
def test_a_test_client_opens_the_dashboard_signed_in(people, role):
    response = signed_in_client(people[role]).get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert response.wsgi_request.user == people[role]
    assert getattr(response.wsgi_request.user, "is_verified", lambda: False)() == people[
        role
    ].has_role(*settings.OTP_REQUIRED_ROLES)
