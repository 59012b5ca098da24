"""One waiting job at a time (`send_qa.core.jobs.queue_once`), which the KPI recalculation,
the stored scorecard rows and each term's audit figures are queued through."""

from unittest import mock

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from send_qa.core.jobs import queue_once

KEY = "tests:queued"


def ask(task) -> None:
    queue_once(task, key=KEY, seconds=60, what="the test job")


def test_a_hundred_asks_queue_one_job_until_it_starts():
    task = mock.Mock()
    for _ in range(100):
        ask(task)
    assert task.delay.call_count == 1
    cache.delete(KEY)  # the job clears the mark as it starts
    ask(task)
    assert task.delay.call_count == 2


def test_without_the_cache_the_job_is_queued_anyway(caplog):
    task = mock.Mock()
    with mock.patch.object(cache, "add", side_effect=RedisConnectionError("down")):
        ask(task)
        ask(task)
    assert task.delay.call_count == 2
    assert "could not be reached to mark the test job queued" in caplog.text


def test_without_the_broker_the_mark_is_cleared_so_the_next_change_asks_again(caplog):
    task = mock.Mock()
    task.delay.side_effect = OSError("no broker")
    ask(task)
    assert cache.get(KEY) is None
    assert "Could not queue the test job" in caplog.text
    task.delay.side_effect = None
    ask(task)
    assert task.delay.call_count == 2
