"""The access log page for admins, and its download."""

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import (
    EVENTS_PER_PAGE,
    Kind,
    events_filtered,
    events_labelled,
    events_labelled_all,
    local_time,
    logs_access,
)
from send_qa.core.forms import AccessLogFilterForm
from send_qa.core.models import AccessEvent
from send_qa.core.roles import ACCESS_LOG_READERS
from send_qa.core.tables import table_download

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
        kind=chosen.get("kind") or "",
        start=chosen.get("start"),
        end=chosen.get("end"),
        account=chosen.get("account"),
    )
    return form, events


def _without_page(query: QueryDict) -> str:
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


@role_required(*ACCESS_LOG_READERS)
@require_GET
def access_log(request: SignedInRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    chosen = getattr(form, "cleaned_data", {})
    return render(
        request,
        "core/access_log.html",
        {
            "form": form,
            "page": page,
            "events": events_labelled(page.object_list),
            "account": chosen.get("account"),
            "download_query": _without_page(request.GET),
            "filter_querystring": request.GET.copy(),
        },
    )


@role_required(*ACCESS_LOG_READERS)
@require_GET
@logs_access(Kind.EXPORT, "access log")
def access_log_csv(request: SignedInRequest) -> HttpResponse:
    """The events the page's filters choose, as a CSV; filters with an error go back to the
    page, which says what is wrong, rather than giving a file of something else."""
    form, events = _filtered(request)
    if form.errors:
        return redirect(f"{reverse('core:access_log')}?{_without_page(request.GET)}")
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
    name = f"access-log-{timezone.localdate().isoformat()}"
    return table_download(EXPORT_HEADER, rows, filename=name, fmt="csv", sheet="Access log")
