"""Not a test of behaviour: where a warm scorecard request spends its time, at the bench's 150
indicators (a small county otherwise). Run by hand:
scripts/test.sh tests/kpis/profile_scorecard.py -p no:randomly -s -p no:xdist
(WHO=board or sendops; TOP=40 lines of the profile)."""

import cProfile
import io
import os
import pstats
import random
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import county as county_module
from bench.measure import TRIVIAL

pytestmark = pytest.mark.django_db


def test_profile_the_warm_scorecard(tmp_path, settings, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    county = county_module.build(scale=0.01, folder=tmp_path)
    county_module._indicators(random.Random(1), county_module.INDICATORS, timezone.localdate())
    county_module._scorecard_rows_stored(timezone.localdate())
    from django.template.base import Template
    from django.test.utils import _TestState

    # As in production: without the test runner's template instrumentation.
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    who = os.environ.get("WHO", "board")
    client = Client()
    client.force_login(county.users[f"{who}@demo.invalid"])
    url = reverse("kpis:scorecard")
    first = client.get(url)
    assert first.status_code == 200
    print(f"\n{len(first.content):,} bytes")

    def timed(path: str, n: int = 200) -> float:
        started = time.perf_counter()
        for _ in range(n):
            client.get(path)
        return (time.perf_counter() - started) / n * 1000

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in (TRIVIAL, url):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(path, [q["sql"][:300] for q in queries.captured_queries])
    print(f"trivial {timed(TRIVIAL):.2f} ms, warm scorecard {timed(url):.2f} ms")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(200):
        client.get(url)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(int(os.environ.get("TOP", "60")))
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue())
    out = io.StringIO()
    shown = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    shown.print_callees(
        "scorecard.py:.*\\(scorecard\\)|template/base.py:166|loader_tags.py:133|base.py:136\\(get_response"
    )
    print(out.getvalue())
