"""Production hardening: check --deploy is clean and every page carries a strict CSP."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.permission_matrix import ANONYMOUS, ROLES, ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": "kV3q-8xZ2m_Lr7pT0wYb5nHc9sJd4gFa6uEo1iQk-Rz8yXv2Bt7Nl0Mp3Ws5Dh9Gj",
    "ALLOWED_HOSTS": ["send-qa.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}


def test_check_deploy_has_no_warnings_with_production_settings(settings, monkeypatch):
    # scripts/test.sh sets this for Playwright; a deployment never does.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    call_command("check", "--deploy", "--fail-level", "WARNING")


def test_cookies_are_http_only_and_headers_hardened(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert settings.X_FRAME_OPTIONS == "DENY"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_the_policy_allows_nothing_inline_or_from_elsewhere(client):
    policy = directives(client.get(reverse("login"))["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def first_role_allowed(row) -> str | None:
    return next((role for role in ROLES if row.status_for(role) == 200), None)


PAGES = [row for row in ROWS if row.method == "get" and row.is_page and first_role_allowed(row)]


@pytest.mark.parametrize("row", PAGES, ids=[row.url_name for row in PAGES])
def test_every_page_carries_the_policy_and_no_inline_script(row, people, client_for):
    role = first_role_allowed(row)
    client = client_for(None if role == ANONYMOUS else people[role])
    response = client.get(reverse(row.url_name, kwargs=row.kwargs(people)))
    if not response["Content-Type"].startswith("text/html"):
        return
    policy = directives(response["Content-Security-Policy"])
    script_src = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    html = response.content.decode()
    assert "<script>" not in html, f"{row.url_name} has an inline script"
    assert " style=" not in html, f"{row.url_name} has an inline style attribute"
    assert " onclick=" not in html and "javascript:" not in html


def test_no_view_is_exempt_from_csrf_protection(settings):
    root = Path(__file__).resolve().parents[2]
    sources = [
        path
        for folder in ("send_qa", "audits", "kpis", "wsoa")
        for path in (root / folder).rglob("*.py")
    ]
    assert sources
    exempt = [str(path) for path in sources if "csrf_exempt" in path.read_text(encoding="utf-8")]
    assert not exempt
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
