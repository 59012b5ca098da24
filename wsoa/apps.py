from django.apps import AppConfig


class WsoaConfig(AppConfig):
    """Written Statement of Action and other action plans (issue 6)."""

    name = "wsoa"
    verbose_name = "Action plans (WSOA)"
