"""Inviting people: an account with no password and an email with a set-password link."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from send_qa.core.models import User


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
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
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    send_mail(
        subject=render_to_string("emails/invitation_subject.txt", context).strip(),
        message=render_to_string("emails/invitation.txt", context),
        html_message=render_to_string("emails/invitation.html", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
