"""Scoring an audit section by section, submitting, reopening, and reading it."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits import local_offer
from audits.access import audit_to_score, audit_to_view
from audits.forms import OverallForm, ReopenForm, SectionAnswersForm, SubmitForm
from audits.models import (
    Answer,
    Audit,
    AuditIncomplete,
    AuditLocked,
    ChecklistTemplate,
    PlacementType,
    PrimaryNeed,
    TemplateItem,
)
from audits.models.audits import AuditQuerySet
from audits.roles import AUDIT_MANAGERS, AUDIT_READERS, AUDIT_REOPENERS
from audits.scoring import AuditResult
from send_qa.core import follow_up
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.concurrency import EditConflict
from send_qa.core.figures import percent
from send_qa.core.follow_up import FollowUp
from send_qa.core.forms import posted
from send_qa.core.models import Period, Team, User
from send_qa.core.outcomes import tell_outcome
from send_qa.core.roles import group_name

AUDITS_PER_PAGE = 50


def _filtered_audits(request: SignedInRequest) -> tuple[AuditQuerySet, dict[str, str]]:
    audits = (
        Audit.objects.visible_to(request.user)
        .of_cases()
        .select_related(
            "plan", "plan__team", "auditor", "template", "term", "sampled_plan", "advice__service"
        )
    )
    filters = {
        key: request.GET.get(key, "")
        for key in ("term", "status", "auditor", "team", "need", "placement", "grade")
    }
    for key in ("term", "auditor", "team"):  # records are named by uuid, never by number
        filters[key] = opaque_id(filters[key])
    if filters["term"]:
        audits = audits.filter(term__uuid=filters["term"])
    if filters["status"] in Audit.Status.values:
        audits = audits.filter(status=filters["status"])
    if filters["auditor"]:
        audits = audits.filter(auditor__uuid=filters["auditor"])
    if filters["team"]:
        audits = audits.filter(plan__team__uuid=filters["team"])
    if filters["need"] in PrimaryNeed.values:
        audits = audits.filter(plan__primary_need=filters["need"])
    if filters["placement"] in PlacementType.values:
        audits = audits.filter(plan__placement_type=filters["placement"])
    if filters["grade"]:
        audits = audits.filter(grade=filters["grade"])
    return audits, filters


def auditor_choices() -> QuerySet[User]:
    """Everyone who may be given audits (by role: reading it from 15,000 audits is slow)."""
    roles = [group_name(role) for role in AUDIT_READERS]
    people: QuerySet[User] = User.objects.filter(groups__name__in=roles)
    return people.distinct().order_by("full_name")


def grade_choices() -> list[str]:
    """The grades any version of any checklist gives, from the checklists' grade bands."""
    bands = ChecklistTemplate.objects.values_list("grade_bands", flat=True)
    return sorted({band["label"] for grade_bands in bands for band in grade_bands or []})


@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
def audit_list(request: SignedInRequest) -> HttpResponse:
    audits, filters = _filtered_audits(request)
    page = Paginator(audits.order_by("-assigned_at", "pk"), AUDITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    is_sendops = request.user.has_role(*AUDIT_MANAGERS)
    return render(
        request,
        "audits/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_querystring": request.GET.copy(),
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "statuses": Audit.Status.choices,
            "needs": PrimaryNeed.choices,
            "placements": PlacementType.choices,
            "auditors": auditor_choices() if is_sendops else [],
            "teams": Team.objects.filter(is_active=True) if is_sendops else [],
            "grades": grade_choices() if is_sendops else [],
            "is_sendops": is_sendops,
        },
    )


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_detail(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        return _render_imported(request, audit)
    return task_list_page(request, audit)


def _render_imported(request: SignedInRequest, audit: Audit) -> HttpResponse:
    """An imported audit has no answers: its page shows the results the council recorded."""
    titles = dict(audit.template.sections.values_list("code", "title"))
    return render(
        request,
        "audits/audit_imported.html",
        {
            "audit": audit,
            "sections": [
                (titles.get(code, code), points, maximum, percent(points, maximum))
                for code, (points, maximum) in audit.section_scores.items()
            ],
        },
    )


def task_list_page(
    request: SignedInRequest,
    audit: Audit,
    *,
    missing: list[str] | None = None,
    conflict: EditConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = list(audit.sections_with_items())
    answers = audit.answers_by_item()
    result = audit.result(sections, answers)
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "pages": pages_for(audit),
            "result": result,
            "not_met": requirements_not_met(request, audit, result, answers),
            "extra_answers": audit.extra_answers(result, answers),
            "can_score": audit.auditor_id == request.user.pk and not audit.is_submitted,
            "can_reopen": request.user.has_role(*AUDIT_REOPENERS) and audit.is_submitted,
            "overall_done": (
                not audit.template.has_overall_rating or audit.overall_rating is not None
            ),
            "submit_form": SubmitForm(audit=audit),
            "missing": missing or [],
            "conflict": conflict,
        },
        status=status,
    )


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_section(request: SignedInRequest, audit_uuid: uuid.UUID, code: str) -> HttpResponse:
    return section_page(request, audit_to_score(request.user, audit_uuid), code)


def section_page(request: SignedInRequest, audit: Audit, code: str) -> HttpResponse:
    """One section of an audit, a Local Offer check or a skills self-audit, for whoever fills
    it in (the caller has checked that they may)."""
    pages = pages_for(audit)
    if audit.read_only_reason:
        messages.error(request, audit.read_only_reason)
        return redirect(pages.detail_url)
    sections = list(audit.sections_with_items())
    index = next((n for n, s in enumerate(sections) if s.code == code), None)
    if index is None:
        raise Http404("No such section")
    section = sections[index]
    items = list(section.items.all())
    answers = audit.answers_by_item()
    form = SectionAnswersForm(posted(request), audit=audit, items=items, answers=answers)
    conflict = None
    if form.is_valid():
        try:
            audit.save_answers(
                values=form.answer_values(), version=form.posted_version(), by=request.user
            )
        except EditConflict as error:
            # The page shows the colleague's answers, so saving it next is not a stale save.
            conflict, error.url = error, request.path
            audit.refresh_from_db()
            form = SectionAnswersForm(
                None, audit=audit, items=items, answers=audit.answers_by_item()
            )
        else:
            if "later" in request.POST or index + 1 == len(sections):
                messages.success(request, f"Your answers to {section.title} have been saved.")
                return redirect(pages.detail_url)
            return redirect(pages.section, audit_uuid=audit.uuid, code=sections[index + 1].code)
    return render(
        request,
        "audits/audit_section.html",
        {
            "audit": audit,
            "pages": pages,
            "section": section,
            "form": form,
            "conflict": conflict,
            "position": index + 1,
            "count": len(sections),
        },
        status=409 if conflict else 200,
    )


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET", "POST"])
def audit_overall(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_score(request.user, audit_uuid)
    if audit.read_only_reason:
        messages.error(request, audit.read_only_reason)
        return redirect(audit_detail_url(audit))
    form = OverallForm(
        posted(request),
        audit=audit,
        initial={"overall_rating": audit.overall_rating, "final_comments": audit.final_comments},
    )
    conflict = None
    if form.is_valid():
        try:
            audit.save_overall(
                rating=form.cleaned_data.get("overall_rating"),
                comments=form.cleaned_data.get("final_comments", ""),
                version=form.posted_version(),
            )
        except EditConflict as error:
            conflict, error.url = error, request.path
            audit.refresh_from_db()
            form = OverallForm(
                None,
                audit=audit,
                initial={
                    "overall_rating": audit.overall_rating,
                    "final_comments": audit.final_comments,
                },
            )
        else:
            tell_outcome(
                request,
                changed=audit.overall_rating is not None,
                done="Your overall rating has been saved.",
                nothing="You have not chosen an overall rating yet"
                + ("; your comments have been saved." if audit.final_comments else ".")
                + " Rate the plan as a whole before you submit the audit.",
            )
            return redirect(audit_detail_url(audit))
    return render(
        request,
        "audits/audit_overall.html",
        {"audit": audit, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@role_required(*AUDIT_READERS)
@require_http_methods(["POST"])
def audit_submit(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return submit_page(request, audit_to_score(request.user, audit_uuid))


def submit_page(request: SignedInRequest, audit: Audit) -> HttpResponse:
    """Submit an audit, a check or a self-audit for whoever fills it in."""
    form = SubmitForm(request.POST, audit=audit)
    version = form.posted_version() if form.is_valid() else ""
    detail_url = pages_for(audit).detail_url
    try:
        audit.submit(version=version, by=request.user)
    except AuditIncomplete as error:
        return task_list_page(request, audit, missing=error.missing, status=400)
    except EditConflict as error:
        error.url = detail_url
        audit.refresh_from_db()
        return task_list_page(request, audit, conflict=error, status=409)
    except AuditLocked as error:
        messages.error(request, error.message)
        return redirect(detail_url)
    if audit.plan_id is None:
        messages.success(request, f"{audit.reference} submitted.")
    else:
        messages.success(request, f"Audit of {audit.reference} submitted.")
    return redirect(detail_url)


@role_required(*AUDIT_REOPENERS)
@require_http_methods(["GET", "POST"])
def audit_reopen(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        messages.error(request, audit.read_only_reason)
        return redirect(audit_detail_url(audit))
    if not audit.is_submitted:
        messages.error(request, "Only a submitted audit can be reopened.")
        return redirect(audit_detail_url(audit))
    form = ReopenForm(posted(request))
    if form.is_valid():
        audit.reopen(by=request.user, reason=form.cleaned_data["reason"])
        what = f"Audit of {audit.reference}" if audit.plan_id else audit.reference
        messages.success(request, f"{what} reopened for {audit.auditor}.")
        return redirect(audit_detail_url(audit))
    return render(request, "audits/audit_reopen.html", {"audit": audit, "form": form})


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_print(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        return _render_imported(request, audit)
    sections = list(audit.sections_with_items())
    answers = audit.answers_by_item()
    return render(
        request,
        "audits/audit_print.html",
        {"audit": audit, "result": audit.result(sections, answers), "answers": answers},
    )


def audit_detail_url(audit: Audit) -> str:
    return pages_for(audit).detail_url


@dataclass(frozen=True)
class AuditPages:
    """The pages (URL names) an audit's task list and sections link to: a skills self-audit
    has its own, which only its respondent may open; the rest share the audit pages."""

    audit: Audit
    detail: str
    section: str
    submit: str
    back: str
    back_text: str

    @property
    def detail_url(self) -> str:
        return reverse(self.detail, kwargs={"audit_uuid": self.audit.uuid})


def pages_for(audit: Audit) -> AuditPages:
    if audit.is_self_audit:
        return AuditPages(
            audit,
            "audits:skills_detail",
            "audits:skills_section",
            "audits:skills_submit",
            "audits:my_skills",
            "Back to your skills self-audits",
        )
    common = (audit, "audits:audit_detail", "audits:audit_section", "audits:audit_submit")
    if audit.is_local_offer_check:
        return AuditPages(*common, "audits:local_offer_list", "Back to Local Offer checks")
    return AuditPages(*common, "audits:audit_list", "Back to audits")


@dataclass(frozen=True)
class NotMet:
    """A requirement a submitted Local Offer check found partly or not met, with the actions
    raised from it."""

    item: TemplateItem
    shown: str  # "Partial" or "Not compliant"
    extras: list[tuple[str, str]]  # must or should, action, who, by when
    ref: str
    follow_ups: list[FollowUp]


def requirements_not_met(
    request: SignedInRequest, audit: Audit, result: AuditResult, answers: Mapping[int, Answer]
) -> list[NotMet]:
    """A submitted check's requirements not fully met, and their actions in one call."""
    if not (audit.is_local_offer_check and audit.is_submitted):
        return []
    found = [
        (item, answer)
        for section in result.sections
        for item in section.items
        if local_offer.not_fully_met(answer := answers.get(item.pk))
    ]
    refs = [local_offer.item_ref(audit, item.code) for item, _ in found]
    raised = follow_up.follow_ups(local_offer.KIND, refs, request.user)
    return [
        NotMet(item, answer.display(item), answer.extras_shown(item), ref, raised.get(ref, []))
        for (item, answer), ref in zip(found, refs, strict=True)
        if answer is not None
    ]
