"""Two web servers behind nginx, two Celery workers and the files in an S3 bucket, as
docker-compose.yml's "region" profile runs them, started here as processes on loopback: a
person signs in through nginx, asks for the termly report on one web server, a worker compiles
it into the bucket, and the other web server hands the PDF back (issue 23, part 4).

Run by `make deploy-check` (scripts/check_two_machines.sh starts PostgreSQL and Redis and
sets DATABASE_URL and CELERY_BROKER_URL); moto's S3 server stands in for MinIO. Exits 0 when
every check holds, 1 with what went wrong."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import boto3
import requests
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "send-qa-files"
PASSWORD = "deploy-check-password-2026"  # noqa: S105 - a throwaway database's demo users
SENDOPS = "sendops@demo.invalid"
KEYS = {"STORAGE_ACCESS_KEY": "check-key", "STORAGE_SECRET_KEY": "check-secret"}
DFE_FILE = ROOT / "tests/data/dfe_ees_annual_reviews_2024_excerpt.csv"  # as published
FORWARDED = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of nginx would send


class CheckFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(what: str, ready: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except (requests.ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise CheckFailed(f"{what} did not start within {seconds:.0f} s")


@dataclass
class Processes:
    folder: Path
    started: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> Path:
        log = self.folder / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append((name, process))
        return log

    def check_running(self) -> None:
        for name, process in self.started:
            if process.poll() is not None:
                raise CheckFailed(f"{name} stopped:\n{self.log(name)[-3000:]}")

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for _name, process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Forms(HTMLParser):
    """Each form of a page: its action, method and the values it would send as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action") or "",
                    "method": attributes.get("method", "get"),
                    "fields": {},
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind not in {"checkbox", "radio"} or "checked" in attributes:
                self.forms[-1]["fields"].setdefault(attributes["name"], attributes.get("value", ""))
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select:
            fields = self.forms[-1]["fields"]
            if self._select not in fields or "selected" in attributes:
                fields[self._select] = attributes.get("value", "")
        elif tag == "textarea" and attributes.get("name"):
            self.forms[-1]["fields"].setdefault(attributes["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_on(page: requests.Response, action_contains: str) -> dict:
    parser = Forms()
    parser.feed(page.text)
    for form in parser.forms:
        if form["method"].lower() == "post" and action_contains in urljoin(
            page.url, form["action"]
        ):
            return form
    raise CheckFailed(f"no form posting to …{action_contains} on {page.url}")


def post_form(
    session: requests.Session,
    page: requests.Response,
    action_contains: str,
    base: str,
    files: dict | None = None,
    **values: str,
) -> requests.Response:
    """Sends the page's form as a browser would, to `base` (one web server or nginx)."""
    form = form_on(page, action_contains)
    path = urljoin(page.url, form["action"]).split("://", 1)[1].split("/", 1)[1]
    answer = session.post(
        f"{base}/{path}",
        data={**form["fields"], **values},
        files=files,
        # As the browser sends it: the page's address at the TLS proxy, whichever server served it.
        headers={"Referer": f"https://{session.headers['Host']}/{page.url.split('/', 3)[3]}"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer


def served_by(logs: dict[str, Path], path: str) -> set[str]:
    return {name for name, log in logs.items() if f" {path} " in log.read_text(errors="replace")}


def render_nginx(folder: Path, web: list[str], listen: int) -> Path:
    """deploy/nginx-portal.conf.template, as in docker-compose.yml, inside a minimal nginx.conf."""
    server = string.Template(
        (ROOT / "deploy/nginx-portal.conf.template").read_text()
    ).safe_substitute(PORTAL_WEB_1=web[0], PORTAL_WEB_2=web[1], PORTAL_LISTEN=f"127.0.0.1:{listen}")
    (folder / "portal.conf").write_text(server)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/portal.conf;
}}
"""
    )
    return conf


def security_code(env: dict[str, str]) -> str:
    """The demo's code of now, as `make run`'s README tells a person to get it."""
    printed = subprocess.run(
        [sys.executable, "manage.py", "demo_code"],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "1"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return printed.split()[0]


def check(folder: Path) -> list[str]:
    said: list[str] = []
    processes = Processes(folder)
    media = {name: folder / f"media-{name}" for name in ("web-1", "web-2", "worker-1", "worker-2")}
    for path in media.values():
        path.mkdir()
    s3_port, nginx_port = free_port(), free_port()
    web = {"web-1": f"127.0.0.1:{free_port()}", "web-2": f"127.0.0.1:{free_port()}"}
    env = {
        **os.environ,
        "STORAGE_BUCKET": BUCKET,
        "STORAGE_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "STORAGE_REGION": "eu-west-2",
        **KEYS,
        "TRUSTED_PROXY_COUNT": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CACHE_URL", None)  # the broker's Redis, as in production
    try:
        processes.start(
            "s3",
            [
                str(Path(sys.executable).with_name("moto_server")),
                "-H",
                "127.0.0.1",
                "-p",
                str(s3_port),
            ],
            env,
        )
        wait_until("the S3 server", lambda: requests.get(env["STORAGE_ENDPOINT_URL"], timeout=2).ok)
        s3 = boto3.client(
            "s3",
            endpoint_url=env["STORAGE_ENDPOINT_URL"],
            region_name="eu-west-2",
            aws_access_key_id=KEYS["STORAGE_ACCESS_KEY"],
            aws_secret_access_key=KEYS["STORAGE_SECRET_KEY"],
        )
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )

        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--noinput"],
            ["load_templates"],
            ["load_indicators"],
            ["seed_demo", "--force", "--password", PASSWORD],
        ):
            subprocess.run(
                [*manage, *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        said.append("migrated and seeded the demo area")

        logs = {}
        for name, bind in web.items():
            logs[name] = processes.start(
                name,
                [sys.executable, "-m", "gunicorn", "send_qa.wsgi", "--config", "gunicorn.conf.py"],
                {
                    **env,
                    "GUNICORN_BIND": bind,
                    "GUNICORN_WORKERS": "2",
                    "MEDIA_ROOT": str(media[name]),
                },
            )
        for name in ("worker-1", "worker-2"):
            processes.start(
                name,
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "send_qa",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    f"--hostname={name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                ],
                {**env, "MEDIA_ROOT": str(media[name])},
            )
        for name, bind in web.items():
            wait_until(name, lambda bind=bind: requests.get(f"http://{bind}/healthz", timeout=5).ok)
        shutil.which("nginx") or sys.exit("nginx is not installed (scripts/system-deps.sh deploy)")
        conf = render_nginx(folder, list(web.values()), nginx_port)
        processes.start(
            "nginx", ["nginx", "-p", str(folder), "-c", str(conf), "-g", "daemon off;"], env
        )
        portal = f"http://127.0.0.1:{nginx_port}"
        wait_until("nginx", lambda: requests.get(f"{portal}/healthz", timeout=5).ok)
        for name in ("worker-1", "worker-2"):
            wait_until(name, lambda name=name: " ready." in processes.log(name), seconds=90)
        processes.check_running()
        said.append(f"started nginx on {portal} before {', '.join(web.values())}, and two workers")

        person = requests.Session()
        # Every request as if through the TLS proxy, by the portal's one address; those sent
        # straight to one web server as well.
        person.headers.update({**FORWARDED, "Host": portal.split("://")[1]})
        page = person.get(f"{portal}/sign-in/", timeout=30)
        page = post_form(person, page, "/sign-in/", portal, username=SENDOPS, password=PASSWORD)
        if "/two-factor/" not in page.url:
            raise CheckFailed(f"signing in led to {page.url}, not the security code")
        page = post_form(person, page, "/two-factor/", portal, code=security_code(env))
        for _ in range(4):  # round robin: both web servers answer the same signed-in session
            home = person.get(f"{portal}/", timeout=30)
            if home.status_code != 200 or "/sign-in/" in home.url:
                raise CheckFailed(
                    f"the home page through nginx answered {home.status_code} at {home.url}"
                )
        if served_by(logs, "/") != set(web):
            raise CheckFailed(f"nginx sent the home page only to {served_by(logs, '/')}")
        said.append("signed in as SENDOPS through nginx; both web servers knew the session")

        base = {name: f"http://{bind}" for name, bind in web.items()}
        reports = person.get(f"{base['web-1']}/reports/", timeout=30)
        started = post_form(person, reports, "/reports/new/", base["web-1"])
        report_path = re.search(r"/reports/[0-9a-f-]{36}/", started.url)
        if not report_path:
            raise CheckFailed(f"starting the report led to {started.url}")
        detail = person.get(f"{base['web-1']}{report_path.group(0)}", timeout=30)
        post_form(person, detail, "/compile/", base["web-1"], number="1")
        said.append(f"asked web-1 to compile the report at {report_path.group(0)}")

        status_url = f"{portal}{report_path.group(0)}status/"
        wait_until(
            "the compiled report",
            lambda: not person.get(status_url, timeout=30).json()["waiting"],
            seconds=180,
        )
        detail = person.get(f"{base['web-2']}{report_path.group(0)}", timeout=30)
        pdf_path = re.search(r"/reports/versions/[0-9a-f-]{36}/pdf/", detail.text)
        if not pdf_path:
            raise CheckFailed("the report page shows no PDF once the worker is done")
        pdf = person.get(f"{base['web-2']}{pdf_path.group(0)}", timeout=60)
        if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
            raise CheckFailed(f"web-2 answered {pdf.status_code} for the PDF")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        if "How are we doing?" not in text:
            raise CheckFailed("the PDF is not the termly report")
        kept = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        in_bucket = [
            key
            for key in kept
            if s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == pdf.content
        ]
        if not in_bucket:
            raise CheckFailed(f"the PDF is not in the bucket, which holds {sorted(kept)}")
        compiled_on = [
            name
            for name in ("worker-1", "worker-2")
            if re.search(r"compile_report\[[^\]]+\] succeeded", processes.log(name))
        ]
        if len(compiled_on) != 1:
            raise CheckFailed(f"the compile ran on {compiled_on or 'no worker'}")
        said.append(
            f"{compiled_on[0]} compiled it into the bucket ({in_bucket[0]}, {len(pdf.content):,} bytes); "
            "web-2 showed it and handed the same PDF back"
        )

        # An upload checked on one web server waits in the bucket for its confirmation on the other.
        upload = person.get(f"{base['web-1']}/comparators/dfe/", timeout=30)
        with DFE_FILE.open("rb") as handle:
            checked = post_form(
                person,
                upload,
                "/comparators/dfe/",
                base["web-1"],
                files={"file": (DFE_FILE.name, handle, "text/csv")},
            )
        staged = [
            o["Key"]
            for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
            if not o["Key"].startswith("reports/")
        ]
        if "Import this file" not in checked.text or not staged:
            raise CheckFailed("web-1 did not keep the checked DfE file in the bucket")
        imported = post_form(person, checked, "/comparators/dfe/", base["web-2"], confirm="1")
        if "/comparators/imports/" not in imported.url or "rows added" not in imported.text:
            raise CheckFailed(f"confirming the DfE file on web-2 led to {imported.url}")
        left = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
        if left & set(staged):
            raise CheckFailed(f"the confirmed upload is still in the bucket: {left & set(staged)}")
        said.append(
            f"web-1 checked {DFE_FILE.name} and kept it in the bucket; web-2 imported it and removed it"
        )
        on_disk = [str(p) for path in media.values() for p in path.rglob("*") if p.is_file()]
        if on_disk:
            raise CheckFailed(f"files were left on a server's own disk: {on_disk}")
        said.append("no web server or worker kept a file on its own disk")
        processes.check_running()
    finally:
        processes.stop_all()
    return said


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="send-qa-two-machines-"))
    # nginx's workers run as nobody when it is started as root: they write uploads' bodies here.
    os.chmod(folder, 0o755)  # noqa: S103 - a throwaway folder of logs and a demo's files
    try:
        for line in check(folder):
            print(f"ok: {line}")
    except (CheckFailed, subprocess.CalledProcessError, requests.HTTPError) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        print(f"The processes' logs are in {folder}", file=sys.stderr)
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print("Two web servers and two workers share one database, Redis and bucket: passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
