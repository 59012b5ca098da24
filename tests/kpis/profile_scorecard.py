"""Not a test of behaviour: where a scorecard request spends its time, at the bench's 150
indicators (a small county otherwise), without the test runner's template instrumentation (as
in production). Prints the page's size and queries, the trivial page's, a warm and a cold
request's time, the parts of a cold build, and a profile. Run by hand:

    scripts/test.sh tests/kpis/profile_scorecard.py -p no:randomly -s -p no:xdist

WHO=board (default) or sendops; MODE=warm (default) or cold, which request is profiled;
TOP=60 lines of the profile. Timings on the shared machine are noisy: compare runs back to
back, and trust the profile's proportions more than its times."""

import cProfile
import io
import os
import pstats
import random
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.template.base import Template
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, _TestState
from django.urls import reverse
from django.utils import timezone

from bench import county as county_module
from bench.measure import TRIVIAL
from kpis import scorecard as rules
from kpis.cache import cached, tables_forget
from kpis.views import scorecard as view

pytestmark = pytest.mark.django_db
REQUESTS = 200


def _per_request_ms(run: Callable[[], object], n: int = REQUESTS) -> float:
    started = time.perf_counter()
    for _ in range(n):
        run()
    return (time.perf_counter() - started) / n * 1000


def test_profile_the_scorecard(tmp_path, settings, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    county = county_module.build(scale=0.01, folder=tmp_path)
    county_module._indicators(random.Random(1), county_module.INDICATORS, timezone.localdate())
    county_module._scorecard_rows_stored(timezone.localdate())
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    client = Client()
    client.force_login(county.users[f"{os.environ.get('WHO', 'board')}@demo.invalid"])
    url = reverse("kpis:scorecard")
    first = client.get(url)
    assert first.status_code == 200
    print(f"\nThe page: {len(first.content):,} bytes")
    for path in (TRIVIAL, url):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{path}: {len(queries)} queries:", *(q["sql"][:160] for q in queries), sep="\n  ")

    page = cached(("scorecard-page", timezone.localdate(), "", "", "oba", ""), dict)
    full = {**page, "intro": page["intro"], "is_sendops": False, "recalculating": False}
    empty = {**full, "tables": "", "intro": "", "exception_list": ""}
    for name, context in (("the page", full), ("the page without its tables", empty)):
        rendered = _per_request_ms(
            lambda c=context: render_to_string("kpis/scorecard.html", c, request=first.wsgi_request)
        )
        print(f"Rendering {name}: {rendered:.2f} ms")
    print(f"Trivial page {_per_request_ms(lambda: client.get(TRIVIAL)):.2f} ms")
    print(f"Warm scorecard {_per_request_ms(lambda: client.get(url)):.2f} ms")

    def cold_request() -> None:
        tables_forget()
        client.get(url)

    print(f"Cold scorecard {_per_request_ms(cold_request, 20):.2f} ms (a version bump each)")
    spent: dict[str, float] = {}
    for module, name in [
        (view, "scorecard_rows"),
        (view, "breakdown_topics"),
        (view, "values_not_yet_shown"),
        (view, "render_to_string"),
        (view, "_scorecard_page"),
        (rules, "_stored_rows"),
    ]:
        monkeypatch.setattr(module, name, _clocked(getattr(module, name), name, spent))
    _per_request_ms(cold_request, 20)
    print("A cold build's parts:", {name: f"{s / 20 * 1000:.1f} ms" for name, s in spent.items()})
    monkeypatch.undo()
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)

    cold = os.environ.get("MODE") == "cold"
    profile = cProfile.Profile()
    for _ in range(50 if cold else REQUESTS):
        if cold:
            tables_forget()
        profile.enable()
        client.get(url)
        profile.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(
            int(os.environ.get("TOP", "60"))
        )
        print(out.getvalue())


def _clocked(original: Callable, name: str, spent: dict[str, float]) -> Callable:
    def clocked(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return clocked
