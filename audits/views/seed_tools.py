"""The Local Offer compliance check and the workforce skills self-audit (seed 002, Appendices A
and B): starting and sending them, and what SENDOPS read of them. Filling them in uses the audit
pages (audits/views/audits.py); a self-audit's own pages open for its respondent only."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits import local_offer
from audits.forms import LocalOfferStartForm, SkillsSendForm
from audits.models import Audit, ChecklistTemplate
from audits.roles import LOCAL_OFFER_MANAGERS, SKILLS_AUDIT_MANAGERS, SKILLS_RESPONDENTS
from audits.skills import (
    round_audits,
    rounds,
    self_audit_emails_send,
    skills_summary,
    summary_table,
)
from audits.views.audits import check_page, section_page, submit_page, task_list_page
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.tables import table_download


def _latest_checklist(subject: str) -> ChecklistTemplate | None:
    return (
        ChecklistTemplate.objects.published()
        .for_subject(subject)
        .order_by("-published_at", "-version")
        .first()
    )


@role_required(*LOCAL_OFFER_MANAGERS)
@require_http_methods(["GET"])
def local_offer_list(request: SignedInRequest) -> HttpResponse:
    checks = (
        local_offer.checks_visible_to(request.user)
        .select_related("template", "term", "auditor")
        .order_by("-assigned_at", "pk")
    )
    return render(request, "audits/local_offer_list.html", {"checks": checks})


@role_required(*LOCAL_OFFER_MANAGERS)
@require_http_methods(["GET", "POST"])
def local_offer_start(request: SignedInRequest) -> HttpResponse:
    template = _latest_checklist(ChecklistTemplate.Subject.LOCAL_OFFER)
    form = LocalOfferStartForm(posted(request))
    if template is not None and form.is_valid():
        audit = Audit.objects.start_local_offer_check(
            template=template,
            by=request.user,
            term=form.cleaned_data["term"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, f"{audit.reference} started. Score each requirement.")
        return redirect("audits:audit_detail", audit_uuid=audit.uuid)
    return render(request, "audits/local_offer_start.html", {"form": form, "template": template})


@role_required(*SKILLS_AUDIT_MANAGERS)
@require_http_methods(["GET"])
def skills_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "audits/skills_list.html", {"rounds": rounds()})


@role_required(*SKILLS_AUDIT_MANAGERS)
@require_http_methods(["GET", "POST"])
def skills_send(request: SignedInRequest) -> HttpResponse:
    template = _latest_checklist(ChecklistTemplate.Subject.WORKFORCE)
    form = SkillsSendForm(posted(request))
    if template is not None and form.is_valid():
        created, skipped = Audit.objects.send_self_audits(
            template=template,
            people=form.recipients(),
            title=form.cleaned_data["title"],
            term=form.cleaned_data["term"],
            by=request.user,
        )
        if form.cleaned_data["email"] and created:
            # Only once the self-audits are saved, so nobody is emailed a link to nothing.
            transaction.on_commit(lambda: self_audit_emails_send(created))
        message = f"Sent to {len(created)} {'person' if len(created) == 1 else 'people'}."
        if skipped:
            message += f" {len(skipped)} already had it in this round."
        messages.success(request, message)
        return redirect("audits:skills_list")
    return render(request, "audits/skills_send.html", {"form": form, "template": template})


def _chosen_round(request: SignedInRequest) -> str:
    """The round asked for, else the latest sent ("" when none has been); 404 for a round
    asked for that was never sent."""
    title = request.GET.get("round", "").strip()
    if not title:
        latest = rounds()
        return str(latest[0]["title"]) if latest else ""
    if not round_audits(title).exists():
        raise Http404("No such round")
    return title


@never_cache
@role_required(*SKILLS_AUDIT_MANAGERS)
@require_http_methods(["GET"])
def skills_summary_page(request: SignedInRequest) -> HttpResponse:
    title = _chosen_round(request)
    summary = skills_summary(round_audits(title)) if title else None
    return render(request, "audits/skills_summary.html", {"title": title, "summary": summary})


@never_cache
@role_required(*SKILLS_AUDIT_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "skills self-audit summary")
def skills_summary_csv(request: SignedInRequest) -> HttpResponse:
    title = _chosen_round(request)
    header, rows = summary_table(skills_summary(round_audits(title)))
    return table_download(
        header,
        rows,
        filename=f"skills-{slugify(title) or 'none'}",
        fmt="csv",
        about=["Workforce skills self-audit: summary by team and competency", f"Round: {title}"],
    )


@role_required(*SKILLS_RESPONDENTS)
@require_http_methods(["GET"])
def my_skills(request: SignedInRequest) -> HttpResponse:
    mine = Audit.objects.filter(respondent=request.user).select_related("template", "term")
    return render(request, "audits/my_skills.html", {"audits": mine.order_by("-assigned_at")})


def _own_self_audit(request: SignedInRequest, audit_uuid: uuid.UUID) -> Audit:
    """The person's own self-audit; 404 for anyone else, SENDOPS and admins included."""
    audits = Audit.objects.filter(respondent=request.user).select_related("template", "term")
    return get_object_or_404(audits, uuid=audit_uuid)


@never_cache
@role_required(*SKILLS_RESPONDENTS)
@require_http_methods(["GET"])
def skills_detail(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return task_list_page(request, _own_self_audit(request, audit_uuid))


@never_cache
@role_required(*SKILLS_RESPONDENTS)
@require_http_methods(["GET", "POST"])
def skills_section(request: SignedInRequest, audit_uuid: uuid.UUID, code: str) -> HttpResponse:
    return section_page(request, _own_self_audit(request, audit_uuid), code)


@never_cache
@role_required(*SKILLS_RESPONDENTS)
@require_http_methods(["GET"])
def skills_check(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return check_page(request, _own_self_audit(request, audit_uuid))


@role_required(*SKILLS_RESPONDENTS)
@require_http_methods(["POST"])
def skills_submit(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return submit_page(request, _own_self_audit(request, audit_uuid))
