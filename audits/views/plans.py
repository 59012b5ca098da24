"""The plans register: list, reviews due, import, assigning audits."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.access import plan_to_view
from audits.forms import AssignForm, AssignMatchingForm, PlanUploadForm
from audits.models import AgeBand, Audit, PlacementType, Plan, PrimaryNeed
from audits.models.plans import REVIEW_DUE_SOON_WEEKS
from audits.peer_moderation import teams_with_plans
from audits.plan_import import TEMPLATE_COLUMNS, PlanImportError, plans_import, read_table
from audits.register import (
    COLUMNS,
    NOT_AUDITED_MONTHS,
    SORT_KEYS,
    Order,
    RegisterFilters,
    caseworkers_of,
    register_plans,
    sorted_plans,
)
from audits.reviews import (
    CountedPaginator,
    ReviewFilters,
    ReviewsDue,
    plans_with_reviews_due,
    review_counts,
)
from audits.roles import PLAN_MANAGERS, PLAN_READERS, PLAN_REGISTER_READERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.back import way_back
from send_qa.core.forms import posted
from send_qa.core.import_templates import template_download
from send_qa.core.models import User
from send_qa.core.outcomes import tell_outcome
from send_qa.core.paging import PagedByKeys

PLANS_PER_PAGE = 50


@role_required(*PLAN_REGISTER_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "plans register")
def plan_list(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = RegisterFilters.read(request.GET)
    key = request.GET.get("sort", "")
    key = key if key in SORT_KEYS else "reference"
    order: Order = "descending" if request.GET.get("order") == "descending" else "ascending"
    visible = Plan.objects.visible_to(request.user)
    plans = filters.applied(visible, today=today).select_related("team", "caseworker")
    page: Page[Plan] = Paginator(
        PagedByKeys(sorted_plans(plans, key, order)), PLANS_PER_PAGE
    ).get_page(request.GET.get("page"))
    can_assign = request.user.has_role(*PLAN_MANAGERS)
    return render(
        request,
        "audits/plan_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_querystring": request.GET.copy(),
            "columns": _sortable_columns(filters, key, order),
            "matching_query": filters.query().urlencode(),
            "needs": PrimaryNeed.choices,
            "placements": PlacementType.choices,
            "ages": AgeBand.choices,
            "months": [(str(m), f"{m} months") for m in NOT_AUDITED_MONTHS],
            # Caseworkers see their own team's plans: the team filter is for SENDOPS.
            "teams": teams_with_plans().values_list("uuid", "name") if can_assign else [],
            "caseworkers": caseworkers_of(visible).values_list("uuid", "full_name"),
            "can_assign": can_assign,
            "today": today,
        },
    )


def _sortable_columns(
    filters: RegisterFilters, key: str, order: Order
) -> list[dict[str, str | None]]:
    """Each column's heading, the link that sorts by it (keeping the filters, back to page 1)
    and its `aria-sort` when it is the sorted one: the GOV.UK sortable table, on the server."""
    columns = []
    for column in COLUMNS:
        sorted_here = column.key == key
        query = filters.query()
        query["sort"] = column.key
        query["order"] = "descending" if sorted_here and order == "ascending" else "ascending"
        columns.append(
            {
                "heading": column.heading,
                "href": f"?{query.urlencode()}",
                "aria_sort": order if sorted_here else None,
            }
        )
    return columns


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
            "came_from": way_back(request, _way_back(request.user)[0]),
        },
    )


def _way_back(user: User) -> tuple[str, str]:
    """The register for those who browse it; an auditor, who may not, back to their audits."""
    if user.has_role(*PLAN_REGISTER_READERS):
        return reverse("audits:plan_list"), "the plans register"
    return reverse("audits:audit_list"), "your audits"


@role_required(*PLAN_REGISTER_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "list of reviews due")
def reviews_due(request: SignedInRequest) -> HttpResponse:
    """A page of the reviews due, by team, narrowed by team and month: a large county has
    thousands due at once."""
    today = timezone.localdate()
    filters = ReviewFilters.read(request.GET)
    due = plans_with_reviews_due(request.user, today=today)
    counts = review_counts(due)
    months, teams = counts.months(filters), counts.teams(filters)
    page = CountedPaginator(
        ReviewsDue(
            filters.of_month(filters.of_team(due)),
            [team for team in teams if not filters.team or team.uuid == filters.team],
        ),
        PLANS_PER_PAGE,
        count=counts.total(filters),
    ).get_page(request.GET.get("page"))
    totals = {team.uuid: team.plans for team in teams}
    groups: dict[str, tuple[int, list[Plan]]] = {}
    for plan in page.object_list:
        name = plan.team.name if plan.team else "No team"
        total = totals.get(str(plan.team.uuid) if plan.team else None, 0)
        groups.setdefault(name, (total, []))[1].append(plan)
    return render(
        request,
        "audits/reviews_due.html",
        {
            "page": page,
            "groups": groups,
            "filters": filters,
            "filter_querystring": filters.query(),
            "months": [(month.value, month.label) for month in months],
            # A caseworker sees their own team's: a team filter of one team says nothing.
            "teams": [(team.uuid, f"{team.name} ({team.plans})") for team in teams if team.uuid]
            if len(teams) > 1 or filters.team
            else [],
            "today": today,
            "weeks": REVIEW_DUE_SOON_WEEKS,
        },
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
    context = {"form": form, "problems": problems, "template_columns": TEMPLATE_COLUMNS}
    return render(request, "audits/plan_import.html", context)


@role_required(*PLAN_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "plans import template")
def plan_import_template(request: SignedInRequest, fmt: str) -> HttpResponse:
    """The plans register's import template: its headings and a made-up example row."""
    return template_download(TEMPLATE_COLUMNS, filename="plans-register", fmt=fmt)


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


@role_required(*PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "plans matching the register's filters")
def assign_matching(request: SignedInRequest) -> HttpResponse:
    """Every plan that matches the register's filters, on every page, assigned at once.

    The filters, not a list of plans, travel from the register: the plans are found again
    when the assignment is confirmed, and assigned in one transaction or not at all.
    """
    filters = RegisterFilters.read(request.GET)
    query = filters.query().urlencode()
    back = reverse("audits:plan_list") + (f"?{query}" if query else "")
    matching = register_plans(request.user, filters, today=timezone.localdate())
    form = AssignMatchingForm(posted(request), query=query)
    changed = False
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            changed = matching.count() != data["matching"]
            if not changed:
                ceased = matching.filter(is_active=False).count()
                created, skipped = Audit.objects.assign(
                    plans=matching.filter(is_active=True),
                    auditor=data["auditor"],
                    template=data["template"],
                    term=data["term"],
                    by=request.user,
                )
        if not changed:
            _tell_assigned(request, data, len(created), len(skipped), ceased)
            return redirect("audits:audit_list")
    count = matching.count()
    if not count:
        messages.error(request, "No plans match these filters, so there is nothing to assign.")
        return redirect(back)
    if not form.is_bound or changed:
        # The selection changed since the page was opened: shown again with its new count.
        choices = {**form.cleaned_data, "matching": count} if changed else {"matching": count}
        form = AssignMatchingForm(query=query, initial=choices)
    return render(
        request,
        "audits/assign_matching.html",
        {
            "form": form,
            "count": count,
            "filters": filters.described(),
            "changed": changed,
            "back": back,
        },
    )


def _tell_assigned(
    request: SignedInRequest, data: dict[str, Any], assigned: int, taken: int, ceased: int
) -> None:
    """Exactly how many were assigned and how many were not, and why."""
    audits = f"{assigned} audit{'s' if assigned != 1 else ''}"
    tell_outcome(
        request,
        changed=assigned > 0,
        done=f"{audits} assigned to {data['auditor']}.",
        nothing=f"No audits were assigned to {data['auditor']}.",
    )
    reasons = []
    if taken:
        reasons.append(
            f"{taken} plan{'s' if taken != 1 else ''} already "
            f"{'have' if taken != 1 else 'has'} a {data['template'].name} audit in "
            f"{data['term'].name}"
        )
    if ceased:
        reasons.append(f"{ceased} plan{'s' if ceased != 1 else ''} ceased")
    if reasons:
        skipped = taken + ceased
        messages.warning(
            request,
            f"{skipped} plan{'s' if skipped != 1 else ''} not assigned: {' and '.join(reasons)}.",
        )


def _valid_uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid
