"""The audits, plans, advice and sessions a person may open. Who may do what is declared in
audits/roles.py; lists use the querysets' visible_to()."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from audits.models import Advice, Audit, ModerationSession, Plan
from audits.roles import ADVICE_READERS, MODERATION_MANAGERS, MODERATION_READERS, PLAN_READERS
from send_qa.core.models import User


def audit_to_view(user: User, audit_uuid: UUID | str) -> Audit:
    """The audit if the user may see it, else 404 (its existence is not revealed)."""
    audits = Audit.objects.visible_to(user).select_related(
        "plan", "plan__team", "template", "auditor", "term", "sampled_plan", "advice__service"
    )
    return get_object_or_404(audits, uuid=audit_uuid)


def audit_to_score(user: User, audit_uuid: UUID | str) -> Audit:
    """The audit if the user is its auditor; 403 for others who may only read it."""
    audit = audit_to_view(user, audit_uuid)
    if audit.auditor_id != user.pk:
        raise PermissionDenied("Only the auditor it is assigned to can score this audit.")
    return audit


def plan_to_view(user: User, plan_uuid: UUID | str) -> Plan:
    if not user.has_role(*PLAN_READERS):
        raise PermissionDenied("Your role does not give you access to case-level records.")
    plans = Plan.objects.visible_to(user).select_related("team", "caseworker")
    try:
        return plans.get(uuid=plan_uuid)
    except (Plan.DoesNotExist, ValueError):
        raise Http404("No such plan") from None


def session_to_view(user: User, session_uuid: UUID | str) -> ModerationSession:
    """A moderation session for SENDOPS or its members; 404 for everyone else."""
    if not user.has_role(*MODERATION_READERS):
        raise PermissionDenied("Your role does not give you access to moderation.")
    sessions = ModerationSession.objects.visible_to(user).select_related("term")
    return get_object_or_404(sessions, uuid=session_uuid)


def session_to_manage(user: User, session_uuid: UUID | str) -> ModerationSession:
    """A session SENDOPS may change; members who may only read it get 403."""
    session = session_to_view(user, session_uuid)
    if not user.has_role(*MODERATION_MANAGERS):
        raise PermissionDenied("Only SENDOPS can change a moderation session.")
    return session


def can_record_outcomes(user: User, session: ModerationSession) -> bool:
    """SENDOPS and the session's members record the group's agreed grades."""
    return user.has_role(*MODERATION_MANAGERS) or session.members.filter(pk=user.pk).exists()


def advice_to_view(user: User, advice_uuid: UUID | str) -> Advice:
    """Advice for SENDOPS, or for an auditor asked to score it; 404 for others who may audit."""
    if not user.has_role(*ADVICE_READERS):
        raise PermissionDenied("Your role does not give you access to advice records.")
    advice = Advice.objects.visible_to(user).select_related("plan", "service")
    return get_object_or_404(advice, uuid=advice_uuid)
