"""A password reset link works for an hour, an invitation's for three days, each configurable;
neither kind of link opens the other's page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from send_qa.core.invitations import invitation_send, link_lifetime_words
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
EXPIRED = "This link has expired or has already been used"


@pytest.fixture
def later(monkeypatch):
    """Move the clock the links are checked by forward."""

    def move(**delta):
        moved = timezone.now().replace(tzinfo=None) + timedelta(**delta)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: moved)

    return move


def reset_link(client) -> str:
    UserFactory(email="sam@example.org")
    client.post(reverse("password_reset"), {"email": "sam@example.org"})
    return re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)


def invitation_link() -> str:
    person = UserFactory(email="new@example.org", organisation=OrganisationFactory())
    person.set_unusable_password()
    person.save()
    assert invitation_send(user_id=person.pk)
    return re.search(r"https?://[^/]+(/set-password/\S+/)", mail.outbox[-1].body).group(1)


def opens(client, link: str) -> bool:
    html = client.get(link, follow=True).content.decode()
    assert (EXPIRED in html) != ("new_password1" in html)
    return EXPIRED not in html


def test_a_reset_link_works_for_an_hour_and_says_so(client, later):
    link = reset_link(client)
    assert "the link works once and for 1 hour" in mail.outbox[-1].body
    later(minutes=59)
    assert opens(client, link)
    later(minutes=61)
    assert not opens(client, link)
    assert "This link works once and for 1 hour." in client.get(link, follow=True).content.decode()


def test_the_page_after_asking_says_how_long_the_link_works(client):
    response = client.post(reverse("password_reset"), {"email": "sam@example.org"}, follow=True)
    assert "The link works for 1 hour." in response.content.decode()


def test_an_invitation_link_still_works_for_three_days(client, later):
    link = invitation_link()
    assert "the link works once and for 3 days" in mail.outbox[-1].body
    later(days=2, hours=23)
    assert opens(client, link)
    later(days=3, minutes=1)
    assert not opens(client, link)


def test_each_lifetime_is_configurable(client, later, settings):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
    settings.INVITATION_TIMEOUT = 7 * 24 * 60 * 60
    reset = reset_link(client)
    assert "the link works once and for 2 hours" in mail.outbox[-1].body
    invitation = invitation_link()
    assert "the link works once and for 7 days" in mail.outbox[-1].body
    later(minutes=90)
    assert opens(client, reset)
    later(days=6)
    assert not opens(client, reset)
    assert opens(client, invitation)


def test_a_reset_link_does_not_open_the_set_password_page_nor_the_other_way(client):
    reset = reset_link(client)
    invitation = invitation_link()
    assert not opens(client, reset.replace("/password-reset/", "/set-password/"))
    assert not opens(client, invitation.replace("/set-password/", "/password-reset/"))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3600, "1 hour"),
        (7200, "2 hours"),
        (259200, "3 days"),
        (86400, "1 day"),
        (5400, "90 minutes"),
    ],
)
def test_a_lifetime_in_words(seconds, words):
    assert link_lifetime_words(seconds) == words
