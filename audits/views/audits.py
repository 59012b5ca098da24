"""Scoring an audit section by section, submitting, reopening, and reading it."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits import local_offer
from audits.access import audit_to_score, audit_to_view
from audits.forms import OverallForm, ReopenForm, SectionAnswersForm, SubmitForm
from audits.models import (
    Answer,
    Audit,
    AuditIncomplete,
    AuditLocked,
    ChecklistTemplate,
    MissingAnswers,
    PlacementType,
    PrimaryNeed,
    TemplateItem,
)
from audits.models.audits import AuditQuerySet, to_do_condition
from audits.roles import AUDIT_MANAGERS, AUDIT_READERS, AUDIT_REOPENERS
from audits.scoring import AuditResult, section_subtotal
from audits.statuses import task_status
from send_qa.core import follow_up
from send_qa.core.access import SignedInRequest, opaque_id, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.back import way_back
from send_qa.core.concurrency import EditConflict
from send_qa.core.figures import percent
from send_qa.core.follow_up import FollowUp
from send_qa.core.forms import posted
from send_qa.core.keyset import Direction, KeysetPage, cursor_query, keyset_rows
from send_qa.core.models import Period, Team, User
from send_qa.core.outcomes import tell_outcome
from send_qa.core.paging import PagedByKeys
from send_qa.core.roles import group_name

AUDITS_PER_PAGE = 50
NUMBERED_PAGES = 20


def _filtered_audits(request: SignedInRequest) -> tuple[AuditQuerySet, dict[str, str]]:
    audits = (
        Audit.objects.visible_to(request.user)
        .of_cases()
        # What the rows show, and no more: a join or a wide column read for each of 50 rows
        # costs the planner and the page (a case audit is named by its plan, not its
        # checklist, so neither the checklist nor the plan's team is joined).
        .select_related("plan", "auditor", "term", "sampled_plan", "advice__service")
        .defer("section_scores", "final_comments", "reopen_reason")
    )
    filters = {
        key: request.GET.get(key, "")
        for key in ("term", "status", "auditor", "team", "need", "placement", "grade")
    }
    for key in ("term", "auditor", "team"):  # records are named by uuid, never by number
        filters[key] = opaque_id(filters[key])
    if filters["term"]:
        audits = audits.filter(term__uuid=filters["term"])
    if filters["status"] in Audit.Status.values:
        audits = audits.filter(status=filters["status"])
    if filters["auditor"]:
        audits = audits.filter(auditor__uuid=filters["auditor"])
    if filters["team"]:
        audits = audits.filter(plan__team__uuid=filters["team"])
    if filters["need"] in PrimaryNeed.values:
        audits = audits.filter(plan__primary_need=filters["need"])
    if filters["placement"] in PlacementType.values:
        audits = audits.filter(plan__placement_type=filters["placement"])
    if filters["grade"]:
        audits = audits.filter(grade=filters["grade"])
    return audits, filters


def _every_audit_page(
    request: SignedInRequest, audits: AuditQuerySet
) -> tuple[KeysetPage[Audit], int]:
    """SENDOPS's page of every audit, newest first, and how many match the filters (the
    caption says it; a count over the list's index, not the rows). The first pages are
    numbered; past them, and from the last page back, a page is read from its neighbour's
    first or last audit (`send_qa.core.keyset`), so page 600 costs what page 1 does."""
    base = request.GET
    direction: Direction
    if base.get("after"):
        direction, named = "after", base["after"]
    elif base.get("before"):
        direction, named = "before", base["before"]
    elif base.get("page") == "last":
        direction, named = "last", ""
    else:
        return _numbered_page(base, audits)
    cursor = None
    if direction != "last":
        named = opaque_id(named)
        cursor = audits.filter(uuid=named).first() if named else None
        if cursor is None:
            raise Http404("No such audit in this list")
    rows, more = keyset_rows(audits, "assigned_at", direction, cursor, AUDITS_PER_PAGE)
    more_before = more if direction != "after" else True
    more_after = more if direction == "after" else direction == "before"
    page = KeysetPage(
        rows,
        previous_query=cursor_query(base, "before", str(rows[0].uuid))
        if rows and more_before
        else "",
        next_query=cursor_query(base, "after", str(rows[-1].uuid)) if rows and more_after else "",
        position="Last page" if direction == "last" else _assigned_between(rows),
    )
    return page, audits.count()


def _numbered_page(base: QueryDict, audits: AuditQuerySet) -> tuple[KeysetPage[Audit], int]:
    """One of the first pages, by number; a deeper number is not a page of this list."""
    paginator = Paginator(audits.order_by("-assigned_at", "pk"), AUDITS_PER_PAGE)
    number = base.get("page", "1")
    if number.isdigit() and int(number) > NUMBERED_PAGES:
        raise Http404("Pages past the first ones are reached by Next and Previous")
    numbered = paginator.get_page(number)
    rows = list(numbered.object_list)
    query = base.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    previous_query = next_query = ""
    if numbered.has_previous():
        query["page"] = str(numbered.previous_page_number())
        previous_query = query.urlencode()
    if numbered.has_next() and numbered.number < NUMBERED_PAGES:
        query["page"] = str(numbered.next_page_number())
        next_query = query.urlencode()
    elif numbered.has_next():
        next_query = cursor_query(base, "after", str(rows[-1].uuid))
    last_query = cursor_query(base, "last") if paginator.num_pages > NUMBERED_PAGES else ""
    page = KeysetPage(
        rows,
        previous_query=previous_query,
        next_query=next_query,
        position=f"Page {numbered.number} of {paginator.num_pages}",
        last_query=last_query,
    )
    return page, paginator.count


def _assigned_between(rows: list[Audit]) -> str:
    if not rows:
        return ""
    newest, oldest = (dateformat.format(r.assigned_at, "j M Y") for r in (rows[0], rows[-1]))
    return f"Assigned {newest}" if newest == oldest else f"Assigned {oldest} to {newest}"


def auditor_choices() -> QuerySet[User]:
    """Everyone who may be given audits (by role: reading it from 15,000 audits is slow)."""
    roles = [group_name(role) for role in AUDIT_READERS]
    people: QuerySet[User] = User.objects.filter(groups__name__in=roles)
    return people.distinct().order_by("full_name")


def grade_choices() -> list[str]:
    """The grades any version of any checklist gives, from the checklists' grade bands."""
    bands = ChecklistTemplate.objects.values_list("grade_bands", flat=True)
    return sorted({band["label"] for grade_bands in bands for band in grade_bands or []})


@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "list of audits")
def audit_list(request: SignedInRequest) -> HttpResponse:
    """SENDOPS filter every audit; anyone else sees their worklist first (this term's audits
    not submitted, `to_do_condition`), then the rest, on the same pages."""
    audits, filters = _filtered_audits(request)
    is_sendops = request.user.has_role(*AUDIT_MANAGERS)
    to_do_count = None
    page: KeysetPage[Audit] | Page
    if is_sendops:
        page, total = _every_audit_page(request, audits)
        rows = page.object_list
    else:
        to_do = to_do_condition(request.user, Period.objects.current_term())
        with_to_do = audits.annotate(is_to_do=ExpressionWrapper(to_do, output_field=BooleanField()))
        to_do_count = audits.filter(to_do).count()
        # The page's audits found by key alone, then read with what the rows show.
        in_order = PagedByKeys(with_to_do.order_by("-is_to_do", "-assigned_at", "pk"))
        numbered = Paginator(in_order, AUDITS_PER_PAGE).get_page(request.GET.get("page"))
        rows, total, page = list(numbered.object_list), numbered.paginator.count, numbered
    return render(
        request,
        "audits/audit_list.html",
        {
            "page": page,
            "to_do_rows": [audit for audit in rows if getattr(audit, "is_to_do", False)],
            "other_rows": [audit for audit in rows if not getattr(audit, "is_to_do", False)],
            "captions": {
                "all": f"{total} audit{pluralize(total)}",
                "to_do": f"To do this term: {to_do_count}",
                "others": f"Submitted and other audits: {total - (to_do_count or 0)}",
            },
            "filters": filters,
            "filter_querystring": request.GET.copy(),
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "statuses": Audit.Status.choices,
            "needs": PrimaryNeed.choices,
            "placements": PlacementType.choices,
            "auditors": auditor_choices() if is_sendops else [],
            "teams": Team.objects.filter(is_active=True) if is_sendops else [],
            "grades": grade_choices() if is_sendops else [],
            "is_sendops": is_sendops,
            # "Your audits" of one auditor: a column of their own name on every row says nothing.
            "show_auditor": is_sendops or any(a.auditor_id != request.user.pk for a in rows),
        },
    )


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_detail(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        return _render_imported(request, audit)
    return task_list_page(request, audit)


def _render_imported(request: SignedInRequest, audit: Audit) -> HttpResponse:
    """An imported audit has no answers: its page shows the results the council recorded."""
    titles = dict(audit.template.sections.values_list("code", "title"))
    return render(
        request,
        "audits/audit_imported.html",
        {
            "audit": audit,
            "came_from": way_back(request, reverse("audits:audit_list")),
            "sections": [
                (titles.get(code, code), points, maximum, percent(points, maximum))
                for code, (points, maximum) in audit.section_scores.items()
            ],
        },
    )


def task_list_page(request: SignedInRequest, audit: Audit) -> HttpResponse:
    """An audit's task list; after a failed submit (``?missing=1``) it lists, section by
    section, the questions still to answer, each linked to the question itself."""
    sections = list(audit.sections_with_items())
    answers = audit.answers_by_item()
    result = audit.result(sections, answers)
    pages = pages_for(audit)
    can_score = audit.auditor_id == request.user.pk and not audit.is_submitted
    missing = (
        missing_groups(pages, audit.missing_answers(result))
        if can_score and request.GET.get("missing")
        else []
    )
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "pages": pages,
            "result": result,
            "not_met": requirements_not_met(request, audit, result, answers),
            "extra_answers": audit.extra_answers(result, answers),
            "can_score": can_score,
            "can_reopen": request.user.has_role(*AUDIT_REOPENERS) and audit.is_submitted,
            "overall_tag": task_status(
                "Completed"
                if not audit.template.has_overall_rating or audit.overall_rating is not None
                else "Not started"
            ),
            "missing": missing,
            "missing_count": sum(len(group.links) for group in missing),
            "came_from": way_back(request, reverse(pages.back)),
        },
    )


@dataclass(frozen=True)
class MissingGroup:
    """One section's questions not answered yet, as the error summary lists them."""

    title: str
    links: list[tuple[str, str]]  # (the question in words, its address on the section page)


def missing_groups(pages: "AuditPages", missing: MissingAnswers) -> list[MissingGroup]:
    groups = [
        MissingGroup(
            section.title,
            [
                (
                    f"{item.code}. {item.text}",
                    f"{pages.section_url(section.code)}#{item.anchor}",
                )
                for item in items
            ],
        )
        for section, items in missing.sections
    ]
    if missing.overall_rating:
        overall = reverse("audits:audit_overall", kwargs={"audit_uuid": pages.audit.uuid})
        rating = [("Rate the plan as a whole", f"{overall}#id_overall_rating_1")]
        whole = "plan" if pages.audit.plan_id else pages.audit.thing
        groups.append(MissingGroup(f"The {whole} as a whole", rating))
    return groups


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_section(request: SignedInRequest, audit_uuid: uuid.UUID, code: str) -> HttpResponse:
    """A submitted audit's section may be read by everyone who may see the audit; until then
    only its auditor opens it, to fill it in."""
    audit = audit_to_view(request.user, audit_uuid)
    if not audit.is_submitted:
        audit = audit_to_score(request.user, audit_uuid)
    return section_page(request, audit, code)


def section_page(request: SignedInRequest, audit: Audit, code: str) -> HttpResponse:
    """One section of an audit, a Local Offer check or a skills self-audit: a form for whoever
    fills it in, read-only once submitted (the caller has checked who may open it). "Save and
    continue" leads to the next section, from the last to the page after the sections."""
    pages = pages_for(audit)
    if audit.is_imported:  # it has no answers: its page shows the council's results
        messages.error(request, audit.read_only_reason)
        return redirect(pages.detail_url)
    sections = list(audit.sections_with_items())
    index = next((n for n, s in enumerate(sections) if s.code == code), None)
    if index is None:
        raise Http404("No such section")
    section = sections[index]
    items = list(section.items.all())
    answers = audit.answers_by_item()
    if audit.read_only_reason:
        if request.method == "POST":
            messages.error(request, audit.read_only_reason)
            return redirect(pages.section_url(section.code))
        return render(
            request,
            "audits/audit_section_read.html",
            {
                "audit": audit,
                "pages": pages,
                "section": section,
                "rows": [checked_answer(item, answers.get(item.pk)) for item in items],
                "subtotal": section_subtotal(items, answers),
                "position": index + 1,
                "count": len(sections),
                "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            },
        )
    form = SectionAnswersForm(posted(request), audit=audit, items=items, answers=answers)
    conflict = None
    if form.is_valid():
        values = form.answer_values()
        try:
            audit.save_answers(values=values, version=form.posted_version(), by=request.user)
        except EditConflict as error:
            # The page shows the colleague's answers, so saving it next is not a stale save.
            conflict, error.url = error, request.path
            audit.refresh_from_db()
            answers = audit.answers_by_item()
            form = SectionAnswersForm(None, audit=audit, items=items, answers=answers)
        else:
            if request.GET.get("next") == "check":  # a "Change" link of Check your answers
                return redirect(pages.check_url)
            is_last = index + 1 == len(sections)
            if "later" in request.POST or is_last:
                blank = sum(1 for i in items if i.required and not values[i.pk]["value"].strip())
                messages.success(
                    request,
                    f"Your answers to {section.title} have been saved."
                    + (f" {not_answered_yet(blank)}" if blank else ""),
                )
            if "later" in request.POST:
                return redirect(pages.detail_url)
            if is_last:
                return redirect(pages.after_sections_url)
            return redirect(pages.section_url(sections[index + 1].code))
    saved = section_subtotal(items, answers)
    return render(
        request,
        "audits/audit_section.html",
        {
            "audit": audit,
            "pages": pages,
            "section": section,
            "form": form,
            "conflict": conflict,
            "position": index + 1,
            "count": len(sections),
            # Said only of a section already saved: a new one is simply not started.
            "not_answered": {i.pk: i for i in saved.required_missing} if saved.saved else {},
        },
        status=409 if conflict else 200,
    )


def not_answered_yet(count: int) -> str:
    """ "1 question in this section is not answered yet", as the task list and message say."""
    if count == 1:
        return "1 question in this section is not answered yet."
    return f"{count} questions in this section are not answered yet."


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_overall(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    """The plan (or check) as a whole, after the last section; "Save and continue" leads to
    Check your answers."""
    audit = audit_to_score(request.user, audit_uuid)
    pages = pages_for(audit)
    if audit.read_only_reason:
        messages.error(request, audit.read_only_reason)
        return redirect(pages.detail_url)
    form = OverallForm(
        posted(request),
        audit=audit,
        initial={"overall_rating": audit.overall_rating, "final_comments": audit.final_comments},
    )
    conflict = None
    if form.is_valid():
        try:
            audit.save_overall(
                rating=form.cleaned_data.get("overall_rating"),
                comments=form.cleaned_data.get("final_comments", ""),
                version=form.posted_version(),
            )
        except EditConflict as error:
            conflict, error.url = error, request.path
            audit.refresh_from_db()
            form = OverallForm(
                None,
                audit=audit,
                initial={
                    "overall_rating": audit.overall_rating,
                    "final_comments": audit.final_comments,
                },
            )
        else:
            tell_outcome(
                request,
                changed=audit.overall_rating is not None,
                done="Your overall rating has been saved.",
                nothing="You have not chosen an overall rating yet"
                + ("; your comments have been saved." if audit.final_comments else ".")
                + " Rate the plan as a whole before you submit the audit.",
            )
            return redirect(pages.check_url)
    return render(
        request,
        "audits/audit_overall.html",
        {"audit": audit, "pages": pages, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_check(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return check_page(request, audit_to_score(request.user, audit_uuid))


@role_required(*AUDIT_READERS)
@require_http_methods(["POST"])
def audit_submit(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    return submit_page(request, audit_to_score(request.user, audit_uuid))


@dataclass(frozen=True)
class CheckedAnswer:
    """One question and its answer in words, for the check-your-answers page."""

    item: TemplateItem
    shown: str
    comment: str
    extras: list[tuple[str, str]]
    points: tuple[Decimal, Decimal] | None = None  # (points, out of) where the question scores


def checked_answer(item: TemplateItem, answer: Answer | None) -> CheckedAnswer:
    if answer is None:
        return CheckedAnswer(item, "Not answered", "", [])
    return CheckedAnswer(
        item,
        answer.display(item),
        answer.comment,
        answer.extras_shown(item),
        answer.points_for(item),
    )


def check_page(
    request: SignedInRequest,
    audit: Audit,
    *,
    form: SubmitForm | None = None,
    conflict: EditConflict | None = None,
) -> HttpResponse:
    """Every answer of an audit, a check or a self-audit, before the submit that cannot be
    undone. Its form carries the version of the answers shown, so a colleague's later change
    refuses the submit."""
    pages = pages_for(audit)
    if audit.read_only_reason:
        messages.error(request, audit.read_only_reason)
        return redirect(pages.detail_url)
    sections = list(audit.sections_with_items())
    answers = audit.answers_by_item()
    result = audit.result(sections, answers)
    checked = [
        (section.section, [checked_answer(item, answers.get(item.pk)) for item in section.items])
        for section in result.sections
    ]
    template = audit.template
    labels = (template.overall_rating_scale or {}).get("labels", {})
    rating = audit.overall_rating
    return render(
        request,
        "audits/audit_check.html",
        {
            "audit": audit,
            "pages": pages,
            "sections": checked,
            "missing_count": len(audit.missing_answers(result)),
            "rating": (
                "Not rated"
                if rating is None
                else f"{rating} – {labels[str(rating)]}"
                if str(rating) in labels
                else str(rating)
            ),
            "submit_form": form or SubmitForm(audit=audit),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def submit_page(request: SignedInRequest, audit: Audit) -> HttpResponse:
    """Submit an audit, a check or a self-audit for whoever fills it in, from its
    check-your-answers page. A refusal for missing answers goes back to the task list, which
    lists them: a reload never posts again."""
    form = SubmitForm(request.POST, audit=audit)
    version = form.posted_version() if form.is_valid() else ""
    pages = pages_for(audit)
    try:
        audit.submit(version=version, by=request.user)
    except AuditIncomplete:
        return redirect(f"{pages.detail_url}?missing=1")
    except EditConflict as error:
        error.url = pages.check_url
        audit.refresh_from_db()
        return check_page(request, audit, form=form, conflict=error)
    except AuditLocked as error:
        messages.error(request, error.message)
        return redirect(pages.detail_url)
    if audit.plan_id is None:
        messages.success(request, f"{audit.reference} submitted.")
    else:
        messages.success(request, f"Audit of {audit.reference} submitted.")
    return redirect(pages.detail_url)


@role_required(*AUDIT_REOPENERS)
@require_http_methods(["GET", "POST"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_reopen(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        messages.error(request, audit.read_only_reason)
        return redirect(audit_detail_url(audit))
    if not audit.is_submitted:
        messages.error(request, "Only a submitted audit can be reopened.")
        return redirect(audit_detail_url(audit))
    form = ReopenForm(posted(request))
    if form.is_valid():
        audit.reopen(by=request.user, reason=form.cleaned_data["reason"])
        what = f"Audit of {audit.reference}" if audit.plan_id else audit.reference
        messages.success(request, f"{what} reopened for {audit.auditor}.")
        return redirect(audit_detail_url(audit))
    return render(request, "audits/audit_reopen.html", {"audit": audit, "form": form})


@never_cache
@role_required(*AUDIT_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.RECORD_VIEWED, "audit", "audit_uuid")
def audit_print(request: SignedInRequest, audit_uuid: uuid.UUID) -> HttpResponse:
    audit = audit_to_view(request.user, audit_uuid)
    if audit.is_imported:
        return _render_imported(request, audit)
    sections = list(audit.sections_with_items())
    answers = audit.answers_by_item()
    return render(
        request,
        "audits/audit_print.html",
        {"audit": audit, "result": audit.result(sections, answers), "answers": answers},
    )


def audit_detail_url(audit: Audit) -> str:
    return pages_for(audit).detail_url


@dataclass(frozen=True)
class AuditPages:
    """The pages (URL names) an audit's task list and sections link to: a skills self-audit
    has its own, which only its respondent may open; the rest share the audit pages."""

    audit: Audit
    detail: str
    section: str
    check: str
    submit: str
    back: str
    back_text: str

    @property
    def detail_url(self) -> str:
        return reverse(self.detail, kwargs={"audit_uuid": self.audit.uuid})

    @property
    def check_url(self) -> str:
        return reverse(self.check, kwargs={"audit_uuid": self.audit.uuid})

    def section_url(self, code: str) -> str:
        return reverse(self.section, kwargs={"audit_uuid": self.audit.uuid, "code": code})

    @property
    def after_sections_url(self) -> str:
        """Where the last section continues: the plan (or check) as a whole where the
        checklist asks for it, else Check your answers."""
        template = self.audit.template
        if template.has_overall_rating or template.final_comments:
            return reverse("audits:audit_overall", kwargs={"audit_uuid": self.audit.uuid})
        return self.check_url


def pages_for(audit: Audit) -> AuditPages:
    if audit.is_self_audit:
        return AuditPages(
            audit,
            "audits:skills_detail",
            "audits:skills_section",
            "audits:skills_check",
            "audits:skills_submit",
            "audits:my_skills",
            "Back to your skills self-audits",
        )
    common = (
        audit,
        "audits:audit_detail",
        "audits:audit_section",
        "audits:audit_check",
        "audits:audit_submit",
    )
    if audit.is_local_offer_check:
        return AuditPages(*common, "audits:local_offer_list", "Back to Local Offer checks")
    return AuditPages(*common, "audits:audit_list", "Back to audits")


@dataclass(frozen=True)
class NotMet:
    """A requirement a submitted Local Offer check found partly or not met, with the actions
    raised from it."""

    item: TemplateItem
    shown: str  # "Partial" or "Not compliant"
    extras: list[tuple[str, str]]  # must or should, action, who, by when
    ref: str
    follow_ups: list[FollowUp]


def requirements_not_met(
    request: SignedInRequest, audit: Audit, result: AuditResult, answers: Mapping[int, Answer]
) -> list[NotMet]:
    """A submitted check's requirements not fully met, and their actions in one call."""
    if not (audit.is_local_offer_check and audit.is_submitted):
        return []
    found = [
        (item, answer)
        for section in result.sections
        for item in section.items
        if local_offer.not_fully_met(answer := answers.get(item.pk))
    ]
    refs = [local_offer.item_ref(audit, item.code) for item, _ in found]
    raised = follow_up.follow_ups(local_offer.KIND, refs, request.user)
    return [
        NotMet(item, answer.display(item), answer.extras_shown(item), ref, raised.get(ref, []))
        for (item, answer), ref in zip(found, refs, strict=True)
        if answer is not None
    ]
