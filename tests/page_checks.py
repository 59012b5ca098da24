"""What every answer of the permission matrix is checked for, besides its status.

`tests/test_permission_matrix.py` opens each URL name as each role once and runs every check
here that applies to the answer: opening each page again for each check (four sweeps over the
matrix, 1,234 more requests) was a tenth of the whole suite's time. Each check returns the
problems it finds, in words that name the page and the role; none means the answer passes.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

from send_qa.core.models import AccessEvent
from tests.permission_matrix import ROLES, ROWS, Row

# --- Access log (issue 21, item 4): every page that shows a case reference, every download and
# every refusal writes an access event, and no event holds a case reference itself.

# The case references the factories give (tests/audits/factories.py) and the matrix's own.
CASE_REFERENCE = re.compile(r"\bEHC(\d{6}|-MATCHING-\d+)\b")
CASE_ROLES = ["sendops", "auditor", "caseworker"]  # the roles that see case-level pages
REFUSED = AccessEvent.Kind.ACCESS_REFUSED


def access_log_problems(
    response: HttpResponse,
    content: bytes,
    written: QuerySet[AccessEvent],
    url: str,
    role: str,
    user,
) -> list[str]:
    """`written`: the access events the request wrote."""
    if response.status_code in (403, 404):
        refusals = list(written.filter(kind=REFUSED, user=user))
        if len(refusals) != 1:
            return [f"{url} as {role}: {len(refusals)} refusal events written, not 1"]
        problems = []
        if not refusals[0].details.startswith(url):
            problems.append(f"{url} as {role}: the refusal names {refusals[0].details!r}")
        if CASE_REFERENCE.search(refusals[0].details):
            problems.append(f"{url} as {role}: the refusal holds a case reference")
        return problems
    if response.status_code != 200:
        return []
    downloaded = response.has_header("Content-Disposition")
    shows_a_case = bool(CASE_REFERENCE.search(content.decode("utf-8", "replace")))
    if not (downloaded or shows_a_case):
        return []
    problems = []
    if not written.exclude(kind=REFUSED).filter(user=user).exists():
        what = "download" if downloaded else "page showing a case reference"
        problems.append(f"{url} as {role}: a {what} wrote no access event")
    for event in written:
        if CASE_REFERENCE.search(f"{event.record} {event.reference} {event.details}"):
            problems.append(f"{url} as {role}: access event {event.pk} holds a case reference")
    return problems


# --- No internal words on pages (issue 20, "Minor, but everywhere"): the text a person reads
# names nothing of the portal's insides: no seed documents, no file paths of its docs, no Python
# words, no tracebacks, and no checksum except inside a details element where a person checks
# a file.

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


def internal_words_problems(html: str, url: str, role: str) -> list[str]:
    found = internal_words(html)
    return [f"{url} as {role} shows internal words: {found}"] if found else []


# --- Never a link that leads a role into a page it may not see (issue 20, item 2): every
# internal link on a page a role may open opens for that role too.

DOWNLOADS = {row.url_name for row in ROWS if not row.is_page}
NOT_FOLLOWED = {*DOWNLOADS, "logout"}
LINK_REFUSED = {403, 404, 405}
# Links without an id in them answer the same for a role whatever the data: asked once a run.
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


def links_problems(html: str, client: Client, url: str, role: str) -> list[str]:
    """Follows each internal link on the page as the role (the same client)."""
    broken = []
    for href in internal_links(html):
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
        if status in LINK_REFUSED:
            broken.append(f"{href} ({status})")
    return [f"{url} as {role} links to pages it may not open: {broken}"] if broken else []


# --- A strict Content Security Policy on every page, and nothing inline that it would block;
# checked as the first role that may open the page.


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def first_role_allowed(row: Row) -> str | None:
    return next((role for role in ROLES if row.status_for(role) == 200), None)


def policy_problems(response: HttpResponse, html: str, url_name: str) -> list[str]:
    if not response["Content-Type"].startswith("text/html"):
        return []
    policy = directives(response["Content-Security-Policy"])
    script_src = policy.get("script-src", policy["default-src"])
    problems = [
        f"{url_name}: script-src allows {allowed}"
        for allowed in ("'unsafe-inline'", "'unsafe-eval'")
        if allowed in script_src
    ]
    if "<script>" in html:
        problems.append(f"{url_name} has an inline script")
    if " style=" in html:
        problems.append(f"{url_name} has an inline style attribute")
    if " onclick=" in html or "javascript:" in html:
        problems.append(f"{url_name} has an inline event handler or a javascript: link")
    return problems
