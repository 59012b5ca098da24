"""Django's admin site is for users with the admin role only, and every page of it an admin
opens is in the access log.

Anonymous visitors are sent to the portal's own sign-in page (the admin site's
login page is not used); signed-in people without the admin role get 403 (itself logged as a
refusal).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect

from send_qa.core.access_log import Kind, access_record

AdminView = Callable[..., HttpResponseBase]


def admin_page_logged(view: AdminView) -> AdminView:
    """Record each page of the admin site an admin opens: the kind of record it is about (its
    model's name) and its path, which names records by number only."""
    model_admin = getattr(view, "__self__", None)
    record = (
        str(model_admin.model._meta.verbose_name) if isinstance(model_admin, ModelAdmin) else ""
    )

    @wraps(view)
    def logged(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        access_record(request, Kind.ADMIN_PAGE_VIEWED, record=record, details=request.path)
        return response

    return logged


def restrict_admin_site_to_admins(site: AdminSite) -> None:
    site.site_header = "SEND quality assurance: administration"
    site.site_title = "SEND QA admin"
    site.site_url = "/"

    def has_permission(request: HttpRequest) -> bool:
        user = request.user
        if user.is_authenticated and not user.is_staff:
            raise PermissionDenied("The admin site is for portal admins only.")
        return user.is_active and user.is_authenticated

    @login_not_required
    def login(
        request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponseRedirect:
        return redirect_to_login(request.GET.get("next", "/admin/"))

    gate = site.admin_view

    def admin_view(view: AdminView, cacheable: bool = False) -> AdminView:
        """The gate above, then the log; the admin's own scripts (cacheable) are no page."""
        return gate(view if cacheable else admin_page_logged(view), cacheable)

    # The one admin site Django builds is changed in place (no AdminSite subclass to register).
    site.has_permission = has_permission  # type: ignore[method-assign]  # on purpose, see above
    site.login = login  # type: ignore[method-assign]  # on purpose, see above
    site.admin_view = admin_view  # type: ignore[method-assign, assignment]  # on purpose, see above
