"""Who is reading the feed: a named API token in the `Authorization: Bearer` header, and what
it may read (its scopes). Never a signed-in person's session: the feed is for programs."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from send_qa.api.models import ApiToken
from send_qa.api.tokens import token_for

REFUSED = "The token is not known, or it has been revoked or has expired. Ask an admin for one."


class BearerToken(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        kind, _, secret = header.partition(" ")
        if kind.lower() != "bearer":
            return None
        token = token_for(secret.strip())
        if token is None:
            raise AuthenticationFailed(REFUSED)
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="send-qa"'


class TokenScope(BasePermission):
    """A token may read a table only when its scopes include the table's."""

    message = "This token may not read this table: ask an admin for a token with its scope."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        return isinstance(token, ApiToken) and view.scope in token.scopes


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the published schema (/api/schema/) describes the token."""

    target_class = "send_qa.api.authentication.BearerToken"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A named API token."}
