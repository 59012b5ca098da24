"""Django's admin site is for users with the admin role only.

Anonymous visitors are sent to the portal's own sign-in page (the admin site's
login page is not used); signed-in people without the admin role get 403.
"""

from django.contrib.admin import AdminSite
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect


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

    # The one admin site Django builds is changed in place (no AdminSite subclass to register).
    site.has_permission = has_permission  # type: ignore[method-assign]  # on purpose, see above
    site.login = login  # type: ignore[method-assign]  # on purpose, see above
