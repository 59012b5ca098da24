"""Action plans: the list, the tracker laid out like the seed's tables, the summary, and
what SENDOPS change: plans, weaknesses, actions and quarterly snapshots."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.concurrency import EditConflict
from send_qa.core.forms import posted
from wsoa.access import action_to_manage, plan_to_manage, plan_to_view
from wsoa.forms import (
    ActionForm,
    PlanForm,
    RagKeyVersionForm,
    RagStatusFormSet,
    SnapshotForm,
    WeaknessForm,
)
from wsoa.models import Action, ActionPlan, RagKey, Weakness
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_PLAN_READERS
from wsoa.services import action_save
from wsoa.summaries import plan_summary, snapshot_take
from wsoa.tracker import tracker_weaknesses


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
def plan_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "wsoa/plan_list.html",
        {
            "plans": ActionPlan.objects.select_related("rag_key"),
            "is_sendops": request.user.has_role(*ACTION_PLAN_MANAGERS),
        },
    )


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_new(request: SignedInRequest) -> HttpResponse:
    form = PlanForm(posted(request))
    if form.is_valid():
        plan = form.save(commit=False)
        plan.rag_key, plan.created_by = RagKey.seed_default(), request.user
        plan.save()
        messages.success(
            request,
            f"{plan} set up with the usual RAG key (Red, Amber, Light green, Green, Completed).",
        )
        return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)
    return render(request, "wsoa/form.html", {"form": form, "heading": "Set up an action plan"})


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_edit(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    form = PlanForm(posted(request), instance=plan)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{plan} saved.")
        return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)
    return render(
        request,
        "wsoa/form.html",
        {"form": form, "heading": "Change the plan", "caption": plan, "plan": plan},
        status=form.status_code,
    )


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
def plan_detail(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    today = timezone.localdate()
    weaknesses = tracker_weaknesses(plan, today=today)
    return render(
        request,
        "wsoa/plan_detail.html",
        {
            "plan": plan,
            "weaknesses": weaknesses,
            "statuses": plan.rag_key.statuses.order_by("order"),
            "today": today,
            "is_sendops": request.user.has_role(*ACTION_PLAN_MANAGERS),
        },
    )


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
def plan_summary_view(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    today = timezone.localdate()
    actions = Action.objects.filter(weakness__plan=plan).select_related(
        "status", "lead", "weakness"
    )
    snapshot_form = SnapshotForm(initial={"taken_on": today})
    snapshot_form.helper.form_tag = False  # inside the page's own form, with its own button
    snapshot_form.helper.inputs = []
    return render(
        request,
        "wsoa/plan_summary.html",
        {
            "plan": plan,
            "summary": plan_summary(plan),
            "overdue": actions.overdue(on=today).order_by("final_due"),  # type: ignore[misc]  # annotated by overdue()
            "stale": actions.stale(on=today).order_by("last_update"),  # type: ignore[misc]  # annotated by stale()
            "today": today,
            "is_sendops": request.user.has_role(*ACTION_PLAN_MANAGERS),
            "snapshot_form": snapshot_form,
        },
    )


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["POST"])
def snapshot_new(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    form = SnapshotForm(request.POST)
    if form.is_valid():
        snapshot_take(
            plan,
            on=form.cleaned_data["taken_on"],
            label=form.cleaned_data["label"],
            by=request.user,
        )
        messages.success(request, f"Snapshot {form.cleaned_data['label']} taken.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("wsoa:plan_summary", plan_uuid=plan.uuid)


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def weakness_new(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    number = (plan.weaknesses.aggregate(n=Max("number"))["n"] or 0) + 1
    return _weakness_form(request, plan, Weakness(plan=plan), {"number": number})


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def weakness_edit(request: SignedInRequest, plan_uuid: uuid.UUID, number: int) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    return _weakness_form(request, plan, get_object_or_404(plan.weaknesses, number=number), {})


def _weakness_form(
    request: SignedInRequest, plan: ActionPlan, weakness: Weakness, initial: dict[str, Any]
) -> HttpResponse:
    form = WeaknessForm(posted(request), instance=weakness, plan=plan, initial=initial)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{form.instance} saved.")
        return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)
    return render(
        request,
        "wsoa/form.html",
        {"form": form, "heading": "Significant weakness", "caption": plan, "plan": plan},
        status=form.status_code,
    )


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def action_new(request: SignedInRequest, plan_uuid: uuid.UUID, number: int) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    weakness = get_object_or_404(plan.weaknesses, number=number)
    return _action_form(request, plan, Action(weakness=weakness))


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def action_edit(request: SignedInRequest, action_uuid: uuid.UUID) -> HttpResponse:
    action = action_to_manage(request.user, action_uuid)
    return _action_form(request, action.weakness.plan, action)


def _action_form(request: SignedInRequest, plan: ActionPlan, action: Action) -> HttpResponse:
    form = ActionForm(posted(request), instance=action, plan=plan)
    status = 200
    if form.is_valid():
        try:
            with form.guard(url=request.path):
                saved = action_save(
                    action=form.save(commit=False),
                    initial=form.initial_status(),
                    lead=form.cleaned_data["lead_user"],
                    due_dates=form.due_dates(),
                )
        except EditConflict:
            status = 409
        else:
            messages.success(request, f"{saved} saved.")
            return redirect("wsoa:action_detail", action_uuid=saved.uuid)
    return render(
        request,
        "wsoa/form.html",
        {"form": form, "heading": "Action", "caption": plan, "plan": plan},
        status=status,
    )


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def rag_key_edit(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    """The plan's own RAG key, worst status first. A key shared with other plans (such as seed
    004's) is copied for this plan before it is changed, so other plans keep theirs."""
    plan = plan_to_manage(request.user, plan_uuid)
    statuses = plan.rag_key.statuses.rated()
    formset = RagStatusFormSet(posted(request), queryset=statuses, prefix="status")
    version_form = RagKeyVersionForm(posted(request), plan=plan)
    status = 200
    if request.method == "POST" and formset.is_valid() and version_form.is_valid():
        try:
            with version_form.guard(url=request.path):
                plan.rag_key_save(
                    statuses=[f.cleaned_data for f in formset.forms if f.cleaned_data]
                )
        except EditConflict:
            status = 409
        except ValidationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"The RAG key of {plan} has been saved.")
            return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)
    context = {"plan": plan, "formset": formset, "version_form": version_form}
    return render(request, "wsoa/rag_key.html", context, status=status)
