"""Writing the access log: sign-ins, views of case-level records, exports and downloads.

Views say what they show with the decorators below; sign-ins are recorded from Django's
signals. Events name records by their opaque ids (UUIDs), never by a case reference.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase

from send_qa.core.models import AccessEvent, User
from send_qa.core.sign_in_protection import client_ip

Kind = AccessEvent.Kind

P = ParamSpec("P")
Req = TypeVar("Req", bound=HttpRequest)
R = TypeVar("R", bound=HttpResponseBase)


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the sign-in throttling sees it."""
    if request is None:
        return None
    return client_ip(request) or None


def access_record(
    request: HttpRequest | None,
    kind: str,
    *,
    record: str = "",
    reference: str = "",
    user: User | None = None,
    username: str = "",
) -> AccessEvent:
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AccessEvent.objects.create(
        user=user,
        username=username[:254],
        kind=kind,
        record=record,
        reference=str(reference)[:64],
        address=client_address(request),
    )


def logs_access(
    kind: str, record: str, reference_kwarg: str | None = None
) -> Callable[[Callable[Concatenate[Req, P], R]], Callable[Concatenate[Req, P], R]]:
    """Record a successful response of the view: `kind` of access to a `record`, named by the
    URL argument `reference_kwarg` (an opaque id) when there is one."""

    def decorator(view: Callable[Concatenate[Req, P], R]) -> Callable[Concatenate[Req, P], R]:
        @wraps(view)
        def wrapped(request: Req, *args: P.args, **kwargs: P.kwargs) -> R:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                reference = str(kwargs.get(reference_kwarg, "")) if reference_kwarg else ""
                access_record(request, kind, record=record, reference=reference)
            return response

        return wrapped

    return decorator


def signed_in(sender: type[User], request: HttpRequest, user: User, **kwargs: Any) -> None:
    access_record(request, Kind.SIGN_IN, user=user)


def signed_out(sender: type[User], request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        access_record(request, Kind.SIGN_OUT, user=user)


def sign_in_failed(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    access_record(request, Kind.SIGN_IN_FAILED, username=credentials.get("username", ""))


def connect_signals() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="access-log-sign-in")
    user_logged_out.connect(signed_out, dispatch_uid="access-log-sign-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="access-log-sign-in-failed")


EVENTS_PER_PAGE = 50


def events_filtered(*, person: str = "", kind: str = "") -> QuerySet[AccessEvent]:
    """The access log, newest first, for a person (name or email) and kind of event."""
    events = AccessEvent.objects.select_related("user")
    if person:
        events = events.filter(
            Q(user__full_name__icontains=person)
            | Q(user__email__icontains=person)
            | Q(username__icontains=person)
        )
    if kind in Kind.values:
        events = events.filter(kind=kind)
    return events.order_by("-at", "-pk")
