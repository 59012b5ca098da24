"""Sign-in throttling: 5 failures for one email address from one address lock that pair out;
20 for one email address from any addresses lock the account out everywhere."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

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


def test_the_lockout_page_says_when_to_try_again_and_who_can_lift_it(client):
    UserFactory(email="sam@example.org")
    response = fail(client, "sam@example.org", 5)
    last = AccessAttempt.objects.get().attempt_time
    until = timezone.localtime(last + timedelta(minutes=15))
    html = response.content.decode()
    assert f"You can try again after {until:%H:%M} on {until.day} {until:%B %Y}" in html
    assert "ask your portal admin to lift the lock" in html
    assert "from your network" in html


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


def test_forged_forwarded_addresses_are_ignored_by_default(client):
    """With no proxy declared, a new X-Forwarded-For at every try is one address: the caller's."""
    UserFactory(email="sam@example.org")
    url = reverse("login")
    responses = [
        client.post(
            url,
            {"username": "sam@example.org", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"10.9.{n}.{n}",
            REMOTE_ADDR=OFFICE,
        )
        for n in range(20)
    ]
    assert [r.status_code for r in responses][4:] == [429] * 16
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_a_locked_account_stays_locked_with_a_new_forged_address(client):
    UserFactory(email="sam@example.org")
    fail(client, "sam@example.org", 5)
    response = client.post(
        reverse("login"),
        {"username": "sam@example.org", "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="10.1.2.3",
        REMOTE_ADDR=OFFICE,
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_the_address_it_appended_is_counted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="sam@example.org")
    client.post(
        reverse("login"),
        {"username": "sam@example.org", "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {HOME}",
        REMOTE_ADDR="10.0.0.1",
    )
    assert AccessAttempt.objects.get().ip_address == HOME


def test_twenty_failures_from_twenty_addresses_lock_the_account_everywhere(client, settings):
    """Behind a proxy, a guesser with a new real address at every try still gets 20 guesses."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="sam@example.org")
    UserFactory(email="kim@example.org")

    def try_from(n, email="sam@example.org", right=False):
        return client.post(
            reverse("login"),
            {"username": email, "password": TEST_PASSWORD if right else "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )

    assert [try_from(n).status_code for n in range(19)] == [200] * 19
    html = try_from(19).content.decode()
    assert "from anywhere" in html and "ask your portal admin to lift the lock" in html
    assert try_from(100, right=True).status_code == 429
    assert "_auth_user_id" not in client.session
    # Other people are not locked out.
    assert try_from(101, email="kim@example.org", right=True).status_code == 302


def test_the_account_lock_ends_after_15_minutes(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="sam@example.org")
    for n in range(20):
        client.post(
            reverse("login"),
            {"username": "sam@example.org", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post(
        reverse("login"),
        {"username": "sam@example.org", "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert response["Location"] == reverse("dashboard:home")
