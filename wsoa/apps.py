from django.apps import AppConfig

from send_qa.core import navigation
from wsoa.roles import NAV_ITEMS


class WsoaConfig(AppConfig):
    """Written Statement of Action and other action plans (issue 6)."""

    name = "wsoa"
    verbose_name = "Action plans (WSOA)"

    def ready(self):
        navigation.register(*NAV_ITEMS)
        from send_qa.core.permissions import remove_permissions_on_delete
        from wsoa.models import Action

        remove_permissions_on_delete(Action)
