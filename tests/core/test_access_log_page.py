"""The access log page and its download: filtered by person, kind and UK dates, in UK time,
each event a sentence; the download is itself logged."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from send_qa.core.access_log import EVENTS_PER_PAGE
from send_qa.core.models import AccessEvent

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind


def logged(user, kind, record="", at="2026-07-01T12:00:00+00:00", reference=""):
    return AccessEvent.objects.create(
        user=user,
        kind=kind,
        record=record,
        reference=reference,
        at=datetime.datetime.fromisoformat(at),
    )


def dates(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


@pytest.fixture
def admin(people, client_for):
    return client_for(people.admin)


def test_times_are_shown_in_uk_time_with_the_date_and_events_as_sentences(admin, people):
    logged(people.sendops, Kind.EXPORT, "scorecard", at="2026-07-01T12:00:00+00:00")
    logged(people.auditor, Kind.RECORD_VIEWED, "audit", at="2026-12-01T09:05:00+00:00")
    html = admin.get(reverse("core:access_log"), {"kind": Kind.EXPORT}).content.decode()
    assert "1 Jul 2026 13:00:00 BST" in html
    assert '<td class="govuk-table__cell">Exported the scorecard</td>' in html
    html = admin.get(reverse("core:access_log"), {"kind": Kind.RECORD_VIEWED}).content.decode()
    assert "1 Dec 2026 09:05:00 GMT" in html
    assert '<td class="govuk-table__cell">Opened the audit</td>' in html


def test_the_log_is_filtered_by_date_and_the_filters_stay_on_every_page(admin, people):
    for _ in range(EVENTS_PER_PAGE + 1):
        logged(people.sendops, Kind.EXPORT, "audits", at="2026-07-02T12:00:00+00:00")
    logged(people.sendops, Kind.EXPORT, "scorecard", at="2026-07-05T12:00:00+00:00")
    query = {**dates("start", datetime.date(2026, 7, 1)), **dates("end", datetime.date(2026, 7, 3))}
    html = admin.get(reverse("core:access_log"), query).content.decode()
    assert f"{EVENTS_PER_PAGE + 1} events" in html and "Exported the scorecard" not in html
    assert "start_0=1&amp;start_1=7&amp;start_2=2026&amp;end_0=3" in html
    html = admin.get(reverse("core:access_log"), {**query, "page": 2}).content.decode()
    assert "Page 2 of 2" in html and "Exported the scorecard" not in html


@pytest.mark.parametrize(
    ("query", "link", "message"),
    [
        (
            {"start_0": "31", "start_1": "2", "start_2": "2026"},
            "id_start_0",
            "The date to show events from must be a real date",
        ),
        (
            {"end_0": "4", "end_1": "", "end_2": "2026"},
            "id_end_1",
            "The date to show events to must include a month",
        ),
        (
            {
                **dates("start", datetime.date(2026, 7, 3)),
                **dates("end", datetime.date(2026, 7, 1)),
            },
            "id_end_0",
            "The date to show events to must be the same as or after the date from",
        ),
        ({"kind": "nonsense"}, "id_kind", "Select what happened from the list"),
    ],
)
def test_a_wrong_filter_is_named_in_the_error_summary(admin, query, link, message):
    response = admin.get(reverse("core:access_log"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#{link}">{message}</a>' in html
    assert "<title>Error: Access log" in html
    assert "Download as CSV" not in html


def test_the_download_is_the_filtered_log_in_uk_time_and_is_itself_logged(admin, people):
    logged(people.sendops, Kind.EXPORT, "scorecard", at="2026-07-01T12:00:00+00:00")
    logged(people.auditor, Kind.RECORD_VIEWED, "audit", at="2026-07-01T13:00:00+00:00")
    query = {"kind": Kind.EXPORT, **dates("start", datetime.date(2026, 7, 1))}
    page = admin.get(reverse("core:access_log"), query).content.decode()
    assert 'href="/access-log/download.csv?kind=export&amp;start_0=1' in page
    response = admin.get(reverse("core:access_log_csv"), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:5] == [
        "When (UK time)",
        "When (UTC, ISO 8601)",
        "Who",
        "Email",
        "What happened",
    ]
    assert rows[1:] == [
        [
            "1 Jul 2026 13:00:00 BST",
            "2026-07-01T12:00:00+00:00",
            people.sendops.full_name,
            people.sendops.email,
            "Exported the scorecard",
            "scorecard",
            "",
            "",
        ]
    ]
    download = AccessEvent.objects.filter(kind=Kind.EXPORT, record="access log").get()
    assert download.user == people.admin


def test_a_download_with_a_wrong_filter_goes_back_to_the_page_and_is_not_logged(admin):
    query = {"start_0": "31", "start_1": "2", "start_2": "2026"}
    response = admin.get(reverse("core:access_log_csv"), query)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:access_log')}?start_0=31&start_1=2&start_2=2026"
    assert not AccessEvent.objects.filter(record="access log").exists()


def test_a_persons_page_links_to_their_history_in_the_log(admin, people):
    person = people.board
    page = admin.get(
        reverse("core:user_detail", kwargs={"user_uuid": person.uuid})
    ).content.decode()
    history = f"{reverse('core:access_log')}?account={person.uuid}"
    assert f'href="{history}"' in page
    logged(person, Kind.SIGN_IN)
    logged(people.admin, Kind.ACCOUNT_DEACTIVATED, "user", reference=str(person.uuid))
    logged(people.sendops, Kind.SIGN_IN)
    html = admin.get(history).content.decode()
    assert "2 events" in html
    assert f"Deactivated the account of {person.full_name}" in html
    assert f"Back to {person.full_name}" in html
