"""Signing in as each role through the real page, with the keyboard alone."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.conftest import make_people
from tests.factories import TEST_PASSWORD


def on_dashboard(url: str) -> bool:
    return urlparse(url).path == reverse("dashboard:home")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    page = new_page()
    page.goto(reverse("dashboard:home"))
    assert page.url.endswith(reverse("login") + "?next=/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(on_dashboard)
    assert page.get_by_role("heading", name=panel).is_visible()


def test_sign_in_with_the_keyboard_alone_and_errors_are_focused(new_page):
    person = make_people().sendops
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
    page.wait_for_url(on_dashboard)
    assert page.get_by_role("heading", name="Welcome, Sendops").is_visible()


def test_sign_out(new_page):
    person = make_people().board
    page = new_page(person)
    page.goto(reverse("dashboard:home"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    page.goto(reverse("dashboard:home"))
    assert "/sign-in/" in page.url
