"""The indicators a person may open and the commentary they may write (kpis/roles.py says
who may do what)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kpis.models import Indicator
from kpis.roles import KPI_MANAGERS
from send_qa.core.models import User


def indicator_by_code(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("owner"), code=code.upper())


def may_write_exception_note(user: User, indicator: Indicator) -> bool:
    return user.has_role(*KPI_MANAGERS) or indicator.owner_id == user.pk


def require_exception_writer(user: User, indicator: Indicator) -> None:
    if not may_write_exception_note(user, indicator):
        raise PermissionDenied("Only the indicator's owner or SENDOPS write its commentary.")
