"""Sessions end after 30 minutes unused and 12 hours in all, and when the person's access ends."""

import time

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from send_qa.core.models import User
from send_qa.core.session_timeout import LAST_SEEN_AT, SIGNED_IN_AT
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE


def move_clocks(client, **seconds_ago):
    """Pretend the session's clocks were set this many seconds earlier than they were."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="sam@example.org")
    client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    return client


def test_signing_in_starts_both_clocks(signed_in):
    now = int(time.time())
    assert now - signed_in.session[SIGNED_IN_AT] < 5
    assert now - signed_in.session[LAST_SEEN_AT] < 5


def test_29_minutes_unused_keeps_the_session(signed_in):
    move_clocks(signed_in, last_seen_at=29 * MINUTE, signed_in_at=29 * MINUTE)
    assert signed_in.get(reverse("dashboard:home")).status_code == 200
    assert int(time.time()) - signed_in.session[LAST_SEEN_AT] < 5


def test_31_minutes_unused_ends_the_session(signed_in):
    move_clocks(signed_in, last_seen_at=31 * MINUTE, signed_in_at=31 * MINUTE)
    response = signed_in.get(reverse("dashboard:home"))
    assert signed_out(response)
    page = signed_in.get(response["Location"]).content.decode()
    assert "had not used the portal for 30 minutes" in page
    assert signed_out(signed_in.get(reverse("dashboard:home")))


def test_using_the_portal_keeps_the_session_going(signed_in):
    for _ in range(3):
        move_clocks(signed_in, last_seen_at=20 * MINUTE)
        assert signed_in.get(reverse("dashboard:home")).status_code == 200


def test_12_hours_after_signing_in_the_session_ends_even_when_in_use(signed_in):
    move_clocks(signed_in, signed_in_at=11 * HOUR + 59 * MINUTE, last_seen_at=MINUTE)
    assert signed_in.get(reverse("dashboard:home")).status_code == 200
    move_clocks(signed_in, signed_in_at=12 * HOUR + MINUTE, last_seen_at=MINUTE)
    response = signed_in.get(reverse("dashboard:home"))
    assert signed_out(response)
    assert "more than 12 hours ago" in signed_in.get(response["Location"]).content.decode()


def test_the_session_cookie_lasts_no_longer_than_12_hours(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * HOUR


def test_deactivating_someone_ends_their_sessions(signed_in):
    user = User.objects.get(email="sam@example.org")
    user.is_active = False
    user.save()
    assert signed_out(signed_in.get(reverse("dashboard:home")))


def test_changing_the_password_ends_other_sessions(signed_in):
    user = User.objects.get(email="sam@example.org")
    user.set_password("a-brand-new-long-password")
    user.save()
    assert signed_out(signed_in.get(reverse("dashboard:home")))


def test_a_password_reset_ends_every_session(signed_in):
    user = User.objects.get(email="sam@example.org")
    other = Client()
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form = other.get(link, follow=True)
    new = "a-brand-new-long-password"
    other.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert signed_out(signed_in.get(reverse("dashboard:home")))


def test_a_script_whose_session_ended_is_told_so_in_json_not_sent_to_sign_in(signed_in):
    move_clocks(signed_in, last_seen_at=31 * MINUTE, signed_in_at=31 * MINUTE)
    response = signed_in.get(reverse("dashboard:home"), headers={"accept": "application/json"})
    assert response.status_code == 401
    assert "signed out" in response.json()["message"]
    assert signed_out(signed_in.get(reverse("dashboard:home")))  # a page still goes to sign-in
