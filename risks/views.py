"""The risk register: the list, the matrix, one risk, and what SENDOPS change."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from risks.access import risk_to_manage, risk_to_view
from risks.forms import RiskForm
from risks.matrix import matrix_rows, matrix_svg
from risks.models import Risk, reference_of
from risks.roles import RISK_MANAGERS, RISK_READERS
from risks.scoring import IMPACT, LIKELIHOOD
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.forms import posted
from send_qa.core.history import Source, history_page
from send_qa.core.roles import HISTORY_READERS

RISKS_PER_PAGE = 25
SHOWN = {"open": "Open risks", "closed": "Closed risks", "all": "All risks"}


@role_required(*RISK_READERS)
@require_http_methods(["GET"])
def risk_list(request: SignedInRequest) -> HttpResponse:
    shown = request.GET.get("status", "open")
    shown = shown if shown in SHOWN else "open"
    risks = Risk.objects.visible_to(request.user).select_related("owner").by_score()
    if shown != "all":
        risks = risks.filter(status=shown)
    page = Paginator(risks, RISKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/risk_list.html",
        {
            "page": page,
            "shown": shown,
            "choices": SHOWN.items(),
            "filter_querystring": request.GET.copy(),
            "is_sendops": request.user.has_role(*RISK_MANAGERS),
        },
    )


@role_required(*RISK_READERS)
@require_http_methods(["GET"])
def risk_matrix(request: SignedInRequest) -> HttpResponse:
    levels = Risk.objects.visible_to(request.user).open().order_by("number")
    rows = matrix_rows(
        (likelihood, impact, reference_of(number))
        for likelihood, impact, number in levels.values_list("likelihood", "impact", "number")
    )
    return render(
        request,
        "risks/risk_matrix.html",
        {
            "rows": rows,
            "svg": mark_safe(matrix_svg(rows)),  # noqa: S308 - built by risks.matrix, every text escaped
            "likelihoods": LIKELIHOOD.items(),
            "impact_words": IMPACT,
        },
    )


@role_required(*RISK_READERS)
@require_http_methods(["GET"])
def risk_detail(request: SignedInRequest, risk_uuid: uuid.UUID) -> HttpResponse:
    risk = risk_to_view(request.user, risk_uuid)
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "is_sendops": request.user.has_role(*RISK_MANAGERS),
            "may_read_history": request.user.has_role(*HISTORY_READERS),
        },
    )


@role_required(*RISK_MANAGERS)
@require_http_methods(["GET", "POST"])
def risk_new(request: SignedInRequest) -> HttpResponse:
    return _risk_form(request, Risk(), heading="Add a risk")


@role_required(*RISK_MANAGERS)
@require_http_methods(["GET", "POST"])
def risk_edit(request: SignedInRequest, risk_uuid: uuid.UUID) -> HttpResponse:
    risk = risk_to_manage(request.user, risk_uuid)
    return _risk_form(request, risk, heading="Change the risk")


def _risk_form(request: SignedInRequest, risk: Risk, *, heading: str) -> HttpResponse:
    form = RiskForm(posted(request), instance=risk)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, f"{form.instance.reference} saved.")
        return redirect(form.instance)
    return render(
        request,
        "risks/form.html",
        {"form": form, "heading": heading, "caption": risk if risk.pk else "", "risk": risk},
        status=form.status_code,
    )


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
def risk_history(request: SignedInRequest, risk_uuid: uuid.UUID) -> HttpResponse:
    risk = risk_to_view(request.user, risk_uuid)
    return history_page(
        request,
        record_name=str(risk),
        back_url=reverse("risks:risk_detail", kwargs={"risk_uuid": risk.uuid}),
        back_text="the risk",
        sources=[Source(Risk.history.filter(id=risk.pk), lambda r: "the risk")],
    )
