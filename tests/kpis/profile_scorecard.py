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
    (tmp_path.parent / "scorecard.html").write_bytes(first.content)
    print("saved", tmp_path.parent / "scorecard.html")

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
    from django.template.loader import render_to_string

    from kpis.views import scorecard as view

    request = first.wsgi_request
    page = view.cached(("scorecard-page", timezone.localdate(), "", "", "oba", ""), lambda: None)
    context = {**page, "intro": page["intro"], "is_sendops": False, "recalculating": False}
    empty = {**context, "tables": "", "intro": "", "exception_list": ""}
    for name, ctx in (("full", context), ("empty", empty)):
        started = time.perf_counter()
        for _ in range(200):
            render_to_string("kpis/scorecard.html", ctx, request=request)
        print(f"render {name}: {(time.perf_counter() - started) / 200 * 1000:.2f} ms")
    if os.environ.get("MODE") == "base":
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(200):
            render_to_string("kpis/scorecard.html", empty, request=request)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(70)
        print(out.getvalue())
        return
    print(f"accessibility page {timed(reverse('accessibility')):.2f} ms")
    print(f"trivial {timed(TRIVIAL):.2f} ms, warm scorecard {timed(url):.2f} ms")
    cold = os.environ.get("MODE") == "cold"
    if cold:
        from kpis.cache import tables_forget

        def timed_cold(n: int = 20) -> float:
            spent = 0.0
            for _ in range(n):
                tables_forget()
                started = time.perf_counter()
                client.get(url)
                spent += time.perf_counter() - started
            return spent / n * 1000

        print(f"cold scorecard {timed_cold():.2f} ms")
    profile = cProfile.Profile()
    for _ in range(50 if cold else 200):
        if cold:
            tables_forget()
        profile.enable()
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
