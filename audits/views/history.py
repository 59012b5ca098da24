"""History pages of plans, audits, advice and moderation sessions (SENDOPS only)."""

import uuid

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audits.models import Advice, Answer, Audit, ModerationSession, Plan, SampledPlan, TemplateItem
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.history import Source, history_page
from send_qa.core.roles import HISTORY_READERS

AUDIT_TOTALS = ["plan", "template", "advice", "sampled_plan", "section_scores", "max_points"]


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "history of a plan", "plan_uuid")
def plan_history(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = get_object_or_404(Plan, uuid=plan_uuid)
    return history_page(
        request,
        record_name=f"Plan {plan.case_reference}",
        back_url=reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid}),
        back_text="the plan",
        sources=[Source(Plan.history.filter(id=plan.pk), lambda r: "the plan's details")],
    )


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "history of an audit", "audit_uuid")
def audit_history(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    # visible_to: a person's skills self-audit is theirs alone, its history included.
    audits = Audit.objects.visible_to(request.user).select_related("plan", "sampled_plan")
    audit = get_object_or_404(audits, uuid=audit_uuid)
    codes = dict(
        TemplateItem.objects.filter(section__template_id=audit.template_id).values_list(
            "pk", "code"
        )
    )
    return history_page(
        request,
        record_name=str(audit) if audit.plan_id is None else f"Audit of {audit.reference}",
        back_url=reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid}),
        back_text="the audit",
        sources=[
            Source(Audit.history.filter(id=audit.pk), lambda r: "the audit", hide=AUDIT_TOTALS),
            Source(
                Answer.history.filter(audit_id=audit.pk),
                lambda r: f"the answer to {codes.get(r.item_id, 'a removed item')}",
                hide=["audit", "item"],
            ),
        ],
    )


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "history of advice", "advice_uuid")
def advice_history(request: SignedInRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    advice = get_object_or_404(Advice.objects.select_related("plan", "service"), uuid=advice_uuid)
    return history_page(
        request,
        record_name=str(advice),
        back_url=reverse("audits:advice_detail", kwargs={"advice_uuid": advice.uuid}),
        back_text="the advice",
        sources=[Source(Advice.history.filter(id=advice.pk), lambda r: "the advice record")],
    )


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "history of a moderation session", "session_uuid")
def moderation_history(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(ModerationSession, uuid=session_uuid)
    return history_page(
        request,
        record_name=str(session),
        back_url=reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid}),
        back_text="the session",
        sources=[
            Source(
                ModerationSession.history.filter(id=session.pk),
                lambda r: "the session",
                hide=["strata"],
            ),
            Source(
                SampledPlan.history.filter(session_id=session.pk),
                lambda r: f"sample {r.code}",
                hide=["session", "order"],
            ),
        ],
    )
