from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "send_qa.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"
