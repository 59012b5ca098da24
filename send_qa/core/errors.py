"""The portal's 403 and 404 pages: each refusal at one of the portal's addresses is written to
the access log (`access_log.refusal_record`) before Django's own page is shown."""

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from send_qa.core.access_log import refusal_record


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    refusal_record(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    refusal_record(request, 404)
    return defaults.page_not_found(request, exception)
