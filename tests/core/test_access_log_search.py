"""Searching the access log by person and by record, a count that stops at 1,000, pages
reached by the events either side of them (keyset pagination) and a download that streams:
so that a log of a million events is searched through its indexes, not read row by row."""

import csv
import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from send_qa.core import access_log
from send_qa.core.access_log import (
    EVENTS_PER_PAGE,
    access_record,
    events_filtered,
    events_page,
    record_reference,
)
from send_qa.core.models import AccessEvent
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind
START = datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)


def logged(user=None, kind=Kind.RECORD_VIEWED, *, minutes=0, reference="", username=""):
    """An event `minutes` after noon on 1 July 2026."""
    return AccessEvent.objects.create(
        user=user,
        username=username,
        kind=kind,
        record="audit" if reference else "",
        reference=reference,
        at=START + datetime.timedelta(minutes=minutes),
    )


def many(count, user, *, start=0, reference=""):
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=user,
            kind=Kind.RECORD_VIEWED,
            record="audit",
            reference=reference,
            at=START + datetime.timedelta(minutes=start + n),
        )
        for n in range(count)
    )


@pytest.fixture
def admin(people, client_for):
    return client_for(people.admin)


def test_a_record_reference_is_read_as_the_log_stores_it():
    record = uuid.uuid4()
    assert record_reference(f"  {str(record).upper()} ") == str(record)
    assert record_reference(record.hex) == str(record)
    assert record_reference(str(record)[:8].upper()) == str(record)[:8]
    assert record_reference("") == ""


def test_a_person_is_found_by_their_name_or_email_as_the_log_shows_them_now(people):
    sam = UserFactory(full_name="Sam Okafor", email="s.okafor@county.example")
    seen = logged(sam)
    logged(people.sendops)
    assert list(events_filtered(person="okaf")) == [seen]
    assert list(events_filtered(person="S.OKAFOR@COUNTY")) == [seen]
    sam.full_name = "Sam Reid"
    sam.save()
    assert list(events_filtered(person="reid")) == [seen]
    assert list(events_filtered(person="okafor")) == [seen]  # still by the email
    assert list(events_filtered(person="nobody at all")) == []


def test_a_failed_sign_in_is_found_by_the_username_typed_in_any_case(people):
    failed = access_record(None, Kind.SIGN_IN_FAILED, username="Mistyped.Person@Example.org")
    logged(people.sendops)
    assert list(events_filtered(person="mistyped.person")) == [failed]
    assert list(events_filtered(person="MISTYPED")) == [failed]


def test_a_record_is_found_by_its_whole_reference_or_its_first_characters(people):
    record, other = uuid.uuid4(), uuid.uuid4()
    opened = [logged(people.auditor, reference=str(record), minutes=n) for n in range(2)]
    logged(people.auditor, reference=str(other))
    newest_first = opened[::-1]
    assert list(events_filtered(record=str(record))) == newest_first
    assert list(events_filtered(record=str(record).upper())) == newest_first
    assert list(events_filtered(record=str(record)[:8])) == newest_first
    assert list(events_filtered(record="%")) == []  # a pattern's characters are only characters
    assert list(events_filtered(record=str(record), person=people.sendops.email)) == []


def test_pages_follow_on_from_the_events_either_side_and_are_not_moved_by_new_events(people):
    many(2 * EVENTS_PER_PAGE + 3, people.auditor)
    events = events_filtered(person=people.auditor.email)
    first = events_page(events)
    assert (first.number, first.pages, first.newer) == (1, 3, None)
    second = events_page(events, number=2, older_than=first.older)
    assert second.events == list(events[EVENTS_PER_PAGE : 2 * EVENTS_PER_PAGE])
    logged(people.auditor, minutes=10_000)  # a newer event does not push the pages along
    assert events_page(events, number=2, older_than=first.older).events == second.events
    third = events_page(events, number=3, older_than=second.older)
    assert (len(third.events), third.older) == (3, None)
    back = events_page(events, number=2, newer_than=third.newer)
    assert back.events == second.events and back.number == 2
    assert events_page(events, number=1, newer_than=back.newer).newer is not None  # the new one


def test_events_at_the_same_moment_are_paged_by_their_order_of_writing(people):
    at = START
    AccessEvent.objects.bulk_create(
        AccessEvent(user=people.auditor, kind=Kind.SIGN_IN, at=at)
        for _ in range(EVENTS_PER_PAGE + 5)
    )
    events = events_filtered(person=people.auditor.email)
    first = events_page(events)
    second = events_page(events, number=2, older_than=first.older)
    ids = [e.pk for e in first.events + second.events]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == EVENTS_PER_PAGE + 5


def test_the_count_stops_past_its_limit_and_pages_are_then_not_numbered_to_the_end(
    people, monkeypatch
):
    monkeypatch.setattr(access_log, "COUNTED_AT_MOST", 60)
    many(130, people.auditor)
    with CaptureQueriesContext(connection) as queries:
        page = events_page(events_filtered())
    count = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    assert "LIMIT 61" in count
    assert (page.counted, page.pages, page.count_words) == (61, None, "more than 60 events")
    # A page number alone reaches only as far as the events were counted.
    assert events_page(events_filtered(), number=50).number == 2


def test_the_page_searches_by_person_and_record_and_keeps_the_filters_in_its_links(admin, people):
    record = uuid.uuid4()
    many(EVENTS_PER_PAGE + 1, people.auditor, reference=str(record))
    logged(people.sendops, reference=str(record), minutes=500)
    logged(people.auditor, reference=str(uuid.uuid4()), minutes=600)
    query = {
        "person": people.auditor.full_name,
        "record": str(record)[:8],
        "start_0": "1",
        "start_1": "7",
        "start_2": "2026",
    }
    html = admin.get(reverse("core:access_log"), query).content.decode()
    assert f"{EVENTS_PER_PAGE + 1} events" in html and "Page 1 of 2" in html
    assert people.sendops.full_name not in html
    page = events_page(events_filtered(person=people.auditor.full_name, record=str(record)))
    filters = f"person=Auditor+Person&amp;record={str(record)[:8]}&amp;start_0=1&amp;start_1=7"
    assert f'href="?{filters}&amp;start_2=2026&amp;page=2&amp;before={page.older}"' in html
    second = admin.get(reverse("core:access_log"), {**query, "page": 2, "before": page.older})
    html = second.content.decode()
    assert "Page 2 of 2" in html and 'rel="next"' not in html
    assert "&amp;page=1&amp;after=" in html
    assert f'download.csv?{filters}&amp;start_2=2026"' in html  # the download is every page


def test_the_page_says_more_than_it_counts(admin, people, monkeypatch):
    monkeypatch.setattr(access_log, "COUNTED_AT_MOST", 60)
    many(70, people.auditor)
    html = admin.get(reverse("core:access_log"), {"person": "Auditor"}).content.decode()
    assert "More than 60 events" in html and "Page 1</p>" in html


def test_the_download_streams_every_event_the_filters_choose(admin, people):
    many(EVENTS_PER_PAGE + 2, people.auditor)
    access_record(None, Kind.SIGN_IN_FAILED, username="=HYPERLINK(1)")
    written = AccessEvent.objects.count()
    response = admin.get(reverse("core:access_log_csv"))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == 1 + written  # and not the download's own event, logged before it streams
    assert AccessEvent.objects.count() == written + 1
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]


@pytest.mark.parametrize(
    "query",
    [
        lambda people, record: {"person": "Auditor"},
        lambda people, record: {"record": record},
        lambda people, record: {"person": "mistyped"},
        lambda people, record: {},
    ],
)
def test_a_search_runs_as_many_queries_however_many_events(admin, people, query):
    record = str(uuid.uuid4())
    filters = query(people, record)
    url = f"{reverse('core:access_log')}?{urlencode(filters)}"
    many(3, people.auditor, reference=record)
    access_record(None, Kind.SIGN_IN_FAILED, username="mistyped@example.org")
    few = page_queries(admin, url)
    for n in range(5):
        many(40, UserFactory(full_name=f"Auditor Other {n}"), start=100 * n, reference=record)
    AccessEvent.objects.bulk_create(
        AccessEvent(kind=Kind.SIGN_IN_FAILED, username=f"mistyped{n}@example.org", at=START)
        for n in range(60)
    )
    assert page_queries(admin, url) == few
    first = events_page(events_filtered(**filters))
    deeper = f"{url}&page=2&before={first.older}"
    assert page_queries(admin, deeper) == few + 1  # the event the page follows on from


def _plan(events) -> str:
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        # Every way but the indexes priced out, so the plan shows whether one can serve it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_searches_by_person_and_record_are_served_by_indexes(people):
    record = str(uuid.uuid4())
    logged(people.auditor, reference=record)
    access_record(None, Kind.SIGN_IN_FAILED, username="Mistyped@Example.org")
    by_person = _plan(events_filtered(person="mistyped").order_by().values("pk")[:1001])
    assert "core_access_username_trgm_idx" in by_person and "Seq Scan" not in by_person
    by_person = _plan(events_filtered(person="Auditor").order_by().values("pk")[:1001])
    assert "core_access_user_id_7c2189_idx" in by_person or "user_id_f89f60e1" in by_person
    assert "Seq Scan" not in by_person
    by_record = _plan(events_filtered(record=record[:8]).order_by().values("pk")[:1001])
    assert "core_access_reference_idx" in by_record and "Seq Scan" not in by_record


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_an_event_is_found_through_the_index_as_soon_as_it_is_written(people):
    """What the search reads is the event's own username and the person's row as they are
    now: nothing stored beside the event that could fall behind it."""
    written = access_record(None, Kind.SIGN_IN_FAILED, username="Just.Typed@Example.org")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        assert list(events_filtered(person="just.typed")) == [written]
        people.auditor.email = "renamed.auditor@example.org"
        people.auditor.save()
        seen = logged(people.auditor)
        assert list(events_filtered(person="renamed.auditor")) == [seen]
