from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from send_qa.core.access import SignedInRequest
from send_qa.core.emails import emails_not_sent_count
from send_qa.core.models import Period
from send_qa.core.roles import EMAIL_WATCHERS, Role
from send_qa.dashboard.panels import panels_for


@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    user = request.user
    term = Period.objects.current_term()
    return render(
        request,
        "dashboard/home.html",
        {
            "panels": panels_for(user, term=term),
            "current_term": term,
            "role_labels": [Role(r).label for r in sorted(user.roles)],
            "emails_not_sent": (emails_not_sent_count() if user.has_role(*EMAIL_WATCHERS) else 0),
        },
    )
