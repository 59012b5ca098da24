"""Telling people about a change to someone's roles: the person, and every other admin.

A change of roles is the one way to case-level records, so nobody's roles change unseen:
besides the access log, each change is emailed to the person whose roles changed and to
each other active admin, who can check it with the admin who made it.
"""

from django.conf import settings
from django.urls import reverse

from send_qa.core.emails import email_send
from send_qa.core.models import User
from send_qa.core.roles import Role


def roles_changed_tell(*, person_id: int, admin_id: int, changes: str, invited: bool) -> int:
    """Email the change (`changes` in words, as the access log has it) to the person, unless
    they were just invited (their invitation names their roles), and to each other active
    admin. Returns how many emails were sent."""
    person = User.objects.filter(pk=person_id).first()
    admin = User.objects.filter(pk=admin_id).first()
    if person is None or admin is None:
        return 0
    context = {
        "person": person,
        "admin": admin,
        "changes": changes,
        "invited": invited,
        "service_name": settings.SERVICE_NAME,
        "history_url": f"{settings.SITE_URL}{reverse('core:access_log')}?account={person.uuid}",
    }
    sent = 0
    if not invited and person.is_active:
        sent += email_send("roles_changed_person", person.email, context)
    others = (
        User.objects.active()
        .with_role(Role.ADMIN)
        .exclude(pk__in=[admin.pk, person.pk])
        .order_by("email")
    )
    sent += email_send("roles_changed_admin", [other.email for other in others], context)
    return sent
