"""The load test: 50 signed-in clients at once on the main pages, against gunicorn on loopback
with the production settings (gunicorn.conf.py), driven by wrk; a trivial Django page on the
same server is the baseline. Bounded: a fixed number of connections for a fixed number of
seconds per page. Reports throughput, the 95th and 99th percentile latency and the errors."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from bench.county import County
from bench.measure import signed_in

ROOT = Path(__file__).resolve().parents[1]
TRIVIAL = "/bench/trivial/"
CLIENTS = 50
P95_SCRIPT = Path(__file__).resolve().parent / "p95.lua"


@dataclass
class LoadResult:
    name: str
    requests_per_second: float
    requests: int
    errors: int
    p95_ms: float
    p99_ms: float


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


def _wrk(name: str, url: str, cookie: str, *, connections: int, seconds: int) -> LoadResult:
    command = [
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
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(name, output)


def load_test(county: County, *, connections: int = CLIENTS, seconds: int = 10) -> list[LoadResult]:
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
        sendops = session_cookie(county.users["sendops@demo.invalid"])
        pages = [
            ("Trivial Django page", TRIVIAL),
            ("Home page", reverse("dashboard:home")),
            ("KPI scorecard", reverse("kpis:scorecard")),
            ("Audit list", reverse("audits:audit_list")),
            ("Plans register", reverse("audits:plan_list")),
            (
                "Action plan",
                reverse("wsoa:plan_detail", kwargs={"plan_uuid": county.action_plan_uuid}),
            ),
        ]
        results = []
        for name, path in pages:
            _check_signed_in_page(base + path, sendops)
            _wrk(name, base + path, sendops, connections=connections, seconds=1)  # warm up
            results.append(
                _wrk(name, base + path, sendops, connections=connections, seconds=seconds)
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


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
