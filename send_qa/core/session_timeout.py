"""Sessions end after SESSION_IDLE_TIMEOUT unused and SESSION_ABSOLUTE_TIMEOUT in all, and
when an admin ends them (end_sessions).

Both clocks live in the session itself: the time of sign-in and the time the
person was last seen, in whole seconds since the epoch.
"""

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

if TYPE_CHECKING:
    from send_qa.core.models import User

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Recording every request would write the session every time; once a minute is close enough.
LAST_SEEN_PRECISION = 60


def start_session_clocks(
    sender: type["User"], request: HttpRequest, user: "User", **kwargs: Any
) -> None:
    """Connected to user_logged_in: both clocks start at sign-in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def end_sessions(user: "User") -> int:
    """Sign the person out everywhere at once; returns how many sessions ended.

    Sessions are kept in the database (Django's default engine) and name their user only
    inside their encoded data, so each live one is read. Deactivating someone or changing
    their password needs none of this: Django refuses those sessions at their next request.
    """
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def seconds_left(session: SessionBase, now: int) -> int:
    """How long the session has before either clock runs out, for the timeout warning."""
    idle: int = settings.SESSION_IDLE_TIMEOUT - (now - session.get(LAST_SEEN_AT, now))
    absolute: int = settings.SESSION_ABSOLUTE_TIMEOUT - (now - session.get(SIGNED_IN_AT, now))
    return max(0, min(idle, absolute))


def stay_signed_in(session: SessionBase, now: int) -> int:
    """The person chose "Stay signed in": the idle clock starts again; returns the seconds
    left (the 12 hours since sign-in still hold)."""
    session[LAST_SEEN_AT] = now
    return seconds_left(session, now)


def expiry_reason(session: SessionBase, now: int) -> str | None:
    signed_in_at: int = session.setdefault(SIGNED_IN_AT, now)
    last_seen_at: int = session.setdefault(LAST_SEEN_AT, now)
    if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT:
        minutes = settings.SESSION_IDLE_TIMEOUT // 60
        return f"You were signed out because you had not used the portal for {minutes} minutes."
    if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
        return f"You were signed out because you signed in more than {hours} hours ago."
    return None


class SessionTimeoutMiddleware:
    """Signs people out when either clock runs out. Goes after MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            reason = expiry_reason(session, now)
            if reason:
                logout(request)
                messages.info(request, f"{reason} Sign in again.")
            elif now - session[LAST_SEEN_AT] >= LAST_SEEN_PRECISION:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
