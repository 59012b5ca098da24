"""Every page of the permission matrix that shows a case reference, every download and every
refusal writes an access event (issue 21, item 4)."""

import datetime
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from audits.peer_moderation import peer_moderation_start
from send_qa.core.models import AccessEvent
from tests.audits.factories import AdviceFactory, AuditFactory, PlanFactory
from tests.conftest import built_once
from tests.permission_matrix import ROWS, a_session, an_advice


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


# The case references the factories give (tests/audits/factories.py) and the matrix's own.
CASE_REFERENCE = re.compile(r"\bEHC(\d{6}|-MATCHING-\d+)\b")
CASE_ROLES = ["sendops", "auditor", "caseworker"]
CELLS = [(row, role) for row in ROWS for role in CASE_ROLES]
REFUSED = AccessEvent.Kind.ACCESS_REFUSED


def case_records(people) -> None:
    """Records every case-level list can show: a submitted audit of a plan of the caseworker's
    team with its review due, by the auditor; a peer moderation of another; advice the auditor
    scores and overdue advice; a moderation session."""
    plan = PlanFactory(
        team=people.caseworker.team,
        caseworker=people.caseworker,
        next_review_due=datetime.date.today() + datetime.timedelta(days=7),
    )
    audit = AuditFactory(auditor=people.auditor, plan=plan)
    audit.status = audit.Status.SUBMITTED
    audit.save()
    peer_moderation_start(plan=PlanFactory(team=people.caseworker.team), by=people.caseworker)
    an_advice(people)
    AdviceFactory(requested=datetime.date.today() - datetime.timedelta(weeks=10))
    a_session(people)


@pytest.fixture(scope="module")
def case_records_of_module(people_of_module, django_db_blocker) -> Iterator[None]:
    """`case_records`, made once for the module (built_once) rather than for each of its 575
    tests (half their time): every test starts from them and its own changes are undone."""
    yield from built_once(django_db_blocker, lambda: case_records(people_of_module))


@pytest.mark.parametrize(
    ("row", "role"),
    CELLS,
    ids=[f"{row.url_name}-{role}-{i}" for i, (row, role) in enumerate(CELLS)],
)
def test_case_level_pages_downloads_and_refusals_are_logged(
    row, role, case_records_of_module, people, client_for
):
    client = client_for(people[role])
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = getattr(client, row.method)(url, data)
    written = AccessEvent.objects.exclude(pk__in=before)
    if response.status_code in (403, 404):
        refusal = written.filter(kind=REFUSED, user=people[role]).get()
        assert refusal.details.startswith(url)
        assert not CASE_REFERENCE.search(refusal.details)
        return
    if response.status_code != 200:
        return
    downloaded = response.has_header("Content-Disposition")
    content = b"".join(response) if response.streaming else response.content
    shows_a_case = bool(CASE_REFERENCE.search(content.decode("utf-8", "replace")))
    if downloaded or shows_a_case:
        what = "download" if downloaded else "page showing a case reference"
        assert written.exclude(kind=REFUSED).filter(user=people[role]).exists(), (
            f"{url} as {role}: a {what} wrote no access event"
        )
        for event in written:
            assert not CASE_REFERENCE.search(f"{event.record} {event.reference} {event.details}")


def test_a_refusal_names_the_path_and_who_never_the_query(people, client_for):
    client = client_for(people.caseworker)
    response = client.get(reverse("audits:findings"), {"q": "EHC000123"})
    assert response.status_code == 403
    event = AccessEvent.objects.get(kind=REFUSED)
    assert event.user == people.caseworker
    assert event.details == f"{reverse('audits:findings')} (no right to it)"


def test_an_address_the_portal_does_not_have_is_not_a_refusal(people, client_for):
    assert client_for(people.caseworker).get("/no-such-page/").status_code == 404
    assert not AccessEvent.objects.filter(kind=REFUSED).exists()
