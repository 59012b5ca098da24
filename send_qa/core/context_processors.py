from django.conf import settings
from django.http import HttpRequest

from send_qa.core.navigation import items_for
from send_qa.core.roles import Role


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": items_for(user, request.path) if signed_in else [],
        "may_read_history": signed_in and user.has_role(Role.SENDOPS),
    }
