from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from send_qa.core import navigation


class KpisConfig(AppConfig):
    """Indicators, measurements, targets and RAG, scorecards and imports."""

    name = "kpis"
    verbose_name = "KPI scorecards"

    def ready(self) -> None:
        # Models may be imported only once every app is loaded: ready() is the first moment
        # (the roles read core's roles module, which imports the auth models).
        from audits.models import Advice, Audit, Plan  # noqa: PLC0415
        from audits.signals import records_written_in_bulk  # noqa: PLC0415
        from benchmarks.signals import published_data_changed  # noqa: PLC0415
        from kpis.roles import NAV_ITEMS  # noqa: PLC0415
        from kpis.signals import (  # noqa: PLC0415
            comparators_needed,
            recalculation_needed,
            scorecard_rows_needed,
        )

        navigation.register(*NAV_ITEMS)
        from kpis import follow_up as exceptions_raise  # noqa: PLC0415
        from send_qa.core import follow_up  # noqa: PLC0415

        follow_up.register_evidence(
            exceptions_raise.KIND, exceptions_raise.LABEL, exceptions_raise.describe
        )

        for model in (Audit, Advice, Plan):
            post_save.connect(
                recalculation_needed, sender=model, dispatch_uid=f"kpis-{model.__name__}"
            )
        # The audits app says when it writes in bulk (no post_save), so the plans import
        # queues a recalculation too; listening keeps audits from importing kpis.
        records_written_in_bulk.connect(recalculation_needed, dispatch_uid="kpis-bulk")
        # Published data says when it changed, so that benchmarks never imports kpis.
        published_data_changed.connect(comparators_needed, dispatch_uid="kpis-comparators")

        from kpis.cache import data_changed, stored_rows_outdated  # noqa: PLC0415

        stored_rows_outdated.connect(scorecard_rows_needed, dispatch_uid="kpis-stored-rows")
        from kpis.models import (  # noqa: PLC0415
            Comparator,
            ExceptionNote,
            Indicator,
            Measurement,
            Scorecard,
            ScorecardIndicator,
            Target,
        )
        from send_qa.core.models import Period  # noqa: PLC0415
        from send_qa.core.permissions import remove_permissions_on_delete  # noqa: PLC0415

        remove_permissions_on_delete(Indicator)  # the right to enter its values goes with it

        cached_models = (
            Comparator,
            Indicator,
            Target,
            Measurement,
            ExceptionNote,
            Scorecard,
            ScorecardIndicator,
        )
        for cached in (*cached_models, Period):  # the scorecard page caches its menu of terms
            for signal in (post_save, post_delete):
                signal.connect(
                    data_changed, sender=cached, dispatch_uid=f"kpis-cache-{cached.__name__}"
                )
