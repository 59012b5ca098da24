"""The figures docs/deployment.md sizes a host from: the database's size and the web workers'
memory, as `make bench` prints them."""

import os
import subprocess
import sys
import time

import pytest

from bench.__main__ import database_size_line
from bench.load import resident_memory
from tests.audits.factories import PlanFactory


def test_the_memory_of_each_child_process_is_read():
    # A child holding about 60 MiB, and one holding almost nothing.
    holding = "b = bytearray(60 * 2**20); import time; time.sleep(30)"
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
        for code in (holding, "import time; time.sleep(30)")
    ]
    try:
        for _ in range(100):
            sizes = resident_memory(os.getpid())
            if len(sizes) >= 2 and sizes[-1] > 60 * 2**20:
                break
            time.sleep(0.05)
        assert len(sizes) >= 2
        assert sizes[-1] > 60 * 2**20 > sizes[0] > 0
    finally:
        for child in children:
            child.kill()
            child.wait()


@pytest.mark.django_db
def test_the_database_size_names_the_largest_tables():
    PlanFactory.create_batch(3)
    line = database_size_line()
    assert line.startswith("  The database: ") and " MiB with its indexes (largest: " in line
    assert line.count(" MiB") == 4, line
