"""Who is trying to sign in, from where: what django-axes counts failures against.

Two locks, each for AXES_COOLOFF_TIME after the last failure. Failures for one email
address from one client address lock that pair out at AXES_FAILURE_LIMIT, so someone
guessing a colleague's password from one place does not lock them out everywhere. Failures
for one email address from anywhere lock the account out at SIGN_IN_ACCOUNT_FAILURE_LIMIT,
so a guesser whose address changes at every try still gets no more than that many guesses.
Admins see on a person's page whether they are locked out, and may lift the lock.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

if TYPE_CHECKING:
    from send_qa.core.models import User  # the settings name functions of this module


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's browser.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it
    was reached from to X-Forwarded-For, so the client is that many entries from the
    right. Entries further left were written by the client and are never trusted; with
    no proxy (the default, 0) the whole header was written by the client and is ignored.
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


def not_a_password(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """AXES_WHITELIST_CALLABLE: a sign-in without an email address typed in is not a password
    guess (it is the organisation's account, send_qa.core.sso, whose provider throttles its own
    sign-ins), so it is never counted nor locked out: refusing people nobody invited must not
    lock everyone behind one office's address out of signing in."""
    return not email_signing_in(request, credentials)


def account_locked(failures_everywhere: int) -> bool:
    """Whether failures for one email address from any address lock it out everywhere."""
    limit: int = settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT
    return failures_everywhere >= limit


def failures_towards_lock(*, from_here: int, everywhere: int) -> int:
    """The one number django-axes compares with AXES_FAILURE_LIMIT: the failures from this
    address, or the limit itself once the account is locked from every address."""
    limit: int = settings.AXES_FAILURE_LIMIT
    return max(from_here, limit) if account_locked(everywhere) else from_here


def _failures(attempts: "QuerySet[AccessAttempt]") -> int:
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class SignInAttempts(AxesDatabaseHandler):
    """django-axes' database handler with the two locks (AXES_HANDLER)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        recent = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return failures_towards_lock(
            from_here=_failures(recent.filter(ip_address=request.axes_ip_address)),  # type: ignore[attr-defined]
            everywhere=_failures(recent),
        )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the sign-in form while an email address is locked out, from
    this address or from everywhere: why, until when, and who can lift the lock sooner."""
    email = email_signing_in(request, credentials)
    recent = AccessAttempt.objects.filter(
        username=email, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    everywhere = account_locked(_failures(recent))
    if not everywhere:
        recent = recent.filter(ip_address=getattr(request, "axes_ip_address", None))
    last = recent.aggregate(last=Max("attempt_time"))["last"] or timezone.now()
    limit = settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT if everywhere else settings.AXES_FAILURE_LIMIT
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failures": limit,
        "everywhere": everywhere,
        "until": timezone.localtime(last + settings.AXES_COOLOFF_TIME),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@dataclass(frozen=True)
class Lockout:
    addresses: int  # how many client addresses the person is locked out from
    everywhere: bool  # locked out from every address: too many failures in all
    until: datetime.datetime  # when the lock ends by itself


def lockout_of(user: "User") -> Lockout | None:
    """Whether the person is locked out of signing in now, counted as django-axes counts
    (SignInAttempts: from one address, or from everywhere); None when they are not."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(username=user.email.lower(), attempt_time__gte=since)
    everywhere = account_locked(_failures(recent))
    by_address = recent.values("ip_address").annotate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    locked = [
        row for row in by_address if everywhere or row["failures"] >= settings.AXES_FAILURE_LIMIT
    ]
    if not locked:
        return None
    return Lockout(
        addresses=len(locked),
        everywhere=everywhere,
        until=max(row["last"] for row in locked) + settings.AXES_COOLOFF_TIME,
    )


def lockout_lift(*, user: "User") -> int:
    """Forget the person's failed sign-ins from every address, so they can sign in at
    once. Returns how many records of failures were removed."""
    removed: int = axes_reset(username=user.email.lower())
    return removed
