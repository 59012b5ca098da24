"""Signing in with the organisation's account, end to end (issue 23): the portal in the live
server, a real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider/) in a
second server on loopback, and Chromium between them. No response is mocked."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.core.models import AccessEvent
from send_qa.core.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password-1"
PEOPLE = [
    {"username": "sam", "email": "sam.mfa@example.org", "password": PASSWORD, "amr": "pwd,mfa"},
    {"username": "pat", "email": "pat.password@example.org", "password": PASSWORD, "amr": "pwd"},
    {"username": "stranger", "email": "stranger@example.org", "password": PASSWORD},
    {
        "username": "unsure",
        "email": "unsure@example.org",
        "password": PASSWORD,
        "verified": False,
    },
]


def free_port() -> int:
    return int(subprocess.check_output([sys.executable, "scripts/free_port.py"], cwd=ROOT))


@pytest.fixture
def identity_provider(live_server, tmp_path, settings):
    """The provider, serving on a port of its own, and the portal set up to use it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    port = free_port()
    client = {
        "id": "send-qa-portal",
        "secret": "a-client-secret-for-the-tests-only",
        "redirect_uri": live_server.url + reverse("core:sso_callback"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env={
            **os.environ,
            "PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
            "PROVIDER_RSA_KEY": pem,
            "PROVIDER_CLIENT": json.dumps(client),
            "PROVIDER_USERS": json.dumps(PEOPLE),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the identity provider stopped: {process.stdout.read()}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = client["id"], client["secret"]
    settings.OIDC_PROVIDER_NAME = "your council account"
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def sign_in_at_the_provider(page, username: str) -> None:
    page.goto(reverse("login"))
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()


def test_invited_people_sign_in_with_their_council_account(identity_provider, new_page):
    UserFactory(email="sam.mfa@example.org", full_name="Sam Mfa", roles=[Role.SENDOPS])
    UserFactory(email="pat.password@example.org", full_name="Pat Password", roles=[Role.SENDOPS])

    sam = new_page()
    sign_in_at_the_provider(sam, "sam")
    expect(sam.get_by_role("heading", name="Welcome, Sam")).to_be_visible()
    problems = axe_violations(sam)

    pat = new_page()
    sign_in_at_the_provider(pat, "pat")
    expect(pat.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()

    stranger = new_page()
    sign_in_at_the_provider(stranger, "stranger")
    expect(
        stranger.get_by_role("heading", name="You cannot sign in to this portal yet")
    ).to_be_visible()
    expect(stranger.get_by_text("stranger@example.org")).to_be_visible()
    expect(stranger.get_by_text("Nobody with that email address has been invited")).to_be_visible()
    problems += axe_violations(stranger)

    unsure = new_page()
    UserFactory(email="unsure@example.org", roles=[Role.BOARD])
    sign_in_at_the_provider(unsure, "unsure")
    expect(unsure.get_by_text("did not confirm that the email address is yours")).to_be_visible()

    signed_in = AccessEvent.objects.filter(kind=AccessEvent.Kind.SIGN_IN)
    assert sorted(e.user.email for e in signed_in) == [
        "pat.password@example.org",
        "sam.mfa@example.org",
    ]
    refused = AccessEvent.objects.filter(kind=AccessEvent.Kind.SIGN_IN_FAILED)
    assert sorted(e.username for e in refused) == ["stranger@example.org", "unsure@example.org"]
    assert not AccessAttempt.objects.exists(), "a refusal is no password guess: never locked out"
    assert not problems, "\n".join(problems)
