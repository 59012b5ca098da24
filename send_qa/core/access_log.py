"""Writing and reading the access log: sign-ins, views of case-level records, exports and
downloads, refused pages, pages of the admin site, and admins' changes to people's accounts.

Views say what they show with the decorators below; sign-ins are recorded from Django's
signals; refusals from the 403 and 404 pages (`refusal_record`); the admin site's pages from
its gate (`send_qa.core.admin_site`); the user pages record what an admin changed
(`account_change_record`). Events name records by their opaque ids (UUIDs), never by a case
reference.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import wraps
from itertools import islice
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from send_qa.core.models import AccessEvent, Team, User
from send_qa.core.roles import Role
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
    details: str = "",
) -> AccessEvent:
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AccessEvent.objects.create(
        user=user,
        username=username[:254],
        kind=kind,
        record=record,
        reference=str(reference)[:64],
        details=details[:500],
        address=client_address(request),
    )


REFUSALS = {403: "no right to it", 404: "not found"}


def refusal_record(request: HttpRequest, status: int) -> AccessEvent | None:
    """A refused request at one of the portal's addresses (403, or 404 for a record that does
    not exist or is not theirs): who and the path, without its query string, which may hold a
    search. An address the portal does not have is no refusal and writes nothing."""
    match = request.resolver_match
    if match is None:
        return None
    ids = [str(value) for value in match.kwargs.values() if isinstance(value, uuid.UUID)]
    return access_record(
        request,
        Kind.ACCESS_REFUSED,
        record="page",
        reference=ids[-1] if ids else "",
        details=f"{request.path} ({REFUSALS[status]})",
    )


# What an admin did to someone's account: the event's reference is that person's opaque id.
ACCOUNT_KINDS = frozenset(
    {
        Kind.USER_INVITED,
        Kind.ROLES_CHANGED,
        Kind.TEAM_CHANGED,
        Kind.ACCOUNT_DEACTIVATED,
        Kind.ACCOUNT_REACTIVATED,
        Kind.TWO_FACTOR_RESET,
        Kind.SIGN_IN_LOCK_LIFTED,
    }
)


def account_change_record(
    request: HttpRequest, kind: str, person: User, details: str = ""
) -> AccessEvent:
    """An admin's change to `person`'s account, by the person's opaque id, with what changed."""
    return access_record(request, kind, record="user", reference=str(person.uuid), details=details)


def roles_words(roles: Iterable[str]) -> str:
    """Roles by their names, in the order the portal lists them."""
    held = set(roles)
    return ", ".join(role.label for role in Role if role in held) or "none"


def roles_change_words(before: Iterable[str], after: Iterable[str]) -> str:
    """What changed in someone's roles ("added SENDOPS member; removed Board member"), or ""
    when nothing did."""
    old, new = set(before), set(after)
    changes = [
        f"{verb} {roles_words(roles)}"
        for verb, roles in (("added", new - old), ("removed", old - new))
        if roles
    ]
    return "; ".join(changes)


def team_words(team: Team | None) -> str:
    return str(team) if team is not None else "no team"


def invitation_words(person: User) -> str:
    return f"{person.email}, as {roles_words(person.roles)}, in {team_words(person.team)}"


def account_edits_record(
    request: HttpRequest, person: User, *, roles_before: Iterable[str], team_before: Team | None
) -> None:
    """Log the roles and team an admin changed on someone's page (nothing when neither did)."""
    roles = roles_change_words(roles_before, person.roles)
    if roles:
        account_change_record(request, Kind.ROLES_CHANGED, person, roles)
    if person.team_id != (team_before.pk if team_before else None):
        account_change_record(
            request,
            Kind.TEAM_CHANGED,
            person,
            f"from {team_words(team_before)} to {team_words(person.team)}",
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
    if "username" not in credentials:  # not a password: the provider's sign-in records its own
        return
    access_record(request, Kind.SIGN_IN_FAILED, username=credentials.get("username", ""))


def connect_signals() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="access-log-sign-in")
    user_logged_out.connect(signed_out, dispatch_uid="access-log-sign-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="access-log-sign-in-failed")


EVENTS_PER_PAGE = 50
# The log is counted only this far: past it the page says "more than 1,000 events" rather
# than count a million rows each time it is opened.
COUNTED_AT_MOST = 1000


def day_starts(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day in UK time (the portal's time zone), GMT or BST."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def record_reference(words: str) -> str:
    """A record's reference as the log stores it (a lower-case opaque id with its hyphens),
    from what someone pasted or typed: a whole id in any case or without hyphens, or its
    first characters."""
    words = words.strip().lower()
    try:
        return str(uuid.UUID(words))
    except ValueError:
        return words


def people_named(words: str) -> list[int]:
    """The ids of the people whose name or email holds these words, as the log shows them
    now. The people are few beside their events, so they are found first and their events
    then by the (user, at) index, rather than joined to a million events and matched row by row."""
    named = User.objects.filter(Q(full_name__icontains=words) | Q(email__icontains=words))
    return list(named.values_list("pk", flat=True))


def events_filtered(
    *,
    person: str = "",
    record: str = "",
    kind: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    account: User | None = None,
) -> QuerySet[AccessEvent]:
    """The access log, newest first, for a person (name or email, or the username typed at a
    failed sign-in), a record (its reference, or the start of it), a kind of event, and the
    UK days from `start` to `end`, both included. `account` is one person's history: what
    they did and what admins did to their account."""
    events = AccessEvent.objects.select_related("user")
    if person:
        # A typed username is matched by its trigram index (migration 0010), which holds
        # only the events that have one.
        typed = ~Q(username="") & Q(username__icontains=person)
        events = events.filter(Q(user__in=people_named(person)) | typed)
    if record:
        events = events.filter(reference__startswith=record_reference(record))
    if kind in Kind.values:
        events = events.filter(kind=kind)
    if start is not None:
        events = events.filter(at__gte=day_starts(start))
    if end is not None:
        events = events.filter(at__lt=day_starts(end + datetime.timedelta(days=1)))
    if account is not None:
        events = events.filter(
            Q(user=account) | Q(kind__in=ACCOUNT_KINDS, reference=str(account.uuid))
        )
    return events.order_by("-at", "-pk")


@dataclass(frozen=True)
class EventsPage:
    """One page of the log, reached by the events either side of it (keyset pagination), so
    that a page deep in a million events is read as quickly as the first, and events logged
    meanwhile do not move the page. `counted` is the number of events the filters choose, up
    to one more than COUNTED_AT_MOST; `older` and `newer` are the ids of the events the next
    and previous pages start from, when there are such pages."""

    events: list[AccessEvent]
    number: int
    counted: int
    older: int | None = None
    newer: int | None = None

    @property
    def more_than_counted(self) -> bool:
        return self.counted > COUNTED_AT_MOST

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the events were all counted."""
        if self.more_than_counted:
            return None
        return max(1, -(-self.counted // EVENTS_PER_PAGE))

    @property
    def count_words(self) -> str:
        """ "51 events", or "more than 1,000 events"."""
        if self.more_than_counted:
            return f"more than {COUNTED_AT_MOST:,} events"
        return f"{self.counted} event{'' if self.counted == 1 else 's'}"


def events_counted(events: QuerySet[AccessEvent]) -> int:
    """How many events there are, up to one more than COUNTED_AT_MOST: a count that stops."""
    return events.order_by().values("pk")[: COUNTED_AT_MOST + 1].count()


def events_page(
    events: QuerySet[AccessEvent],
    *,
    number: int = 1,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> EventsPage:
    """The page of `events` (newest first) after the event `older_than`, or before the event
    `newer_than`, or else page `number` counted from the newest (an address with a page number
    only reaches as far as the events are counted). `number` is the page's number as shown."""
    counted = events_counted(events)
    cursor_id = older_than or newer_than
    cursor = None
    if cursor_id:
        cursor = AccessEvent.objects.filter(pk=cursor_id).values_list("at", flat=True).first()
    size = EVENTS_PER_PAGE
    if cursor is not None and older_than:
        after = events.filter(Q(at__lte=cursor) & ~Q(at=cursor, pk__gte=older_than))
        chosen = list(after[: size + 1])
        has_older, has_newer = len(chosen) > size, True
        chosen = chosen[:size]
    elif cursor is not None and newer_than:
        before = events.filter(Q(at__gte=cursor) & ~Q(at=cursor, pk__lte=newer_than))
        chosen = list(before.order_by("at", "pk")[: size + 1])
        has_older, has_newer = True, len(chosen) > size
        chosen = chosen[:size][::-1]
        number = max(2, number) if has_newer else 1
    else:
        last = -(-min(counted, COUNTED_AT_MOST + 1) // size)
        number = min(max(1, number), max(1, last))
        offset = (number - 1) * size
        chosen = list(events[offset : offset + size + 1])
        has_older, has_newer = len(chosen) > size, number > 1
        chosen = chosen[:size]
    if not chosen and cursor is not None:
        return events_page(events)  # an event these filters no longer reach: the first page
    return EventsPage(
        chosen,
        max(1, number),
        counted,
        older=chosen[-1].pk if has_older else None,
        newer=chosen[0].pk if has_newer else None,
    )


LABELS: dict[str, str] = {
    Kind.RECORD_VIEWED: "Opened the {record}",
    Kind.EXPORT: "Exported the {record}",
    Kind.REPORT_DOWNLOAD: "Downloaded the {record}",
    Kind.FILE_DOWNLOAD: "Downloaded the {record}",
    Kind.ACCESS_REFUSED: "Was refused the {record}{details}",
    Kind.ADMIN_PAGE_VIEWED: "Opened a page of the admin site: {record}",
    Kind.USER_INVITED: "Invited {account}{details}",
    Kind.ROLES_CHANGED: "Changed the roles of {account}{details}",
    Kind.TEAM_CHANGED: "Changed the team of {account}{details}",
    Kind.ACCOUNT_DEACTIVATED: "Deactivated the account of {account}",
    Kind.ACCOUNT_REACTIVATED: "Reactivated the account of {account}",
    Kind.TWO_FACTOR_RESET: "Reset the two-factor sign-in of {account}",
    Kind.SIGN_IN_LOCK_LIFTED: "Lifted the sign-in lock on {account}",
}


def event_label(event: AccessEvent, account: str = "") -> str:
    """What happened, as a sentence for a person reading the log ("Opened the audit",
    "Changed the roles of Sam Jones: added SENDOPS member"). A record is named by its kind
    only (the log's readers have no right to case references); `account` is the name of the
    person an admin acted on."""
    words = LABELS.get(event.kind) if event.record or event.kind in ACCOUNT_KINDS else None
    if words is None:
        return event.get_kind_display()
    return words.format(
        record=event.record,
        account=account or "an account no longer in the portal",
        details=f": {event.details}" if event.details else "",
    )


def account_names(events: Iterable[AccessEvent]) -> dict[str, str]:
    """The names of the people admins acted on in these events, by opaque id: one query."""
    ids = {e.reference for e in events if e.kind in ACCOUNT_KINDS and e.reference}
    people = User.objects.filter(uuid__in=ids).values_list("uuid", "full_name", "email")
    return {str(uuid): name or email for uuid, name, email in people}


def events_labelled(events: Iterable[AccessEvent]) -> list[tuple[AccessEvent, str]]:
    """Each event with its label, for one page of the log."""
    chosen = list(events)
    names = account_names(chosen)
    return [(event, event_label(event, names.get(event.reference, ""))) for event in chosen]


def events_labelled_all(
    events: QuerySet[AccessEvent], *, batch: int = 2000
) -> Iterator[tuple[AccessEvent, str]]:
    """Each event with its label, read a batch at a time, for a download of the whole log."""
    stream = events.iterator(chunk_size=batch)
    while chunk := list(islice(stream, batch)):
        yield from events_labelled(chunk)


def local_time(moment: datetime.datetime) -> str:
    """A moment in UK time with its zone, as people read it: "1 Dec 2026 16:40:36 GMT"."""
    return timezone.localtime(moment).strftime("%-d %b %Y %H:%M:%S %Z")
