"""Two-factor sign-in: a 6-digit code from an authenticator app after the password.

It is required of everyone holding a role in OTP_REQUIRED_ROLES, on every page, and
of anyone else who has chosen to set it up. django-otp's TOTP device checks the codes
and refuses a code that has been used once already.
"""

from base64 import b32encode
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.back import safe_path
from send_qa.core.models import User
from send_qa.core.session_timeout import end_sessions

DEVICE_NAME = "Authenticator app"
# Set at sign-in: whether the person had chosen two-factor sign-in (saves a query a page).
CHOSE_TWO_FACTOR = "chose_two_factor"
# Set at sign-in with the organisation's account when it asked for a second factor itself
# (send_qa.core.sso, which sets it).
SIGNED_IN_WITH_MFA = "signed_in_with_mfa"

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def two_factor_not_required(view: V) -> V:
    """Marks a view that a person half-way through signing in may open."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]  # a mark read by the middleware
    return view


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_being_set_up(user: User) -> TOTPDevice:
    """The person's unconfirmed device, made on their first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def two_factor_reset(*, user: User) -> int:
    """What an admin does for someone who has lost their phone: remove their authenticator
    apps and sign them out everywhere, so that no session verified with the old app lives
    on to set up a new one. At their next sign-in they set up a new app (required for
    OTP_REQUIRED_ROLES, a choice for the rest). Returns how many apps were removed."""
    removed: int
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        end_sessions(user)
    return removed


def note_choice_at_sign_in(
    sender: type[User], request: HttpRequest, user: User, **kwargs: Any
) -> None:
    """Connected to user_logged_in."""
    request.session[CHOSE_TWO_FACTOR] = confirmed_device(user) is not None


def must_use_two_factor(request: HttpRequest) -> bool:
    """Whether this signed-in person must enter a code before going further."""
    user = request.user
    if not user.is_authenticated:
        return False
    # django-otp's OTPMiddleware adds is_verified; without it nobody counts as verified.
    if getattr(user, "is_verified", lambda: False)():
        return False
    # Signed in with the organisation's account, which asked for a second factor itself.
    if request.session.get(SIGNED_IN_WITH_MFA, False):
        return False
    return user.has_role(*settings.OTP_REQUIRED_ROLES) or request.session.get(
        CHOSE_TWO_FACTOR, False
    )


def complete_sign_in(request: HttpRequest, device: TOTPDevice) -> None:
    """Record the verified device in the session, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


def next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return safe_path(request, wanted) or reverse(settings.LOGIN_REDIRECT_URL)


def redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    wanted = request.POST.get("next") or request.GET.get("next") or request.get_full_path()
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': wanted})}")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The set-up link as a QR code, inline SVG (no image file, no inline style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4)
    label = format_html(
        '<svg role="img" aria-label="{}" class="app-qr-code" ',
        "QR code to scan with your authenticator app",
    )
    return mark_safe(svg.replace("<svg ", label, 1))  # noqa: S308  segno's own markup


class TwoFactorRequiredMiddleware:
    """Sends people who must use two-factor sign-in to enter a code (or to set up their
    app) before any page but the sign-in and sign-out ones. Goes after
    LoginRequiredMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseRedirect | None:
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if not user.is_authenticated or not must_use_two_factor(request):
            return None
        if confirmed_device(user):
            return redirect_with_next("core:two_factor_verify", request)
        return redirect_with_next("core:two_factor_setup", request)
