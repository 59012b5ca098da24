"""Named API tokens for the read-only data feed (issue 23): made and revoked by admins, kept
only as a hash, each with what it may read and until when."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    KPIS = "kpis", "Indicators, values and the scorecard"
    AUDITS = "audits", "EHCP audit findings by term"
    ACTIONS = "actions", "Action plan summaries"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        """Neither revoked nor past its expiry."""
        return self.filter(revoked_at__isnull=True, expires_on__gte=timezone.localdate())


class ApiToken(models.Model):
    """A token is shown once, when it is made: `send_qa.api.tokens`. Its first characters
    (`prefix`) find it, the SHA-256 of the whole token proves it (a random 256-bit secret
    needs no slow hash), and admins name it for what reads it ("Power BI: KPI dashboard")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the token, in hex.")
    scopes = models.JSONField(default=list, help_text="What it may read: Scope values.")
    expires_on = models.DateField(help_text="The last day it works.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in Scope if s in self.scopes]
