"""Production hardening: check --deploy is clean and the policy is strict. That every page carries
it, with nothing inline, is checked cell by cell in tests/test_permission_matrix.py
(tests/page_checks.py, `policy_problems`)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.page_checks import directives

pytestmark = pytest.mark.django_db


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


def test_the_policy_allows_nothing_inline_or_from_elsewhere(client):
    policy = directives(client.get(reverse("login"))["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


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
