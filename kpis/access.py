"""The indicators a person may open, the commentary they may write and the values they may
enter (kpis/roles.py says who may do what).

Entering an indicator's values is a right SENDOPS give its owner, held as a django-guardian
object permission (docs/decisions/0005-object-access.md) and counted only while that person
owns the indicator and holds a partner's role: changing the owner takes the right away from the
old one (`values_right_set`)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from guardian.shortcuts import (
    assign_perm,
    get_objects_for_user,
    get_users_with_perms,
    remove_perm,
)

from kpis.models import ENTER_VALUES, Indicator, IndicatorQuerySet
from kpis.roles import KPI_MANAGERS, PARTNER_VALUE_ENTERERS
from send_qa.core.models import User

VALUES_PERMISSION = f"kpis.{ENTER_VALUES}"


def indicator_by_code(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("owner"), code=code.upper())


def may_write_exception_note(user: User, indicator: Indicator) -> bool:
    return user.has_role(*KPI_MANAGERS) or indicator.owner_id == user.pk


def require_exception_writer(user: User, indicator: Indicator) -> None:
    if not may_write_exception_note(user, indicator):
        raise PermissionDenied("Only the indicator's owner or SENDOPS write its commentary.")


def owner_may_enter_values(indicator: Indicator) -> bool:
    """Whether SENDOPS gave the indicator's present owner the right to enter its values."""
    owner = indicator.owner
    return owner is not None and owner.has_perm(VALUES_PERMISSION, indicator)


def may_enter_values(user: User, indicator: Indicator) -> bool:
    if user.has_role(*KPI_MANAGERS):
        return True
    return (
        user.has_role(*PARTNER_VALUE_ENTERERS)
        and indicator.is_active
        and indicator.owner_id == user.pk
        and user.has_perm(VALUES_PERMISSION, indicator)
    )


def indicator_to_enter(user: User, code: str) -> Indicator:
    indicator = indicator_by_code(code)
    if not may_enter_values(user, indicator):
        raise PermissionDenied("Only SENDOPS, or the owner they gave the right, enter its values.")
    return indicator


def indicators_entered_by(user: User) -> IndicatorQuerySet:
    """The active indicators `user` owns and may enter the values of (their worklist)."""
    owned = Indicator.objects.active().filter(owner=user).select_related("owner")
    if user.has_role(*KPI_MANAGERS):
        return owned
    if not user.has_role(*PARTNER_VALUE_ENTERERS):
        return owned.none()
    granted = get_objects_for_user(user, VALUES_PERMISSION, owned, accept_global_perms=False)
    return owned.filter(pk__in=granted.values("pk"))


def values_right_set(indicator: Indicator, *, granted: bool) -> None:
    """Give the indicator's owner the right to enter its values, or take it away; nobody
    else keeps it (a previous owner loses it)."""
    for holder in get_users_with_perms(indicator, only_with_perms_in=[ENTER_VALUES]):
        if isinstance(holder, User) and (holder.pk != indicator.owner_id or not granted):
            remove_perm(VALUES_PERMISSION, holder, indicator)
    if granted and indicator.owner is not None:
        assign_perm(VALUES_PERMISSION, indicator.owner, indicator)
