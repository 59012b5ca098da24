import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_signs_in_with_email_whatever_its_case(client):
    UserFactory(email="sam@example.org")
    response = sign_in(client, "SAM@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_wrong_password_shows_an_error_summary(client):
    UserFactory(email="sam@example.org")
    response = sign_in(client, "sam@example.org", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password." in html
    assert "<title>Error: Sign in" in html


def test_empty_form_names_each_missing_field(client):
    html = client.post(reverse("login"), {}).content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_deactivated_people_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = sign_in(client, "gone@example.org")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_starts_a_new_session(client):
    UserFactory(email="sam@example.org")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    sign_in(client, "sam@example.org")
    assert client.session.session_key != before


def test_sign_out_needs_a_post_and_ends_the_session(client, people, client_for):
    client = client_for(people.sendops)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_password_reset_emails_a_working_link(client):
    user = UserFactory(email="sam@example.org")
    response = client.post(reverse("password_reset"), {"email": "sam@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-much-longer-new-password"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_policy_rejects_short_passwords(client):
    UserFactory(email="sam@example.org")
    client.post(reverse("password_reset"), {"email": "sam@example.org"})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
