from django.apps import AppConfig

from send_qa.core import navigation


class GovernanceConfig(AppConfig):
    """The board cycle (seed 000, section 6; seed 002's reporting cycle): meetings, the forward
    plan of papers to them, each meeting's papers, decisions and recommendations. Stands on
    core; papers and the actions decisions raise are met through small generic references."""

    name = "governance"
    verbose_name = "Meetings and forward plan"

    def ready(self) -> None:
        # Models (and the roles, which read core's roles module and so the auth models) may be
        # imported only once every app is loaded: ready() is the first moment.
        from governance import evidence  # noqa: PLC0415
        from governance.roles import NAV_ITEMS  # noqa: PLC0415
        from send_qa.core import follow_up  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        follow_up.register_evidence(evidence.KIND, evidence.LABEL, evidence.describe)
