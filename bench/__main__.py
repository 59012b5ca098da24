"""`make bench`: build a synthetic large county, measure the key pages and jobs, and print the
figures next to their targets (docs/performance.md). Run through scripts/bench.sh, which
starts a throwaway PostgreSQL and Redis."""

import argparse
import datetime
import json
import os
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

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import county as county_module  # noqa: E402
from bench import measure, targets  # noqa: E402
from bench.targets import Check  # noqa: E402
from send_qa import web_workers  # noqa: E402
from send_qa.wsgi import tune_garbage_collector  # noqa: E402

TARGETS = {
    "queries": 25,
    "p95_ms": 150,
    "growth": 2,
    "import_vs_table_copy": 2,
    "import_changed_vs_table_copy": 3,
    "sampling_s": 1,
    "pdf_s": 10,
    "pdf_mib": 500,
    "load_ratio": 1 / 3,
    "dfe_import_s": 10,
}
PAGE_HEADER = (
    f"  {'page':<44} {'queries':>15} {'cold p95':>9} {'warm p95':>9} {'trivial':>8} "
    f"{'cold/trivial':>12}"
)


def postgres_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def where_and_when(commit: str, load_before: str) -> list[str]:
    """What every figure of the run is to be quoted with (the commit as it was at the start)."""
    return [
        f"Machine: {targets.machine_line()}, {postgres_version()}",
        f"Commit: {commit}",
        f"Load average (1, 5, 15 min): {load_before} at the start, "
        f"{targets.load_average()} at the end",
        f"Finished: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}",
    ]


def database_reset() -> None:
    """An empty database again, as bench.sh made it: the small county of the growth run goes."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    cache.clear()


def county_built(scale: float, folder: Path) -> county_module.County:
    started = time.perf_counter()
    county = county_module.build(scale=scale, folder=folder)
    print(f"Built a county at scale {scale} in {time.perf_counter() - started:.0f} s:")
    # Measure as a web worker runs (send_qa/wsgi.py), without the build's leftovers.
    tune_garbage_collector()
    for what, count in county.counts.items():
        print(f"  {count:>9,} {what}")
    print(database_size_line())
    return county


def database_size_line() -> str:
    """The database's size on disk with its indexes, and its largest tables (docs/deployment.md
    sizes a county's database from it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (whole,) = cursor.fetchone()
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            " ORDER BY 2 DESC LIMIT 3"
        )
        largest = ", ".join(f"{name} {size / 2**20:,.0f} MiB" for name, size in cursor.fetchall())
    return f"  The database: {whole / 2**20:,.0f} MiB with its indexes (largest: {largest})"


def pages_printed(results: list[measure.PageResult]) -> None:
    print(PAGE_HEADER)
    for page in results:
        print(
            f"  {page.name[:44]:<44} {page.queries:>4} ({page.cold_queries:>3} cold) "
            f"{page.cold_p95_ms:>7.1f}ms {page.warm_p95_ms:>7.1f}ms {page.trivial_p95_ms:>6.1f}ms "
            f"{page.cold_p95_ms / page.trivial_p95_ms:>11.1f}x"
        )


def page_checks(results: list[measure.PageResult]) -> list[Check]:
    checks = []
    for page in results:
        checks += [
            Check(f"{page.name}: queries", max(page.queries, page.cold_queries), "<=", 25),
            Check(f"{page.name}: p95 cold", page.cold_p95_ms, "<=", TARGETS["p95_ms"], "ms"),
            Check(f"{page.name}: p95 warm", page.warm_p95_ms, "<=", TARGETS["p95_ms"], "ms"),
        ]
    return checks


def growth_checks(
    small: list[measure.PageResult], large: list[measure.PageResult], scales: tuple[float, float]
) -> list[Check]:
    """Each bounded page's p95 in the large county over its p95 in the small one."""
    print(f"\nGrowth from scale {scales[0]} to {scales[1]} (p95 large / p95 small):")
    print(f"  {'page':<60} {'cold':>6} {'warm':>6}  shows")
    before = {page.name: page for page in small}
    checks = []
    for page in large:
        if page.name not in before:
            continue
        cold = measure.growth_ratio(before[page.name].cold_p95_ms, page.cold_p95_ms)
        warm = measure.growth_ratio(before[page.name].warm_p95_ms, page.warm_p95_ms)
        shows = "a bounded amount" if page.bounded else "more with the county (no target)"
        print(f"  {page.name[:60]:<60} {cold:>5.1f}x {warm:>5.1f}x  {shows}")
        if page.bounded:
            checks += [
                Check(f"{page.name}: growth, cold", cold, "<", TARGETS["growth"], "x"),
                Check(f"{page.name}: growth, warm", warm, "<", TARGETS["growth"], "x"),
            ]
    return checks


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 is a large county.")
    parser.add_argument(
        "--repeat", type=int, default=100, help="Requests timed per page, cold and warm, a round."
    )
    parser.add_argument("--rounds", type=int, default=measure.ROUNDS, help="Rounds per page.")
    parser.add_argument(
        "--growth-from",
        type=float,
        default=0.1,
        metavar="FRACTION",
        help="Also time the key pages in a county of this fraction of --scale first, and "
        "print each page's growth; 0 for none.",
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--load-seconds", type=int, default=10, help="Per page; 0 for none.")
    parser.add_argument("--output", type=Path, help="Also write the figures here as JSON.")
    options = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("The benchmarks run on PostgreSQL: use make bench.", file=sys.stderr)
        return 2

    load_before, commit = targets.load_average(), targets.commit()
    print(f"Machine: {targets.machine_line()}, {postgres_version()}")
    print(f"Commit: {commit}")
    print(f"Load average (1, 5, 15 min) at the start: {load_before}")
    call_command("migrate", verbosity=0)
    from audits.models import Plan

    if Plan.objects.exists():
        print("The benchmark database must start empty.", file=sys.stderr)
        return 2
    checks: list[Check] = []
    results: dict = {"scale": options.scale, "repeat": options.repeat, "rounds": options.rounds}
    sampled = (
        f"p95 of {options.repeat} requests cold (caches cleared before each) and "
        f"{options.repeat} warm, each the median of {options.rounds} rounds' p95; the trivial "
        "page timed between them"
    )
    small_pages = None
    if options.growth_from:
        small_scale = round(options.scale * options.growth_from, 6)
        with tempfile.TemporaryDirectory(prefix="bench-dfe-") as folder:
            small = county_built(small_scale, Path(folder))
            results["small_counts"] = small.counts
            print(f"\nKey pages at scale {small_scale} ({sampled}):")
            small_pages = measure.pages(small, repeat=options.repeat, rounds=options.rounds)
            pages_printed(small_pages)
        results["small_pages"] = [measure.page_figures(page) for page in small_pages]
        database_reset()
        print()

    folder = tempfile.TemporaryDirectory(prefix="bench-dfe-")
    county = county_built(options.scale, Path(folder.name))
    results["counts"] = county.counts
    print(f"\nKey pages ({sampled}):")
    page_results = measure.pages(county, repeat=options.repeat, rounds=options.rounds)
    pages_printed(page_results)
    checks += page_checks(page_results)
    results["pages"] = [measure.page_figures(page) for page in page_results]
    if small_pages is not None:
        checks += growth_checks(small_pages, page_results, (small_scale, options.scale))

    print("\nJobs:")
    floor, checked_floor, *imports = measure.kpi_import_paths(county, options.import_rows)
    print(f"  {floor.name:<36} {floor.seconds:>8.2f} s  ({floor.detail}; rolled back)")
    print(f"  {checked_floor.name:<36} {checked_floor.seconds:>8.2f} s  (the floor of the targets)")
    limits = {
        "new rows": TARGETS["import_vs_table_copy"],
        "changed values": TARGETS["import_changed_vs_table_copy"],
    }
    for timing in imports:
        print(f"  {timing.name:<36} {timing.seconds:>8.2f} s  ({timing.detail})")
        if timing.name.startswith("KPI import"):
            limit = next(value for path, value in limits.items() if timing.name.endswith(path))
            checks.append(
                Check(
                    f"{timing.name}, x COPY into the measurements table",
                    timing.seconds / checked_floor.seconds,
                    "<=",
                    limit,
                    "x",
                )
            )
    draw = measure.sampling(county)
    checks.append(Check("Moderation sample draw", draw.seconds, "<", TARGETS["sampling_s"], "s"))
    print(f"  {draw.name:<36} {draw.seconds:>8.2f} s  ({draw.detail})")
    report, peak_kib = measure.pdf(county)
    peak_mib = peak_kib / 1024
    checks += [
        Check("Termly report PDF: time", report.seconds, "<=", TARGETS["pdf_s"], "s"),
        Check("Termly report PDF: peak memory", peak_mib, "<=", TARGETS["pdf_mib"], "MiB"),
    ]
    print(
        f"  {report.name:<36} {report.seconds:>8.2f} s  peak {peak_mib:.0f} MiB ({report.detail})"
    )
    results["jobs"] = {
        "copy_into_table_s": floor.seconds,
        "copy_into_table_keys_checked_s": checked_floor.seconds,
        "kpi_imports": [asdict(timing) for timing in imports],
        "import_rows": options.import_rows,
        "sampling_s": draw.seconds,
        "pdf_s": report.seconds,
        "pdf_peak_mib": peak_mib,
    }

    print("\nPublished data (issue 17):")
    imported, worked_out, again = measure.dfe_import(county)
    together = imported.seconds + worked_out.seconds
    checks.append(Check("DfE import and comparators", together, "<", TARGETS["dfe_import_s"], "s"))
    print(f"  {imported.name:<36} {imported.seconds:>8.2f} s  ({imported.detail})")
    print(f"  {worked_out.name:<36} {worked_out.seconds:>8.2f} s  ({worked_out.detail})")
    print(f"  {'Import and comparators together':<36} {together:>8.2f} s")
    changed = again.detail.startswith("CHANGED")
    checks.append(Check("DfE re-import: records changed", float(changed), "<=", 0))
    print(f"  {again.name:<36} {again.seconds:>8.2f} s  ({again.detail})")
    print(f"\n  Pages with comparators ({sampled}):")
    # The imports above changed KPI data; a worker would store the scorecard's rows again
    # (kpis.tasks.store_scorecard_rows), and the bench runs none.
    measure.scorecard_rows_stored()
    compared = measure.pages(
        county, repeat=options.repeat, rounds=options.rounds, which=measure.comparator_pages
    )
    pages_printed(compared)
    checks += page_checks(compared)
    results["published"] = {
        "import": asdict(imported),
        "comparators": asdict(worked_out),
        "together_s": together,
        "reimport": asdict(again),
        "pages": [measure.page_figures(page) for page in compared],
    }
    if options.load_seconds:
        from bench.load import CLIENTS, load_test

        print(
            f"\nLoad test ({CLIENTS} signed-in clients, gunicorn with gunicorn.conf.py "
            f"({web_workers.workers()} workers x {web_workers.threads()} threads) on loopback, "
            f"wrk, {options.load_seconds} s a page, each page alone, then all at once):"
        )
        alone, together_loads, web_memory = load_test(county, seconds=options.load_seconds)
        trivial = alone[0].requests_per_second
        for load in alone:
            # The scorecards (warm, and kept cold: COLD_SCORECARD) beside their own trivial
            # runs, the median of three rounds (bench.load._beside_trivial).
            ratio = load.share if load.share is not None else load.requests_per_second / trivial
            checks.append(Check(f"Load, {load.name}: errors", load.errors, "<=", 0))
            if load.share is not None:
                checks.append(
                    Check(
                        f"Load, {load.name}: share of the trivial page's throughput",
                        ratio,
                        ">=",
                        round(TARGETS["load_ratio"], 2),
                    )
                )
            print(
                f"  {load.name[:60]:<60} {load.requests_per_second:>8.1f} req/s  "
                f"{ratio:>5.0%} of trivial  95th {load.p95_ms:.0f} ms  99th {load.p99_ms:.0f} ms  "
                f"{load.errors} errors of {load.requests:,}"
            )
            if load.share is not None:
                print(
                    f"  {'':<60} beside the trivial page's {load.trivial_per_second:.1f} req/s "
                    f"just before it; the median of rounds at "
                    + ", ".join(f"{share:.0%}" for share in load.shares)
                )
        print(
            f"  All at once ({together_loads[0].connections} clients a page, the KPI cache "
            "version bumped every second throughout):"
        )
        for load in together_loads:
            checks.append(Check(f"Load, all at once, {load.name}: errors", load.errors, "<=", 0))
            print(
                f"  {load.name[:60]:<60} {load.requests_per_second:>8.1f} req/s  "
                f"95th {load.p95_ms:.0f} ms  99th {load.p99_ms:.0f} ms  "
                f"{load.errors} errors of {load.requests:,}"
            )
        print(
            f"  Memory of the web server after the load test: {len(web_memory)} workers, "
            + ", ".join(f"{rss / 2**20:,.0f}" for rss in web_memory)
            + " MiB resident"
        )
        results["web_worker_rss"] = web_memory
        results["load"] = [asdict(load) for load in alone]
        results["load_all_at_once"] = [asdict(load) for load in together_loads]
    folder.cleanup()

    print("\nTargets:")
    print(targets.verdict_table(checks))
    print()
    provenance = where_and_when(commit, load_before)
    print("\n".join(provenance))
    results["provenance"] = provenance
    results["checks"] = [
        {**asdict(check), "ratio": check.ratio, "meets": check.meets} for check in checks
    ]
    output = options.output or Path(__file__).resolve().parents[1] / "var" / "bench" / "latest.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2))
    print(f"Figures written to {output}.")
    status = targets.exit_status(checks)
    if status:
        print("Exit status 1: at least one target is missed.")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
