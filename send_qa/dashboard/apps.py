from django.apps import AppConfig

from send_qa.core import navigation
from send_qa.dashboard.roles import NAV_ITEMS


class DashboardConfig(AppConfig):
    name = "send_qa.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        navigation.register(*NAV_ITEMS)
