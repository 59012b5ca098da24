from django.urls import path, register_converter

from kpis.views import history, manage, scorecard
from send_qa.core.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "kpis"
urlpatterns = [
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("scorecard/export.csv", scorecard.scorecard_export, {"fmt": "csv"}, name="export_csv"),
    path("scorecard/export.xlsx", scorecard.scorecard_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("scorecard/import/", manage.kpi_import, name="import"),
    path(
        "scorecard/import/template.csv",
        manage.kpi_import_template,
        {"fmt": "csv"},
        name="import_template_csv",
    ),
    path(
        "scorecard/import/template.xlsx",
        manage.kpi_import_template,
        {"fmt": "xlsx"},
        name="import_template_xlsx",
    ),
    path("scorecard/recalculate/", manage.recalculate, name="recalculate"),
    path("scorecard/recalculation/", manage.recalculation, name="recalculation"),
    path(
        "scorecard/recalculation/status.json",
        manage.recalculation_status,
        name="recalculation_status",
    ),
    path("scorecard/ask-for-commentary/", manage.ask_for_commentary, name="ask_for_commentary"),
    path("scorecard/saved/new/", manage.scorecard_new, name="scorecard_new"),
    path("scorecard/saved/<uuid:scorecard_uuid>/", manage.scorecard_edit, name="scorecard_edit"),
    path("indicators/", scorecard.indicator_list, name="indicator_list"),
    path("indicators/new/", manage.indicator_new, name="indicator_new"),
    path("indicators/ours.json", manage.indicators_export, name="indicators_export"),
    path("indicators/import/", manage.indicators_import, name="indicators_import"),
    path("indicators/mine/", manage.my_indicators, name="my_indicators"),
    path("indicators/<str:code>/", scorecard.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<str:code>/benchmarks.csv",
        scorecard.benchmark_export,
        {"fmt": "csv"},
        name="benchmark_export_csv",
    ),
    path(
        "indicators/<str:code>/benchmarks.xlsx",
        scorecard.benchmark_export,
        {"fmt": "xlsx"},
        name="benchmark_export_xlsx",
    ),
    path("indicators/<str:code>/history/", history.indicator_history, name="indicator_history"),
    path("indicators/<str:code>/values/", manage.measurement_edit, name="measurement_edit"),
    path("indicators/<str:code>/settings/", manage.indicator_settings, name="indicator_settings"),
    path(
        # A value has no opaque id of its own: named by its period (this area's value).
        "indicators/<str:code>/exceptions/<isodate:period_start>/<isodate:period_end>/",
        manage.exception_note,
        name="exception_note",
    ),
]
