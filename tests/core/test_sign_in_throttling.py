"""Sign-in throttling: 5 failures for one email address from one address lock that pair out."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from send_qa.core.models import AccessEvent
from send_qa.core.sign_in_protection import client_ip
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
HOME = "198.51.100.20"


def sign_in(client, email, password=TEST_PASSWORD, address=OFFICE):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, email, times, address=OFFICE):
    return [sign_in(client, email, "wrong-password", address) for _ in range(times)][-1]


def test_four_failures_still_show_the_form(client):
    UserFactory(email="sam@example.org")
    response = fail(client, "sam@example.org", 4)
    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()


def test_the_fifth_failure_locks_out_with_a_plain_english_page(client):
    UserFactory(email="sam@example.org")
    response = fail(client, "sam@example.org", 5)
    html = response.content.decode()
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in html
    assert "govuk-heading-l" in html
    assert "Traceback" not in html


def test_the_right_password_is_refused_while_locked_out(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)
    response = sign_in(client, "sam@example.org")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_count_whatever_the_case_of_the_email(client):
    UserFactory(email="sam@example.org")
    fail(client, "SAM@example.org", 3)
    response = fail(client, "sam@Example.org", 2)
    assert response.status_code == 429


def test_others_at_the_same_address_can_still_sign_in(client):
    UserFactory(email="sam@example.org")
    UserFactory(email="kim@example.org")
    fail(client, "sam@example.org", 5)
    response = sign_in(client, "kim@example.org")
    assert response["Location"] == reverse("dashboard:home")


def test_the_same_person_from_another_address_can_still_sign_in(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5, address=OFFICE)
    response = sign_in(client, "sam@example.org", address=HOME)
    assert response["Location"] == reverse("dashboard:home")


def test_the_lockout_ends_after_15_minutes(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=14)
    attempt.save()
    assert sign_in(client, "sam@example.org").status_code == 429
    attempt.refresh_from_db()
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    response = sign_in(client, "sam@example.org")
    assert response["Location"] == reverse("dashboard:home")


def test_a_successful_sign_in_clears_earlier_failures(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 4)
    sign_in(client, "sam@example.org")
    client.post(reverse("logout"))
    assert fail(client, "sam@example.org", 4).status_code == 200


def forwarded(header: str, remote: str = "10.0.0.1"):
    return RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR=remote)


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded("203.0.113.5")) == "203.0.113.5"
    # A client cannot choose its address by sending its own X-Forwarded-For.
    assert client_ip(forwarded("1.2.3.4, 203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(forwarded("1.2.3.4, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forwarded("203.0.113.5")) == "10.0.0.1"


def test_a_missing_header_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_spoofed_forwarded_addresses_do_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="sam@example.org")
    url = reverse("login")
    for n in range(5):
        response = client.post(
            url,
            {"username": "sam@example.org", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, {OFFICE}",
        )
    assert response.status_code == 429


def test_the_access_log_records_the_address_the_throttling_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="sam@example.org")
    client.post(
        reverse("login"),
        {"username": "sam@example.org", "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {OFFICE}",
    )
    assert AccessEvent.objects.get().address == OFFICE
