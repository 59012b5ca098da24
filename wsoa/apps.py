from django.apps import AppConfig


class WsoaConfig(AppConfig):
    """Written Statement of Action and other action plans (issue 6)."""

    name = "wsoa"
    verbose_name = "Action plans (WSOA)"

    def ready(self):
        from send_qa.core.permissions import remove_permissions_on_delete
        from wsoa.models import Action

        remove_permissions_on_delete(Action)
