from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from kpis.roles import NAV_ITEMS
from send_qa.core import navigation


class KpisConfig(AppConfig):
    """Indicators, measurements, targets and RAG, scorecards and imports."""

    name = "kpis"
    verbose_name = "KPI scorecards"

    def ready(self) -> None:
        navigation.register(*NAV_ITEMS)
        from audits.models import Advice, Audit, Plan
        from kpis.signals import records_changed

        for model in (Audit, Advice, Plan):
            post_save.connect(records_changed, sender=model, dispatch_uid=f"kpis-{model.__name__}")

        from kpis.cache import data_changed
        from kpis.models import (
            ExceptionNote,
            Indicator,
            Measurement,
            Scorecard,
            ScorecardIndicator,
            Target,
        )
        from send_qa.core.models import Period

        cached_models = (
            Indicator,
            Target,
            Measurement,
            ExceptionNote,
            Scorecard,
            ScorecardIndicator,
        )
        for model in (*cached_models, Period):  # the scorecard page caches its menu of terms
            for signal in (post_save, post_delete):
                signal.connect(
                    data_changed, sender=model, dispatch_uid=f"kpis-cache-{model.__name__}"
                )
