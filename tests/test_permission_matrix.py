"""The shared permission matrix (tests/permission_matrix.py), one request a cell: each URL name
as each role gets the answer the matrix expects, and the answer passes every check of
tests/page_checks.py that applies to it (access logged, no internal words, links that open,
a strict policy)."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from send_qa.core.models import AccessEvent
from tests.conftest import built_once
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
    case_records,
)


@pytest.fixture(scope="module")
def case_records_of_module(people_of_module, django_db_blocker) -> Iterator[None]:
    """`case_records`, made once for the module (built_once) rather than for each cell."""
    yield from built_once(django_db_blocker, lambda: case_records(people_of_module))


@pytest.fixture
def people(people_shared, case_records_of_module):
    """The same people for every test of this module, made once (tests/conftest.py), and the
    case records every case-level list can show."""
    return people_shared


CELLS = [(row, role) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(
    ("row", "role"), CELLS, ids=[f"{row.url_name}-{role}" for row, role in CELLS]
)
def test_each_role_gets_the_expected_answer(row, role, people, client_for):
    client = client_for(None if role == ANONYMOUS else people[role])
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
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
