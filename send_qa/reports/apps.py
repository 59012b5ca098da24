from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The termly "How are we doing?" report (seed 000, Appendix B)."""

    name = "send_qa.reports"
    label = "reports"
    verbose_name = "Termly reports"
