"""Deep pages of a long list read from where the last page ended, not by skipping rows.

An OFFSET makes the database read and throw away every row before the page (page 600 of the
audit list read 14,975 rows to show 25). A page after (or before) a row instead starts from that
row's place in the list's index, so the last page is as quick as the first. The list's order is
a non-null field, newest first, then the primary key; a row is named in a link by its uuid.
"""

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import QueryDict

Direction = Literal["after", "before", "last"]
M = TypeVar("M", bound=Model)


@dataclass
class KeysetPage(Generic[M]):
    """One page of rows, with the links to the pages either side (query strings, or "")."""

    object_list: list[M]
    previous_query: str = ""
    next_query: str = ""
    position: str = ""
    last_query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_query or self.next_query)


def _after(field_name: str, row: Model) -> Q:
    """Rows later in the list than `row` (older, or as old with a larger key). The bare
    `<=` lets the index scan start at the row rather than filter from the top."""
    value = getattr(row, field_name)
    return Q(**{f"{field_name}__lte": value}) & (
        Q(**{f"{field_name}__lt": value}) | Q(pk__gt=row.pk)
    )


def _before(field_name: str, row: Model) -> Q:
    value = getattr(row, field_name)
    return Q(**{f"{field_name}__gte": value}) & (
        Q(**{f"{field_name}__gt": value}) | Q(pk__lt=row.pk)
    )


def keyset_rows(
    rows: QuerySet[M], field_name: str, direction: Direction, cursor: M | None, per_page: int
) -> tuple[list[M], bool]:
    """A page of `rows` in the order newest `field_name` first, then key, beside `cursor`, and
    whether there are more rows beyond it in the direction read (one row more is read)."""
    newest_first = rows.order_by(f"-{field_name}", "pk")
    oldest_first = rows.order_by(field_name, "-pk")
    if direction == "after" and cursor is not None:
        found = list(newest_first.filter(_after(field_name, cursor))[: per_page + 1])
        return found[:per_page], len(found) > per_page
    if direction == "before" and cursor is not None:
        found = list(oldest_first.filter(_before(field_name, cursor))[: per_page + 1])
    else:  # the last page: the oldest rows
        found = list(oldest_first[: per_page + 1])
    return list(reversed(found[:per_page])), len(found) > per_page


def cursor_query(base: QueryDict, direction: Direction, uuid: str | None = None) -> str:
    """A link's query string to the page `direction` of a row (named by its uuid), keeping the
    list's filters from `base` and dropping any page or cursor it had."""
    query = base.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    if direction == "last":
        query["page"] = "last"
    else:
        query[direction] = uuid or ""
    return query.urlencode()
