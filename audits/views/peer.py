"""Level 1 peer moderation: what each team has due and overdue, and starting one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audits.models import Plan
from audits.models.moderation import PEER_MODERATION_PLANS
from audits.peer_moderation import (
    peer_audits,
    peer_moderation_start,
    suggested_plans,
    team_schedules,
    teams_with_plans,
)
from audits.roles import AUDIT_MANAGERS, PEER_MODERATION_READERS, PEER_MODERATORS
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access


@role_required(*PEER_MODERATION_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "peer moderations")
def peer_moderation(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    if user.has_role(*AUDIT_MANAGERS):
        teams = teams_with_plans()
    else:
        teams = teams_with_plans().filter(members=user)  # none for a caseworker without a team
    schedules = team_schedules(teams, on=today)
    own_team = user.team if user.has_role(*PEER_MODERATORS) and user.team_id else None
    recent = (
        peer_audits()
        .filter(plan__team__in=[s.team for s in schedules])
        .select_related("plan", "plan__team", "auditor")
        .order_by("-assigned_at")[:20]
    )
    return render(
        request,
        "audits/peer_moderation.html",
        {
            "schedules": schedules,
            "own_team": own_team,
            "suggestions": suggested_plans(own_team, on=today) if own_team else [],
            "recent": recent,
            "per_cycle": PEER_MODERATION_PLANS,
            "today": today,
        },
    )


@role_required(*PEER_MODERATORS)
@require_http_methods(["POST"])
def peer_start(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not user.team_id:
        raise PermissionDenied("Only members of a team peer-moderate its plans.")
    plan = get_object_or_404(
        Plan.objects.filter(team_id=user.team_id, is_active=True),
        uuid=opaque_id(request.POST.get("plan", "")) or None,
    )
    try:
        audit = peer_moderation_start(plan=plan, by=user)
    except LookupError as error:
        messages.error(request, str(error))
        return redirect("audits:peer_moderation")
    return redirect("audits:audit_detail", audit_uuid=audit.uuid)
