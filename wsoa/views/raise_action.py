"""Raising an improvement action from evidence (issue 19): the plan it goes in, then the action
form pre-filled from the evidence's own words (SENDOPS only); and the list of every action
raised from evidence (SENDOPS and the board)."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from send_qa.core import follow_up
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.concurrency import EditConflict
from send_qa.core.follow_up import Evidence
from send_qa.core.forms import asked_by_get, posted
from send_qa.core.models import User
from send_qa.core.roles import Role
from wsoa import follow_up as raising
from wsoa.forms import NEW_AREA, NEW_PLAN, RaiseActionForm, RaisePlanForm
from wsoa.models import Action, ActionPlan, ActionSource
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_PLAN_READERS


def _evidence(request: SignedInRequest) -> Evidence:
    evidence = follow_up.evidence_of(
        request.GET.get("kind", ""), request.GET.get("ref", ""), request.user
    )
    if evidence is None:
        raise Http404("This evidence cannot be found, or your role does not show it.")
    return evidence


def _plan(choice: str) -> ActionPlan | None:
    if choice == NEW_PLAN:
        return raising.new_improvement_plan()
    try:
        return ActionPlan.objects.select_related("rag_key").get(uuid=uuid.UUID(choice))
    except (ValueError, ActionPlan.DoesNotExist):
        return None


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def action_raise(request: SignedInRequest) -> HttpResponse:
    evidence = _evidence(request)
    choice = request.GET.get("plan", "")
    plan = _plan(choice) if choice else None
    if plan is None:
        plan_form = RaisePlanForm(
            {"plan": choice} if choice else None, plans=raising.improvement_plans()
        )
        # The page's own GET form carries the evidence along; a GET form carries no CSRF token
        # (it would leak into the address, the logs and the Referer).
        plan_form.helper.form_tag = False
        asked_by_get(plan_form.helper)
        if choice:
            plan_form.is_valid()  # the error summary says the plan chosen no longer exists
        return render(
            request,
            "wsoa/action_raise.html",
            {"form": plan_form, "evidence": evidence, "step": 1},
            status=400 if choice else 200,
        )
    form = RaiseActionForm(
        posted(request), instance=Action(), plan=plan, initial=_initial(evidence, plan)
    )
    status = 200
    if form.is_valid():
        try:
            with form.guard(url=request.get_full_path()):
                action = raising.action_raise(
                    plan=plan,
                    weakness=form.chosen_weakness(),
                    new_area=form.cleaned_data["area_text"],
                    action=form.save(commit=False),
                    initial=form.initial_status(),
                    lead=form.cleaned_data["lead_user"],
                    due_dates=form.due_dates(),
                    evidence=evidence,
                    by=request.user,
                )
        except EditConflict:
            status = 409
        else:
            messages.success(request, f"{action} raised in {plan}.")
            return redirect("wsoa:action_detail", action_uuid=action.uuid)
    return render(
        request,
        "wsoa/action_raise.html",
        {"form": form, "evidence": evidence, "step": 2, "plan": plan},
        status=status if not form.errors else 400,
    )


def _initial(evidence: Evidence, plan: ActionPlan) -> dict[str, object]:
    due = raising.default_due(evidence, today=timezone.localdate())
    owner = evidence.owner_suggestion
    initial: dict[str, object] = {
        "area": NEW_AREA,
        "area_text": evidence.title,
        "improvement_area": evidence.title,
        "text": evidence.words,
        "timescale": f"{due.day} {due:%B %Y}",
        "governance_forum": "SENDOPS",
    }
    if isinstance(owner, User) and owner.is_active and owner.has_role(Role.ACTION_OWNER):
        initial["lead_user"] = owner.pk
    not_rated = plan.rag_key.statuses.filter(not_rated=True).first() if plan.rag_key_id else None
    if not_rated is not None:
        initial["initial"] = not_rated.pk
    return initial


RAISED_PER_PAGE = 50


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
def actions_raised(request: SignedInRequest) -> HttpResponse:
    """Every action raised from QA evidence, newest first, with the evidence it came from and
    its RAG now: seed 002's "all QA outcomes and the subsequent actions" on one page."""
    kinds = follow_up.kinds()
    kind = request.GET.get("kind", "")
    sources = (
        ActionSource.objects.filter(action__in=Action.objects.visible_to(request.user))
        .select_related("action__status", "action__weakness__plan")
        .order_by("-raised_at", "-pk")
    )
    if kind in kinds:
        sources = sources.filter(kind=kind)
    page = Paginator(sources, RAISED_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(source, follow_up.kind_label(source.kind)) for source in page.object_list]
    return render(
        request,
        "wsoa/actions_raised.html",
        {
            "page": page,
            "kind": kind if kind in kinds else "",
            "kinds": sorted(kinds.values(), key=lambda k: k.label),
            "rows": rows,
            "filter_querystring": request.GET.copy(),
        },
    )
