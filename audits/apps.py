from django.apps import AppConfig

from audits.roles import NAV_ITEMS
from send_qa.core import navigation


class AuditsConfig(AppConfig):
    """Plans register, checklist templates, audits, advice and moderation (issues 3 and 4)."""

    name = "audits"
    verbose_name = "EHCP audits, advice and moderation"

    def ready(self) -> None:
        navigation.register(*NAV_ITEMS)
