"""Middleware of the portal's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control


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
