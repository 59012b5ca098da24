from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from send_qa.core import navigation


class AuditsConfig(AppConfig):
    """Plans register, checklist templates, audits, advice and moderation (issues 3 and 4)."""

    name = "audits"
    verbose_name = "EHCP audits, advice and moderation"

    def ready(self) -> None:
        # The roles, the evidence and core's follow_up import the auth models: those may be
        # imported only once every app is loaded, and ready() is the first moment.
        from audits import exports, local_offer, receivers  # noqa: PLC0415
        from audits import follow_up as evidence  # noqa: PLC0415
        from audits.models import Audit, Plan  # noqa: PLC0415
        from audits.retention import HISTORY_FORGOTTEN  # noqa: PLC0415
        from audits.roles import NAV_ITEMS  # noqa: PLC0415
        from audits.signals import records_written_in_bulk, term_figures_changed  # noqa: PLC0415
        from send_qa.core import database_roles, follow_up  # noqa: PLC0415
        from send_qa.core.models import Team  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        # Retention deletes these models' change history: the app role may (docs/accountability.md).
        database_roles.history_forgotten(*HISTORY_FORGOTTEN)
        exports.register()  # the whole-term audit export, made in the background (issue 22)
        evidence.register()  # the evidence that raises improvement actions (issue 19)
        follow_up.register_evidence(local_offer.KIND, local_offer.LABEL, local_offer.describe)
        # Each term's kept figures stay current (audits/receivers.py).
        for signal in (post_save, post_delete):
            signal.connect(receivers.audit_changed, sender=Audit, dispatch_uid="audits-figures")
            signal.connect(receivers.plan_changed, sender=Plan, dispatch_uid="audits-figures")
        post_save.connect(receivers.team_changed, sender=Team, dispatch_uid="audits-figures")
        records_written_in_bulk.connect(receivers.bulk_written, dispatch_uid="audits-figures")
        term_figures_changed.connect(receivers.refresh_needed, dispatch_uid="audits-figures")
