"""Signing in and managing people, given random and malicious values: a page with the errors
(or the lock-out page), never a server error, never a session or an account that should not
exist, and only valid accounts stored."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import assume, example, given
from hypothesis import strategies as st

from send_qa.core.models import User
from send_qa.core.roles import Role
from tests.conftest import authenticator_for, current_code
from tests.strategies import assert_one_saved_or_none, checked, mostly, nasty_text

pytestmark = pytest.mark.django_db

CHECKED = checked(40)


@CHECKED
@given(email=mostly(["sendops@example.org", "SENDOPS@example.org"]), password=nasty_text())
@example(email="' OR 1=1 --", password="' OR 1=1 --")
@example(email="x" * 5000, password="x" * 5000)
def test_signing_in_with_bad_details_shows_errors_and_signs_no_one_in(people, email, password):
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": password})
    assert response.status_code in (200, 429)  # 429: the pair is locked out (django-axes)
    assert "_auth_user_id" not in client.session


@CHECKED
@given(code=st.one_of(nasty_text(), st.integers(0, 999999).map(lambda n: f"{n:06d}")))
@example(code="123 456")
@example(code="１２３４５６")  # full-width digits
def test_a_wrong_security_code_shows_errors_and_verifies_no_one(people, code):
    device = authenticator_for(people.sendops)
    assume("".join(code.split()).replace("-", "") != current_code(device))
    client = Client()
    client.force_login(people.sendops)
    response = client.post(reverse("core:two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert client.get(reverse("audits:plan_list"))["Location"].startswith(
        reverse("core:two_factor_verify")
    )


@CHECKED
@given(
    email=mostly(["new.person@example.org", "not an email", "a@b"]),
    full_name=nasty_text(max_size=300),
    job_title=nasty_text(max_size=300),
    organisation=mostly(["good", "0"]),
    team=mostly(["", "0"]),
    roles=st.lists(mostly([Role.CASEWORKER, Role.AUDITOR]), max_size=3),
)
def test_inviting_someone_saves_a_valid_account_or_shows_errors(
    people, client_for, email, full_name, job_title, organisation, team, roles
):
    assert_one_saved_or_none(
        User,
        lambda: client_for(people.admin).post(
            reverse("core:user_invite"),
            {
                "email": email,
                "full_name": full_name,
                "job_title": job_title,
                "organisation": people.admin.organisation.pk
                if organisation == "good"
                else organisation,
                "team": team,
                "roles": roles,
            },
        ),
    )
    for user in User.objects.all():
        user.full_clean(exclude=["password"])


def test_an_overlong_email_address_is_refused_before_the_throttle_records_it(people):
    from axes.models import AccessAttempt

    response = Client().post(reverse("login"), {"username": "x" * 300, "password": "secret"})
    assert response.status_code == 200
    assert "Enter an email address of 254 characters or fewer" in response.content.decode()
    assert not AccessAttempt.objects.exists()
