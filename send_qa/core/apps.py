from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "send_qa.core"
    label = "core"
    verbose_name = "Core: people, organisations, roles and periods"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from send_qa.core.access_log import connect_signals
        from send_qa.core.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        connect_signals()
