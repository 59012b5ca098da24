"""One action: its history of progress updates, its evidence, and updating it (its lead or
SENDOPS); "my actions" for each action owner."""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.uploads import safe_display_name
from wsoa.access import action_to_update, action_to_view, may_update
from wsoa.follow_up import sources_now
from wsoa.forms import EvidenceForm, ProgressUpdateForm
from wsoa.models import Action, Evidence
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_READERS, ACTION_UPDATERS


@never_cache
@role_required(*ACTION_READERS)
@require_http_methods(["GET"])
def action_detail(request: SignedInRequest, action_uuid: uuid.UUID) -> HttpResponse:
    action = action_to_view(request.user, action_uuid)
    can_update = may_update(request.user, action)
    return render(
        request,
        "wsoa/action_detail.html",
        {
            "action": action,
            "plan": action.weakness.plan,
            "updates": action.updates.select_related("status", "author").order_by(
                "-date", "-created_at"
            ),
            "due_dates": action.due_dates.all(),
            "evidence": action.evidence.select_related("added_by"),
            "statuses": action.weakness.plan.rag_key.statuses.order_by("order"),
            "can_update": can_update,
            "update_form": ProgressUpdateForm(action=action) if can_update else None,
            "evidence_form": EvidenceForm() if can_update else None,
            "is_sendops": request.user.has_role(*ACTION_PLAN_MANAGERS),
            "today": timezone.localdate(),
            "sources": sources_now(action, request.user),
        },
    )


@role_required(*ACTION_UPDATERS)
@require_http_methods(["GET", "POST"])
def action_update(request: SignedInRequest, action_uuid: uuid.UUID) -> HttpResponse:
    action = action_to_update(request.user, action_uuid)
    form = ProgressUpdateForm(posted(request), action=action)
    if form.is_valid():
        action.add_update(
            author=request.user,
            narrative=form.cleaned_data["narrative"],
            status=form.status_object(),
            date=form.cleaned_data["date"],
        )
        messages.success(request, f"Progress on {action} saved: now {action.status.name}.")
        return redirect("wsoa:action_detail", action_uuid=action.uuid)
    return render(
        request,
        "wsoa/action_update.html",
        {
            "action": action,
            "form": form,
            "statuses": action.weakness.plan.rag_key.statuses.order_by("order"),
        },
    )


@role_required(*ACTION_UPDATERS)
@require_http_methods(["GET", "POST"])
def evidence_add(request: SignedInRequest, action_uuid: uuid.UUID) -> HttpResponse:
    action = action_to_update(request.user, action_uuid)
    form = EvidenceForm(posted(request), request.FILES or None)
    if form.is_valid():
        evidence = form.save(commit=False)
        evidence.action, evidence.added_by = action, request.user
        if evidence.file:
            evidence.original_name = safe_display_name(form.cleaned_data["file"].name)
        evidence.save()
        messages.success(request, "Evidence added.")
        return redirect("wsoa:action_detail", action_uuid=action.uuid)
    return render(request, "wsoa/evidence_form.html", {"action": action, "form": form})


@never_cache
@role_required(*ACTION_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.FILE_DOWNLOAD, "evidence", "action_uuid")
def evidence_download(
    request: SignedInRequest, action_uuid: uuid.UUID, evidence_uuid: uuid.UUID
) -> FileResponse:
    """Evidence files are stored outside the static path and served only through here."""
    action = action_to_view(request.user, action_uuid)
    evidence = get_object_or_404(Evidence, uuid=evidence_uuid, action=action)
    if not evidence.file:
        raise Http404("This evidence is a link, not a file.")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=safe_display_name(
            evidence.original_name, fallback=(evidence.file.name or "").rsplit("/", 1)[-1]
        ),
    )


@role_required(*ACTION_UPDATERS)
@require_http_methods(["GET"])
def my_actions(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    mine = Action.objects.filter(lead=request.user).select_related(
        "status", "weakness", "weakness__plan"
    )
    return render(
        request,
        "wsoa/my_actions.html",
        {
            "actions": mine.with_final_due().order_by("weakness__plan__name", "pk"),
            "overdue": set(mine.overdue(on=today).values_list("pk", flat=True)),
            "stale": set(mine.stale(on=today).values_list("pk", flat=True)),
            "today": today,
        },
    )
