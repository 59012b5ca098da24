"""The GOV.UK timeout warning: shown before the session ends, focus in it, Escape or "Stay
signed in" keeps the session, "Sign out" signs out, and doing nothing signs out by itself."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.core.session_timeout import LAST_SEEN_AT
from tests.browser.conftest import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING = "You’re about to be signed out"
SIGN_IN_AGAIN = re.compile(r"/sign-in/\?next=/$")  # back to where they were once signed in


def last_seen(page, ago: int | None = None) -> int:
    """The session's last-seen clock as the server holds it; moved back `ago` seconds if given."""
    key = next(
        c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = SessionStore(session_key=key)
    if ago is not None:
        session[LAST_SEEN_AT] = int(time.time()) - ago
        session.save()
    return session[LAST_SEEN_AT]


def open_with_time_left(page, url: str) -> None:
    page.goto(url)
    last_seen(page, ago=50)  # within the minute the server does not note again
    page.reload()


def test_the_warning_keeps_the_session_or_signs_out(new_page, settings):
    settings.SESSION_IDLE_TIMEOUT = 170  # 120 seconds left on opening: inside the warning
    settings.SESSION_TIMEOUT_WARNING = 121
    page = new_page(UserFactory(roles=["auditor"]))
    home = reverse("dashboard:home")
    open_with_time_left(page, home)
    dialog = page.get_by_role("dialog", name=WARNING)
    dialog.wait_for()
    assert "sign you out in 2 minutes" in dialog.inner_text()
    assert page.evaluate("document.activeElement.id") == "session-timeout"
    problems = axe_violations(page)

    before = last_seen(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.wait_for_function(
        "() => Number(localStorage.getItem('portal-session-ends-at')) > Date.now() + 160000"
    )
    assert last_seen(page) > before

    open_with_time_left(page, home)
    dialog.wait_for()
    before = last_seen(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert last_seen(page) > before
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    open_with_time_left(page, home)
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_url(SIGN_IN_AGAIN)
    page.goto(home)
    assert page.url.split("?")[0].endswith(reverse("login"))  # signed out for real
    assert not problems, "\n".join(problems)


def test_doing_nothing_signs_out_when_the_time_is_up(new_page, settings):
    settings.SESSION_IDLE_TIMEOUT = 70  # 20 seconds left on opening
    settings.SESSION_TIMEOUT_WARNING = 65
    page = new_page(UserFactory(roles=["auditor"]))
    # The page's clock, not the server's: its 20 seconds pass at once, as if the laptop's lid
    # had been shut for them. The server has seen only the real second or two, so the page's
    # own sign-out is what ends the session.
    page.clock.install()
    open_with_time_left(page, reverse("dashboard:home"))
    page.get_by_role("dialog", name=WARNING).wait_for()
    assert page.url.split("?")[0].endswith(reverse("dashboard:home"))  # still signed in
    page.clock.fast_forward("00:21")
    page.wait_for_url(SIGN_IN_AGAIN)
