from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate

from send_qa.core import navigation


def lineage_after_migrate(sender: AppConfig, apps: Apps = global_apps, **kwargs: Any) -> None:
    """A fresh database knows the shipped reorganisations of authorities. Django sends this
    after every migrate, also one that migrated only other apps (`migrate core`): then the
    authorities' table may not exist yet, and the migrated state (`apps`) does not have it.
    `flush` (and an emptied test database, tests/emptied.py) sends it without `apps`: then the
    models are the project's own, as in Django's own receivers."""
    try:
        apps.get_model("benchmarks", "Authority")
    except LookupError:
        return
    from benchmarks.lineage import lineage_load  # noqa: PLC0415 - models load after ready()

    lineage_load()


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
        post_migrate.connect(lineage_after_migrate, sender=self)
