"""The scorecard's tables are made once per KPI data version and key, however many requests
miss them at once: the threads of a process wait for one build, processes for the one that
holds the key's lock in the cache (kpis/cache.py)."""

import threading
import time

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

from kpis import cache

THREADS = 8
# Long enough never to be reached when the code works; a broken test fails, not hangs.
STUCK_SECONDS = 10


class Waiting:
    """How many threads are in `make` or waiting for another's build of the same entry."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def one_more(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def until(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, STUCK_SECONDS)


@pytest.fixture
def waiting(monkeypatch):
    """Counts the threads that start waiting for a build in this process."""
    counter = Waiting()

    class CountedEvent(threading.Event):
        def wait(self, timeout=None):
            counter.one_more()
            return super().wait(timeout)

    class CountedBuild(cache._Build):
        def __init__(self) -> None:
            super().__init__()
            self.done = CountedEvent()

    monkeypatch.setattr(cache, "_Build", CountedBuild)
    return counter


def at_once(make, count=THREADS):
    """What `count` threads asking for the same table at once are given."""
    given = []

    def ask():
        given.append(cache.cached(("a-table",), make))

    threads = [threading.Thread(target=ask) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STUCK_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    return given


def test_threads_missing_a_table_at_once_make_it_once_per_version(waiting):
    made = []

    def make():
        made.append(1)
        waiting.one_more()
        # Every other thread is waiting (for this build, or in a make of its own) first.
        assert waiting.until(THREADS)
        return f"table {len(made)}"

    assert at_once(make) == ["table 1"] * THREADS
    assert len(made) == 1
    cache.tables_forget()  # a new version: made again, once
    waiting.count = 0
    assert at_once(make) == ["table 2"] * THREADS
    assert len(made) == 2


def test_another_process_holding_the_lock_is_waited_for(monkeypatch):
    """Another process is making the table: this one reads what it stores instead."""
    default = caches["default"]
    key = cache._key(cache.data_version(), ("a-table",))
    assert default.add(cache._lock(key), "another process", 30)
    polling = threading.Event()
    read = type(default).get_many

    def polled(self, keys, version=None):
        polling.set()
        return read(self, keys, version)

    # Each thread has its own connection to the cache: the class is patched, not this one.
    monkeypatch.setattr(type(default), "get_many", polled)
    made = []
    given = []
    asking = threading.Thread(
        target=lambda: given.append(cache.cached(("a-table",), lambda: made.append(1) or "here"))
    )
    asking.start()
    assert polling.wait(STUCK_SECONDS), "it waits for the lock's holder"
    default.set(key, (cache.data_version(), time.time(), "made there"), 60)
    default.delete(cache._lock(key))
    asking.join(STUCK_SECONDS)
    assert given == ["made there"] and not made


def test_a_lock_whose_holder_died_stops_no_build_beyond_the_wait(monkeypatch):
    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.05)
    default = caches["default"]
    key = cache._key(cache.data_version(), ("a-table",))
    default.add(cache._lock(key), "a process that died", 30)  # present, and no entry ever comes
    assert cache.cached(("a-table",), lambda: "made here") == "made here"
    cache._kept.clear()  # another process reads what this one stored
    assert cache.cached(("a-table",), lambda: "made again") == "made here"


def test_an_expired_lock_is_taken_again_for_the_build(monkeypatch):
    """The dead holder's lock expires while this process waits: it takes the lock itself,
    so that the other processes wait for its build in turn."""
    monkeypatch.setattr(cache, "WAIT_SECONDS", STUCK_SECONDS)
    default = caches["default"]
    key = cache._key(cache.data_version(), ("a-table",))
    default.add(cache._lock(key), "a process that died", 0.05)
    holder = []

    def make():
        holder.append(default.get(cache._lock(key)))
        return "made here"

    assert cache.cached(("a-table",), make) == "made here"
    assert holder[0] not in (None, "a process that died")
    assert default.get(cache._lock(key)) is None, "let go once the table is stored"


def test_a_failed_build_lets_go_of_the_lock():
    default = caches["default"]
    key = cache._key(cache.data_version(), ("a-table",))

    def broken():
        raise ValueError("the build failed")

    with pytest.raises(ValueError):
        cache.cached(("a-table",), broken)
    assert default.get(cache._lock(key)) is None
    assert not cache._building
    assert cache.cached(("a-table",), lambda: "made") == "made"


@pytest.mark.parametrize("failing", ["get", "add", "set", "get_many"])
def test_a_table_is_made_when_the_cache_cannot_be_reached(monkeypatch, failing):
    default = caches["default"]
    version = cache.data_version()
    key = cache._key(version, ("a-table",))
    if failing == "get_many":  # read while it waits for another process's build
        default.add(cache._lock(key), "another process", 30)
    monkeypatch.setattr(cache, "WAIT_SECONDS", STUCK_SECONDS)
    read = default.get

    def down(*args, **kwargs):
        raise RedisConnectionError("down")

    def version_only(name, *args, **kwargs):  # the version is read; then the cache is down
        if name != cache.VERSION_KEY:
            raise RedisConnectionError("down")
        return read(name, *args, **kwargs)

    monkeypatch.setattr(default, failing, version_only if failing == "get" else down)
    assert cache.cached(("a-table",), lambda: "made without the cache") == (
        "made without the cache"
    )


def test_a_cache_that_keeps_nothing_makes_every_table(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    made = []
    assert at_once(lambda: made.append(1) or "made", count=3) == ["made"] * 3
    assert len(made) == 3
