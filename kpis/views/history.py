"""The history of an indicator: its settings, targets, values and exception notes (SENDOPS)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kpis.access import indicator_by_code
from kpis.models import Area, ExceptionNote, Indicator, Measurement, Target
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.history import Historical, Source, history_page
from send_qa.core.roles import HISTORY_READERS

AREAS = dict(Area.choices)


def _value_name(record: Historical) -> str:
    area = AREAS.get(record.area, record.area)
    period = (
        record.period_label or f"{record.period_start:%-d %B %Y} to {record.period_end:%-d %B %Y}"
    )
    return f"the value for {period} ({area})"


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
def indicator_history(request: SignedInRequest, code: str) -> HttpResponse:
    indicator = indicator_by_code(code)
    values = Measurement.objects.filter(indicator=indicator).values("pk")
    return history_page(
        request,
        record_name=f"{indicator.code}: {indicator.name}",
        back_url=reverse("kpis:indicator_detail", kwargs={"code": indicator.code}),
        back_text="the indicator",
        sources=[
            Source(Indicator.history.filter(id=indicator.pk), lambda r: "the indicator"),
            Source(
                Target.history.filter(indicator_id=indicator.pk),
                lambda r: f"the target for {r.label or r.period_start}",
                hide=["indicator"],
            ),
            Source(
                Measurement.history.filter(indicator_id=indicator.pk),
                _value_name,
                hide=["indicator"],
            ),
            Source(
                ExceptionNote.history.filter(measurement_id__in=values),
                lambda r: "an exception note",
            ),
        ],
    )
