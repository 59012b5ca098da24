from django.apps import AppConfig

from send_qa.core import navigation


class BenchmarksConfig(AppConfig):
    """Published national and comparator data: the DfE's files as published, the authorities
    they name, and statistical neighbours (issue 17). Stands on core; `kpis` reads it only
    through `benchmarks.queries`."""

    name = "benchmarks"
    verbose_name = "National and comparator data"

    def ready(self) -> None:
        # The roles read core's roles module, which imports the auth models: not before ready().
        from benchmarks.roles import NAV_ITEMS  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
