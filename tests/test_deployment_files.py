"""docker-compose.yml's "region" profile and `make deploy-check` run the same arrangement: two
web servers behind nginx (one template, deploy/nginx-portal.conf.template), two workers, the
files in an S3 bucket (MinIO in the profile, moto's server in the check)."""

import re
import string
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
TEMPLATE = (ROOT / "deploy" / "nginx-portal.conf.template").read_text()


def in_region(name: str) -> bool:
    """Whether the service runs with `--profile region` (services without profiles always do)."""
    return "region" in SERVICES[name].get("profiles", ["region"])


def command(name: str) -> list[str]:
    return SERVICES[name].get("command") or []


def test_the_region_profile_runs_two_web_servers_two_workers_nginx_and_minio():
    web = [n for n in SERVICES if in_region(n) and command(n)[:1] == ["gunicorn"]]
    workers = [
        n
        for n in SERVICES
        if in_region(n) and command(n)[:4] == ["celery", "-A", "send_qa", "worker"]
    ]
    assert sorted(web) == ["web", "web-2"]
    assert sorted(workers) == ["worker", "worker-2"]
    assert SERVICES["minio"]["profiles"] == ["region"]
    assert "minio" not in [n for n in SERVICES if not SERVICES[n].get("profiles")]


def test_nginx_sends_to_both_web_servers_with_the_template_the_check_uses():
    nginx = SERVICES["nginx"]
    mounted = [v for v in nginx["volumes"] if v.startswith("./deploy/nginx-portal.conf.template:")]
    assert mounted and mounted[0].split(":")[1].startswith("/etc/nginx/templates/")
    filled = string.Template(TEMPLATE).safe_substitute(nginx["environment"])
    upstreams = re.findall(r"^\s*server (\S+) ", filled, flags=re.MULTILINE)
    assert upstreams == ["web:8000", "web-2:8000"]
    assert set(re.findall(r"\$\{(\w+)\}", TEMPLATE)) == set(nginx["environment"])
    assert (
        "deploy/nginx-portal.conf.template" in (ROOT / "scripts/check_two_machines.py").read_text()
    )


def test_no_web_server_or_worker_of_the_region_keeps_files_of_its_own_apart():
    """Every app container reads the bucket's settings from the same .env; the media volume is
    only the default when STORAGE_BUCKET is not set."""
    for name in ("web", "web-2", "worker", "worker-2"):
        service = SERVICES[name]
        assert service.get("env_file") == ".env", name
        assert not any(key.startswith("STORAGE_") for key in service.get("environment", {})), name
    waits = SERVICES["web-2"]["depends_on"]["bucket"]
    assert waits == {"condition": "service_completed_successfully", "required": False}
