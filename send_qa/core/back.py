"""The way back to the page a person came from. A link carries the page it was on in
``?back=`` (``{% back_here %}``, from ``send_qa.core.templatetags.back``); the page it opens
offers a back link to that page when it is a path on this site, else to its fixed page. Only a
same-site relative path is ever followed: never another host, scheme or a ``//`` address."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

BACK = "back"


def safe_path(request: HttpRequest, wanted: str) -> str | None:
    """`wanted` if it is a relative path on this site, else None (the one check of a
    next or back address: sign-in's ``next`` goes through it too)."""
    if not wanted.startswith("/") or wanted.startswith("//") or wanted.startswith("/\\"):
        return None
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return None


def way_back(request: HttpRequest, fallback: str) -> str | None:
    """The page the person came from (``?back=``) if it is safe and not this page itself,
    else None: the caller shows its fixed page, `fallback`'s place."""
    came_from = safe_path(request, request.GET.get(BACK, ""))
    if came_from is None or came_from.split("?")[0] == request.path or came_from == fallback:
        return None
    return came_from


def back_query(request: HttpRequest) -> str:
    """``back=<this page>`` for a link that should lead back here: this page without its own
    way back, so addresses never nest (the way back is one step)."""
    query = request.GET.copy()
    query.pop(BACK, None)
    here = f"{request.path}?{query.urlencode()}" if query else request.path
    return urlencode({BACK: here})
