"""The plans register: list, reviews due, import, assigning audits."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.access import plan_to_view
from audits.forms import AssignForm, PlanUploadForm
from audits.models import AgeBand, Audit, PlacementType, Plan, PrimaryNeed
from audits.models.plans import REVIEW_DUE_SOON_WEEKS
from audits.peer_moderation import teams_with_plans
from audits.plan_import import PlanImportError, plans_import, read_table
from audits.roles import PLAN_MANAGERS, PLAN_READERS, PLAN_REGISTER_READERS
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.models import User
from send_qa.core.outcomes import tell_outcome

PLANS_PER_PAGE = 50


@role_required(*PLAN_REGISTER_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "plans register")
def plan_list(request: SignedInRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("team", "caseworker")
    filters = {
        "q": request.GET.get("q", "").strip(),
        "need": request.GET.get("need", ""),
        "placement": request.GET.get("placement", ""),
        "age": request.GET.get("age", ""),
        "team": opaque_id(request.GET.get("team", "")),
    }
    if filters["q"]:
        plans = plans.filter(case_reference__icontains=filters["q"])
    if filters["need"] in PrimaryNeed.values:
        plans = plans.filter(primary_need=filters["need"])
    if filters["placement"] in PlacementType.values:
        plans = plans.filter(placement_type=filters["placement"])
    if filters["age"] in AgeBand.values:
        plans = plans.filter(age_band=filters["age"])
    if filters["team"]:
        plans = plans.filter(team__uuid=filters["team"])
    page = Paginator(plans.order_by("case_reference"), PLANS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audits/plan_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_querystring": request.GET.copy(),
            "needs": PrimaryNeed.choices,
            "placements": PlacementType.choices,
            "ages": AgeBand.choices,
            # Caseworkers see their own team's plans: the team filter is for SENDOPS.
            "teams": teams_with_plans().values_list("uuid", "name")
            if request.user.has_role(*PLAN_MANAGERS)
            else [],
            "can_assign": request.user.has_role(*PLAN_MANAGERS),
            "today": timezone.localdate(),
        },
    )


@never_cache
@role_required(*PLAN_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "plan", "plan_uuid")
def plan_detail(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    audits = (
        Audit.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("template", "auditor", "term")
        .order_by("-assigned_at")
    )
    return render(
        request,
        "audits/plan_detail.html",
        {
            "plan": plan,
            "audits": audits,
            "today": timezone.localdate(),
            "can_assign": request.user.has_role(*PLAN_MANAGERS) and plan.is_active,
            "back": _way_back(request.user),
        },
    )


def _way_back(user: User) -> tuple[str, str]:
    """The register for those who browse it; an auditor, who may not, back to their audits."""
    if user.has_role(*PLAN_REGISTER_READERS):
        return reverse("audits:plan_list"), "the plans register"
    return reverse("audits:audit_list"), "your audits"


@role_required(*PLAN_REGISTER_READERS)
@require_http_methods(["GET"])
def reviews_due(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    plans = (
        Plan.objects.visible_to(request.user)
        .review_due(on=today)
        .select_related("team", "caseworker")
        .order_by("team__name", "next_review_due")
    )
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.team.name if plan.team else "No team", []).append(plan)
    return render(
        request,
        "audits/reviews_due.html",
        {"groups": groups, "today": today, "weeks": REVIEW_DUE_SOON_WEEKS},
    )


@role_required(*PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_import(request: SignedInRequest) -> HttpResponse:
    form = PlanUploadForm(posted(request), request.FILES or None)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = plans_import(read_table(upload, upload.name), by=request.user)
        except PlanImportError as error:
            problems = [str(p) for p in error.problems]
        else:
            messages.success(
                request, f"Imported {summary.created} new plans and updated {summary.updated}."
            )
            return redirect("audits:plan_list")
    return render(request, "audits/plan_import.html", {"form": form, "problems": problems})


@role_required(*PLAN_MANAGERS)
@require_http_methods(["POST"])
def assign(request: SignedInRequest) -> HttpResponse:
    """Step 1 posts the selected plans from the register; step 2 (confirm) creates the audits."""
    form = AssignForm(
        request.POST if "confirm" in request.POST else None,
        initial={"plans": request.POST.getlist("plans")},
    )
    chosen = Plan.objects.filter(uuid__in=_valid_uuids(request.POST.getlist("plans")))
    if "confirm" in request.POST and form.is_valid():
        data = form.cleaned_data
        created, skipped = Audit.objects.assign(
            plans=data["plans"],
            auditor=data["auditor"],
            template=data["template"],
            term=data["term"],
            by=request.user,
        )
        count = len(created)
        tell_outcome(
            request,
            changed=count > 0,
            done=f"{count} audit{'s' if count != 1 else ''} assigned to {data['auditor']}.",
            nothing=f"No audits were assigned to {data['auditor']}.",
        )
        if skipped:
            messages.warning(
                request,
                f"Not assigned again, because they already have a {data['template'].name} audit "
                f"in {data['term'].name}: {', '.join(p.case_reference for p in skipped)}.",
            )
        return redirect("audits:audit_list")
    if not chosen.exists():
        messages.error(request, "Select at least one plan to assign.")
        return redirect("audits:plan_list")
    return render(request, "audits/assign.html", {"form": form, "plans": chosen})


def _valid_uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid
