"""Level 2 moderation: sessions, their stratified samples, re-audits, agreement and outcomes.

Moderators see sample codes only. The key from code to case reference is shown to SENDOPS.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.access import can_record_outcomes, session_to_manage, session_to_view
from audits.follow_up import AGREED_ACTION, KEY_ISSUE, session_point_refs
from audits.forms import AgreedGradeForm, KeyIssuesForm, ModerationSessionForm
from audits.models import Audit, ModerationSession
from audits.moderation import (
    SampleLocked,
    SamplingError,
    session_assign_reaudits,
    session_draw,
    sessions_comparison,
)
from audits.roles import MODERATION_MANAGERS, MODERATION_READERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.confirm import Confirmation, confirm_page
from send_qa.core.follow_up import follow_ups
from send_qa.core.forms import posted
from send_qa.core.models import User
from send_qa.core.outcomes import tell_outcome
from send_qa.core.tables import table_download


@role_required(*MODERATION_READERS)
@require_http_methods(["GET"])
def session_list(request: SignedInRequest) -> HttpResponse:
    sessions = (
        ModerationSession.objects.visible_to(request.user)
        .select_related("term")
        .prefetch_related("members")
    )
    return render(
        request,
        "audits/moderation/list.html",
        {"sessions": sessions, "can_manage": request.user.has_role(*MODERATION_MANAGERS)},
    )


@role_required(*MODERATION_MANAGERS)
@require_http_methods(["GET", "POST"])
def session_new(request: SignedInRequest) -> HttpResponse:
    form = ModerationSessionForm(posted(request))
    if form.is_valid():
        session = form.save(commit=False)
        session.created_by = request.user
        session.save()
        form.instance = session
        session.members.set(form.cleaned_data["members"])
        messages.success(request, f"{session} set up. Draw its sample when you are ready.")
        return redirect("audits:moderation_detail", session_uuid=session.uuid)
    return render(request, "audits/moderation/form.html", {"form": form, "session": None})


@role_required(*MODERATION_MANAGERS)
@require_http_methods(["GET", "POST"])
def session_edit(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = session_to_manage(request.user, session_uuid)
    form = ModerationSessionForm(posted(request), instance=session)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{session} saved.")
        return redirect("audits:moderation_detail", session_uuid=session.uuid)
    context = {"form": form, "session": session}
    return render(request, "audits/moderation/form.html", context, status=form.status_code)


@never_cache
@role_required(*MODERATION_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "moderation session", "session_uuid")
def session_detail(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = session_to_view(request.user, session_uuid)
    is_sendops = request.user.has_role(*MODERATION_MANAGERS)
    samples = list(session.samples.select_related("plan", "original_audit").order_by("order"))
    reaudits = list(
        Audit.objects.filter(sampled_plan__session=session)
        .select_related("auditor", "sampled_plan")
        .order_by("sampled_plan__order", "auditor__full_name")
    )
    members = list(session.members.select_related("organisation").order_by("full_name"))
    return render(
        request,
        "audits/moderation/detail.html",
        {
            "session": session,
            "members": members,
            "agencies": len({m.organisation_id for m in members}),
            "samples": samples,
            "reaudits": reaudits,
            "my_reaudits": [a for a in reaudits if a.auditor_id == request.user.pk],
            "is_sendops": is_sendops,
            "can_record": can_record_outcomes(request.user, session),
        },
    )


@role_required(*MODERATION_MANAGERS)
@require_http_methods(["GET", "POST"])
def session_draw_sample(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """Drawing again replaces the sample and cannot be undone: a GET asks "Are you sure?"
    (there is nothing to ask before the first draw), the POST draws."""
    session = session_to_manage(request.user, session_uuid)
    if request.method == "GET":
        return _redraw_confirmation(request, session)
    try:
        sample = session_draw(session)
    except SamplingError as error:
        messages.error(request, str(error))
    except SampleLocked as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{len(sample.plan_ids)} plans sampled from {sample.population} (draw number {sample.seed}).",
        )
    return redirect("audits:moderation_detail", session_uuid=session.uuid)


def _redraw_confirmation(request: SignedInRequest, session: ModerationSession) -> HttpResponse:
    detail = reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid})
    drawn = session.samples.count()
    if not drawn:
        return redirect(detail)
    if Audit.objects.filter(sampled_plan__session=session).exists():
        messages.error(request, SampleLocked.message)
        return redirect(detail)
    sampled_at = session.sampled_at and timezone.localtime(session.sampled_at)
    sampled_on = f" on {sampled_at:%-d %B %Y}" if sampled_at else ""
    return confirm_page(
        request,
        Confirmation(
            caption=str(session),
            question="Are you sure you want to draw the sample again?",
            happens=[
                f"The {drawn} plan{'s' if drawn != 1 else ''} sampled{sampled_on} will be "
                "replaced by a new sample drawn from the plans as they stand now, with new "
                "sample codes. Any agreed grades and notes recorded for them will be deleted.",
                "Members will see only the new sample; a sample downloaded before will be "
                "out of date.",
            ],
            warning="You cannot get the current sample back.",
            button="Draw the sample again",
            cancel_url=detail,
            back_text="Back to the session",
        ),
    )


@role_required(*MODERATION_MANAGERS)
@require_http_methods(["POST"])
def session_assign(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = session_to_manage(request.user, session_uuid)
    if not session.samples.exists():
        messages.error(request, "Draw the sample before you set the re-audits.")
    else:
        count = session_assign_reaudits(session, by=request.user)
        tell_outcome(
            request,
            changed=count > 0,
            done=f"{count} re-audit{'s' if count != 1 else ''} set for the members.",
            nothing="No new re-audits were set: every member already has theirs.",
        )
    return redirect("audits:moderation_detail", session_uuid=session.uuid)


@never_cache
@role_required(*MODERATION_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "moderation sample", "session_uuid")
def session_sample_csv(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """The sample for the meeting: codes and characteristics, never a case reference."""
    session = session_to_view(request.user, session_uuid)
    samples = session.samples.select_related("plan", "original_audit").order_by("order")
    with_grades = request.user.has_role(*MODERATION_MANAGERS)
    header = ["Sample code", "Need", "Age", "Placement", "Agreed grade"]
    rows = []
    for sample in samples:
        row = [
            sample.code,
            sample.plan.primary_need,
            sample.plan.age_band,
            sample.plan.get_placement_type_display(),
            sample.agreed_grade,
        ]
        if with_grades:
            row.append(sample.original_audit.grade if sample.original_audit else "")
        rows.append(row)
    return table_download(
        [*header, "Audit grade"] if with_grades else header,
        rows,
        filename=f"moderation-sample-{session.reference}",
        fmt="csv",
        about=[f"Sample for the {session}", f"Term: {session.term.name}"],
    )


@never_cache
@role_required(*MODERATION_READERS)
@require_http_methods(["GET"])
def session_agreement(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = session_to_view(request.user, session_uuid)
    comparison = sessions_comparison([session])
    item_rows = sorted(
        comparison.by_item.items(), key=lambda pair: comparison.item_order.get(pair[0], (0, 0))
    )
    return render(
        request,
        "audits/moderation/agreement.html",
        {
            "session": session,
            "comparison": comparison,
            "item_rows": [(code, comparison.item_text.get(code, ""), a) for code, a in item_rows],
            "disagreed": [
                (code, comparison.item_text.get(code, ""), a)
                for code, a in comparison.most_disagreed
            ],
            "samples": session.samples.order_by("order"),
        },
    )


@never_cache
@role_required(*MODERATION_READERS)
@require_http_methods(["GET", "POST"])
def session_outcome(request: SignedInRequest, session_uuid: uuid.UUID, code: str) -> HttpResponse:
    session = session_to_view(request.user, session_uuid)
    if not can_record_outcomes(request.user, session):
        raise PermissionDenied("Only the group's members and SENDOPS record its outcomes.")
    sample = get_object_or_404(session.samples.select_related("original_audit"), code=code)
    template = sample.original_audit.template if sample.original_audit else None
    grades = [band["label"] for band in (template.grade_bands if template else [])] or [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    form = AgreedGradeForm(posted(request), instance=sample, grades=grades)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"Agreed grade for {sample.code} saved.")
        return redirect("audits:moderation_detail", session_uuid=session.uuid)
    return render(
        request,
        "audits/moderation/outcome.html",
        {"session": session, "sample": sample, "form": form},
        status=form.status_code,
    )


@role_required(*MODERATION_MANAGERS)
@require_http_methods(["GET", "POST"])
def session_key_issues(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = session_to_manage(request.user, session_uuid)
    form = KeyIssuesForm(posted(request), instance=session)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, "The key issues report has been saved.")
        return redirect("audits:moderation_report", session_uuid=session.uuid)
    context = {"session": session, "form": form}
    return render(request, "audits/moderation/key_issues.html", context, status=form.status_code)


@never_cache
@role_required(*MODERATION_READERS)
@require_http_methods(["GET"])
def session_report(request: SignedInRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """The printable key-issues report, kept with the session."""
    session = session_to_view(request.user, session_uuid)
    return render(
        request,
        "audits/moderation/report.html",
        {
            "session": session,
            "members": session.members.select_related("organisation").order_by("full_name"),
            "samples": session.samples.select_related("original_audit").order_by("order"),
            "comparison": sessions_comparison([session]),
            "can_edit": request.user.has_role(*MODERATION_MANAGERS),
            **_session_points(session, request.user),
        },
    )


def _session_points(session: ModerationSession, user: User) -> dict[str, object]:
    """Each key issue and agreed action with the actions raised from it (one query each kind)."""
    points: dict[str, object] = {}
    for kind, refs in session_point_refs(session).items():
        raised = follow_ups(kind, [ref for ref, _ in refs], user)
        what = "key issue" if kind == KEY_ISSUE else "agreed action"
        points[kind] = [
            (ref, point, raised.get(ref, []), f"{what} {n}")
            for n, (ref, point) in enumerate(refs, start=1)
        ]
    return {"key_issues": points[KEY_ISSUE], "agreed_actions": points[AGREED_ACTION]}
