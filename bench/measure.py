"""What the benchmark suite measures, as plain functions over a built county."""

import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from audits.models import Audit, Plan
from audits.views.plans import PLANS_PER_PAGE
from bench.county import County
from send_qa.core.access_log import EVENTS_PER_PAGE
from send_qa.core.models import AccessEvent

ROOT = Path(__file__).resolve().parents[1]


ROUNDS = 3
TRIVIAL = "/bench/trivial/"
# Key pages that show more rows the larger the county (every indicator, every action): the
# growth target (under 2 x from a tenth of the county to all of it) is for the other pages,
# which show a bounded amount of data. A page added to key_pages() is bounded unless named here.
GROWS_WITH_COUNTY = frozenset(
    {
        "KPI scorecard (SENDOPS)",
        "KPI scorecard (board)",
        "KPI scorecard, cold (SENDOPS)",
        "WSOA tracker",
    }
)


@dataclass
class PageResult:
    """One page's figures: each p95 is the median of ROUNDS rounds' 95th percentiles, and
    each round times `repeat` requests cold (caches cleared just before), `repeat` warm
    (straight after a cold one) and `repeat` of the trivial page, interleaved."""

    name: str
    url: str
    queries: int
    cold_queries: int
    cold_p95_ms: float
    warm_p95_ms: float
    trivial_p95_ms: float
    cold_median_ms: float
    warm_median_ms: float
    samples: int
    rounds: list[dict[str, float]] = field(default_factory=list)

    @property
    def bounded(self) -> bool:
        return self.name not in GROWS_WITH_COUNTY


@dataclass
class Timing:
    name: str
    seconds: float
    detail: str = ""


def signed_in(user) -> Client:
    """A client signed in as the person, past the two-factor step where their role needs it."""
    client = Client()
    client.force_login(user)
    if user.has_role(*settings.OTP_REQUIRED_ROLES):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def finished_term(county: County) -> str:
    """The opaque id of the finished term with the most EHCP audits (the findings and QA
    summary's heaviest), as a `term` query parameter names it; the report's term if none."""
    from send_qa.core.models import Period

    finished = (
        Audit.objects.of_plans()
        .filter(term__end__lt=timezone.localdate())
        .values("term__uuid")
        .annotate(audits=Count("id"))
        .order_by("-audits")
        .first()
    )
    if finished:
        return str(finished["term__uuid"])
    return str(Period.objects.terms().filter(name=county.term_name).values_list("uuid")[0][0])


def key_pages(county: County) -> list[tuple[str, str, str]]:
    """(what, whose email, url) for each key page of the issue's list."""
    sendops, auditor = "sendops@demo.invalid", "auditor@demo.invalid"
    term = finished_term(county)
    last_page = math.ceil(Plan.objects.count() / PLANS_PER_PAGE)
    reviews_due = Plan.objects.review_due(on=timezone.localdate()).count()
    reviews_last_page = max(math.ceil(reviews_due / PLANS_PER_PAGE), 1)
    return [
        ("Dashboard (SENDOPS)", sendops, reverse("dashboard:home")),
        ("Dashboard (auditor)", auditor, reverse("dashboard:home")),
        ("Audit list (SENDOPS, all audits)", sendops, reverse("audits:audit_list")),
        ("Audit list (auditor)", auditor, reverse("audits:audit_list")),
        (
            "Scoring page (a section)",
            auditor,
            reverse(
                "audits:audit_section",
                kwargs={"audit_uuid": county.audit_uuid, "code": county.audit_section},
            ),
        ),
        ("Findings", sendops, reverse("audits:findings")),
        ("Findings, a finished term", sendops, f"{reverse('audits:findings')}?term={term}"),
        ("QA summary, a finished term", sendops, f"{reverse('audits:qa_summary')}?term={term}"),
        # A breakdown is counted on the spot (it is not among the stored figures).
        (
            "Findings, a finished term, by new or existing plan",
            sendops,
            f"{reverse('audits:findings')}?term={term}&by=new_or_existing",
        ),
        ("KPI scorecard (SENDOPS)", sendops, reverse("kpis:scorecard")),
        ("KPI scorecard (board)", "board@demo.invalid", reverse("kpis:scorecard")),
        # Cold: kpis.cache.tables_forget() before each sample (the stored rows stay current).
        ("KPI scorecard, cold (SENDOPS)", sendops, reverse("kpis:scorecard")),
        (
            "Indicator page",
            sendops,
            reverse("kpis:indicator_detail", kwargs={"code": county.indicator_code}),
        ),
        (
            "WSOA tracker",
            sendops,
            reverse("wsoa:plan_detail", kwargs={"plan_uuid": county.action_plan_uuid}),
        ),
        (
            "WSOA summary",
            sendops,
            reverse("wsoa:plan_summary", kwargs={"plan_uuid": county.action_plan_uuid}),
        ),
        (
            "Report page",
            sendops,
            reverse("reports:report_detail", kwargs={"report_uuid": county.report_uuid}),
        ),
        (
            "Report narrative, drafted from the evidence",
            sendops,
            reverse("reports:report_edit", kwargs={"report_uuid": county.report_uuid}),
        ),
        ("Actions raised from QA evidence", sendops, reverse("wsoa:actions_raised")),
        (
            "Plans register, last page",
            sendops,
            f"{reverse('audits:plan_list')}?page={last_page}",
        ),
        (
            "Plans register, last page, by last audited, not audited in 12 months",
            sendops,
            f"{reverse('audits:plan_list')}?sort=audited&order=descending&not_audited=12"
            f"&page={last_page}",
        ),
        # A caseworker sees their team's plans and those they audit (a subquery each).
        ("Plans register (caseworker)", "caseworker@demo.invalid", reverse("audits:plan_list")),
        (
            "Plans register (caseworker), by last audited, last page",
            "caseworker@demo.invalid",
            f"{reverse('audits:plan_list')}?sort=audited&page={last_page}",
        ),
        (
            "Assign every plan not audited in 12 months",
            sendops,
            f"{reverse('audits:assign_matching')}?not_audited=12",
        ),
        ("Risk register", sendops, reverse("risks:risk_list")),
        ("Checklist list", sendops, reverse("audits:template_list")),
        ("Reviews due", sendops, reverse("audits:reviews_due")),
        ("Audit list, last page (SENDOPS)", sendops, f"{reverse('audits:audit_list')}?page=last"),
        (
            "Reviews due, last page",
            sendops,
            f"{reverse('audits:reviews_due')}?page={reviews_last_page}",
        ),
        ("Meetings", "board@demo.invalid", reverse("governance:meeting_list")),
        *access_log_pages(),
    ]


def access_log_pages() -> list[tuple[str, str, str]]:
    """The access log searched by a person and by a record, and a page halfway down the log
    (reached as its Next links reach it, by the event before it)."""
    log = reverse("core:access_log")
    events = AccessEvent.objects.order_by("-at", "-pk")
    record = events.filter(kind=AccessEvent.Kind.RECORD_VIEWED).values_list("reference", flat=True)
    halfway = events.count() // 2
    before = events.values_list("pk", flat=True)[halfway] if halfway else 0
    admin = "admin@demo.invalid"
    return [
        ("Access log, search by person", admin, f"{log}?person=auditor%40demo"),
        ("Access log, search by record", admin, f"{log}?record={record.first() or ''}"),
        ("Access log, unfiltered, first page", admin, log),
        (
            "Access log, unfiltered, halfway down",
            admin,
            f"{log}?page={halfway // EVENTS_PER_PAGE + 1}&before={before}",
        ),
    ]


def comparator_pages(county: County) -> list[tuple[str, str, str]]:
    """(what, whose email, url) for the pages that read the published comparators (issue 17),
    opened once the whole annual_reviews table is imported and its comparators worked out."""
    sendops, board = "sendops@demo.invalid", "board@demo.invalid"
    code = {"code": county.compared_indicator_code}
    return [
        ("Scorecard, comparators (SENDOPS)", sendops, reverse("kpis:scorecard")),
        ("Scorecard, comparators (board)", board, reverse("kpis:scorecard")),
        ("Indicator page, comparators", sendops, reverse("kpis:indicator_detail", kwargs=code)),
        ("Benchmark export (CSV)", sendops, reverse("kpis:benchmark_export_csv", kwargs=code)),
    ]


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile of the samples."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def median_of_rounds(figures: list[float]) -> float:
    """The figure the bench reports for a page: the median of its rounds' figures (of three
    rounds, the middle one), so that one round slowed by other work on the machine, or one
    lucky round, does not set it."""
    if not figures:
        raise ValueError("no rounds")
    return statistics.median(figures)


def growth_ratio(small_ms: float, large_ms: float) -> float:
    """How many times longer a page takes in the large county than in the small one."""
    return large_ms / small_ms


def caches_clear() -> None:
    """What a cold request finds: Django's cache emptied (the KPI tables, the scorecard's
    shared parts) and every cached KPI table built afresh (`kpis.cache.tables_forget`). The
    stored scorecard rows are data, not cache: they stay current, as between two changes."""
    from kpis.cache import tables_forget

    cache.clear()
    tables_forget()


def scorecard_rows_stored() -> int:
    """The scorecard's rows stored again, as the task queued after each change of KPI data."""
    from kpis.scorecard import scorecard_rows_store

    return scorecard_rows_store(on=timezone.localdate())


def _timed_get(client: Client, url: str) -> float:
    """Milliseconds to answer one request, which must be the page itself (a redirect to the
    sign-in page would be fast and flatter the figure)."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def page_round(client: Client, url: str, *, repeat: int) -> dict[str, float]:
    """One round of one page: `repeat` times, the trivial page, then the page cold, then warm."""
    cold, warm, trivial = [], [], []
    for _ in range(repeat):
        trivial.append(_timed_get(client, TRIVIAL))
        caches_clear()
        cold.append(_timed_get(client, url))
        warm.append(_timed_get(client, url))
    return {
        "cold_p95_ms": percentile(cold, 0.95),
        "warm_p95_ms": percentile(warm, 0.95),
        "trivial_p95_ms": percentile(trivial, 0.95),
        "cold_median_ms": statistics.median(cold),
        "warm_median_ms": statistics.median(warm),
    }


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _timed_get(client, url)
    return len(queries)  # read now: the next request clears the connection's query log


def pages(
    county: County,
    *,
    repeat: int,
    rounds: int = ROUNDS,
    which: Callable[[County], list[tuple[str, str, str]]] = key_pages,
) -> list[PageResult]:
    """Every page of `which`, each beside the trivial page (bench/urls.py, through the same
    middleware), over `rounds` rounds; a round opens every page in turn, so that the rounds
    of one page are minutes apart at full scale."""
    clients: dict[int, Client] = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        opened = []
        for name, who, url in which(county):
            user = county.users[who]
            client = clients.setdefault(user.pk, signed_in(user))
            _timed_get(client, url)  # the first request of a process warms its imports
            caches_clear()
            cold_queries = _queries(client, url)
            opened.append((name, url, client, _queries(client, url), cold_queries))
        figures: list[list[dict[str, float]]] = [[] for _ in opened]
        for _ in range(rounds):
            for (_name, url, client, _warm, _cold), kept in zip(opened, figures, strict=True):
                kept.append(page_round(client, url, repeat=repeat))
    results = []
    for (name, url, _client, warm_queries, cold_queries), kept in zip(opened, figures, strict=True):
        results.append(
            PageResult(
                name,
                url,
                warm_queries,
                cold_queries,
                samples=repeat,
                rounds=kept,
                **{key: median_of_rounds([r[key] for r in kept]) for key in kept[0]},
            )
        )
    return results


def page_figures(page: PageResult) -> dict[str, object]:
    """A page's figures as the JSON file holds them."""
    return {**asdict(page), "bounded": page.bounded}


def _copy_file(cursor, path: Path, sql: str) -> None:
    with path.open("rb") as handle, cursor.cursor.copy(sql) as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)


def _copy_into_measurements(path: Path, with_ids: Path, *, keys_checked: bool = False) -> float:
    """Seconds to COPY the file's rows into kpis_measurement (undone afterwards). With
    `keys_checked`, the deferred foreign key is checked before the rollback, as every
    committed import pays it."""
    from django.db import transaction
    from django.utils import timezone

    from kpis.models import Indicator

    ids = dict(Indicator.objects.values_list("code", "pk"))
    now = timezone.now().isoformat()
    with path.open(newline="") as source, with_ids.open("w", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target)
        next(reader)
        for code, start, end, area, value in reader:
            writer.writerow([ids[code], start, end, area, value, "", "", "", now])
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        _copy_file(
            cursor,
            with_ids,
            "COPY kpis_measurement (indicator_id, period_start, period_end, area, value, "
            "period_label, source_note, commentary, updated_at) FROM STDIN WITH (FORMAT csv, "
            "FORCE_NOT_NULL (period_label, source_note, commentary))",
        )
        if keys_checked:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def dfe_import(county: County) -> tuple[Timing, Timing, Timing]:
    """The issue 17 target: the whole annual_reviews file (every authority, seven years, every
    breakdown) imported as published, then the own area's comparators worked out for every
    indicator a table feeds; and the same file imported again, which must change nothing (as
    the import command does, the comparators are then left as they stand)."""
    from benchmarks.ees import dfe_file_import
    from benchmarks.models import Authority, PublishedRow
    from kpis.comparators import comparators_refresh
    from kpis.models import Comparator, Measurement

    if county.dfe_files is None:
        raise RuntimeError("The county has no DfE files.")
    path = county.dfe_files.annual_reviews
    size = f"{county.dfe_files.rows['annual_reviews']:,} rows, {path.stat().st_size / 1e6:.1f} MB"
    started = time.perf_counter()
    plan, _ = dfe_file_import(path)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    stored = comparators_refresh()
    comparators = time.perf_counter() - started

    def state() -> tuple[int, ...]:
        return (
            PublishedRow.objects.count(),
            PublishedRow.history.count(),
            Authority.history.count(),
            Comparator.objects.count(),
            Measurement.objects.count(),
            Measurement.history.count(),
        )

    before = state()
    started = time.perf_counter()
    again, _ = dfe_file_import(path)
    repeated = time.perf_counter() - started
    changed = bool(again.added or again.changed) or state() != before
    return (
        Timing("DfE file import (annual_reviews)", imported, f"{size}; {plan.added:,} added"),
        Timing("Comparators worked out", comparators, f"{stored:,} stored"),
        Timing(
            "The same file imported again",
            repeated,
            "CHANGED SOMETHING"
            if changed
            else f"changed nothing: {again.unchanged:,} rows unchanged",
        ),
    )


def sampling(county: County) -> Timing:
    from audits.models import ModerationSession
    from audits.moderation import session_draw

    session = ModerationSession.objects.get(pk=county.moderation_session_id)
    started = time.perf_counter()
    sample = session_draw(session)
    seconds = time.perf_counter() - started
    return Timing(
        "Moderation sample draw",
        seconds,
        f"{len(sample.plan_ids)} of {sample.population:,} plans",
    )


def pdf(county: County) -> tuple[Timing, int]:
    """Compile the termly report in a process of its own: (its wall time, peak memory in KiB)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [
                sys.executable,
                "manage.py",
                "compile_report",
                "--term",
                county.term_name,
                "--version",
                "1",
                "--sync",
                "--output",
                str(output),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        log = process.stdout.read().decode(errors="replace")
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0 or not output.exists():
            raise RuntimeError(f"compile_report failed:\n{log}")
        size = output.stat().st_size
    timing = Timing("Termly report PDF (whole command)", seconds, f"{size / 1024:,.0f} KiB PDF")
    return timing, usage.ru_maxrss


PAST = "1900-01-01"  # the import paths' rows are dated before this, so they are new and removable


def kpi_import_paths(county: County, rows: int = 100_000) -> list[Timing]:
    """Issue 22's import targets, each beside the floor (a COPY of the same rows into the
    measurements table, `_copy_into_measurements`) measured in the same run: the import of
    `rows` new values, of the same rows again with other values (every one changed), and the
    web flow end to end through the test client (upload and preview, then confirm) for both.
    Also the floor with its foreign key checked (the floor is rolled back, so PostgreSQL never
    runs the deferred check that every committed import pays). The rows written are removed
    afterwards. Returns Timings in that order: floor, floor with the key checked, new rows,
    changed values, web new rows, web changed values (the web ones say preview and confirm)."""
    from kpis.imports import measurements_import
    from kpis.models import StagedImport
    from send_qa.core.tables import read_table

    sendops = signed_in(county.users["sendops@demo.invalid"])
    with tempfile.TemporaryDirectory() as folder:
        new, changed = Path(folder) / "new.csv", Path(folder) / "changed.csv"
        _kpi_past_file(new, rows, shift=0)
        _kpi_past_file(changed, rows, shift=1)
        floor = _copy_into_measurements(new, Path(folder) / "with-ids.csv")
        checked_floor = _copy_into_measurements(
            new, Path(folder) / "with-ids.csv", keys_checked=True
        )
        timings = [
            Timing("COPY into the measurements table, keys unchecked", floor, f"{rows:,} rows"),
            Timing("The same COPY, its foreign key checked", checked_floor),
        ]
        for path, what in ((new, "new rows"), (changed, "changed values")):
            started = time.perf_counter()
            with path.open("rb") as handle:
                plan = measurements_import(read_table(handle, path.name))
            seconds = time.perf_counter() - started
            done = f"{plan.added:,} added, {plan.updated:,} updated"
            timings.append(_beside(f"KPI import, {rows:,} {what}", seconds, checked_floor, done))
        _past_rows_remove()
        for path, what in ((new, "new rows"), (changed, "changed values")):
            started = time.perf_counter()
            with path.open("rb") as handle:
                preview = sendops.post(reverse("kpis:import"), {"file": handle})
            checked = time.perf_counter() - started
            confirm = sendops.post(reverse("kpis:import"), {"confirm": "1"})
            seconds = time.perf_counter() - started
            if preview.status_code != 200 or confirm.status_code != 302:
                raise RuntimeError(f"The web import of {what} answered {confirm.status_code}")
            staged = StagedImport.objects.latest("checked_at")
            if staged.imported_at is None:
                raise RuntimeError(f"The web import of {what} wrote nothing")
            done = (
                f"preview {checked:.2f} s, confirm {seconds - checked:.2f} s; "
                f"{staged.added:,} added, {staged.updated:,} updated"
            )
            timings.append(_beside(f"Web import, {rows:,} {what}", seconds, checked_floor, done))
        _past_rows_remove()
    return timings


def _beside(name: str, seconds: float, floor: float, detail: str) -> Timing:
    return Timing(name, seconds, f"{seconds / floor:.1f} x the floor; {detail}")


def _kpi_past_file(path: Path, rows: int, *, shift: int) -> None:
    """`rows` values of every indicator for other authorities (la:100 to la:999), over years
    before 1900 that no county holds; `shift` gives the same rows other values."""
    from kpis.models import Indicator

    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True))
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator_code", "period_start", "period_end", "area", "value"])
        for n in range(rows):
            authority, rest = 100 + n % 900, n // 900
            code, year = codes[rest % len(codes)], 1800 + rest // len(codes)
            value = ((n + shift) % 997) / 10
            writer.writerow([code, f"{year}-04-01", f"{year + 1}-03-31", f"la:{authority}", value])


def _past_rows_remove() -> None:
    with connection.cursor() as cursor:
        for table in ("kpis_measurement", "kpis_historicalmeasurement"):
            cursor.execute(f"DELETE FROM {table} WHERE period_start < %s", [PAST])  # noqa: S608
