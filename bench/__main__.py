"""`make bench`: build a synthetic large county, measure the key pages and jobs, and print the
figures next to their targets (docs/performance.md). Run through scripts/bench.sh, which
starts a throwaway PostgreSQL and Redis."""

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import warnings
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_qa.settings")
# Static files are served from the source folders here, as in the tests.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import county as county_module  # noqa: E402
from bench import measure  # noqa: E402
from send_qa import web_workers  # noqa: E402
from send_qa.wsgi import tune_garbage_collector  # noqa: E402

TARGETS = {
    "queries": 25,
    "p95_ms": 150,
    "import_vs_copy": 3,
    "sampling_s": 1,
    "pdf_s": 10,
    "pdf_mib": 500,
    "load_ratio": 1 / 3,
    "dfe_import_s": 10,
}


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{platform.machine()}, {cpus} CPUs, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"PostgreSQL {postgres}"
    )


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES TARGET"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 is a large county.")
    parser.add_argument("--repeat", type=int, default=30, help="Requests timed per page.")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--load-seconds", type=int, default=10, help="Per page; 0 for none.")
    parser.add_argument("--output", type=Path, help="Also write the figures here as JSON.")
    options = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("The benchmarks run on PostgreSQL: use make bench.", file=sys.stderr)
        return 2

    print(f"Machine: {machine()}")
    call_command("migrate", verbosity=0)
    from audits.models import Plan

    if Plan.objects.exists():
        print("The benchmark database must start empty.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    folder = tempfile.TemporaryDirectory(prefix="bench-dfe-")
    county = county_module.build(scale=options.scale, folder=Path(folder.name))
    print(f"Built a county at scale {options.scale} in {time.perf_counter() - started:.0f} s:")
    # Measure as a web worker runs (send_qa/wsgi.py), without the build's leftovers.
    tune_garbage_collector()
    for what, count in county.counts.items():
        print(f"  {count:>9,} {what}")

    results: dict = {"machine": machine(), "scale": options.scale, "counts": county.counts}
    missed = []
    print(f"\nKey pages (server time over {options.repeat} requests each):")
    print(f"  {'page':<36} {'queries':>7} {'median':>9} {'95th':>9}")
    page_results = measure.pages(county, repeat=options.repeat)
    for page in page_results:
        ok = page.queries <= TARGETS["queries"] and page.p95_ms <= TARGETS["p95_ms"]
        missed += [] if ok else [page.name]
        print(
            f"  {page.name:<36} {page.queries:>7} {page.median_ms:>7.1f}ms "
            f"{page.p95_ms:>7.1f}ms  {verdict(ok)}"
        )
    results["pages"] = [asdict(page) for page in page_results]

    print("\nJobs:")
    portal, floor, into_table = measure.kpi_import(options.import_rows)
    ratio = portal.seconds / floor.seconds
    ok = ratio <= TARGETS["import_vs_copy"]
    missed += [] if ok else ["KPI import"]
    print(f"  {portal.name:<36} {portal.seconds:>8.2f} s  ({portal.detail})")
    print(
        f"  {floor.name:<36} {floor.seconds:>8.2f} s  import is {ratio:.1f} x COPY  {verdict(ok)}"
    )
    print(
        f"  {into_table.name:<36} {into_table.seconds:>8.2f} s  ({into_table.detail}; "
        f"import is {portal.seconds / into_table.seconds:.1f} x this)"
    )
    draw = measure.sampling(county)
    ok = draw.seconds < TARGETS["sampling_s"]
    missed += [] if ok else ["sampling"]
    print(f"  {draw.name:<36} {draw.seconds:>8.2f} s  ({draw.detail})  {verdict(ok)}")
    report, peak_kib = measure.pdf(county)
    peak_mib = peak_kib / 1024
    ok = report.seconds <= TARGETS["pdf_s"] and peak_mib <= TARGETS["pdf_mib"]
    missed += [] if ok else ["PDF"]
    print(
        f"  {report.name:<36} {report.seconds:>8.2f} s  peak {peak_mib:.0f} MiB "
        f"({report.detail})  {verdict(ok)}"
    )
    results["jobs"] = {
        "kpi_import_s": portal.seconds,
        "copy_s": floor.seconds,
        "copy_into_table_s": into_table.seconds,
        "import_rows": options.import_rows,
        "sampling_s": draw.seconds,
        "pdf_s": report.seconds,
        "pdf_peak_mib": peak_mib,
    }

    print("\nPublished data (issue 17):")
    imported, worked_out, again = measure.dfe_import(county)
    together = imported.seconds + worked_out.seconds
    ok = together < TARGETS["dfe_import_s"]
    missed += [] if ok else ["DfE import with comparators"]
    print(f"  {imported.name:<36} {imported.seconds:>8.2f} s  ({imported.detail})")
    print(f"  {worked_out.name:<36} {worked_out.seconds:>8.2f} s  ({worked_out.detail})")
    print(f"  {'Import and comparators together':<36} {together:>8.2f} s  {verdict(ok)}")
    ok = not again.detail.startswith("CHANGED")
    missed += [] if ok else ["DfE re-import changed something"]
    print(f"  {again.name:<36} {again.seconds:>8.2f} s  ({again.detail})  {verdict(ok)}")
    print(f"  {'page':<36} {'queries':>7} {'median':>9} {'95th':>9}")
    compared = measure.pages(county, repeat=options.repeat, which=measure.comparator_pages)
    for page in compared:
        ok = page.queries <= TARGETS["queries"] and page.p95_ms <= TARGETS["p95_ms"]
        missed += [] if ok else [page.name]
        print(
            f"  {page.name:<36} {page.queries:>7} {page.median_ms:>7.1f}ms "
            f"{page.p95_ms:>7.1f}ms  {verdict(ok)}"
        )
    results["published"] = {
        "import": asdict(imported),
        "comparators": asdict(worked_out),
        "together_s": together,
        "reimport": asdict(again),
        "pages": [asdict(page) for page in compared],
    }
    if options.load_seconds:
        from bench.load import CLIENTS, load_test

        print(
            f"\nLoad test ({CLIENTS} signed-in clients, gunicorn with gunicorn.conf.py "
            f"({web_workers.workers()} workers x {web_workers.threads()} threads) on loopback, "
            f"wrk, {options.load_seconds} s a page):"
        )
        loads = load_test(county, seconds=options.load_seconds)
        trivial = loads[0].requests_per_second
        for load in loads:
            ratio = load.requests_per_second / trivial
            # The ratio target is the scorecard's; every page must answer without error.
            ok = load.errors == 0 and (
                load.name != "KPI scorecard" or ratio >= TARGETS["load_ratio"]
            )
            missed += [] if ok else [f"load: {load.name}"]
            print(
                f"  {load.name:<36} {load.requests_per_second:>8.1f} req/s  "
                f"{ratio:>5.0%} of trivial  95th {load.p95_ms:.0f} ms  99th {load.p99_ms:.0f} ms  "
                f"{load.errors} errors of {load.requests:,}  {verdict(ok)}"
            )
        results["load"] = [asdict(load) for load in loads]
    results["missed"] = missed
    results["when"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    output = options.output or Path(__file__).resolve().parents[1] / "var" / "bench" / "latest.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2))
    folder.cleanup()
    print(f"\nFigures written to {output}.")
    if missed:
        print(f"Targets missed: {', '.join(missed)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
