"""SENDOPS keep the scorecard: add, change and retire indicators (and move the council's own in
and out as JSON), import values (with a preview), enter or correct a period, recalculate
computed indicators, save named scorecards; owners explain exceptions, and partners given the
right enter the values of the indicators they own."""

import datetime
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kpis.access import (
    indicator_by_code,
    indicator_to_enter,
    indicators_entered_by,
    require_exception_writer,
)
from kpis.forms import (
    ExceptionNoteForm,
    IndicatorFileForm,
    IndicatorSettingsForm,
    KpiUploadForm,
    MeasurementForm,
    ScorecardForm,
    TargetForm,
)
from kpis.imports import (
    ImportPlan,
    StagedImportGone,
    TableImportError,
    example_indicator,
    measurements_stage,
    read_table,
    staged_import_confirm,
    staged_import_for,
    template_columns,
)
from kpis.indicator_io import (
    IndicatorFileError,
    councils_indicators_import,
    export_text,
    read_indicator_text,
)
from kpis.models import (
    Area,
    ExceptionNote,
    Indicator,
    Measurement,
    Recalculation,
    Scorecard,
    ScorecardIndicator,
)
from kpis.roles import KPI_MANAGERS, SCORECARD_READERS, VALUE_ENTERERS
from kpis.services import period_values_save, recalculation_ask
from kpis.tasks import ask_for_exception_commentary
from send_qa.core.access import SignedInRequest, query_date, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.concurrency import EditConflict
from send_qa.core.forms import posted
from send_qa.core.import_templates import template_download
from send_qa.core.jobs import JobStatus, job_status_json
from send_qa.core.models import User
from send_qa.core.outcomes import tell_outcome

SESSION_KEY = "kpi_import"  # the token of the person's staged import, kept in their session


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def kpi_import(request: SignedInRequest) -> HttpResponse:
    """Step 1 checks the file once, keeps its checked rows and shows what would change; step 2
    writes those rows (kpis.imports: the file is not read again)."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = KpiUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    plan: ImportPlan | None = None
    name = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "the file"
        try:
            staged, plan = measurements_stage(read_table(upload, name), by=request.user, name=name)
        except TableImportError as error:
            problems = [str(p) for p in error.problems]
        else:
            request.session[SESSION_KEY] = str(staged.token)
    return _import_page(request, form=form, problems=problems, plan=plan, name=name)


def _import_page(
    request: SignedInRequest,
    *,
    form: KpiUploadForm,
    plan: ImportPlan | None,
    name: str,
    problems: list[str] | None = None,
    changed_since: bool = False,
) -> HttpResponse:
    return render(
        request,
        "kpis/import.html",
        {
            "form": form,
            "problems": problems or [],
            "plan": plan,
            "preview": plan.preview() if plan else [],
            "upload_name": name,
            "changed_since": changed_since,
            "template_columns": template_columns(example_indicator()),
        },
    )


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "KPI import template")
def kpi_import_template(request: SignedInRequest, fmt: str) -> HttpResponse:
    """The KPI values import's template: its headings and an example row."""
    return template_download(template_columns(example_indicator()), filename="kpi-values", fmt=fmt)


def _confirm(request: SignedInRequest) -> HttpResponse:
    staged = staged_import_for(request.user, request.session.get(SESSION_KEY))
    if staged is None:
        messages.error(request, "The checked file has expired. Upload it again.")
        return redirect("kpis:import")
    try:
        done = staged_import_confirm(staged, by=request.user)
    except StagedImportGone:
        messages.info(request, f"{staged.name} has been imported already.")
        return redirect("kpis:scorecard")
    plan = done.plan
    if not done.imported:
        return _import_page(
            request, form=KpiUploadForm(), plan=plan, name=staged.name, changed_since=True
        )
    request.session.pop(SESSION_KEY, None)
    tell_outcome(
        request,
        changed=plan.added + plan.updated > 0,
        done=f"Imported {staged.name}: {plan.added} values added, {plan.updated} updated, "
        f"{plan.unchanged} unchanged.",
        nothing=f"{staged.name} changed nothing: its {plan.unchanged} values are held already.",
    )
    return redirect("kpis:scorecard")


def _way_back(user: User, indicator: Indicator) -> tuple[str, str]:
    """The indicator's page for those who read the scorecard; a partner's own list else."""
    if user.has_role(*SCORECARD_READERS):
        return reverse("kpis:indicator_detail", args=[indicator.code]), indicator.name
    return reverse("kpis:my_indicators"), "your indicators"


@role_required(*VALUE_ENTERERS)
@require_http_methods(["GET", "POST"])
def measurement_edit(request: SignedInRequest, code: str) -> HttpResponse:
    """Enter or correct one period's values of an indicator, with commentary: SENDOPS any
    indicator, a partner only those they own and were given the right to (kpis/access.py)."""
    indicator = indicator_to_enter(request.user, code)
    back, back_to = _way_back(request.user, indicator)
    initial: dict[str, object] = {}
    start, end = query_date(request.GET.get("start", "")), query_date(request.GET.get("end", ""))
    if (request.GET.get("start") or request.GET.get("end")) and not (start and end):
        messages.error(request, "The link's period is not a real date: enter the period below.")
    if start and end:
        found = Measurement.objects.filter(indicator=indicator, period_start=start, period_end=end)
        for m in found:
            field = MeasurementForm.AREA_FIELDS.get(m.area)
            if field:
                initial[field] = m.value
            if m.area == Area.LOCAL:
                initial |= {
                    "numerator": m.numerator,
                    "denominator": m.denominator,
                    "commentary": m.commentary,
                    "period_label": m.period_label,
                }
        initial |= {"period_start": start, "period_end": end}
    form = MeasurementForm(posted(request), indicator=indicator, initial=initial)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            with form.guard(url=form.current_url()):
                period_values_save(
                    indicator=indicator,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    period_label=data["period_label"],
                    values={area: data[field] for area, field in form.AREA_FIELDS.items()},
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    commentary=data["commentary"],
                )
        except EditConflict:
            status = 409
        else:
            messages.success(request, f"Values of {indicator.code} saved.")
            return redirect(back)
    context = {"indicator": indicator, "form": form, "back": back, "back_to": back_to}
    return render(request, "kpis/measurement_form.html", context, status=status)


@role_required(*KPI_MANAGERS)
@require_http_methods(["POST"])
def recalculate(request: SignedInRequest) -> HttpResponse:
    """Queues one recalculation, or none while one is queued or running, and shows its page."""
    recalculation, queued = recalculation_ask(by=request.user)
    if not queued:
        messages.info(
            request,
            "A recalculation is already "
            f"{'running' if recalculation.status == Recalculation.Status.RUNNING else 'queued'}"
            ": it will include every change made so far, so no second one was queued.",
        )
    return redirect("kpis:recalculation")


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET"])
def recalculation(request: SignedInRequest) -> HttpResponse:
    """How far the latest recalculation has got; the status updates itself while it waits."""
    latest = Recalculation.objects.select_related("requested_by").first()
    context = {
        "recalculation": latest,
        "job": latest.job_status if latest else None,
        "computed": Indicator.objects.active().filter(computed=True).order_by("name"),
    }
    return render(request, "kpis/recalculation.html", context)


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET"])
def recalculation_status(request: SignedInRequest) -> HttpResponse:
    """The recalculation page's status, polled by static/js/job-status.mjs."""
    latest = Recalculation.objects.first()
    if latest is None:
        return job_status_json(JobStatus(waiting=False, message="Nothing has been asked for."))
    return job_status_json(latest.job_status)


@require_http_methods(["GET", "POST"])
def exception_note(
    request: SignedInRequest, code: str, period_start: datetime.date, period_end: datetime.date
) -> HttpResponse:
    """The owner of a red or declining indicator explains this area's value of one period
    before the board pack."""
    indicator = indicator_by_code(code)
    require_exception_writer(request.user, indicator)
    back, back_to = _way_back(request.user, indicator)
    measurement = get_object_or_404(
        Measurement,
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        area=Area.LOCAL,
    )
    note = ExceptionNote.objects.filter(measurement=measurement).first()
    form = ExceptionNoteForm(posted(request), instance=note)
    status = 200
    if form.is_valid():
        try:
            with form.guard(url=request.path):
                note = form.save(commit=False)
                note.measurement, note.written_by = measurement, request.user
                note.save()
        except EditConflict:
            status = 409
        else:
            messages.success(request, f"Commentary on {indicator.code} saved.")
            return redirect(back)
    return render(
        request,
        "kpis/exception_note.html",
        {
            "indicator": indicator,
            "measurement": measurement,
            "form": form,
            "back": back,
            "back_to": back_to,
        },
        status=status,
    )


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def scorecard_new(request: SignedInRequest) -> HttpResponse:
    return _scorecard_form(request, Scorecard())


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def scorecard_edit(request: SignedInRequest, scorecard_uuid: uuid.UUID) -> HttpResponse:
    return _scorecard_form(request, get_object_or_404(Scorecard, uuid=scorecard_uuid))


def _scorecard_form(request: SignedInRequest, scorecard: Scorecard) -> HttpResponse:
    form = ScorecardForm(posted(request), instance=scorecard)
    status = 200
    if form.is_valid():
        try:
            with form.guard(url=request.path):
                saved = form.save(commit=False)
                saved.created_by = saved.created_by or request.user
                saved.save()
                saved.entries.all().delete()
                ScorecardIndicator.objects.bulk_create(
                    [
                        ScorecardIndicator(scorecard=saved, indicator=indicator, order=n)
                        for n, indicator in enumerate(form.cleaned_data["indicators"])
                    ]
                )
        except EditConflict:
            status = 409
        else:
            messages.success(request, f"Scorecard {saved.name} saved.")
            return redirect(f"{_scorecard_url()}?scorecard={saved.uuid}")
    return render(
        request, "kpis/scorecard_form.html", {"form": form, "scorecard": scorecard}, status=status
    )


def _scorecard_url() -> str:
    return reverse("kpis:scorecard")


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def indicator_new(request: SignedInRequest) -> HttpResponse:
    """The council adds an indicator of its own; its targets are added on its settings page."""
    form = IndicatorSettingsForm(posted(request), instance=Indicator())
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(
            request, f"{form.instance.code} added. Add its targets and milestones below."
        )
        return redirect("kpis:indicator_settings", code=form.instance.code)
    return render(request, "kpis/indicator_new.html", {"form": form}, status=form.status_code)


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "indicators")
def indicators_export(request: SignedInRequest) -> HttpResponse:
    """The council's own indicators as JSON, to keep or to load into another portal."""
    response = HttpResponse(export_text(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="our-indicators.json"'
    return response


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def indicators_import(request: SignedInRequest) -> HttpResponse:
    form = IndicatorFileForm(posted(request), request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        try:
            done = councils_indicators_import(read_indicator_text(form.cleaned_data["file"]))
        except IndicatorFileError as error:
            problems = error.problems
        else:
            tell_outcome(
                request,
                changed=done.added + done.updated > 0,
                done=f"Indicators imported: {done.added} added, {done.updated} updated, "
                f"{done.unchanged} unchanged.",
                nothing=f"The file changed nothing: its {done.unchanged} indicators are held "
                "already as it describes them.",
            )
            return redirect("kpis:indicator_list")
    return render(request, "kpis/indicators_import.html", {"form": form, "problems": problems})


@role_required(*VALUE_ENTERERS)
@require_http_methods(["GET"])
def my_indicators(request: SignedInRequest) -> HttpResponse:
    """The indicators a person owns and enters the values of."""
    return render(
        request,
        "kpis/my_indicators.html",
        {"indicators": indicators_entered_by(request.user).prefetch_related("targets")},
    )


@role_required(*KPI_MANAGERS)
@require_http_methods(["GET", "POST"])
def indicator_settings(request: SignedInRequest, code: str) -> HttpResponse:
    """The owner, baseline, tolerance and targets of an indicator, whether it is in use, and
    for the council's own indicators their definition."""
    indicator = indicator_by_code(code)
    settings_form = IndicatorSettingsForm(
        request.POST if "settings" in request.POST else None, instance=indicator
    )
    target_form = TargetForm(
        request.POST if "target" in request.POST else None, indicator=indicator
    )
    settings_form.helper.form_tag = target_form.helper.form_tag = False  # two forms, one page
    if (
        "settings" in request.POST
        and settings_form.is_valid()
        and settings_form.save_guarded(url=request.path)
    ):
        messages.success(request, f"Settings of {indicator.code} saved.")
        return redirect("kpis:indicator_settings", code=indicator.code)
    if "target" in request.POST and target_form.is_valid():
        target = target_form.save(commit=False)
        target.indicator = indicator
        target.save()
        messages.success(request, f"Target added to {indicator.code}.")
        return redirect("kpis:indicator_settings", code=indicator.code)
    if "remove" in request.POST:
        if removed := request.POST.get("remove"):
            indicator.targets.filter(pk=removed).delete()
        messages.success(request, f"Target removed from {indicator.code}.")
        return redirect("kpis:indicator_settings", code=indicator.code)
    return render(
        request,
        "kpis/indicator_settings.html",
        {
            "indicator": indicator,
            "settings_form": settings_form,
            "target_form": target_form,
            "targets": indicator.targets.select_related("indicator").order_by(
                "period_start", "period_end"
            ),
        },
        status=settings_form.status_code,
    )


@role_required(*KPI_MANAGERS)
@require_http_methods(["POST"])
def ask_for_commentary(request: SignedInRequest) -> HttpResponse:
    """Email the owners of red or declining indicators that have no commentary yet."""
    ask_for_exception_commentary.delay_on_commit(timezone.localdate().isoformat())
    messages.success(request, "The owners of unexplained exceptions are being emailed.")
    return redirect(f"{_scorecard_url()}#exceptions")
