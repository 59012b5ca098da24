from django.apps import AppConfig

from send_qa.core import navigation


class RisksConfig(AppConfig):
    """The local area's risk register (seed 000, section 5): risks to the outcomes, scored by
    likelihood and impact, with their controls and mitigating actions. Stands on core; the
    mitigating actions are wsoa's, met through `send_qa.core.follow_up`."""

    name = "risks"
    verbose_name = "Risk register"

    def ready(self) -> None:
        # The roles read core's roles module, and follow_up and the evidence the models: not
        # before ready().
        from risks.evidence import KIND, LABEL, describe  # noqa: PLC0415
        from risks.roles import NAV_ITEMS  # noqa: PLC0415
        from send_qa.core import follow_up  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        follow_up.register_evidence(KIND, LABEL, describe)
