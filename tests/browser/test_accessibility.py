"""axe-core on every page of the permission matrix, as every role that may open it."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.permission_matrix import ANONYMOUS, ROLES, ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_for(role: str) -> list:
    return [
        row for row in ROWS if row.method == "get" and row.is_page and row.status_for(role) == 200
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_has_no_wcag_violation(role, new_page):
    people = make_people()
    page = new_page(None if role == ANONYMOUS else people[role])
    problems, visited = [], 0
    for row in pages_for(role):
        response = page.goto(reverse(row.url_name, kwargs=row.kwargs(people)))
        if "json" in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, f"{row.url_name} as {role}: {response.status}"
        problems += axe_violations(page)
        visited += 1
    assert visited, f"no page was checked for {role}"
    assert not problems, "\n".join(problems)


def test_forms_showing_errors_have_no_wcag_violation(new_page):
    people = make_people()
    page = new_page()
    page.goto(reverse("login"))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems = axe_violations(page)

    page = new_page(people.admin)
    page.goto(reverse("core:user_invite"))
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
