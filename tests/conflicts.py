"""Checks shared by the tests of stale saves (send_qa/core/concurrency.py)."""

import html
import re

from django.http import HttpResponse


def page_version(response: HttpResponse, form: str = "form") -> str:
    """The version a page's form was built from, as the page's hidden field carries it."""
    assert response.status_code == 200, response.status_code
    found = re.findall(r'<input type="hidden" name="version" value="([^"]*)"', response.text)
    assert len(found) == 1, f"{len(found)} version fields on the page"
    assert found[0] == response.context[form]["version"].value()
    return found[0]


def assert_refused(response: HttpResponse, thing: str, current_url: str) -> None:
    """The save was refused with the one message, linking to the current version."""
    assert response.status_code == 409, response.status_code
    page = html.unescape(response.content.decode())
    assert (
        f"Someone else saved a change to this {thing} after you opened this page, "
        "so your changes have not been saved."
    ) in page
    assert f'href="{current_url}">Open the current version</a>, then make your changes' in page
