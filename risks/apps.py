from django.apps import AppConfig


class RisksConfig(AppConfig):
    """The local area's risk register (seed 000, section 5): risks to the outcomes, scored by
    likelihood and impact, with their controls and mitigating actions. Stands on core; the
    mitigating actions are wsoa's, met through `send_qa.core.follow_up`."""

    name = "risks"
    verbose_name = "Risk register"
