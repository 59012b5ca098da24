"""The timeout warning's "Stay signed in": a POST that starts the session's idle clock again,
answered in JSON; refused without the CSRF token; and the page tells its script the time left."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from send_qa.core.session_timeout import LAST_SEEN_AT, SIGNED_IN_AT
from tests.conftest import signed_in_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
URL = reverse("core:session_stay_signed_in")


def move_clocks(client, **ago):
    session = client.session
    for key, seconds in ago.items():
        session[key] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def signed_in():
    return signed_in_client(UserFactory(roles=["auditor"]))


def test_staying_signed_in_starts_the_idle_clock_again(signed_in, settings):
    move_clocks(signed_in, last_seen_at=25 * MINUTE, signed_in_at=25 * MINUTE)
    response = signed_in.post(URL, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert int(time.time()) - signed_in.session[LAST_SEEN_AT] < 5
    assert response.json()["seconds_left"] >= settings.SESSION_IDLE_TIMEOUT - 5
    # Ten minutes on, 35 minutes after the last page, the session still holds.
    session = signed_in.session
    session[LAST_SEEN_AT] -= 10 * MINUTE
    session.save()
    assert signed_in.get(reverse("dashboard:home")).status_code == 200


def test_the_12_hours_since_sign_in_still_hold(signed_in, settings):
    move_clocks(signed_in, signed_in_at=settings.SESSION_ABSOLUTE_TIMEOUT - 2 * MINUTE)
    left = signed_in.post(URL, headers={"accept": "application/json"}).json()["seconds_left"]
    assert 2 * MINUTE - 5 <= left <= 2 * MINUTE


def test_too_late_to_stay_signed_in_is_told_so_in_json(signed_in):
    move_clocks(signed_in, last_seen_at=31 * MINUTE)
    response = signed_in.post(URL, headers={"accept": "application/json"})
    assert response.status_code == 401
    assert SIGNED_IN_AT not in signed_in.session


def test_staying_signed_in_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in_client(UserFactory(roles=["auditor"])).cookies
    assert client.post(URL, headers={"accept": "application/json"}).status_code == 403
    page = client.get(reverse("dashboard:home")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(URL, headers={"accept": "application/json", "x-csrftoken": token})
    assert response.status_code == 200


def test_a_get_changes_nothing(signed_in):
    assert signed_in.get(URL).status_code == 405


def test_each_page_tells_the_warning_how_long_is_left(signed_in, settings):
    # Within the minute the server does not note again, the time left counts from the last note.
    move_clocks(signed_in, last_seen_at=40)
    page = signed_in.get(reverse("dashboard:home")).content.decode()
    left = int(page.split('data-seconds-left="')[1].split('"')[0])
    assert settings.SESSION_IDLE_TIMEOUT - 40 - 5 <= left <= settings.SESSION_IDLE_TIMEOUT - 40
    assert f'data-warning-seconds="{settings.SESSION_TIMEOUT_WARNING}"' in page
    assert f'data-stay-url="{URL}"' in page


def test_a_page_signed_out_has_no_warning(client):
    assert "session-timeout" not in client.get(reverse("login")).content.decode()
