from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Published national and comparator data: the DfE's files as published, the authorities
    they name, and statistical neighbours (issue 17). Stands on core; `kpis` reads it only
    through `benchmarks.queries`."""

    name = "benchmarks"
    verbose_name = "National and comparator data"
