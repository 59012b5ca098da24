"""Admins help people who cannot sign in, on the person's page: they reset two-factor sign-in
for someone who lost their app, and lift the lock after too many failed sign-ins."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.models import AccessEvent
from tests.conftest import authenticator_for
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind
OFFICE = "192.0.2.10"


def page_of(person) -> str:
    return reverse("core:user_detail", kwargs={"user_uuid": person.uuid})


def reset_url(person) -> str:
    return reverse("core:user_reset_two_factor", kwargs={"user_uuid": person.uuid})


def lift_url(person) -> str:
    return reverse("core:user_lift_sign_in_lock", kwargs={"user_uuid": person.uuid})


def sign_in(client, person, password=TEST_PASSWORD, address=OFFICE):
    return client.post(
        reverse("login"), {"username": person.email, "password": password}, REMOTE_ADDR=address
    )


def lock_out(person, address=OFFICE) -> Client:
    client = Client()
    for _ in range(5):
        response = sign_in(client, person, "wrong-password", address)
    assert response.status_code == 429
    return client


def admin_events(kind) -> list[tuple]:
    return list(
        AccessEvent.objects.filter(kind=kind).values_list("user__email", "record", "reference")
    )


def test_the_users_page_says_in_words_whether_two_factor_is_on_and_whether_locked_out(
    people, client_for
):
    admin = client_for(people.admin)
    html = admin.get(page_of(people.board)).content.decode()
    assert "Off: they have not chosen to use it." in html and "Not locked out." in html
    assert "Reset two-factor sign-in" not in html and "Lift the sign-in lock" not in html
    assert "Not set up yet" in admin.get(page_of(people.sendops)).content.decode()

    authenticator_for(people.board)
    lock_out(people.board)
    html = admin.get(page_of(people.board)).content.decode()
    assert "On: they enter a code from their authenticator app" in html
    assert "Locked out after too many failed sign-ins. The lock ends by itself at" in html
    assert f'href="{reset_url(people.board)}"' in html and ">Reset two-factor sign-in</a>" in html
    assert f'action="{lift_url(people.board)}"' in html and "Lift the sign-in lock" in html


def test_resetting_two_factor_removes_the_app_and_signs_the_person_out_everywhere(
    people, client_for
):
    person = people.sendops
    device = authenticator_for(person)
    TOTPDevice.objects.create(user=person, name="Half set up", confirmed=False)
    theirs = client_for(person)
    assert theirs.get(reverse("dashboard:home")).status_code == 200
    bystander = client_for(people.board)
    admin = client_for(people.admin)

    confirm = admin.get(reset_url(person)).content.decode()
    assert "Reset Sendops Person's two-factor sign-in?" in confirm
    assert "signs them out of the portal everywhere" in confirm
    response = admin.post(reset_url(person), follow=True)

    assert response.redirect_chain[-1][0] == page_of(person)
    assert "two-factor sign-in has been reset and they have been signed out" in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert theirs.get(reverse("dashboard:home"))["Location"].startswith(reverse("login"))
    assert bystander.get(reverse("dashboard:home")).status_code == 200
    assert admin.get(reverse("dashboard:home")).status_code == 200
    assert admin_events(Kind.TWO_FACTOR_RESET) == [("admin@example.org", "user", str(person.uuid))]
    # At their next sign-in they must set up a new app: the old one's codes are gone with it.
    again = Client()
    sign_in(again, person)
    setup = again.get(reverse("dashboard:home"))
    assert setup["Location"].startswith(reverse("core:two_factor_setup"))
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_admins_cannot_reset_their_own_two_factor_sign_in(people, client_for):
    authenticator_for(people.admin)
    admin = client_for(people.admin)
    assert "ask another admin" in admin.get(page_of(people.admin)).content.decode()
    response = admin.post(reset_url(people.admin), follow=True)
    assert "You cannot reset your own two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=people.admin, confirmed=True).exists()
    assert not AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_RESET).exists()


def test_lifting_the_lock_lets_the_person_sign_in_again_at_once(people, client_for):
    person = people.caseworker
    locked = lock_out(person)
    lock_out(person, address="198.51.100.20")
    html = client_for(people.admin).get(page_of(person)).content.decode()
    assert "from 2 addresses" in html

    response = client_for(people.admin).post(lift_url(person), follow=True)

    assert "The sign-in lock on Caseworker Person has been lifted" in response.content.decode()
    assert "Not locked out." in response.content.decode()
    assert not AccessAttempt.objects.filter(username=person.email).exists()
    assert sign_in(locked, person)["Location"] == reverse("dashboard:home")
    assert admin_events(Kind.SIGN_IN_LOCK_LIFTED) == [
        ("admin@example.org", "user", str(person.uuid))
    ]


def test_an_account_locked_from_every_address_says_so_and_can_be_lifted(people, client_for):
    person = people.caseworker
    client = Client()
    for n in range(20):
        sign_in(client, person, "wrong-password", address=f"203.0.113.{n}")
    admin = client_for(people.admin)
    assert "Locked out after too many failed sign-ins from every address" in (
        admin.get(page_of(person)).content.decode()
    )
    assert sign_in(Client(), person, address="198.51.100.99").status_code == 429

    admin.post(lift_url(person))

    assert sign_in(Client(), person, address="198.51.100.99")["Location"] == reverse(
        "dashboard:home"
    )


def test_lifting_when_not_locked_out_says_so(people, client_for):
    sign_in(Client(), people.caseworker, "wrong-password")
    response = client_for(people.admin).post(lift_url(people.caseworker), follow=True)
    assert "Caseworker Person was not locked out" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_lock_counts_as_the_sign_in_page_does(people, client_for):
    """Four failures, or five more than 15 minutes ago, are no lock."""
    from datetime import timedelta

    person = people.caseworker
    client = Client()
    for _ in range(4):
        sign_in(client, person, "wrong-password")
    admin = client_for(people.admin)
    assert "Not locked out." in admin.get(page_of(person)).content.decode()
    sign_in(client, person, "wrong-password")
    assert "Locked out after" in admin.get(page_of(person)).content.decode()
    attempt = AccessAttempt.objects.get()
    attempt.attempt_time -= timedelta(minutes=16)
    attempt.save()
    assert "Not locked out." in admin.get(page_of(person)).content.decode()


@pytest.mark.parametrize("role", ["sendops", "board", "auditor", "caseworker", "action_owner"])
def test_only_admins_may_reset_or_lift(people, client_for, role):
    person = people.no_role
    authenticator_for(person)
    lock_out(person)
    client = client_for(people[role])
    assert client.get(reset_url(person)).status_code == 403
    assert client.post(reset_url(person)).status_code == 403
    assert client.post(lift_url(person)).status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()
    assert sign_in(Client(), person).status_code == 429
    assert not AccessEvent.objects.filter(
        kind__in=[Kind.TWO_FACTOR_RESET, Kind.SIGN_IN_LOCK_LIFTED]
    ).exists()


def test_signing_out_when_the_session_has_already_run_out_goes_where_the_warning_said(client):
    """The timeout warning signs out at the end of the time; a session the server let go a
    moment before must not turn that into "sign in to sign out" (next=/sign-out/)."""
    from django.urls import reverse

    asked = f"{reverse('login')}?next=/audits/"
    response = client.post(reverse("logout"), {"next": asked})
    assert response.status_code == 302
    assert response["Location"] == asked
