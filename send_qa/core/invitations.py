"""Inviting people: an account with no password and an email with a set-password link.

The link is signed like a password reset's but by its own generator, so it lives for
INVITATION_TIMEOUT (days, for someone new to the portal) while a reset link lives for
PASSWORD_RESET_TIMEOUT (an hour), and neither kind of link opens the other's page.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from send_qa.core.emails import email_send
from send_qa.core.models import User


class InvitationTokens(PasswordResetTokenGenerator):
    """Django's reset tokens with their own salt and INVITATION_TIMEOUT in place of
    PASSWORD_RESET_TIMEOUT (Django's check_token reads that setting, so it is restated)."""

    key_salt = "send_qa.core.invitations.InvitationTokens"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokens()


def link_lifetime_words(seconds: int) -> str:
    """How long a link works, as an email says it: "1 hour", "3 days", "90 minutes"."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{max(seconds // 60, 1)} minutes"


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    path = reverse("core:set_password", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def invitation_send(*, user_id: int) -> bool:
    """Email the invitation. Does nothing for someone who has already set a password."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("invited_by").first()
    if user is None or user.has_usable_password():
        return False
    context = {
        "user": user,
        "url": set_password_url(user),
        "service_name": settings.SERVICE_NAME,
        "lifetime": link_lifetime_words(settings.INVITATION_TIMEOUT),
        "password_sign_in": settings.PASSWORD_SIGN_IN,
        "sso_provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
        "sign_in_url": f"{settings.SITE_URL}{reverse('login')}",
    }
    email_send("invitation", user.email, context)
    return True
