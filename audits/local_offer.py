"""The Local Offer compliance check (seed 002, Appendix A) as evidence that raises improvement
actions: each requirement a submitted check finds partly or not met (send_qa/core/follow_up.py).

A reference names the check and the requirement, "<check uuid>:<item code>", so it means the same
whatever version of the checklist the next check uses: a later check that scores the requirement
"Full" ends the concern.
"""

import datetime
import uuid

from django.urls import reverse

from audits.models import Answer, Audit, ChecklistTemplate, TemplateItem
from audits.models.audits import AuditQuerySet
from audits.roles import LOCAL_OFFER_MANAGERS
from send_qa.core.follow_up import Evidence
from send_qa.core.models import User

KIND = "local_offer_item"
LABEL = "A Local Offer requirement not fully met"
FULL = "full"  # the choice of the seed's scale that meets a requirement


def checks_visible_to(user: User) -> AuditQuerySet:
    return Audit.objects.visible_to(user).filter(subject=ChecklistTemplate.Subject.LOCAL_OFFER)


def item_ref(audit: Audit, code: str) -> str:
    return f"{audit.uuid}:{code}"


def not_fully_met(answer: Answer | None) -> bool:
    """A requirement the check found partly or not met (not one left unanswered)."""
    return answer is not None and bool(answer.choice) and answer.choice != FULL


def _parse(ref: str) -> tuple[uuid.UUID, str] | None:
    check, _, code = ref.partition(":")
    try:
        return uuid.UUID(check), code
    except ValueError:
        return None


def _by_when(text: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        return None


def describe(ref: str, user: User) -> Evidence | None:
    """One requirement of a submitted check, as SENDOPS may see it; None for anyone else or a
    reference to no such check or requirement."""
    parsed = _parse(ref)
    if parsed is None or not user.has_role(*LOCAL_OFFER_MANAGERS):
        return None
    check_uuid, code = parsed
    checks = checks_visible_to(user).submitted().select_related("template", "term")
    audit = checks.filter(uuid=check_uuid).first()
    if audit is None:
        return None
    item = TemplateItem.objects.filter(section__template_id=audit.template_id, code=code).first()
    if item is None:
        return None
    answer = audit.answers.filter(item=item).first()
    extras = answer.extras if answer else {}
    words = [item.text]
    if extras.get("action"):
        words.append(f"Action: {extras['action']}")
    if extras.get("who"):
        words.append(f"Who: {extras['who']}")
    concern, now = _latest(checks, code)
    return Evidence(
        kind=KIND,
        ref=ref,
        title=f"{audit.reference}: {code}",
        words="\n".join(words),
        figure=answer.display(item) if answer else "Not answered",
        url=reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid}) + f"#item-{code}",
        term=audit.term.name if audit.term else "",
        owner_suggestion=None,
        due_suggestion=_by_when(extras.get("by_when", "")),
        concern=concern,
        now=now,
    )


def _latest(checks: AuditQuerySet, code: str) -> tuple[bool | None, str]:
    """Whether the latest submitted check still finds the requirement short of full, and its
    answer in words; (None, "") when the latest check does not ask it."""
    latest = checks.order_by("-submitted_at", "-pk").first()
    if latest is None:
        return None, ""
    item = TemplateItem.objects.filter(section__template_id=latest.template_id, code=code).first()
    if item is None:
        return None, ""
    answer = latest.answers.filter(item=item).first()
    shown = answer.display(item) if answer else "Not answered"
    return (answer is None or answer.choice != FULL), f"{shown} in {latest.reference}"
