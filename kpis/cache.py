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

A missing table is built once per version and key, not by every request that misses it at
once (after each change, up to 16 threads of 2 processes would each spend ~100 ms of CPU on
the same table). In a process, the first thread to miss builds it and the others wait for
that build (`_made_once`). Across processes, the one whose `cache.add` takes the key's lock
(an atomic SET NX with an expiry in Redis) builds and stores the table, then lets the lock
go; the others read the cache every POLL_SECONDS until the table is there
(`_stored_by_another`). Should the holder fail, its lock goes at once; should it die, its
lock expires after LOCK_SECONDS, and no one waits for it longer than WAIT_SECONDS: then each
process builds the table itself. Whoever waits accepts only a table of the version it read,
so the rule above holds.

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
# The entries a thread of this process is making now, by key (`_made_once`).
_building: dict[str, "_Build"] = {}
# How long a request waits for another's build of the same entry before making it itself;
# how long the lock in the cache lasts should its holder die; how often the cache is asked.
WAIT_SECONDS = 5.0
LOCK_SECONDS = 30
POLL_SECONDS = 0.015
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
    that finish late would otherwise push out the current value again and again). A missing
    entry is made once per version, not by every request that misses it at once
    (`_made_once`)."""
    try:
        version = data_version()
    except CacheUnreachable:
        return make()
    key = _key(version, parts)
    entry = _kept_entry(key, version) or _made_once(key, version, make)
    value: T = entry[2]
    return value


def _key(version: str, parts: tuple[object, ...]) -> str:
    return "kpis:" + ":".join(str(part) for part in (version, *parts))


def _lock(key: str) -> str:
    """The key of the lock in the cache that the one process making `key` holds."""
    return key + ":building"


class _Build:
    """One thread's build of one entry, which the other threads of this process wait for."""

    def __init__(self) -> None:
        self.builder = threading.get_ident()
        self.done = threading.Event()
        self.entry: tuple[str, float, Any] | None = None


def _made_once(key: str, version: str, make: Callable[[], Any]) -> tuple[str, float, Any]:
    """The entry for `key`, got or made by one thread of this process while the others wait
    for it; should that build fail, another thread tries, and after twice WAIT_SECONDS (the
    builder may wait that long for another process, then build) each goes on by itself."""
    me = threading.get_ident()
    deadline = time.monotonic() + 2 * WAIT_SECONDS
    while True:
        with _kept_lock:
            kept = _kept.get(key)
            if kept is not None and _current(kept, version):  # made while this thread looked
                return kept
            build = _building.get(key)
            if build is None:
                build = _building[key] = _Build()
                break
        if build.builder == me:  # `make` asks for its own entry: no one else will make it
            return (version, time.time(), make())
        if build.done.wait(max(0.0, deadline - time.monotonic())) and build.entry is not None:
            return build.entry
        if time.monotonic() >= deadline:
            return _shared_entry(key, version, make)
    try:
        build.entry = _shared_entry(key, version, make)
        _keep(key, build.entry)
        return build.entry
    finally:
        with _kept_lock:
            del _building[key]
        build.done.set()


def _shared_entry(key: str, version: str, make: Callable[[], Any]) -> tuple[str, float, Any]:
    """The entry for `key` from the cache, or made by the one process holding the key's lock
    in the cache, who stores it there for the others (`_stored_by_another`)."""
    lock, token = _lock(key), uuid.uuid4().hex
    try:
        entry, holding = _stored_by_another(key, lock, token, version)
    except CACHE_ERRORS as error:
        _unreachable(error)
        return (version, time.time(), make())
    if entry is not None:
        return entry
    try:
        entry = (version, time.time(), make())
        try:
            cache.set(key, entry, CACHE_SECONDS)
        except CACHE_ERRORS as error:
            _unreachable(error)
        return entry
    finally:
        if holding:
            _unlock(lock, token)


def _stored_by_another(
    key: str, lock: str, token: str, version: str
) -> tuple[tuple[str, float, Any] | None, bool]:
    """(The entry for `key`, False) once the cache holds it; (None, True) when this process
    took the key's lock and is to make it; (None, False) when another process held the lock
    for WAIT_SECONDS without storing it (it may have died: its lock outlives it by up to
    LOCK_SECONDS), and this one is to make it without the lock."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        entry = cache.get(key)
        if _made_at(entry, version):
            return entry, False
        if cache.add(lock, token, LOCK_SECONDS):
            return None, True
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            # The lock first: its holder stores the entry before letting the lock go, so a
            # cache that reads the keys one by one (not Redis's MGET) cannot miss both.
            found = cache.get_many([lock, key])
            if _made_at(found.get(key), version):
                stored: tuple[str, float, Any] = found[key]
                return stored, False
            if lock not in found:  # its holder stopped without storing it: try again
                break
    return None, False


def _unlock(lock: str, token: str) -> None:
    """Let go of the lock when it is still this build's (it expires in any case)."""
    try:
        if cache.get(lock) == token:
            cache.delete(lock)
    except CACHE_ERRORS as error:
        _unreachable(error)


def _made_at(entry: object, version: str) -> bool:
    """Whether a cache entry is (version, when built, value) of this version: anything else
    (missing, outdated, or kept by an older release in another shape) is made again."""
    return isinstance(entry, tuple) and len(entry) == 3 and entry[0] == version


def _kept_entry(key: str, version: str) -> tuple[str, float, Any] | None:
    """This process's entry for `key`, when it was made at `version` and has not expired."""
    with _kept_lock:
        entry = _kept.get(key)
        if entry is None or not _current(entry, version):
            return None
        _kept.move_to_end(key)
        return entry


def _current(entry: tuple[str, float, Any], version: str) -> bool:
    return entry[0] == version and time.time() - entry[1] <= CACHE_SECONDS


def _keep(key: str, entry: tuple[str, float, Any]) -> None:
    with _kept_lock:
        _kept[key] = entry
        _kept.move_to_end(key)
        while len(_kept) > KEPT_HERE:
            _kept.popitem(last=False)
