from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """Plans register, checklist templates, audits, advice and moderation (issues 3 and 4)."""

    name = "audits"
    verbose_name = "EHCP audits, advice and moderation"
