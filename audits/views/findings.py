"""What the audits say, for SENDOPS: this term's findings, the trend, and exports."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.breakdowns import BREAKDOWNS, breakdown_chosen
from audits.exports import AUDITS
from audits.follow_up import QUESTION, question_ref
from audits.models import Audit
from audits.models.audits import AuditQuerySet
from audits.queries import (
    TermFindings,
    audit_trend,
    findings_by,
    term_findings,
    term_findings_by,
    term_findings_of,
    term_qa,
)
from audits.roles import AUDIT_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.exports import export_or_queue
from send_qa.core.follow_up import FollowUp, follow_ups
from send_qa.core.models import Period, User


def chosen_term(request: SignedInRequest) -> Period | None:
    """The term asked for, or else the current one."""
    return Period.objects.chosen_term(request.GET.get("term", "")) or Period.objects.term_in_hand(
        timezone.localdate()
    )


def _ehcp_audits() -> AuditQuerySet:
    return Audit.objects.of_plans()


def _breakdown_context(request: SignedInRequest, term: Period | None) -> dict[str, object]:
    """The "Break down by" choice and, when one is chosen, the term's findings split by it
    (kept per term, as its headline figures are)."""
    chosen = breakdown_chosen(request.GET.get("by"))
    breakdown = None
    if chosen:
        breakdown = (
            term_findings_by(term, chosen) if term else findings_by(_ehcp_audits().none(), chosen)
        )
    return {"breakdowns": BREAKDOWNS, "breakdown": breakdown, "by": chosen.key if chosen else ""}


@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
def findings(request: SignedInRequest) -> HttpResponse:
    term = chosen_term(request)
    audits = _ehcp_audits().filter(term=term) if term else _ehcp_audits().none()
    summary = term_findings_of(term) if term else term_findings(audits)
    return render(
        request,
        "audits/findings.html",
        {
            "term": term,
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "summary": summary,
            "trend": audit_trend(),
            "weakest": _weakest_with_actions(summary, term, request.user),
            **_breakdown_context(request, term),
        },
    )


def _weakest_with_actions(
    summary: TermFindings, term: Period | None, user: User
) -> list[tuple[Mapping[str, Any], str, list[FollowUp]]]:
    """The weakest questions, each with its reference and the actions raised from it."""
    if term is None:
        return []
    refs = [
        question_ref(term, row["item__section__template__uuid"], row["item__code"])
        for row in summary.weakest_items
    ]
    raised = follow_ups(QUESTION, refs, user)
    return [
        (row, ref, raised.get(ref, []))
        for row, ref in zip(summary.weakest_items, refs, strict=True)
    ]


@never_cache
@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
def export(request: SignedInRequest, fmt: str) -> HttpResponse:
    """A term's audits: the file at once when it is small, else prepared in the background
    (audits.exports, send_qa.core.exports)."""
    term = chosen_term(request)
    return export_or_queue(request, AUDITS, fmt, {"term": str(term.uuid) if term else ""})


@never_cache
@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
def qa_summary(request: SignedInRequest) -> HttpResponse:
    """Level 3: the term's quality assurance at every level, as the board will be told it."""
    term = chosen_term(request)
    return render(
        request,
        "audits/qa_summary.html",
        {
            "term": term,
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "qa": term_qa(term=term, on=timezone.localdate()) if term else None,
            **_breakdown_context(request, term),
        },
    )
