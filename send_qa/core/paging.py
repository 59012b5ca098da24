"""Numbered pages of a long sorted list that cost about the same on the last page as on the
first (for Django's Paginator, so the GOV.UK pagination and its page numbers stay as they are).

An OFFSET page reads every row before it in full: the plans register's last page sorted
20,000 whole plans, with their team and caseworker, to show 50. Here a page is read in two
steps within one query: the primary keys of the page in the list's order (narrow, so the sort
is small or an index serves it), counted from whichever end of the list is nearer (the last page
is the first page of the list turned round), and then the page's rows themselves by key.

The list's order must be total (end in a unique field), so that turning it round gives the
same rows the other way about.
"""

from collections.abc import Iterator
from functools import cached_property
from typing import Generic, TypeVar, overload

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class PagedByKeys(Generic[M]):
    """A sorted queryset to hand to a Paginator in place of the queryset itself."""

    def __init__(self, rows: QuerySet[M]) -> None:
        self.rows = rows
        self.ordered = rows.ordered

    @cached_property
    def total(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[M]:
        return iter(self.rows)

    @overload
    def __getitem__(self, part: int) -> M: ...
    @overload
    def __getitem__(self, part: slice) -> QuerySet[M]: ...
    def __getitem__(self, part: int | slice) -> M | QuerySet[M]:
        if isinstance(part, int):
            return self.rows[part]
        start, stop = part.start or 0, min(part.stop or self.total, self.total)
        if stop <= start:
            return self.rows.none()
        keys = self.rows.values("pk")
        from_the_end = self.total - stop
        if from_the_end < start:
            keys = keys.reverse()[from_the_end : self.total - start]
        else:
            keys = keys[start:stop]
        return self.rows.filter(pk__in=keys)
