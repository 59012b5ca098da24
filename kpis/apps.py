from django.apps import AppConfig


class KpisConfig(AppConfig):
    """Indicators, measurements, targets and RAG, scorecards and imports (issue 5)."""

    name = "kpis"
    verbose_name = "KPI scorecards"
