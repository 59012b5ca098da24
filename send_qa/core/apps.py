from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

from send_qa.core import navigation


class CoreConfig(AppConfig):
    name = "send_qa.core"
    label = "core"
    verbose_name = "Core: people, organisations, roles and periods"

    def ready(self) -> None:
        # These modules import models, which Django lets be imported only once every app is
        # loaded: ready() is the first moment that is true.
        from send_qa.core.access_log import connect_signals  # noqa: PLC0415
        from send_qa.core.database_roles import grants_after_migrate  # noqa: PLC0415
        from send_qa.core.roles import NAV_ITEMS, ensure_role_groups  # noqa: PLC0415
        from send_qa.core.session_timeout import start_session_clocks  # noqa: PLC0415
        from send_qa.core.two_factor import note_choice_at_sign_in  # noqa: PLC0415

        post_migrate.connect(ensure_role_groups, sender=self)
        post_migrate.connect(grants_after_migrate, sender=self)
        user_logged_in.connect(start_session_clocks, dispatch_uid="start_session_clocks")
        user_logged_in.connect(note_choice_at_sign_in, dispatch_uid="note_two_factor_choice")
        connect_signals()
        navigation.register(*NAV_ITEMS)
