"""The access log page for admins."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import EVENTS_PER_PAGE, Kind, events_filtered
from send_qa.core.roles import ACCESS_LOG_READERS


@role_required(*ACCESS_LOG_READERS)
@require_GET
def access_log(request: SignedInRequest) -> HttpResponse:
    person = request.GET.get("person", "").strip()[:200]
    kind = request.GET.get("kind", "")
    events = events_filtered(person=person, kind=kind)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/access_log.html",
        {
            "page": page,
            "person": person,
            "kind": kind,
            "kinds": list(Kind),
            "filter_querystring": request.GET.copy(),
        },
    )
