"""The access log page for admins, and its download."""

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import (
    EventsPage,
    Kind,
    events_filtered,
    events_labelled,
    events_labelled_all,
    events_page,
    local_time,
    logs_access,
)
from send_qa.core.forms import AccessLogFilterForm
from send_qa.core.keyset import KeysetPage
from send_qa.core.models import AccessEvent
from send_qa.core.roles import ACCESS_LOG_READERS
from send_qa.core.tables import neutralised

EXPORT_HEADER = [
    "When (UK time)",
    "When (UTC, ISO 8601)",
    "Who",
    "Email",
    "What happened",
    "Kind of record",
    "Record's reference in the portal",
    "From address",
]


def _filtered(request: SignedInRequest) -> tuple[AccessLogFilterForm, QuerySet[AccessEvent]]:
    """The filters as asked for, and the events they choose. A filter with an error is left
    out (the page says what is wrong); the others still apply."""
    form = AccessLogFilterForm(request.GET or None)
    form.is_valid()
    chosen: dict[str, Any] = getattr(form, "cleaned_data", {})
    events = events_filtered(
        person=chosen.get("person") or "",
        record=chosen.get("record") or "",
        kind=chosen.get("kind") or "",
        start=chosen.get("start"),
        end=chosen.get("end"),
        account=chosen.get("account"),
    )
    return form, events


PAGING = ("page", "before", "after")


def _without_page(query: QueryDict) -> str:
    kept = query.copy()
    for key in PAGING:
        kept.pop(key, None)
    return kept.urlencode()


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _pagination(query: QueryDict, page: EventsPage) -> KeysetPage[AccessEvent]:
    """The links to the previous and next pages, with the filters kept, and where this page is
    (its number, and of how many when the events were all counted)."""
    filters = _without_page(query)
    base = f"{filters}&" if filters else ""
    newer = f"{base}page={page.number - 1}&after={page.newer}" if page.newer else ""
    older = f"{base}page={page.number + 1}&before={page.older}" if page.older else ""
    position = f"Page {page.number}" + (f" of {page.pages}" if page.pages else "")
    return KeysetPage([], previous_query=newer, next_query=older, position=position)


@role_required(*ACCESS_LOG_READERS)
@require_GET
def access_log(request: SignedInRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = events_page(
        events,
        number=_number(request.GET.get("page")) or 1,
        older_than=_number(request.GET.get("before")),
        newer_than=_number(request.GET.get("after")),
    )
    chosen = getattr(form, "cleaned_data", {})
    return render(
        request,
        "core/access_log.html",
        {
            "form": form,
            "page": page,
            "events": events_labelled(page.events),
            "account": chosen.get("account"),
            "download_query": _without_page(request.GET),
            "pagination": _pagination(request.GET, page),
        },
    )


class _Echo:
    """A file that hands back what is written to it, for the CSV writer to stream through."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralised(name) for name in EXPORT_HEADER])
    for row in rows:
        yield writer.writerow([neutralised(value) for value in row])


@role_required(*ACCESS_LOG_READERS)
@require_GET
@logs_access(Kind.EXPORT, "access log")
def access_log_csv(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    """The events the page's filters choose, as a CSV; filters with an error go back to the
    page, which says what is wrong, rather than giving a file of something else."""
    form, events = _filtered(request)
    if form.errors:
        return redirect(f"{reverse('core:access_log')}?{_without_page(request.GET)}")
    # The file is read as it streams, after this download is itself logged: it holds the
    # events written before it was asked for, not its own.
    newest = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    events = events.filter(pk__lte=newest or 0)
    rows = (
        [
            local_time(event.at),
            event.at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
            (event.user.full_name or event.user.email) if event.user else event.username,
            event.user.email if event.user else "",
            label,
            event.record,
            event.reference,
            event.address or "",
        ]
        for event, label in events_labelled_all(events)
    )
    # Streamed a batch of events at a time, so a log of a million events never sits whole
    # in a web worker's memory; every cell neutralised as the portal's other exports are.
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    name = f"access-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
