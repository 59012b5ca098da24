"""Who may see and change action plans. SENDOPS manage them; the board reads everything; an
action owner updates progress on the actions they lead (a django-guardian object permission,
granted when someone is made lead) and nothing else."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from guardian.shortcuts import assign_perm, remove_perm

from send_qa.core.models import User
from wsoa.models import Action, ActionPlan
from wsoa.roles import (
    ACTION_LEADS,
    ACTION_PLAN_MANAGERS,
    ACTION_PLAN_READERS,
    ACTION_READERS,
)

UPDATE_PERMISSION = "wsoa.update_progress"


def plan_to_view(user: User, plan_uuid: UUID | str) -> ActionPlan:
    if not user.has_role(*ACTION_PLAN_READERS):
        raise PermissionDenied("Your role does not give you access to action plans.")
    return get_object_or_404(ActionPlan.objects.select_related("rag_key"), uuid=plan_uuid)


def plan_to_manage(user: User, plan_uuid: UUID | str) -> ActionPlan:
    if not user.has_role(*ACTION_PLAN_MANAGERS):
        raise PermissionDenied("Only SENDOPS change action plans.")
    return plan_to_view(user, plan_uuid)


def action_to_view(user: User, action_uuid: UUID | str) -> Action:
    """An action for SENDOPS and the board, or for its lead; 404 for other action owners."""
    if not user.has_role(*ACTION_READERS):
        raise PermissionDenied("Your role does not give you access to action plans.")
    actions = Action.objects.visible_to(user).select_related(
        "weakness", "weakness__plan", "weakness__plan__rag_key", "status", "lead"
    )
    return get_object_or_404(actions, uuid=action_uuid)


def action_to_manage(user: User, action_uuid: UUID | str) -> Action:
    if not user.has_role(*ACTION_PLAN_MANAGERS):
        raise PermissionDenied("Only SENDOPS change action plans.")
    return action_to_view(user, action_uuid)


def may_update(user: User, action: Action) -> bool:
    return user.has_role(*ACTION_PLAN_MANAGERS) or (
        user.has_role(*ACTION_LEADS) and user.has_perm(UPDATE_PERMISSION, action)
    )


def action_to_update(user: User, action_uuid: UUID | str) -> Action:
    action = action_to_view(user, action_uuid)
    if not may_update(user, action):
        raise PermissionDenied("Only the action's lead or SENDOPS can update its progress.")
    return action


def lead_set(action: Action, lead: User | None) -> None:
    """Make `lead` the action's lead, moving the object permission from any previous lead.
    The action is saved only if its lead changes, so its history shows real changes only."""
    previous = Action.objects.filter(pk=action.pk).values_list("lead_id", flat=True).first()
    if previous != getattr(lead, "pk", None):
        if previous:
            remove_perm(UPDATE_PERMISSION, User.objects.get(pk=previous), action)
        action.lead = lead
        action.save(update_fields=["lead"])
    if lead is not None:
        assign_perm(UPDATE_PERMISSION, lead, action)
