"""Signing in with the organisation's account: the rules that need no provider (the whole
flow, against a real one, is tests/browser/test_sso_flow.py)."""

import pytest
from django.urls import reverse

from send_qa.core.sso import asserts_mfa
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amr", "more_than_a_password"),
    [
        (["pwd", "mfa"], True),
        (["mca"], True),
        (["pwd", "otp"], True),
        (["hwk", "pin"], True),
        (["fpt", "swk"], True),
        (["pwd"], False),
        (["otp"], False),
        (["pwd", "kba"], False),
        ([], False),
        (None, False),
        ("mfa", False),
    ],
)
def test_only_an_amr_of_two_factors_counts_as_two_factor_sign_in(amr, more_than_a_password):
    assert asserts_mfa(amr) is more_than_a_password


def test_without_a_provider_there_is_no_button_and_its_addresses_are_not_found(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert client.get(reverse("core:sso_start")).status_code == 404
    assert client.get(reverse("core:sso_callback")).status_code == 404


def test_a_provider_that_does_not_answer_gets_a_page_saying_so(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing answers
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "portal", "secret"
    settings.OIDC_PROVIDER_NAME = "your council account"
    assert "Sign in with your council account" in client.get(reverse("login")).content.decode()
    answer = client.get(reverse("core:sso_start"))
    assert answer.status_code == 503
    assert "Signing in with your council account is not working at the moment" in (
        answer.content.decode()
    )


def test_with_password_sign_in_off_only_the_organisation_s_account_signs_in(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "portal", "secret"
    settings.OIDC_PROVIDER_NAME = "your council account"
    settings.PASSWORD_SIGN_IN = False
    person = UserFactory(email="sam@example.org")
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page and "I have forgotten my password" not in page
    assert "Sign in with your council account" in page
    client.post(reverse("login"), {"username": person.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("password_reset")).status_code == 404


def test_the_refusal_page_without_a_refusal_says_what_may_have_happened(client):
    page = client.get(reverse("core:sso_refused")).content.decode()
    assert "did not finish: it was cancelled, it took too long, or the account was refused" in page


def test_with_password_sign_in_off_the_invitation_says_to_use_the_organisation_s_account(
    settings,
):
    from django.core import mail

    from send_qa.core.invitations import invitation_send

    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_PROVIDER_NAME = "your council account"
    settings.PASSWORD_SIGN_IN = False
    person = UserFactory(email="new@example.org")
    person.set_unusable_password()
    person.save()
    invitation_send(user_id=person.pk)
    (sent,) = mail.outbox
    assert "Sign in at http://" in sent.body and "with your council account" in sent.body
    assert "/set-password/" not in sent.body and "/set-password/" not in sent.alternatives[0][0]
