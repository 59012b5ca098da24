from django.apps import AppConfig

from send_qa.core import navigation


class AuditsConfig(AppConfig):
    """Plans register, checklist templates, audits, advice and moderation (issues 3 and 4)."""

    name = "audits"
    verbose_name = "EHCP audits, advice and moderation"

    def ready(self) -> None:
        # The roles, the evidence and core's follow_up import the auth models: those may be
        # imported only once every app is loaded, and ready() is the first moment.
        from audits import exports, local_offer  # noqa: PLC0415
        from audits import follow_up as evidence  # noqa: PLC0415
        from audits.retention import HISTORY_FORGOTTEN  # noqa: PLC0415
        from audits.roles import NAV_ITEMS  # noqa: PLC0415
        from send_qa.core import database_roles, follow_up  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        # Retention deletes these models' change history: the app role may (docs/accountability.md).
        database_roles.history_forgotten(*HISTORY_FORGOTTEN)
        exports.register()  # the whole-term audit export, made in the background (issue 22)
        evidence.register()  # the evidence that raises improvement actions (issue 19)
        follow_up.register_evidence(local_offer.KIND, local_offer.LABEL, local_offer.describe)
