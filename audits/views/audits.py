"""Scoring an audit section by section, submitting, reopening, and reading it."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.access import audit_to_score, audit_to_view
from audits.forms import OverallForm, ReopenForm, SectionAnswersForm, SubmitForm
from audits.models import (
    Audit,
    AuditIncomplete,
    AuditLocked,
    ChecklistTemplate,
    PlacementType,
    PrimaryNeed,
)
from audits.models.audits import AuditQuerySet
from audits.roles import AUDIT_MANAGERS, AUDIT_READERS, AUDIT_REOPENERS
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.concurrency import EditConflict
from send_qa.core.figures import percent
from send_qa.core.forms import posted
from send_qa.core.models import Period, Team, User
from send_qa.core.roles import group_name

AUDITS_PER_PAGE = 50


def _filtered_audits(request: SignedInRequest) -> tuple[AuditQuerySet, dict[str, str]]:
    audits = Audit.objects.visible_to(request.user).select_related(
        "plan", "plan__team", "auditor", "template", "term", "sampled_plan", "advice__service"
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
            "terms": Period.objects.terms().order_by("-start"),
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
    return _render_task_list(request, audit)


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


def _render_task_list(
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
            "result": result,
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
    audit = audit_to_score(request.user, audit_uuid)
    if audit.read_only_reason:
        messages.error(request, audit.read_only_reason)
        return redirect(audit_detail_url(audit))
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
                return redirect(audit_detail_url(audit))
            return redirect(
                "audits:audit_section", audit_uuid=audit.uuid, code=sections[index + 1].code
            )
    return render(
        request,
        "audits/audit_section.html",
        {
            "audit": audit,
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
            messages.success(request, "Your overall rating has been saved.")
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
    audit = audit_to_score(request.user, audit_uuid)
    form = SubmitForm(request.POST, audit=audit)
    version = form.posted_version() if form.is_valid() else ""
    try:
        audit.submit(version=version, by=request.user)
    except AuditIncomplete as error:
        return _render_task_list(request, audit, missing=error.missing, status=400)
    except EditConflict as error:
        error.url = audit_detail_url(audit)
        audit.refresh_from_db()
        return _render_task_list(request, audit, conflict=error, status=409)
    except AuditLocked as error:
        messages.error(request, error.message)
        return redirect(audit_detail_url(audit))
    messages.success(request, f"Audit of {audit.reference} submitted.")
    return redirect(audit_detail_url(audit))


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
        messages.success(request, f"Audit of {audit.reference} reopened for {audit.auditor}.")
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
    return reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
