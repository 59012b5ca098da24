"""Making, finding and revoking API tokens. A token reads `sqa_<prefix>_<secret>`: the prefix
finds its row, the SHA-256 of the whole token is compared in constant time."""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from send_qa.api.models import ApiToken, Scope
from send_qa.core.models import User

PREFIX_LENGTH = 8
LONGEST_LIFE = datetime.timedelta(days=366)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class MadeToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def token_make(
    *, name: str, scopes: Iterable[str], expires_on: datetime.date, by: User
) -> MadeToken:
    """A new token; its whole text is in the result and nowhere else."""
    wanted = [s for s in Scope if s in set(scopes)]
    if not wanted:
        raise ValueError("A token needs at least one scope.")
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = f"sqa_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        scopes=[s.value for s in wanted],
        expires_on=expires_on,
        created_by=by,
    )
    return MadeToken(token=token, secret=secret)


def token_for(secret: str) -> ApiToken | None:
    """The usable token this text is, or None (unknown, wrong, revoked or expired)."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "sqa":
        return None
    token = ApiToken.objects.usable().filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    return token


def token_used(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def token_revoke(token: ApiToken, *, by: User) -> bool:
    """Revoke the token; False when it was revoked already."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    )
