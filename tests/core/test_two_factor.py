"""Two-factor sign-in: required of admins and SENDOPS on every page, a choice for the rest."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import authenticator_for, current_code
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = reverse("core:two_factor_verify")
SET_UP = reverse("core:two_factor_setup")


def sign_in_with_password(client, person, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": person.email, "password": TEST_PASSWORD})


def sign_in_fully(client, person, code):
    sign_in_with_password(client, person)
    return client.post(VERIFY, {"code": code})


def test_an_admin_is_asked_for_a_code_after_the_password(client, people):
    authenticator_for(people.admin)
    response = client.get(sign_in_with_password(client, people.admin)["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Security code" in page
    assert "Enter the 6-digit code from your authenticator app." in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page


@pytest.mark.parametrize("role", ["admin", "sendops"])
def test_every_page_needs_the_code_first(client, people, role):
    person = people[role]
    authenticator_for(person)
    sign_in_with_password(client, person)
    for url in [reverse("dashboard:home"), reverse("core:user_list"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    response = client.post(reverse("audits:assign"), {})
    assert response["Location"].startswith(VERIFY)


def test_the_right_code_lets_the_admin_in_with_a_new_session_key(client, people):
    device = authenticator_for(people.admin)
    sign_in_with_password(client, people.admin, next_url=reverse("core:user_list"))
    before = client.session.session_key
    response = client.post(
        f"{VERIFY}?next={reverse('core:user_list')}", {"code": current_code(device)}
    )
    assert response["Location"] == reverse("core:user_list")
    assert client.session.session_key != before
    assert client.get(reverse("core:user_list")).status_code == 200


def test_a_code_works_once_only(client, people):
    device = authenticator_for(people.admin)
    code = current_code(device)
    assert sign_in_fully(client, people.admin, code)["Location"] == reverse("dashboard:home")
    client.post(reverse("logout"))
    response = sign_in_fully(client, people.admin, code)
    assert response.status_code == 200
    assert "has already been used" in response.content.decode()
    assert client.get(reverse("dashboard:home"))["Location"].startswith(VERIFY)


def test_a_wrong_code_shows_an_error_summary(client, people):
    authenticator_for(people.sendops)
    response = sign_in_fully(client, people.sendops, "000000")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error: Enter your security code" in html
    assert "The security code is not right" in html


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the security code"), ("12345", "Enter the security code as 6 numbers")],
)
def test_a_missing_or_malformed_code_is_named(client, people, code, message):
    authenticator_for(people.sendops)
    assert message in sign_in_fully(client, people.sendops, code).content.decode()


def test_repeated_wrong_codes_are_slowed_down(client, people):
    device = authenticator_for(people.sendops)
    sign_in_with_password(client, people.sendops)
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "Wait a minute, then try again" in response.content.decode()


def test_an_admin_without_an_app_is_sent_to_set_one_up(client, people):
    sign_in_with_password(client, people.admin)
    response = client.get(reverse("dashboard:home"))
    assert response["Location"] == f"{SET_UP}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=people.admin)
    assert not device.confirmed
    assert '<svg role="img" aria-label="QR code' in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]
    secret = page.split('<code id="secret-key">')[1].split("</code>")[0]
    assert len(secret.replace(" ", "")) == 32


def test_setting_up_needs_a_right_code_from_the_new_app(client, people):
    sign_in_with_password(client, people.admin)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=people.admin)
    assert client.post(SET_UP, {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    wait_out_the_slow_down(device)
    response = client.post(f"{SET_UP}?next=%2F", {"code": current_code(device)})
    assert response["Location"] == reverse("dashboard:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard:home")).status_code == 200


def wait_out_the_slow_down(device):
    """A wrong code makes the next try wait a moment: pretend the moment has passed."""
    device.throttling_failure_timestamp -= timedelta(minutes=1)
    device.save()


def test_a_second_app_cannot_be_added_with_the_password_alone(client, people):
    authenticator_for(people.admin)
    sign_in_with_password(client, people.admin)
    response = client.get(SET_UP)
    assert response["Location"].startswith(VERIFY)
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=people.admin).count() == 1


def test_people_in_other_roles_need_no_code(client, people):
    sign_in_with_password(client, people.board)
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_anyone_may_choose_two_factor_and_then_needs_it(client, people):
    sign_in_with_password(client, people.board)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=people.board)
    client.post(SET_UP, {"code": current_code(device)})
    assert "Two-factor sign-in is on" in client.get(SET_UP).content.decode()
    client.post(reverse("logout"))
    sign_in_with_password(client, people.board)
    assert client.get(reverse("dashboard:home"))["Location"].startswith(VERIFY)


def test_sign_out_works_half_way_through_signing_in(client, people):
    authenticator_for(people.admin)
    sign_in_with_password(client, people.admin)
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_code_page_offers_no_navigation(client, people):
    authenticator_for(people.admin)
    sign_in_with_password(client, people.admin)
    assert "govuk-service-navigation__list" not in client.get(VERIFY).content.decode()


def test_next_never_leads_off_the_portal(client, people):
    device = authenticator_for(people.admin)
    sign_in_with_password(client, people.admin)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": current_code(device)})
    assert response["Location"] == reverse("dashboard:home")


def test_the_totp_codes_are_standard(people):
    """An authenticator app computes the same code from the secret shown on set-up."""
    device = authenticator_for(people.admin)
    assert current_code(device) == f"{TOTP(device.bin_key).token():06d}"
