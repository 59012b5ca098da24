from django.apps import AppConfig

from send_qa.core import navigation
from send_qa.reports.roles import NAV_ITEMS


class ReportsConfig(AppConfig):
    """The termly "How are we doing?" report (seed 000, Appendix B)."""

    name = "send_qa.reports"
    label = "reports"
    verbose_name = "Termly reports"

    def ready(self) -> None:
        navigation.register(*NAV_ITEMS)
