"""Checklist templates: read by SENDOPS and admins, managed by admins.

A published version never changes. Admins edit a checklist by making a new draft version,
exporting it as JSON, changing it and importing it again (which replaces the draft), then
publishing it. Every audit keeps the version it was scored against.
"""

import json
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from audits.forms import TemplateUploadForm
from audits.models import ChecklistTemplate
from audits.roles import CHECKLIST_MANAGERS, CHECKLIST_READERS
from audits.template_io import (
    TemplateFormatError,
    template_export,
    template_import,
    template_new_version,
)
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted


@role_required(*CHECKLIST_READERS)
@require_http_methods(["GET"])
def template_list(request: SignedInRequest) -> HttpResponse:
    templates = ChecklistTemplate.objects.with_counts().order_by("name", "-version")
    return render(
        request,
        "audits/checklists/list.html",
        {"templates": templates, "can_manage": request.user.has_role(*CHECKLIST_MANAGERS)},
    )


@role_required(*CHECKLIST_READERS)
@require_http_methods(["GET"])
def template_detail(request: SignedInRequest, template_uuid: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(ChecklistTemplate, uuid=template_uuid)
    sections = list(template.sections.prefetch_related("items"))
    return render(
        request,
        "audits/checklists/detail.html",
        {
            "template": template,
            "sections": sections,
            "versions": ChecklistTemplate.objects.filter(name=template.name).order_by("-version"),
            "audit_count": template.audits.count(),
            "can_manage": request.user.has_role(*CHECKLIST_MANAGERS),
        },
    )


@role_required(*CHECKLIST_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "checklist", "template_uuid")
def template_export_json(request: SignedInRequest, template_uuid: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(ChecklistTemplate, uuid=template_uuid)
    body = json.dumps(template_export(template), indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{slugify(template.name)}-v{template.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*CHECKLIST_MANAGERS)
@require_http_methods(["GET", "POST"])
def template_upload(request: SignedInRequest) -> HttpResponse:
    form = TemplateUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        try:
            template, created = template_import(
                form.cleaned_data["file"], publish=form.cleaned_data["publish"], by=request.user
            )
        except TemplateFormatError as error:
            problems = error.messages
        else:
            state = "published" if template.is_published else "saved as a draft"
            verb = "imported and" if created else "already there,"
            messages.success(request, f"{template} {verb} {state}.")
            return redirect("audits:template_detail", template_uuid=template.uuid)
    return render(request, "audits/checklists/upload.html", {"form": form, "problems": problems})


@role_required(*CHECKLIST_MANAGERS)
@require_http_methods(["POST"])
def template_new_draft(request: SignedInRequest, template_uuid: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(ChecklistTemplate, uuid=template_uuid)
    draft = template_new_version(template)
    messages.success(
        request,
        f"{draft} is a draft copy of version {template.version}. Export it, make your changes "
        "and import it again, then publish it.",
    )
    return redirect("audits:template_detail", template_uuid=draft.uuid)


@role_required(*CHECKLIST_MANAGERS)
@require_http_methods(["POST"])
def template_publish(request: SignedInRequest, template_uuid: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(ChecklistTemplate, uuid=template_uuid)
    if template.is_published:
        messages.error(request, f"{template} is already published.")
    else:
        template.publish(by=request.user)
        messages.success(request, f"{template} is published. New audits can be scored against it.")
    return redirect("audits:template_detail", template_uuid=template.uuid)
