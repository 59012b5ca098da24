"""No internal words on pages (issue 20, "Minor, but everywhere"): on every page of the
permission matrix, as each role that may open it, the text a person reads names nothing of
the portal's insides: no seed documents, no file paths of its docs, no Python words, no
tracebacks, and no checksum except inside a details element where a person checks a file."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.permission_matrix import ANONYMOUS
from tests.test_links_lead_where_allowed import PAGES


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


# "None of the plans" is English; "None" standing alone as a value is Python.
INTERNAL = re.compile(r"(?i:seed 0|docs/|\.md\b|Traceback)|\b(?:None|True|False)\b(?! [a-z])")
CHECKSUM = re.compile(r"[0-9a-fA-F]{64}")
UNSEEN = {"script", "style", "template"}


class _Text(HTMLParser):
    """The text of a page as a person reads it, and the part of it outside details elements."""

    def __init__(self) -> None:
        super().__init__()
        self.unseen = 0
        self.details = 0
        self.text: list[str] = []
        self.outside_details: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.unseen += tag in UNSEEN
        self.details += tag == "details"

    def handle_endtag(self, tag: str) -> None:
        self.unseen -= tag in UNSEEN
        self.details -= tag == "details"

    def handle_data(self, data: str) -> None:
        if self.unseen:
            return
        self.text.append(data)
        if not self.details:
            self.outside_details.append(data)


def internal_words(html: str) -> list[str]:
    """Each internal word on the page, with a little of the text around it."""
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.text).split())
    found = [text[max(0, m.start() - 40) : m.end() + 40] for m in INTERNAL.finditer(text)]
    outside = " ".join(parser.outside_details)
    found += [f"checksum {match.group()}" for match in CHECKSUM.finditer(outside)]
    return found


def test_the_reader_finds_each_kind_of_internal_word() -> None:
    page = (
        "<h1>Import</h1><p>See docs/imports.md for seed 002's key.</p><p>Lead: None</p>"
        f"<p>{'A' * 64}</p><script>if (x === None) {{}}</script>"
        f"<details><summary>Checksum</summary>{'b' * 64}</details><p>none of the plans</p>"
    )
    found = internal_words(page)
    assert len(found) == 5
    assert found[-1] == f"checksum {'A' * 64}"
    assert internal_words("<p>None of the plans <a title='None'>here</a>, none yet</p>") == []


@pytest.mark.parametrize(
    ("row", "role"), PAGES, ids=[f"{row.url_name}-{role}" for row, role in PAGES]
)
def test_no_page_shows_internal_words(row, role, people, client_for) -> None:
    client = client_for(None if role == ANONYMOUS else people[role])
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
    page = client.get(url, data)
    assert page.status_code == 200
    found = internal_words(page.content.decode())
    assert not found, f"{url} as {role} shows internal words: {found}"
