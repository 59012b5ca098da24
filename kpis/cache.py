"""The scorecard's tables are kept in the cache until KPI data changes.

Building the scorecard of 150 indicators (values, targets, benchmarks, ranks, charts) and
rendering it takes about 100 ms; most requests between two imports ask for the same tables.
A version token in the cache names the state of the KPI data: every save or deletion of an
indicator, target, value, exception note or saved scorecard makes a new token (again once
its transaction commits) (signals, and `data_changed()` after bulk writes). Each table is kept
with the token it was built at and served only while the token is still current, so a table
built before a change is never served after it. Entries also expire after CACHE_SECONDS.
A process also keeps the tables it read or built last in its memory, under the same rule
(`cached`): a warm page reads only the token from the cache, not its 100-400 KB of tables.

The same change also moves the KPI data version kept in the database (`KpiData`), in the
change's own transaction, which the stored scorecard rows are read by (`kpis.scorecard`); and
once it commits, `stored_rows_outdated` asks for them to be stored again (`kpis.signals`).

The cache only saves time: when it cannot be reached (Redis down; Django's Redis backend
raises on a lost connection), pages build their tables afresh and saving goes on.
"""

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from redis.exceptions import RedisError

from kpis.models import KpiData

logger = logging.getLogger(__name__)
VERSION_KEY = "kpis:data-version"
CACHE_SECONDS = 600
# What the cache raises when it cannot be reached.
CACHE_ERRORS = (RedisError, OSError)
T = TypeVar("T")
# Tables this process read or built last, each with its version and when it was built: a
# warm page then reads only the version from the cache, not its tables again.
KEPT_HERE = 16
_kept: OrderedDict[str, tuple[str, float, Any]] = OrderedDict()
_kept_lock = threading.Lock()
# Sent as KPI data changes (in its transaction): the stored scorecard rows are outdated.
stored_rows_outdated = Signal()


class CacheUnreachable(Exception):
    """The cache could not be reached: build without it."""


def _unreachable(error: Exception) -> CacheUnreachable:
    logger.warning("The cache could not be reached: building without it (%s)", error)
    return CacheUnreachable(str(error))


def data_version() -> str:
    try:
        version: str | None = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
    except CACHE_ERRORS as error:
        raise _unreachable(error) from error
    if version is None:  # a cache that keeps nothing: no version to check a table against
        raise CacheUnreachable("the cache kept no KPI data version")
    return str(version)


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except CACHE_ERRORS as error:  # its entries expire after CACHE_SECONDS in any case
        _unreachable(error)


def tables_forget() -> None:
    """Every cached table is built afresh from now on; the stored scorecard rows stay current
    (nothing changed). What the bench does before timing a cold scorecard."""
    _new_version()


def data_changed(*args: Any, **kwargs: Any) -> None:
    """KPI data changed: tables built from now on are built afresh. The token changes at
    once, for this transaction's own later reads, and again when it commits, since a table
    another request builds in between still shows the data before the change."""
    _new_version()
    transaction.on_commit(_new_version)
    KpiData.objects.changed()
    stored_rows_outdated.send(sender=KpiData)


def cached(parts: tuple[object, ...], make: Callable[[], T]) -> T:
    """The value cached under `parts` for the current KPI data, made by `make` if missing.
    The value is shared by every request of this process: never change it.

    An entry keeps the data version it was made at and is served only while that version is
    current. The version is read from the cache on every call (a few bytes); the entry from
    this process's memory when it holds that version, else from the cache. The version is
    read before `make` runs, so a value made while the data changed is made again next time.
    Each version has its own key: a value made for a version just replaced, stored after a
    value of the new one, never takes its place (under load, with the data changing, builds
    that finish late would otherwise push out the current value again and again)."""
    try:
        version = data_version()
    except CacheUnreachable:
        return make()
    key = "kpis:" + ":".join(str(part) for part in (version, *parts))
    entry = _kept_entry(key, version)
    if entry is None:
        try:
            entry = cache.get(key)
        except CACHE_ERRORS as error:
            _unreachable(error)
            return make()
        if not _made_at(entry, version):
            entry = (version, time.time(), make())
            try:
                cache.set(key, entry, CACHE_SECONDS)
            except CACHE_ERRORS as error:
                _unreachable(error)
        _keep(key, entry)
    value: T = entry[2]
    return value


def _made_at(entry: object, version: str) -> bool:
    """Whether a cache entry is (version, when built, value) of this version: anything else
    (missing, outdated, or kept by an older release in another shape) is made again."""
    return isinstance(entry, tuple) and len(entry) == 3 and entry[0] == version


def _kept_entry(key: str, version: str) -> tuple[str, float, Any] | None:
    """This process's entry for `key`, when it was made at `version` and has not expired."""
    with _kept_lock:
        entry = _kept.get(key)
        if entry is None or entry[0] != version or time.time() - entry[1] > CACHE_SECONDS:
            return None
        _kept.move_to_end(key)
        return entry


def _keep(key: str, entry: tuple[str, float, Any]) -> None:
    with _kept_lock:
        _kept[key] = entry
        _kept.move_to_end(key)
        while len(_kept) > KEPT_HERE:
            _kept.popitem(last=False)
