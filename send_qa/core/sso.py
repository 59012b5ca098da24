"""Signing in with the council's or the NHS's own accounts: OpenID Connect (issue 23), through
mozilla-django-oidc, off unless OIDC_ISSUER is set.

- The provider is configured by its issuer alone: its endpoints come from its discovery
  document (`{issuer}/.well-known/openid-configuration`), read when someone signs in and kept
  an hour in the cache. The issuer it states must be the one configured.
- Nobody registers themselves: a person is matched by their email address to an active
  account an admin invited, and only when the provider says the address is verified
  (`email_verified`), or when OIDC_TRUST_EMAIL says every address it gives is its own
  organisation's (Microsoft Entra ID sends no `email_verified`). Anyone else is refused with a
  page that says why, and the refusal is written to the access log.
- Two-factor sign-in: when the ID token's `amr` says the provider asked for more than a
  password (`mfa`, or a possession factor with another), the portal's own code is not asked
  again for that session; otherwise the portal asks it as after a password.
"""

import datetime
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from send_qa.core.access_log import Kind, access_record
from send_qa.core.two_factor import SIGNED_IN_WITH_MFA

# The address the provider gave for someone the portal refused, for the refusal page.
REFUSED_EMAIL = "sso_refused_email"
DISCOVERY_KEPT = datetime.timedelta(hours=1)

# RFC 8176's authentication method references: a possession factor, and the others.
POSSESSION = {"hwk", "swk", "otp", "sms", "tel", "sc", "pop"}
OTHER_FACTORS = {"pwd", "pin", "kba", "face", "fpt", "iris", "retina", "vbm"}
SAYS_MFA = {"mfa", "mca"}

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read, or was not its own."""


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider_configuration() -> dict[str, Any]:
    """The provider's discovery document (cached); ProviderUnavailable when it cannot be read."""
    issuer = settings.OIDC_ISSUER
    key = f"sso:discovery:{issuer}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    try:
        answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        answer.raise_for_status()
        found = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{issuer} did not answer: {error}") from error
    if str(found.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise ProviderUnavailable(f"{issuer} calls itself {found.get('issuer')!r}")
    cache.set(key, found, DISCOVERY_KEPT.total_seconds())
    return dict(found)


def provider_setting(attr: str, *args: Any) -> Any:
    """mozilla-django-oidc's settings, the provider's endpoints read from its discovery."""
    if attr in DISCOVERED:
        return provider_configuration()[DISCOVERED[attr]]
    if attr == "OIDC_RP_CLIENT_ID":
        return settings.OIDC_CLIENT_ID
    if attr == "OIDC_RP_CLIENT_SECRET":
        return settings.OIDC_CLIENT_SECRET
    return import_from_settings(attr, *args)


def asserts_mfa(amr: object) -> bool:
    """Whether the ID token's `amr` says more than one factor was used."""
    if not isinstance(amr, list):
        return False
    methods = {str(method).lower() for method in amr}
    return bool(methods & SAYS_MFA) or bool(methods & POSSESSION and methods & OTHER_FACTORS)


def email_verified(claims: dict[str, Any]) -> bool:
    """Whether the provider's address may match an account: it says so, or the portal is told
    to take its word for every address (OIDC_TRUST_EMAIL)."""
    return claims.get("email_verified") is True or settings.OIDC_TRUST_EMAIL


class SignInWithProviderBackend(OIDCAuthenticationBackend):
    """The portal's account for the person the provider vouches for, or None."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # mozilla-django-oidc reads its settings here; Django makes every backend for every
        # sign-in, so they are read only for a sign-in with the provider (`authenticate`).
        self.UserModel = get_user_model()

    get_settings = staticmethod(provider_setting)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not sso_enabled() or "code" not in request.GET:
            return None
        try:
            for name in (
                "OIDC_OP_TOKEN_ENDPOINT",
                "OIDC_OP_USER_ENDPOINT",
                "OIDC_OP_JWKS_ENDPOINT",
            ):
                setattr(self, name, self.get_settings(name))
        except ProviderUnavailable:
            return None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email", "")).strip()
        if not email or not email_verified(claims):
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        raise ImproperlyConfigured("The portal never makes an account at sign-in.")

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user_info = self.get_userinfo(access_token, id_token, payload)
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            email = str(user_info.get("email", ""))[:254]
            verified = email_verified(user_info)
            self.request.session[REFUSED_EMAIL] = {"email": email, "verified": verified}
            access_record(
                self.request,
                Kind.SIGN_IN_FAILED,
                username=email,
                details="With the organisation's account: "
                + (
                    "no active account has this address"
                    if verified
                    else "its address is not verified"
                ),
            )
            return None
        user.signed_in_with_mfa = asserts_mfa(payload.get("amr"))
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """Asked once a sign-in: the refusal needs the address as well."""
        if not hasattr(self, "_user_info"):
            self._user_info = super().get_userinfo(access_token, id_token, payload)
        return self._user_info


class SignInWithProvider(OIDCAuthenticationRequestView):
    """Sends the person to the provider to sign in."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso_enabled():
            raise Http404("Signing in with an organisation's account is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable:
            return provider_unavailable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response


class SignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: signed in, or the refusal page."""

    get_settings = staticmethod(provider_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso_enabled():
            raise Http404("Signing in with an organisation's account is not set up.")
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    @property
    def failure_url(self) -> str:
        return reverse("core:sso_refused")

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[SIGNED_IN_WITH_MFA] = bool(
            getattr(self.user, "signed_in_with_mfa", False)
        )
        return response


def provider_unavailable(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/sso_unavailable.html",
        {"provider": settings.OIDC_PROVIDER_NAME},
        status=503,
    )
