"""The audit list's deep pages: read from a neighbouring audit, not by skipping rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from send_qa.core.keyset import keyset_rows
from tests.audits.factories import AuditFactory, small_template
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

URL = reverse("audits:audit_list")


def audits_assigned(n: int, *, ties: bool = False) -> list[Audit]:
    """`n` audits newest first; with `ties`, two at a time share an assigned time."""
    template = small_template()
    start = timezone.now()
    made = [
        AuditFactory(
            template=template,
            assigned_at=start - datetime.timedelta(hours=i // 2 if ties else i),
        )
        for i in range(n)
    ]
    return sorted(made, key=lambda audit: (-audit.assigned_at.timestamp(), audit.pk))


def test_pages_after_and_before_a_row_walk_the_whole_list_once_either_way():
    newest_first = audits_assigned(7, ties=True)
    rows = Audit.objects.all()
    seen, cursor, more = [], None, True
    page, more = keyset_rows(rows, "assigned_at", "after", newest_first[0], 3)
    seen = [newest_first[0], *page]
    while more:
        cursor = seen[-1]
        page, more = keyset_rows(rows, "assigned_at", "after", cursor, 3)
        seen.extend(page)
    assert seen == newest_first
    last, more = keyset_rows(rows, "assigned_at", "last", None, 3)
    assert last == newest_first[-3:] and more
    back = list(last)
    while more:
        page, more = keyset_rows(rows, "assigned_at", "before", back[0], 3)
        back = page + back
    assert back == newest_first


def test_a_deep_page_reads_no_offset():
    newest_first = audits_assigned(5)
    with CaptureQueriesContext(connection) as ctx:
        keyset_rows(Audit.objects.all(), "assigned_at", "after", newest_first[2], 2)
    assert "OFFSET" not in ctx.captured_queries[-1]["sql"].upper()


def links(html: str) -> dict[str, str]:
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'href="\?([^"]*)" rel="(prev|next)"', html)
    }


def test_sendops_walk_past_the_numbered_pages_with_the_filters_kept(
    people, client_for, monkeypatch
):
    monkeypatch.setattr("audits.views.audits.AUDITS_PER_PAGE", 2)
    monkeypatch.setattr("audits.views.audits.NUMBERED_PAGES", 2)
    newest_first = audits_assigned(7)
    client = client_for(people.sendops)
    first = client.get(URL, {"status": "not_started"})
    html = first.content.decode()
    assert "Page 1 of 4" in html and "7 audits" in html
    assert "status=not_started&page=2" in links(html)["next"]
    assert "page=last" in html
    second = client.get(f"{URL}?{links(html)['next']}").content.decode()
    beyond = links(second)["next"]
    assert beyond == f"status=not_started&after={newest_first[3].uuid}"
    third = client.get(f"{URL}?{beyond}")
    assert [a.pk for a in third.context["page"].object_list] == [a.pk for a in newest_first[4:6]]
    assert "7 audits" in third.content.decode()
    back = links(third.content.decode())["prev"]
    assert back == f"status=not_started&before={newest_first[4].uuid}"
    again = client.get(f"{URL}?{back}").context["page"].object_list
    assert [a.pk for a in again] == [a.pk for a in newest_first[2:4]]
    last = client.get(URL, {"status": "not_started", "page": "last"})
    assert [a.pk for a in last.context["page"].object_list] == [a.pk for a in newest_first[5:]]
    assert "next" not in links(last.content.decode())
    assert "Last page" in last.content.decode()


def test_pages_that_are_not_in_the_list_answer_not_found(people, client_for, monkeypatch):
    monkeypatch.setattr("audits.views.audits.AUDITS_PER_PAGE", 2)
    monkeypatch.setattr("audits.views.audits.NUMBERED_PAGES", 2)
    audits_assigned(3)
    client = client_for(people.sendops)
    assert client.get(URL, {"page": "3"}).status_code == 404  # past the numbered pages
    assert client.get(URL, {"page": "junk"}).context["page"].position == "Page 1 of 2"
    assert client.get(URL, {"after": "junk"}).status_code == 404
    assert client.get(URL, {"after": str(people.sendops.uuid)}).status_code == 404
    # An audit the filters leave out is not a place in the filtered list.
    other = AuditFactory(template=small_template(), status=Audit.Status.SUBMITTED)
    assert client.get(URL, {"status": "not_started", "after": other.uuid}).status_code == 404


def test_an_auditor_pages_their_own_audits_by_number_whatever_the_link_says(people, client_for):
    someone_elses = AuditFactory(template=small_template())
    mine = AuditFactory(template=small_template(), auditor=people.auditor)
    response = client_for(people.auditor).get(URL, {"after": str(someone_elses.uuid)})
    html = response.content.decode()
    assert mine.plan.case_reference in html
    assert someone_elses.plan.case_reference not in html


@pytest.mark.parametrize("where", ["?page=1", "?page=last", "after"])
def test_every_kind_of_page_runs_a_fixed_number_of_queries(people, client_for, monkeypatch, where):
    monkeypatch.setattr("audits.views.audits.AUDITS_PER_PAGE", 2)
    client = client_for(people.sendops)
    newest_first = audits_assigned(4)
    url = f"{URL}?after={newest_first[0].uuid}" if where == "after" else URL + where
    few = page_queries(client, url)
    audits_assigned(6)
    assert page_queries(client, url) == few
