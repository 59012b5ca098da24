"""The load test: signed-in clients against gunicorn on loopback with the production settings
(gunicorn.conf.py), driven by wrk; a trivial Django page on the same server is the baseline.

Two parts, each bounded (a fixed number of connections for a fixed number of seconds):
- each page alone, 50 clients signed in as the page's role (SENDOPS, auditor, board,
  caseworker), its throughput beside the trivial page's;
- every page at once (the mix): one wrk per page, the 50 clients shared between them, so that
  sessions of every role are served together.
One page is the scorecard kept cold: a thread makes a new KPI data version (kpis/cache.py)
every second while it runs, as imports and edits do, so its tables are built again; it runs
throughout the mix. Reports throughput, the 95th and 99th percentile latency and the errors.

The scorecards' share of the trivial page's throughput (their target) is measured in
SHARE_ROUNDS rounds, each the trivial page then the scorecard, and the median round is
reported: over runs on the same machine the trivial page's throughput moves by 40 %, so a
share taken against one trivial run at the start of the test says as much about when that
run happened as about the scorecard."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from bench.county import County
from bench.measure import TRIVIAL, finished_term, signed_in

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 50
BUMP_SECONDS = 1.0
COLD_SCORECARD = "KPI scorecard, cold (board; KPI cache version bumped every second)"
SHARE_ROUNDS = 3
P95_SCRIPT = Path(__file__).resolve().parent / "p95.lua"


@dataclass
class LoadResult:
    name: str
    requests_per_second: float
    requests: int
    errors: int
    p95_ms: float
    p99_ms: float
    who: str = ""
    connections: int = 0
    # For a page measured beside the trivial page (`_beside_trivial`): its share of the
    # trivial page's throughput in the reported round, and every round's share.
    share: float | None = None
    trivial_per_second: float | None = None
    shares: list[float] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(user) -> str:
    client = signed_in(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(name: str, output: str) -> LoadResult:
    """Throughput, request count, errors (socket errors and non-2xx/3xx answers) and the 95th
    (printed by bench/p95.lua) and 99th percentile latency from wrk's report."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    p95 = re.search(r"^95th percentile: (\S+)$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)\s*$", output, re.MULTILINE)  # "1.20s " has a space
    return LoadResult(
        name,
        rate,
        requests,
        errors,
        _milliseconds(p95.group(1)) if p95 else 0.0,
        _milliseconds(p99.group(1)) if p99 else 0.0,
    )


def load_pages(county: County) -> list[tuple[str, str, str]]:
    """(what, whose email, path) for the load test; the trivial page first."""
    sendops, board = "sendops@demo.invalid", "board@demo.invalid"
    caseworker, auditor = "caseworker@demo.invalid", "auditor@demo.invalid"
    return [
        ("Trivial Django page", sendops, TRIVIAL),
        ("Home page (SENDOPS)", sendops, reverse("dashboard:home")),
        ("Home page (caseworker)", caseworker, reverse("dashboard:home")),
        ("KPI scorecard (SENDOPS)", sendops, reverse("kpis:scorecard")),
        (COLD_SCORECARD, board, reverse("kpis:scorecard")),
        (
            "Findings, a finished term (SENDOPS)",
            sendops,
            f"{reverse('audits:findings')}?term={finished_term(county)}",
        ),
        ("Audit list (auditor)", auditor, reverse("audits:audit_list")),
        ("Plans register (caseworker)", caseworker, reverse("audits:plan_list")),
        (
            "Action plan (SENDOPS)",
            sendops,
            reverse("wsoa:plan_detail", kwargs={"plan_uuid": county.action_plan_uuid}),
        ),
    ]


def _wrk_command(url: str, cookie: str, *, connections: int, seconds: int) -> list[str]:
    return [
        shutil.which("wrk") or "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "--script",
        str(P95_SCRIPT),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]


def _wrk(name: str, url: str, cookie: str, *, connections: int, seconds: int) -> LoadResult:
    command = _wrk_command(url, cookie, connections=connections, seconds=seconds)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    result = parse_wrk(name, output)
    result.connections = connections
    return result


class VersionBumper:
    """While in use, a new KPI data version every BUMP_SECONDS: the scorecard's cached tables
    are stale each second, as after an import, and are built again by the next request."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.bumps = 0

    def _run(self) -> None:
        from kpis.cache import tables_forget

        while not self._stop.wait(BUMP_SECONDS):
            tables_forget()
            self.bumps += 1

    def __enter__(self) -> "VersionBumper":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _mix(
    pages: list[tuple[str, str, str, str]], *, connections: int, seconds: int
) -> list[LoadResult]:
    """Every page at once, one wrk each, the connections shared between them."""
    each = max(1, connections // len(pages))
    running = [
        (
            name,
            who,
            subprocess.Popen(  # noqa: S603 - wrk, fixed arguments
                _wrk_command(url, cookie, connections=each, seconds=seconds),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for name, who, url, cookie in pages
    ]
    results = []
    for name, who, process in running:
        output, errors = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed on {name}: {errors}")
        result = parse_wrk(name, output)
        result.who, result.connections = who, each
        results.append(result)
    return results


def resident_memory(pid: int) -> list[int]:
    """The resident memory (bytes) of each child of the process: gunicorn's workers."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:  # the process ended meanwhile
            continue
        if int(fields.get("PPid", "0").strip()) == pid and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) * 1024)
    return sorted(sizes)


def load_test(
    county: County, *, connections: int = CLIENTS, seconds: int = 10
) -> tuple[list[LoadResult], list[LoadResult], list[int]]:
    """(each page alone, the trivial page first; every page at once; the resident memory of
    each web worker at the end)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: make bench installs Debian's 'wrk' package.")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "send_qa.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        _wait_until_up(base + TRIVIAL, server)
        cookies: dict[str, str] = {}
        pages = []
        for name, who, path in load_pages(county):
            cookie = cookies.get(who) or cookies.setdefault(who, session_cookie(county.users[who]))
            _check_signed_in_page(base + path, cookie)
            pages.append((name, who, base + path, cookie))
        alone = []
        trivial = pages[0]
        for name, who, url, cookie in pages:
            if name.startswith("KPI scorecard"):
                result = _beside_trivial(
                    trivial, (name, who, url, cookie), connections=connections, seconds=seconds
                )
            else:
                result = _alone(name, url, cookie, connections=connections, seconds=seconds)
            result.who = who
            alone.append(result)
        with VersionBumper():
            together = _mix(pages, connections=connections, seconds=seconds)
        return alone, together, resident_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _alone(name: str, url: str, cookie: str, *, connections: int, seconds: int) -> LoadResult:
    """One page alone, after a second's warm-up; the kept-cold scorecard with its version
    bumped throughout."""
    with VersionBumper() if name == COLD_SCORECARD else contextlib.nullcontext():
        _wrk(name, url, cookie, connections=connections, seconds=1)
        return _wrk(name, url, cookie, connections=connections, seconds=seconds)


def _beside_trivial(
    trivial: tuple[str, str, str, str],
    page: tuple[str, str, str, str],
    *,
    connections: int,
    seconds: int,
    rounds: int = SHARE_ROUNDS,
) -> LoadResult:
    """The page's throughput as a share of the trivial page's measured just before it, in
    `rounds` rounds: the round of the median share, with every round's share."""
    measured = []
    for _ in range(rounds):
        base = _alone(trivial[0], trivial[2], trivial[3], connections=connections, seconds=seconds)
        result = _alone(page[0], page[2], page[3], connections=connections, seconds=seconds)
        result.share = result.requests_per_second / base.requests_per_second
        result.trivial_per_second = base.requests_per_second
        measured.append(result)
    median = median_round(measured)
    median.shares = [r.share or 0.0 for r in measured]
    return median


def median_round(measured: list[LoadResult]) -> LoadResult:
    """The round whose share is the median (the lower middle one of an even number)."""
    ordered = sorted(measured, key=lambda r: r.share or 0.0)
    return ordered[(len(ordered) - 1) // 2]


def _check_signed_in_page(url: str, cookie: str) -> None:
    """The page answers 200 itself, not by a redirect to the sign-in page (wrk would count
    a redirect as a success)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.url != url:
            raise RuntimeError(f"{url} did not answer the signed-in user: {response.url}")


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")
