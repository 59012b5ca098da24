"""Counting the SQL queries a page runs, for the fixed-number-of-queries tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url) -> int:
    """How many queries a successful GET of `url` runs."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
