"""Meetings, their papers, decisions and recommendations, and the forward plan. Thin views:
the rules live on the models (who may record what), in governance/cycle.py (where recurring
papers go) and governance/services.py (drawing the plan)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from governance.evidence import KIND as DECISION_KIND
from governance.forms import DecisionForm, MeetingForm, PaperAddForm, PlanItemForm
from governance.models import Decision, ForwardPlanItem, Meeting, MeetingPaper
from governance.roles import MEETING_MANAGERS, MEETING_READERS
from governance.services import forward_plan, forward_plan_draw
from send_qa.core import follow_up, papers
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.forms import posted
from send_qa.core.models import academic_year_label, academic_year_start

PAST_PER_PAGE = 20


@role_required(*MEETING_READERS)
@require_http_methods(["GET"])
def meeting_list(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = Meeting.objects.visible_to(request.user)
    past = Paginator(meetings.past(today), PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/meeting_list.html",
        {
            "upcoming": meetings.upcoming(today) if past.number == 1 else [],
            "past": past,
            "page": past,
            "filter_querystring": request.GET.copy(),
            "is_sendops": request.user.has_role(*MEETING_MANAGERS),
        },
    )


@role_required(*MEETING_MANAGERS)
@require_http_methods(["GET", "POST"])
def meeting_new(request: SignedInRequest) -> HttpResponse:
    form = MeetingForm(posted(request))
    if form.is_valid():
        meeting = form.save()
        messages.success(request, f"{meeting} added.")
        return redirect("governance:meeting_detail", meeting_uuid=meeting.uuid)
    return render(request, "governance/form.html", {"form": form, "heading": "Add a meeting"})


@role_required(*MEETING_MANAGERS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: SignedInRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, uuid=meeting_uuid)
    form = MeetingForm(posted(request), instance=meeting)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{meeting} saved.")
        return redirect("governance:meeting_detail", meeting_uuid=meeting.uuid)
    return render(
        request,
        "governance/form.html",
        {"form": form, "heading": "Change the meeting", "caption": meeting, "meeting": meeting},
        status=form.status_code,
    )


@role_required(*MEETING_READERS)
@require_http_methods(["GET"])
def meeting_detail(request: SignedInRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).prefetch_related(
            Prefetch("papers", queryset=MeetingPaper.objects.select_related("fulfils")),
            Prefetch("plan_items", queryset=ForwardPlanItem.objects.select_related("lead")),
            Prefetch("decisions", queryset=Decision.objects.select_related("recorded_by")),
        ),
        uuid=meeting_uuid,
    )
    decisions = list(meeting.decisions.all())
    raised = follow_up.follow_ups(
        DECISION_KIND, [str(decision.uuid) for decision in decisions], request.user
    )
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "papers": meeting.papers.all(),
            "plan_items": meeting.plan_items.all(),
            "decisions": [(decision, raised.get(str(decision.uuid), [])) for decision in decisions],
            "may_record": bool(meeting.kinds_user_may_record(request.user)),
            "is_sendops": request.user.has_role(*MEETING_MANAGERS),
        },
    )


@role_required(*MEETING_MANAGERS)
@require_http_methods(["GET", "POST"])
def paper_add(request: SignedInRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, uuid=meeting_uuid)
    already = set(meeting.papers.values_list("kind", "ref"))
    offered = [p for p in papers.candidates(request.user) if (p.kind, p.ref) not in already]
    form = PaperAddForm(posted(request), meeting=meeting, papers=offered)
    if form.is_valid():
        chosen = form.chosen()
        paper = papers.paper_of(chosen.kind, chosen.ref, request.user)
        if paper is None:
            form.add_error("paper", "That paper is no longer available: choose another")
        else:
            try:
                with transaction.atomic():
                    MeetingPaper.objects.create(
                        meeting=meeting,
                        kind=paper.kind,
                        ref=paper.ref,
                        title=paper.title,
                        url=paper.url,
                        paper_date=paper.date,
                        fulfils=form.cleaned_data["fulfils"],
                        added_by=request.user,
                    )
                    item = form.cleaned_data["fulfils"]
                    if item and item.status == ForwardPlanItem.Status.PLANNED:
                        item.status = ForwardPlanItem.Status.READY
                        item.save()
            except IntegrityError:
                form.add_error("paper", "That paper is already one of this meeting's papers")
            else:
                messages.success(request, f"{paper.title} added to the papers.")
                return redirect("governance:meeting_detail", meeting_uuid=meeting.uuid)
    return render(
        request,
        "governance/paper_add.html",
        {"form": form, "meeting": meeting, "offered": offered},
    )


@role_required(*MEETING_READERS)
@require_http_methods(["GET", "POST"])
def decision_new(request: SignedInRequest, meeting_uuid: uuid.UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting, uuid=meeting_uuid)
    kinds = meeting.kinds_user_may_record(request.user)
    if not kinds:
        raise PermissionDenied("Board members record the decisions of the Partnership Board.")
    form = DecisionForm(posted(request), kinds=kinds)
    if form.is_valid():
        decision = form.save(commit=False)
        decision.meeting, decision.recorded_by = meeting, request.user
        decision.save()
        messages.success(request, f"{decision.get_kind_display()} recorded.")
        return redirect("governance:meeting_detail", meeting_uuid=meeting.uuid)
    heading = "Record a decision or recommendation" if len(kinds) > 1 else "Record a decision"
    return render(
        request,
        "governance/form.html",
        {"form": form, "heading": heading, "caption": meeting, "meeting": meeting},
    )


def _year(asked: str) -> int:
    """The academic year asked for (its first calendar year), else this one."""
    if asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    return academic_year_start(timezone.localdate())


@role_required(*MEETING_READERS)
@require_http_methods(["GET"])
def forward_plan_view(request: SignedInRequest) -> HttpResponse:
    year = _year(request.GET.get("year", ""))
    items = (
        ForwardPlanItem.objects.filter(meeting__in=Meeting.objects.in_academic_year(year))
        .select_related("meeting", "lead")
        .order_by("meeting__date", "meeting__time", "title", "pk")
    )
    return render(
        request,
        "governance/forward_plan.html",
        {
            "year": year,
            "year_label": academic_year_label(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "items": items,
            "gaps": [p for p in forward_plan(year) if p.meeting is None],
            "is_sendops": request.user.has_role(*MEETING_MANAGERS),
        },
    )


@role_required(*MEETING_MANAGERS)
@require_http_methods(["POST"])
def forward_plan_draw_view(request: SignedInRequest) -> HttpResponse:
    year = _year(request.POST.get("year", ""))
    drawn = forward_plan_draw(year)
    label = academic_year_label(year)
    if drawn.created:
        messages.success(
            request,
            f"{drawn.created} paper{'s' if drawn.created != 1 else ''} added to the forward "
            f"plan for {label}.",
        )
    else:
        messages.success(request, f"The forward plan for {label} already has every paper.")
    return redirect(f"{reverse('governance:forward_plan')}?year={year}")


def _plan_url(item: ForwardPlanItem) -> str:
    return f"{reverse('governance:forward_plan')}?year={academic_year_start(item.meeting.date)}"


@role_required(*MEETING_MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_item_new(request: SignedInRequest) -> HttpResponse:
    form = PlanItemForm(posted(request))
    if form.is_valid():
        item = form.save()
        messages.success(request, f"{item} added to the forward plan.")
        return redirect(_plan_url(item))
    return render(
        request,
        "governance/form.html",
        {"form": form, "heading": "Add a paper to the forward plan", "back": "forward_plan"},
    )


@role_required(*MEETING_MANAGERS)
@require_http_methods(["GET", "POST"])
def plan_item_edit(request: SignedInRequest, item_uuid: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(ForwardPlanItem.objects.select_related("meeting"), uuid=item_uuid)
    form = PlanItemForm(posted(request), instance=item)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{item} saved.")
        return redirect(_plan_url(item))
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "heading": "Change the forward-plan item",
            "caption": item.title,
            "back": "forward_plan",
        },
        status=form.status_code,
    )


@role_required(*MEETING_MANAGERS)
@require_http_methods(["POST"])
def plan_item_remove(request: SignedInRequest, item_uuid: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(ForwardPlanItem.objects.select_related("meeting"), uuid=item_uuid)
    url = _plan_url(item)
    item.delete()
    messages.success(request, f"{item.title} taken off the forward plan.")
    return redirect(url)
