"""Who is trying to sign in, from where: what django-axes counts failures against.

Failures are counted per email address and client address together, so someone
guessing one colleague's password cannot lock everyone else out.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's browser.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it
    was reached from to X-Forwarded-For, so the client is that many entries from the
    right. Entries further left were written by the client and are never trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def email_signing_in(request: HttpRequest, credentials: dict | None) -> str:
    """The email address tried, in one case: SAM@example.org and sam@example.org are one person."""
    if credentials and credentials.get("username"):
        email = credentials["username"]
    else:
        email = request.POST.get("username", "")
    return email.strip().lower()


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of the sign-in form while an email and address are locked out."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)
