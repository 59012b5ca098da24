"""Who is trying to sign in, from where: what django-axes counts failures against.

Failures are counted per email address and client address together, so someone
guessing one colleague's password cannot lock everyone else out. Admins see on a
person's page whether they are locked out, and may lift the lock.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

if TYPE_CHECKING:
    from send_qa.core.models import User  # the settings name functions of this module


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's browser.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it
    was reached from to X-Forwarded-For, so the client is that many entries from the
    right. Entries further left were written by the client and are never trusted.
    """
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def email_signing_in(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email address tried, in one case: SAM@example.org and sam@example.org are one person."""
    email: str
    if credentials and credentials.get("username"):
        email = credentials["username"]
    else:
        email = request.POST.get("username", "")
    return email.strip().lower()


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the sign-in form while an email and address are locked out."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)


@dataclass(frozen=True)
class Lockout:
    addresses: int  # how many client addresses the person is locked out from
    until: datetime.datetime  # when the last of those locks ends by itself


def lockout_of(user: "User") -> Lockout | None:
    """Whether the person is locked out of signing in now, counted as django-axes counts
    (AXES_LOCKOUT_PARAMETERS: the email and the address together, failures within
    AXES_COOLOFF_TIME); None when they are not."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = (
        AccessAttempt.objects.filter(username=user.email.lower(), attempt_time__gte=since)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    lasts = [row["last"] for row in locked]
    if not lasts:
        return None
    return Lockout(addresses=len(lasts), until=max(lasts) + settings.AXES_COOLOFF_TIME)


def lockout_lift(*, user: "User") -> int:
    """Forget the person's failed sign-ins from every address, so they can sign in at
    once. Returns how many records of failures were removed."""
    removed: int = axes_reset(username=user.email.lower())
    return removed
