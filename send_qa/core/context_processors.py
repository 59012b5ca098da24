import time

from django.conf import settings
from django.http import HttpRequest

from send_qa.core.navigation import items_for
from send_qa.core.roles import HISTORY_READERS
from send_qa.core.session_timeout import seconds_left
from send_qa.core.two_factor import must_use_two_factor


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    # Half-way through signing in, no link would lead anywhere but back to the code.
    signed_in = bool(user and user.is_authenticated) and not must_use_two_factor(request)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": items_for(user, request.path) if signed_in and user is not None else [],
        "may_read_history": signed_in and user is not None and user.has_role(*HISTORY_READERS),
        # What the timeout warning's script is told (templates/includes/_session_timeout.html).
        "session_seconds_left": seconds_left(request.session, int(time.time()))
        if signed_in
        else None,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
    }
