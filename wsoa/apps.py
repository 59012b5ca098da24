from django.apps import AppConfig


class WsoaConfig(AppConfig):
    """Written Statement of Action and other action plans (issue 6)."""

    name = "wsoa"
    verbose_name = "Action plans (WSOA)"

    def ready(self) -> None:
        # Models may be imported only once every app is loaded: ready() is the first moment.
        from send_qa.core.permissions import remove_permissions_on_delete  # noqa: PLC0415
        from wsoa.models import Action  # noqa: PLC0415

        remove_permissions_on_delete(Action)
