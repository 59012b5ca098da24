"""The scorecard's tables are kept in the cache until KPI data changes.

Building the scorecard of 150 indicators (values, targets, benchmarks, ranks, charts) and
rendering it takes about 100 ms; most requests between two imports ask for the same tables.
A version token in the cache names the state of the KPI data: every save or deletion of an
indicator, target, value, exception note or saved scorecard makes a new token (again once
its transaction commits) (signals, and `data_changed()` after bulk writes), so a table built
before a change is never served after it. Entries also expire after CACHE_SECONDS.
"""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "kpis:data-version"
CACHE_SECONDS = 600
T = TypeVar("T")


def data_version() -> str:
    version: str | None = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return str(version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def data_changed(*args: Any, **kwargs: Any) -> None:
    """KPI data changed: tables built from now on are built afresh. The token changes at
    once, for this transaction's own later reads, and again when it commits, since a table
    another request builds in between still shows the data before the change."""
    _new_version()
    transaction.on_commit(_new_version)


def cached(parts: tuple[object, ...], make: Callable[[], T]) -> T:
    """The value cached under `parts` for the current KPI data, made by `make` if missing."""
    key = "kpis:" + ":".join(str(part) for part in (data_version(), *parts))
    value: T | None = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, CACHE_SECONDS)
    return value
