"""Never a link that leads a role into a page it may not see (issue 20, item 2): on every page
of the permission matrix a role may open, every internal link opens for that role too."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.permission_matrix import ANONYMOUS, ROLES, ROWS, an_exception


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


PAGES = [
    (row, role)
    for row in ROWS
    if row.method == "get" and row.is_page
    for role in ROLES
    if row.status_for(role) == 200
]
DOWNLOADS = {row.url_name for row in ROWS if not row.is_page}
NOT_FOLLOWED = {*DOWNLOADS, "logout"}
REFUSED = {403, 404, 405}
# Links without an id in them answer the same for a role whatever the data: ask once.
_answered: dict[tuple[str, str], int] = {}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        href = found.get("href") or ""
        if (
            tag == "a"
            and "download" not in found
            and href.startswith("/")
            and not href.startswith("//")
        ):
            self.hrefs.append(href)


def internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return list(dict.fromkeys(parser.hrefs))


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@pytest.mark.parametrize(
    ("row", "role"), PAGES, ids=[f"{row.url_name}-{role}" for row, role in PAGES]
)
def test_every_link_on_a_page_opens_for_the_role_that_sees_it(row, role, people, client_for):
    client = client_for(None if role == ANONYMOUS else people[role])
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
    page = client.get(url, data)
    assert page.status_code == 200
    broken = []
    for href in internal_links(page.content.decode()):
        path = urlsplit(href).path
        name = _url_name(path)
        if name is None:
            broken.append(f"{href} (no such page)")
            continue
        if name in NOT_FOLLOWED:
            continue
        key = (role, href)
        status = _answered.get(key) if not resolve(path).kwargs else None
        if status is None:
            status = client.get(href).status_code
            if not resolve(path).kwargs:
                _answered[key] = status
        if status in REFUSED:
            broken.append(f"{href} ({status})")
    assert not broken, f"{url} as {role} links to pages it may not open: {broken}"


def test_an_owner_who_does_not_read_the_scorecard_goes_back_to_their_indicators(people, client_for):
    """Saving an exception note sends its owner where they may go, as its back link does."""
    url = reverse("kpis:exception_note", kwargs=an_exception(people))
    saved = client_for(people.action_owner).post(
        url, {"happening": "More appeals", "doing": "Mediation first", "improve_by": "Summer"}
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("kpis:my_indicators")
