from django.apps import AppConfig

from send_qa.core import navigation


class ReportsConfig(AppConfig):
    """The termly "How are we doing?" report (seed 000, Appendix B)."""

    name = "send_qa.reports"
    label = "reports"
    verbose_name = "Termly reports"

    def ready(self) -> None:
        # The roles read core's roles module, which imports the auth models: those may be
        # imported only once every app is loaded, and ready() is the first moment.
        from send_qa.core.papers import register_papers  # noqa: PLC0415
        from send_qa.reports import papers  # noqa: PLC0415
        from send_qa.reports.roles import NAV_ITEMS  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        register_papers(
            papers.KIND, "A released report version", papers.candidates, papers.describe
        )
