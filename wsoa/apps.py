from django.apps import AppConfig

from send_qa.core import navigation


class WsoaConfig(AppConfig):
    """Written Statement of Action and other action plans (issue 6)."""

    name = "wsoa"
    verbose_name = "Action plans (WSOA)"

    def ready(self) -> None:
        # Models may be imported only once every app is loaded: ready() is the first moment
        # (the roles read core's roles module, which imports the auth models).
        from send_qa.core import follow_up  # noqa: PLC0415
        from send_qa.core.papers import register_papers  # noqa: PLC0415
        from send_qa.core.permissions import remove_permissions_on_delete  # noqa: PLC0415
        from wsoa import follow_up as raising  # noqa: PLC0415
        from wsoa import papers  # noqa: PLC0415
        from wsoa.models import Action  # noqa: PLC0415
        from wsoa.roles import NAV_ITEMS  # noqa: PLC0415

        navigation.register(*NAV_ITEMS)
        register_papers(papers.KIND, "An action plan summary", papers.candidates, papers.describe)

        remove_permissions_on_delete(Action)
        follow_up.register_follow_ups(raising.follow_ups_of, raising.raise_url)
