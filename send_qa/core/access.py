"""Role checks for views. Object-level helpers live in each app's access module."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from send_qa.core.models import User  # the models import this module

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


class SignedInRequest(HttpRequest):
    """The request a view sees: sign-in is enforced globally (LoginRequiredMiddleware), so its
    user is a portal User. Views marked login_not_required take a plain HttpRequest."""

    user: User


def role_required(
    *roles: str,
) -> Callable[
    [Callable[Concatenate[SignedInRequest, P], R]], Callable[Concatenate[SignedInRequest, P], R]
]:
    """Signed-in users without one of these roles get 403 (sign-in itself is enforced globally).

    Views pass one of their app's named role sets (`@role_required(*PLAN_READERS)`); the
    wrapped view keeps it as `allowed_roles`, so tests can check that the menu, the dashboard
    and the page agree."""

    def decorator(
        view: Callable[Concatenate[SignedInRequest, P], R],
    ) -> Callable[Concatenate[SignedInRequest, P], R]:
        @wraps(view)
        def wrapped(request: SignedInRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not request.user.has_role(*roles):
                raise PermissionDenied("Your role does not give you access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # a mark read by the roles tests
        return wrapped

    return decorator


def query_date(value: str) -> datetime.date | None:
    """A date as given in a query string (YYYY-MM-DD), or None when it is not a real one
    (2026-13-45): a link someone edited gives the page, never a server error."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def opaque_id(value: str) -> str:
    """A record's opaque id (UUID) as given in a query string, in its one written form, or ""
    when the value is not one: filters name records by these ids, never by their numbers."""
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError):
        return ""
