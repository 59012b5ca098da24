"""The refusal and not-found pages meet WCAG 2.2 AA and show the portal's header and a way back."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refused_and_missing_pages(new_page):
    people = make_people()
    page = new_page(people.board)
    response = page.goto(reverse("benchmarks:index"))
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    problems = axe_violations(page)
    page.get_by_role("link", name="Go to your home page").click()
    assert page.url.endswith(reverse("dashboard:home"))
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
