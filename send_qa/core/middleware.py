"""Middleware of the portal's own."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from send_qa.core import views


class HealthFirst:
    """`/healthz` is answered before the session, the user and two-factor are looked at: a
    monitor's request carrying an old session cookie must still get 503 when the database is
    down, not a 500 from loading the session out of that database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path == reverse("healthz"):  # both with the script prefix, if any
            return views.healthz(request)
        return self.get_response(request)


class NoStoreWhenSignedIn:
    """Pages for a signed-in user may show case-level records: no browser or proxy may keep
    them (`Cache-Control: no-store`), so nobody can read them later from a shared computer's
    cache or with the back button after signing out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class RefuseNulCharacters:
    """A NUL character in a link's path or query string is never something a person typed:
    answer 400 before any view passes it to the database, which cannot store it (forms refuse
    it in posted fields themselves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        query = request.GET.lists()
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values) for name, values in query
        ):
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)


def wants_json(request: HttpRequest) -> bool:
    """A script's request (it asks for JSON, not a page)."""
    return request.accepts("application/json") and not request.accepts("text/html")


class SignInRequired(LoginRequiredMiddleware):
    """Django's sign-in for every view, except that a script's request gets 401 and a JSON
    message rather than the sign-in page, which a script cannot show (an autosave whose
    session timed out says so and keeps the text in the browser)."""

    def handle_no_permission(self, request: HttpRequest, view_func: Callable[..., Any]) -> Any:
        if wants_json(request):
            return JsonResponse(
                {"message": "Not saved: you have been signed out. Sign in again."}, status=401
            )
        return super().handle_no_permission(request, view_func)
