"""Root URLs: every app mounts its own urls module here."""

from django.contrib import admin
from django.urls import include, path

from send_qa.core import urls as core_urls
from send_qa.core.admin_site import restrict_admin_site_to_admins

restrict_admin_site_to_admins(admin.site)

handler403 = "send_qa.core.errors.permission_denied"
handler404 = "send_qa.core.errors.page_not_found"

urlpatterns = [
    path("", include("send_qa.dashboard.urls")),
    path("", include(core_urls.auth_patterns)),
    path("", include((core_urls.core_patterns, "core"))),
    path("", include("audits.urls")),
    path("", include("kpis.urls")),
    path("", include("benchmarks.urls")),
    path("", include("wsoa.urls")),
    path("risks/", include("risks.urls")),
    path("", include("send_qa.reports.urls")),
    path("", include("governance.urls")),
    path("", include("send_qa.api.urls")),
    path("admin/", admin.site.urls),
]
