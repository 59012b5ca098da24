"""Signing in as each role through the real page, with the keyboard alone."""

from base64 import b32decode
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import authenticator_for, current_code, make_people
from tests.factories import TEST_PASSWORD


def on_dashboard(url: str) -> bool:
    return urlparse(url).path == reverse("dashboard:home")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enter_security_code(page, device):
    page.wait_for_url(lambda url: urlparse(url).path == reverse("core:two_factor_verify"))
    page.get_by_label("Security code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize(
    ("role", "panel"),
    [
        ("admin", "People and access"),
        ("sendops", "EHC plan audits this term"),
        ("board", "Termly report"),
        ("auditor", "Audits assigned to you"),
        ("caseworker", "Your team's plans"),
        ("action_owner", "Actions you lead"),
    ],
)
def test_each_role_signs_in_and_sees_its_dashboard(role, panel, new_page):
    person = make_people()[role]
    device = authenticator_for(person) if person.has_role(*settings.OTP_REQUIRED_ROLES) else None
    page = new_page()
    page.goto(reverse("dashboard:home"))
    assert page.url.endswith(reverse("login") + "?next=/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device:
        enter_security_code(page, device)
    page.wait_for_url(on_dashboard)
    expect(page.get_by_role("heading", name=panel)).to_be_visible()


def test_sign_in_with_the_keyboard_alone_and_errors_are_focused(new_page):
    person = make_people().sendops
    device = authenticator_for(person)
    page = new_page()
    page.goto(reverse("login"))
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.get_by_label("Email address").focus()
    page.keyboard.press("Enter")  # submit empty
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    # GOV.UK Frontend's JavaScript moves focus to the summary once it has loaded.
    page.wait_for_function(
        "document.activeElement.classList.contains('govuk-error-summary')", timeout=5_000
    )
    assert "Enter your email address" in summary.inner_text()
    page.get_by_label("Email address").fill(person.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == reverse("core:two_factor_verify"))
    page.get_by_label("Security code").focus()
    page.keyboard.type(current_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(on_dashboard)
    expect(page.get_by_role("heading", name="Welcome, Sendops")).to_be_visible()


def test_sign_out(new_page):
    person = make_people().board
    page = new_page(person)
    page.goto(reverse("dashboard:home"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    page.goto(reverse("dashboard:home"))
    assert "/sign-in/" in page.url


def test_an_admin_sets_up_two_factor_sign_in_at_first_sign_in(new_page):
    """The key shown as text is what an authenticator app needs to make the codes."""
    person = make_people().admin
    page = new_page()
    page.goto(reverse("login"))
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlparse(url).path == reverse("core:two_factor_setup"))
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
    page.get_by_label("Security code").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(on_dashboard)
    expect(page.get_by_text("Two-factor sign-in is set up")).to_be_visible()


def test_pages_obey_the_content_security_policy(new_page):
    """GOV.UK Frontend still runs: its JavaScript is served from the portal, not inline."""
    page = new_page(make_people().board)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(reverse("dashboard:home"))
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert blocked == []
