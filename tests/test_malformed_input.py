"""Every URL of the permission matrix, given junk in its query string, its path parameters and
its posted fields: a page (perhaps with an error message), a 400 or a 404, never a server
error. Three generated examples and two known bad ones a URL keep the suite fast."""

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.permission_matrix import ROWS, Row
from tests.strategies import checked, nasty_text

pytestmark = pytest.mark.django_db

# Every name a view reads from a query string (grep `request.GET`), and a few common ones.
QUERY_NAMES = [
    "start", "end", "term", "page", "status", "plan", "q", "sort", "order", "back", "next",
    "kind", "group", "by", "year", "service", "round", "role", "ref", "missing", "fresh",
    "checklist", "breakdown", "area", "need", "placement", "age", "team", "caseworker",
    "not_audited", "user", "person", "event", "date_from", "date_to", "number", "code",
]  # fmt: skip
PREFERRED = ["sendops", "admin", "board", "auditor", "caseworker", "action_owner", "no_role"]
BAD_DATE = "2026-13-45"


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


def _reader(row: Row) -> str | None:
    """A role that may use the URL (its expected answer is a page or a redirect on)."""
    for role in PREFERRED:
        if row.expect.get(role) in (200, 302):
            return role
    return None


def _rows(method: str) -> list[Row]:
    return [row for row in ROWS if row.method == method and _reader(row)]


GET_ROWS, POST_ROWS = _rows("get"), _rows("post")


def _url(row: Row, kwargs: dict, junk_in_path: tuple[int, str] | None) -> str:
    """The row's URL, with one path parameter replaced by junk when its converter takes it."""
    if junk_in_path and kwargs:
        name = sorted(kwargs)[junk_in_path[0] % len(kwargs)]
        try:
            return reverse(row.url_name, kwargs={**kwargs, name: junk_in_path[1]})
        except NoReverseMatch:
            pass  # the converter refuses it, so the resolver answers 404 before any view
    return reverse(row.url_name, kwargs=kwargs)


def _assert_no_server_error(response, url: str) -> None:
    assert response.status_code < 500, f"{url}: {response.status_code}"


@pytest.mark.parametrize("row", GET_ROWS, ids=[f"{r.url_name}-{i}" for i, r in enumerate(GET_ROWS)])
def test_junk_in_a_query_string_or_a_path_never_gives_a_server_error(row, people, client_for):
    client = client_for(people[_reader(row)])
    kwargs = row.kwargs(people)
    data = row.data(people) if callable(row.data) else row.data

    @checked(3)
    @given(
        query=st.fixed_dictionaries({name: nasty_text() for name in QUERY_NAMES}),
        junk_in_path=st.none() | st.tuples(st.integers(0, 5), nasty_text()),
    )
    @example(query=dict.fromkeys(QUERY_NAMES, BAD_DATE), junk_in_path=None)
    @example(query=dict.fromkeys(QUERY_NAMES, "not-a-uuid"), junk_in_path=(0, "not-a-uuid"))
    def check(query: dict, junk_in_path: tuple[int, str] | None) -> None:
        url = _url(row, kwargs, junk_in_path)
        _assert_no_server_error(client.get(url, {**query, **data}), url)

    check()


@pytest.mark.parametrize(
    "row", POST_ROWS, ids=[f"{r.url_name}-{i}" for i, r in enumerate(POST_ROWS)]
)
def test_junk_in_a_posted_field_never_gives_a_server_error(row, people, client_for):
    client = client_for(people[_reader(row)])
    kwargs = row.kwargs(people)
    data = row.data(people) if callable(row.data) else row.data
    names = sorted({*data, "plan", "term", "number", "version", "back"})

    @checked(3)
    @given(posted=st.fixed_dictionaries({name: nasty_text() for name in names}))
    @example(posted=dict.fromkeys(names, "not-a-uuid"))
    @example(posted=dict.fromkeys(names, BAD_DATE))
    def check(posted: dict) -> None:
        url = reverse(row.url_name, kwargs=kwargs)
        _assert_no_server_error(client.post(url, posted), url)

    check()


def test_a_date_that_does_not_exist_on_the_values_page_shows_the_page(people, client_for):
    from tests.permission_matrix import an_indicator_to_enter

    url = reverse("kpis:measurement_edit", kwargs=an_indicator_to_enter(people))
    response = client_for(people.sendops).get(url, {"start": BAD_DATE, "end": "2026-12-31"})
    assert response.status_code == 200
    assert "The link&#x27;s period is not a real date" in response.content.decode()


def test_starting_a_peer_moderation_of_a_plan_that_is_not_one_gives_no_server_error(
    people, client_for
):
    response = client_for(people.caseworker).post(
        reverse("audits:peer_start"), {"plan": "not-a-uuid"}
    )
    assert response.status_code == 404


def test_a_nul_character_in_a_query_string_gives_400(people, client_for):
    response = client_for(people.sendops).get(reverse("audits:skills_summary"), {"round": "a\x00"})
    assert response.status_code == 400
