import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import (
    ANONYMOUS,
    FAMILIES_COVERED_BY_ROWS,
    HOME,
    ROLES,
    ROWS,
    SIGN_IN,
)


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


CELLS = [(row, role) for row in ROWS for role in ROLES]


@pytest.mark.parametrize(
    ("row", "role"), CELLS, ids=[f"{row.url_name}-{role}" for row, role in CELLS]
)
def test_each_role_gets_the_expected_answer(row, role, people, client_for):
    client = client_for(None if role == ANONYMOUS else people[role])
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
    response = getattr(client, row.method)(url, data)
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
