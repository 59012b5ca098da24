from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "send_qa.api"
    label = "api"
    verbose_name = "Data feed"
