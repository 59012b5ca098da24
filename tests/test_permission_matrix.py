"""The shared permission matrix (tests/permission_matrix.py), one request a cell: each URL name
as each role gets the answer the matrix expects, and the answer passes every check of
tests/page_checks.py that applies to it (access logged, no internal words, links that open,
a strict policy).

What a cell stands on is made once and shared, each cell's own changes rolled back after it
(tests/conftest.py built_once): the people and the case records once for the module, each
role's signed-in session once for the module, and the records a row's URL names (its kwargs
and data) once for the row's cells. Made afresh for every cell, these were a third of the
module's time."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from send_qa.core.models import AccessEvent
from tests.conftest import ROLE_PEOPLE, built_once, people_read_afresh, signed_in_client
from tests.page_checks import (
    CASE_ROLES,
    access_log_problems,
    first_role_allowed,
    internal_words_problems,
    links_problems,
    policy_problems,
)
from tests.permission_matrix import (
    ANONYMOUS,
    FAMILIES_COVERED_BY_ROWS,
    HOME,
    ROLES,
    ROWS,
    SIGN_IN,
    Row,
    case_records,
)


@pytest.fixture(scope="module")
def case_records_of_module(people_of_module, django_db_blocker) -> Iterator[None]:
    """`case_records`, made once for the module (built_once) rather than for each cell."""
    yield from built_once(django_db_blocker, lambda: case_records(people_of_module))


@pytest.fixture(scope="module")
def sessions_of_module(people_of_module, case_records_of_module, django_db_blocker):
    """Each role's session key, signed in once for the module; a cell that signs out or whose
    request moves the session's clocks changes only its own copy, rolled back after it."""

    def sign_in_everyone() -> dict[str, str]:
        cookie = settings.SESSION_COOKIE_NAME
        return {
            role: signed_in_client(people_of_module[role]).cookies[cookie].value
            for role in ROLE_PEOPLE
        }

    yield from built_once(django_db_blocker, sign_in_everyone)


class RowRecords:
    """The records of one row at a time, made in a savepoint of their own that the row's cells
    run inside and that is rolled back when the next row's cells begin."""

    def __init__(self, people_of_module, django_db_blocker) -> None:
        self.people, self.blocker = people_of_module, django_db_blocker
        self.row: Row | None = None
        self.made: tuple[dict, dict] = ({}, {})
        self.savepoint: transaction.Atomic | None = None
        with django_db_blocker.unblock():
            self.depth = len(connection.savepoint_ids)

    def of(self, row: Row) -> tuple[dict, dict]:
        if row is self.row:
            return self.made
        self.close()
        with self.blocker.unblock():
            assert len(connection.savepoint_ids) == self.depth, (
                "a row's records must be made before the cell's own transaction begins: "
                "ask for the row_records fixture before any that uses the database"
            )
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            people = people_read_afresh(self.people)
            kwargs = row.kwargs(people)  # first: a row's data may read what its kwargs made
            data = row.data(people) if callable(row.data) else row.data
            self.row, self.made = row, (kwargs, data)
        return self.made

    def close(self) -> None:
        if self.savepoint is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)
        self.row, self.savepoint = None, None


@pytest.fixture(scope="module")
def records_of_rows(sessions_of_module, people_of_module, django_db_blocker):
    records = RowRecords(people_of_module, django_db_blocker)
    yield records
    records.close()


@pytest.fixture
def row_records(row, records_of_rows) -> tuple[dict, dict]:
    """The row's kwargs and data. Asked for before the people (who need the database), so the
    row's savepoint is opened outside the cell's own transaction."""
    return records_of_rows.of(row)


@pytest.fixture
def client_as(sessions_of_module):
    def make(role: str) -> Client:
        client = Client()
        if role != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions_of_module[role]
        return client

    return make


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


CELLS = [(row, role) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(
    ("row", "role"), CELLS, ids=[f"{row.url_name}-{role}" for row, role in CELLS]
)
def test_each_role_gets_the_expected_answer(row, role, row_records, people, client_as):
    client = client_as(role)
    kwargs, data = row_records
    url = reverse(row.url_name, kwargs=kwargs)
    logged_before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = getattr(client, row.method)(url, data)
    content = b"".join(response) if response.streaming else response.content
    expected = row.status_for(role)
    if expected == SIGN_IN:
        assert response.status_code == 302, f"{url} as {role}: {response.status_code}"
        if response["Location"].startswith(reverse("admin:login")):
            response = client.get(response["Location"])  # the admin site's login hands over
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif expected == HOME:
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard:home")
    else:
        assert response.status_code == expected, f"{url} as {role}: {response.status_code}"
    problems = []
    if role in CASE_ROLES:
        written = AccessEvent.objects.filter(pk__gt=logged_before or 0)
        problems += access_log_problems(response, content, written, url, role, people[role])
    if row.method == "get" and row.is_page and expected == 200:
        html = content.decode()
        problems += internal_words_problems(html, url, role)
        if role == first_role_allowed(row):
            problems += policy_problems(response, html, row.url_name)
        problems += links_problems(html, client, url, role)  # more requests: the last check
    assert not problems, "\n".join(problems)


def _url_names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_name_has_a_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted(
        name
        for name in _url_names(get_resolver().url_patterns)
        if name not in covered and not name.startswith(FAMILIES_COVERED_BY_ROWS)
    )
    assert not missing, f"Add these URL names to tests/permission_matrix.py: {missing}"


def test_every_row_names_a_real_url():
    names = _url_names(get_resolver().url_patterns)
    assert {row.url_name for row in ROWS} <= names
