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
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from audits.models import Plan
from audits.views.plans import PLANS_PER_PAGE
from bench.county import County

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class PageResult:
    name: str
    url: str
    queries: int
    median_ms: float
    p95_ms: float


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


def key_pages(county: County) -> list[tuple[str, str, str]]:
    """(what, whose email, url) for each key page of the issue's list."""
    sendops, auditor = "sendops@demo.invalid", "auditor@demo.invalid"
    last_page = math.ceil(Plan.objects.count() / PLANS_PER_PAGE)
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
        (
            "Assign every plan not audited in 12 months",
            sendops,
            f"{reverse('audits:assign_matching')}?not_audited=12",
        ),
        ("Risk register", sendops, reverse("risks:risk_list")),
        ("Meetings", "board@demo.invalid", reverse("governance:meeting_list")),
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


def page_result(name: str, client: Client, url: str, *, repeat: int) -> PageResult:
    """Queries of one request, and server time over `repeat` requests after a warm-up."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{name}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # read now: the next request clears the connection's query log
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return PageResult(name, url, count, statistics.median(samples), percentile(samples, 0.95))


def pages(
    county: County,
    *,
    repeat: int,
    which: Callable[[County], list[tuple[str, str, str]]] = key_pages,
) -> list[PageResult]:
    clients: dict[int, Client] = {}
    results = []
    for name, who, url in which(county):
        user = county.users[who]
        client = clients.setdefault(user.pk, signed_in(user))
        results.append(page_result(name, client, url, repeat=repeat))
    return results


def kpi_file(path: Path, rows: int) -> None:
    """A KPI import file of `rows` new values: every indicator and period, for other
    authorities' areas (la:800 onwards), as the DfE's benchmarking tables would give."""
    from kpis.models import Measurement

    periods = list(
        Measurement.objects.filter(area="local")
        .values_list("indicator__code", "period_start", "period_end")
        .order_by("indicator__code", "period_start")
    )
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator_code", "period_start", "period_end", "area", "value"])
        written, authority = 0, 800
        while written < rows:
            for code, start, end in periods:
                if written == rows:
                    break
                writer.writerow(
                    [code, start, end, f"la:{authority}", f"{(written % 997) / 10:.1f}"]
                )
                written += 1
            authority += 1


def kpi_import(rows: int) -> tuple[Timing, Timing, Timing]:
    """The portal's import of `rows` KPI values next to a plain COPY of the same file (the
    issue's floor), and next to a COPY of the same rows into the measurements table itself,
    with its indexes, unique constraint and foreign key but no checks and no history."""
    from kpis.imports import measurements_import
    from send_qa.core.tables import read_table

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kpis.csv"
        kpi_file(path, rows)
        into_table = _copy_into_measurements(path, Path(folder) / "with-ids.csv")
        started = time.perf_counter()
        with path.open("rb") as handle:
            plan = measurements_import(read_table(handle, path.name))
        portal = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_copy (indicator_code text, period_start date, "
                "period_end date, area text, value numeric)"
            )
            started = time.perf_counter()
            _copy_file(cursor, path, "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)")
            floor = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy")
    return (
        Timing(f"KPI import, {rows:,} rows", portal, f"{plan.added:,} added"),
        Timing(f"Plain COPY of the same {rows:,} rows", floor),
        Timing("COPY into the measurements table", into_table, "indexes and keys, no history"),
    )


def _copy_file(cursor, path: Path, sql: str) -> None:
    with path.open("rb") as handle, cursor.cursor.copy(sql) as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)


def _copy_into_measurements(path: Path, with_ids: Path) -> float:
    """Seconds to COPY the file's rows into kpis_measurement (undone afterwards)."""
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
