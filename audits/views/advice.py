"""Professional advice: requests and their timeliness, scoring, feedback sheets, summaries,
contributing services and the reminders they are sent."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.access import advice_to_view
from audits.advice_queries import (
    advice_quality,
    advice_scoring_audits,
    lowest_lines,
    mean_score_per_line,
    timeliness,
    timeliness_total,
)
from audits.follow_up import advice_ref
from audits.forms import AdviceForm, AdviceScoringForm, AdviceServiceForm
from audits.models import Advice, AdviceReminder, AdviceService, AdviceStatus, Audit
from audits.models import ChecklistTemplate as Template
from audits.reminders import reminders_due
from audits.roles import ADVICE_MANAGERS, ADVICE_READERS
from audits.views.findings import chosen_term
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.back import way_back
from send_qa.core.forms import posted
from send_qa.core.models import Period

ADVICE_PER_PAGE = 50


@never_cache
@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "list of advice")
def advice_list(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    advice = Advice.objects.with_status(on=today).select_related("plan", "service")
    filters = {k: request.GET.get(k, "") for k in ("status", "service", "term", "q")}
    filters["service"], filters["term"] = opaque_id(filters["service"]), opaque_id(filters["term"])
    if filters["status"] in AdviceStatus.values:
        advice = advice.filter(status=filters["status"])  # type: ignore[misc]  # status: annotated by with_status()
    if filters["service"]:
        advice = advice.filter(service__uuid=filters["service"])
    term = Period.objects.chosen_term(filters["term"])
    if term:
        advice = advice.filter(requested__gte=term.start, requested__lte=term.end)
    if filters["q"].strip():
        advice = advice.filter(plan__case_reference__icontains=filters["q"].strip())
    page = Paginator(advice.order_by("-requested", "pk"), ADVICE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audits/advice/list.html",
        {
            "page": page,
            "filters": filters,
            "filter_querystring": request.GET.copy(),
            "statuses": AdviceStatus.choices,
            "services": AdviceService.objects.values_list("uuid", "name"),
            "terms": Period.objects.terms_for_choice(timezone.localdate()).values_list(
                "uuid", "name"
            ),
            "status_labels": dict(AdviceStatus.choices),
        },
    )


@never_cache
@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "advice reminders")
def advice_reminders(request: SignedInRequest) -> HttpResponse:
    """What services owe: due within 7 days and overdue, with the reminders already sent."""
    today = timezone.localdate()
    outstanding = Advice.objects.select_related("plan", "service").prefetch_related("reminders")
    return render(
        request,
        "audits/advice/reminders.html",
        {
            "today": today,
            "overdue": outstanding.overdue(on=today).order_by("service__name", "due"),
            "due_soon": outstanding.due_soon(on=today).order_by("service__name", "due"),
            "to_send": reminders_due(on=today),
            "stages": dict(AdviceReminder.Stage.choices),
        },
    )


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "form for new advice")
def advice_new(request: SignedInRequest) -> HttpResponse:
    form = AdviceForm(posted(request))
    if form.is_valid():
        advice = form.save()
        messages.success(request, f"Advice request from {advice.service} recorded.")
        return redirect("audits:advice_detail", advice_uuid=advice.uuid)
    return render(request, "audits/advice/form.html", {"form": form, "advice": None})


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "advice", "advice_uuid")
def advice_edit(request: SignedInRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    advice = advice_to_view(request.user, advice_uuid)
    form = AdviceForm(posted(request), instance=advice)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, "The advice request has been saved.")
        return redirect("audits:advice_detail", advice_uuid=advice.uuid)
    context = {"form": form, "advice": advice}
    return render(request, "audits/advice/form.html", context, status=form.status_code)


@never_cache
@role_required(*ADVICE_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "advice", "advice_uuid")
def advice_detail(request: SignedInRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    advice = advice_to_view(request.user, advice_uuid)
    is_sendops = request.user.has_role(*ADVICE_MANAGERS)
    audits = advice.audits.select_related("auditor", "template")
    if not is_sendops:
        audits = audits.filter(auditor=request.user)
    return render(
        request,
        "audits/advice/detail.html",
        {
            "advice": advice,
            "status": AdviceStatus(advice.status(on=timezone.localdate())),
            "audits": audits,
            "reminders": advice.reminders.order_by("sent_at"),
            "is_sendops": is_sendops,
            "came_from": way_back(
                request, reverse("audits:advice_list" if is_sendops else "audits:audit_list")
            ),
            "form": AdviceScoringForm() if is_sendops else None,
        },
    )


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["POST"])
def advice_assign(request: SignedInRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    advice = advice_to_view(request.user, advice_uuid)
    form = AdviceScoringForm(request.POST)
    template = (
        Template.objects.published()
        .for_subject(Template.Subject.ADVICE)
        .order_by("-published_at", "-version")
        .first()
    )
    if template is None:
        messages.error(request, "There is no published advice-writing checklist to score with.")
    elif not form.is_valid():
        messages.error(request, str(form.errors["auditor"][0]))
    else:
        day = advice.received or advice.requested
        Audit.objects.create(
            plan=advice.plan,
            advice=advice,
            template=template,
            auditor=form.cleaned_data["auditor"],
            term=Period.objects.current_term(on=day),
            assigned_by=request.user,
        )
        messages.success(request, f"Advice assigned to {form.cleaned_data['auditor']} to score.")
    return redirect("audits:advice_detail", advice_uuid=advice.uuid)


@never_cache
@role_required(*ADVICE_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "advice feedback", "advice_uuid")
def advice_feedback(request: SignedInRequest, advice_uuid: uuid.UUID) -> HttpResponse:
    """A printable feedback sheet for the contributing service: scores and comments."""
    advice = advice_to_view(request.user, advice_uuid)
    audits = advice.audits.submitted().select_related("auditor", "template")
    if not request.user.has_role(*ADVICE_MANAGERS):
        audits = audits.filter(auditor=request.user)
    audit = audits.order_by("-submitted_at").first()
    context: dict[str, Any] = {
        "advice": advice,
        "audit": audit,
        "status": advice.status(on=timezone.localdate()),
    }
    if audit is not None:
        sections = list(audit.sections_with_items())
        answers = audit.answers_by_item()
        context |= {"result": audit.result(sections, answers), "answers": answers}
    return render(request, "audits/advice/feedback.html", context)


@never_cache
@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET"])
def advice_summary(request: SignedInRequest) -> HttpResponse:
    term = chosen_term(request)
    today = timezone.localdate()
    by = "profession" if request.GET.get("by") == "profession" else "service"
    service = None
    if asked := opaque_id(request.GET.get("service", "")):
        service = AdviceService.objects.filter(uuid=asked).first()
    context: dict[str, Any] = {
        "term": term,
        "terms": Period.objects.terms_for_choice(timezone.localdate()),
        "services": AdviceService.objects.all(),
        "service": service,
        "by": by,
    }
    if term is not None:
        rows = timeliness(term=term, on=today, by=by)
        audits = advice_scoring_audits(term=term, service=service)
        lines = mean_score_per_line(audits)
        context |= {
            "rows": rows,
            "total": timeliness_total(rows),
            "quality": advice_quality(audits),
            "lines": lines,
            "lowest": lowest_lines(lines),
            "advice_ref": advice_ref(term, service) if service is not None else "",
        }
    return render(request, "audits/advice/summary.html", context)


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET"])
def service_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "audits/advice/services.html", {"services": AdviceService.objects.all()})


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET", "POST"])
def service_new(request: SignedInRequest) -> HttpResponse:
    return _service_form(request, AdviceService())


@role_required(*ADVICE_MANAGERS)
@require_http_methods(["GET", "POST"])
def service_edit(request: SignedInRequest, service_uuid: uuid.UUID) -> HttpResponse:
    return _service_form(request, get_object_or_404(AdviceService, uuid=service_uuid))


def _service_form(request: SignedInRequest, service: AdviceService) -> HttpResponse:
    form = AdviceServiceForm(posted(request), instance=service)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{form.instance} saved.")
        return redirect("audits:advice_services")
    return render(
        request,
        "audits/advice/service_form.html",
        {"form": form, "service": service},
        status=form.status_code,
    )
