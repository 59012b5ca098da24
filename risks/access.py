"""Who may see and change one risk: SENDOPS manage them; the board reads them."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from risks.models import Risk
from risks.roles import RISK_MANAGERS, RISK_READERS
from send_qa.core.models import User


def risk_to_view(user: User, risk_uuid: UUID | str) -> Risk:
    if not user.has_role(*RISK_READERS):
        raise PermissionDenied("Your role does not give you access to the risk register.")
    return get_object_or_404(Risk.objects.visible_to(user).select_related("owner"), uuid=risk_uuid)


def risk_to_manage(user: User, risk_uuid: UUID | str) -> Risk:
    if not user.has_role(*RISK_MANAGERS):
        raise PermissionDenied("Only SENDOPS change the risk register.")
    return risk_to_view(user, risk_uuid)
