"""People, organisations (agencies), teams and academic periods: what every app stands on."""

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from send_qa.core.access import opaque_id
from send_qa.core.jobs import TrackedJob
from send_qa.core.roles import ADMIN_SITE_USERS, Role, group_name, role_for_group_name


class Organisation(models.Model):
    """An agency in the local area's SEND partnership."""

    class Kind(models.TextChoices):
        LA_SEND = "la_send", "Local authority SEND team"
        EDUCATION_SETTING = "education_setting", "Education setting"
        EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
        HEALTH = "health", "Health"
        SOCIAL_CARE = "social_care", "Social care"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        SENDIASS = "sendiass", "SENDIASS"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team inside an organisation, such as an EHC casework team."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class UserQuerySet(models.QuerySet["User"]):
    def with_role(self, role: str) -> "UserQuerySet":
        return self.filter(groups__name=group_name(role))

    def active(self) -> "UserQuerySet":
        return self.filter(is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # django-stubs cannot subclass a from_queryset() class
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user: User = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields["is_superuser"] = True
        user = self.create_user(email, password, **fields)
        user.set_roles([Role.ADMIN])
        return user

    def get_by_natural_key(self, username: str) -> "User":
        user: User = self.get(email__iexact=username)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with their work email. Roles are groups (see roles.py)."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # In addresses instead of the id, which would tell how many accounts there are.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    _roles_cache: frozenset[str] | None

    class Meta:
        ordering = ["full_name", "email"]

    if TYPE_CHECKING:
        # django-otp's OTPMiddleware sets this on the signed-in user of every request.
        def is_verified(self) -> bool: ...

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if (
            self.team is not None
            and self.organisation_id
            and self.team.organisation_id != self.organisation_id
        ):
            raise ValidationError({"team": "Choose a team in the person's own organisation."})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[str]:
        """The user's role values, read once per request from the prefetched groups."""
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            names = [group.name for group in self.groups.all()]
            cached = frozenset(r for r in map(role_for_group_name, names) if r)
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """Django's admin site is for the admin role only."""
        return self.is_active and (self.is_superuser or self.has_role(*ADMIN_SITE_USERS))

    def set_roles(self, roles: Iterable[str]) -> None:
        self.groups.set(Group.objects.filter(name__in=[group_name(r) for r in roles]))
        self._roles_cache = None


class PeriodQuerySet(models.QuerySet["Period"]):
    def terms(self) -> "PeriodQuerySet":
        return self.filter(kind=Period.Kind.TERM)

    def containing(self, day: datetime.date) -> "PeriodQuerySet":
        return self.filter(start__lte=day, end__gte=day)

    def current_term(self, *, on: datetime.date | None = None) -> "Period | None":
        return self.terms().containing(on or timezone.localdate()).first()

    def term_in_hand(self, day: datetime.date) -> "Period | None":
        """The term people are working in on a day: the one under way, or in a holiday the one
        just ended (its reports and findings are the ones being written)."""
        return self.terms().filter(start__lte=day).order_by("-start").first()

    def terms_for_choice(self, day: datetime.date) -> "PeriodQuerySet":
        """Terms in the order a person chooses one: the term in hand first (the default), then
        the terms to come, soonest first, then the past ones, latest first. Never "Summer" at
        the top in December. One query: the term in hand (`term_in_hand`) is a subquery."""
        in_hand = self.terms().filter(start__lte=day).order_by("-start").values("pk")[:1]
        return (
            self.terms()
            .annotate(
                choice_group=models.Case(
                    models.When(pk=models.Subquery(in_hand), then=0),
                    models.When(start__gt=day, then=1),
                    default=2,
                    output_field=models.IntegerField(),
                ),
                coming_start=models.Case(
                    models.When(start__gt=day, then=models.F("start")), default=None
                ),
            )
            .order_by("choice_group", "coming_start", "-start")
        )

    def chosen_term(self, term_id: str) -> "Period | None":
        """The term a page was asked for by its opaque id (a `term` query parameter), if it
        exists; a row number names nothing."""
        asked = opaque_id(term_id)
        return self.terms().filter(uuid=asked).first() if asked else None


class Period(models.Model):
    """A span of time that work is reported over: an academic year, a term, a quarter..."""

    class Kind(models.TextChoices):
        ACADEMIC_YEAR = "academic_year", "Academic year"
        TERM = "term", "Term"
        FINANCIAL_YEAR = "financial_year", "Financial year"
        QUARTER = "quarter", "Quarter"

    class Season(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=60)
    season = models.CharField(max_length=10, choices=Season.choices, blank=True)
    start = models.DateField()
    end = models.DateField()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="period_unique_kind_start"),
            models.UniqueConstraint(fields=["kind", "name"], name="period_unique_kind_name"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind="term", season__in=["autumn", "spring", "summer"])
                | ~Q(kind="term"),
                name="period_term_has_season",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end:
            if self.end < self.start:
                raise ValidationError({"end": "The end date must be on or after the start date."})
            overlapping = Period.objects.filter(
                kind=self.kind, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    f"This {self.get_kind_display().lower()} overlaps {overlapping.first()}."
                )

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


# Default term dates: contiguous, so every day falls in exactly one term.
# Councils report the autumn term as September to December, spring as January
# to April and summer as May to August; admins may edit the dates.
_TERM_SPANS = (
    (Period.Season.AUTUMN, (0, 9, 1), (0, 12, 31)),
    (Period.Season.SPRING, (1, 1, 1), (1, 4, 30)),
    (Period.Season.SUMMER, (1, 5, 1), (1, 8, 31)),
)


def ensure_academic_year(start_year: int) -> list[Period]:
    """Create (or return) the academic year starting in September of start_year and its terms."""
    label = academic_year_label(start_year)
    year, _ = Period.objects.get_or_create(
        kind=Period.Kind.ACADEMIC_YEAR,
        start=datetime.date(start_year, 9, 1),
        defaults={"name": label, "end": datetime.date(start_year + 1, 8, 31)},
    )
    periods = [year]
    for season, (dy1, m1, d1), (dy2, m2, d2) in _TERM_SPANS:
        term, _ = Period.objects.get_or_create(
            kind=Period.Kind.TERM,
            start=datetime.date(start_year + dy1, m1, d1),
            defaults={
                "name": f"{season.label} term {label}",
                "season": season,
                "end": datetime.date(start_year + dy2, m2, d2),
            },
        )
        periods.append(term)
    return periods


def ensure_financial_year(start_year: int) -> list[Period]:
    """Create (or return) the April-to-March financial year and its four quarters."""
    label = academic_year_label(start_year)
    year, _ = Period.objects.get_or_create(
        kind=Period.Kind.FINANCIAL_YEAR,
        start=datetime.date(start_year, 4, 1),
        defaults={"name": f"Financial year {label}", "end": datetime.date(start_year + 1, 3, 31)},
    )
    periods = [year]
    starts = [(start_year, 4), (start_year, 7), (start_year, 10), (start_year + 1, 1)]
    for number, (y, m) in enumerate(starts, start=1):
        start = datetime.date(y, m, 1)
        end = (datetime.date(y + (m + 3 > 12), (m + 2) % 12 + 1, 1)) - datetime.timedelta(days=1)
        quarter, _ = Period.objects.get_or_create(
            kind=Period.Kind.QUARTER,
            start=start,
            defaults={"name": f"Q{number} {label}", "end": end},
        )
        periods.append(quarter)
    return periods


def academic_year_start(day: datetime.date) -> int:
    """The calendar year in which the academic year holding this day began."""
    return day.year if day.month >= 9 else day.year - 1


class AppendOnly(Exception):
    """The access log is only ever added to."""


class AccessEventQuerySet(models.QuerySet["AccessEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("The access log can only be added to.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("The access log can only be added to.")


class AccessEvent(models.Model):
    """Who signed in, looked at a case-level record or took data out of the portal, was refused
    a page, or opened a page of the admin site, and when; and which admin invited someone, changed their roles or team, deactivated or reactivated
    their account, reset their two-factor sign-in or lifted their sign-in lock.

    Append-only: the model refuses changes and deletions, and on PostgreSQL a trigger refuses
    them from any other client too (migration 0002). It names records by their opaque ids,
    never by a case reference.
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
        SIGN_OUT = "sign_out", "Signed out"
        RECORD_VIEWED = "record_viewed", "Viewed a case-level record"
        EXPORT = "export", "Downloaded a table"
        REPORT_DOWNLOAD = "report_download", "Downloaded a report"
        FILE_DOWNLOAD = "file_download", "Downloaded a file"
        ACCESS_REFUSED = "access_refused", "Was refused a page"
        ADMIN_PAGE_VIEWED = "admin_page_viewed", "Opened a page of the admin site"
        # Done by an admin to the person the reference names.
        TWO_FACTOR_RESET = "two_factor_reset", "Reset someone's two-factor sign-in"
        SIGN_IN_LOCK_LIFTED = "sign_in_lock_lifted", "Lifted someone's sign-in lock"
        USER_INVITED = "user_invited", "Invited someone"
        ROLES_CHANGED = "roles_changed", "Changed someone's roles"
        TEAM_CHANGED = "team_changed", "Changed someone's team"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Deactivated someone's account"
        ACCOUNT_REACTIVATED = "account_reactivated", "Reactivated someone's account"
        # The data feed (send_qa.api): a token's reads, and admins making and revoking tokens.
        API_READ = "api_read", "Read a table of the data feed"
        API_TOKEN_MADE = "api_token_made", "Made an API token"
        API_TOKEN_REVOKED = "api_token_revoked", "Revoked an API token"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(
        max_length=254, blank=True, help_text="As typed, when sign-in failed."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record = models.CharField(max_length=60, blank=True, help_text="The kind of record or table.")
    reference = models.CharField(max_length=64, blank=True, help_text="The record's opaque id.")
    details = models.CharField(
        max_length=500, blank=True, help_text="What an admin changed in an account, in words."
    )
    address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["kind", "at"]),
            # A record's events, by its whole opaque id or its first characters (the search by
            # record, and an account's history); on PostgreSQL a pattern index so that a prefix
            # is served too. Failed sign-ins' typed usernames have a trigram index there
            # (migration 0010), which SQLite has no use for.
            models.Index(
                fields=["reference"],
                name="core_access_reference_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M:%S} UTC"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("The access log can only be added to.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("The access log can only be added to.")


class SubmittedForm(models.Model):
    """A form that was posted (issue 21): its one-time token, who posted it and the page its
    result is on, so that the same form posted again (a double click, a resend) makes nothing
    new and leads to the first's result (`send_qa.core.once`)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    location = models.CharField(max_length=1000, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Form {self.token} posted by {self.user}"


class Export(TrackedJob):
    """A whole-term export made in the background (send_qa.core.exports): what was asked for
    (a registered kind, its format and its filters as the link carried them), how far it has
    got, and the file, kept privately under MEDIA_ROOT until it expires. Only the person who
    asked may download it, and only while they may still see what it holds."""

    KEPT_FOR = datetime.timedelta(hours=24)

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel workbook (XLSX)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60, help_text="A kind registered in send_qa.core.exports.")
    fmt = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True, help_text="The link's query, as text.")
    title = models.CharField(max_length=200, help_text="What it holds, in the reader's words.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True, help_text="Path under MEDIA_ROOT.")
    filename = models.CharField(max_length=200, blank=True, help_text="The name it downloads as.")
    size = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["expires_at"], name="export_expires_at")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_fmt_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class OutgoingEmail(models.Model):
    """An email the portal sends, kept until it is delivered (send_qa.core.emails): queued in
    the transaction of what caused it, handed to the mail service (GOV.UK Notify, SMTP or the
    console) by the worker, tried again after a failure and, once the tries are spent, listed
    for SENDOPS to send again. Its text is dropped once it is sent: it may hold a sign-in link."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60, help_text="Which email: its templates' name.")
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField(
        blank=True, help_text="The plain text; emptied once delivered (or sent, without receipts)."
    )
    html_body = models.TextField(blank=True, help_text="The HTML, if any; emptied with the text.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True, help_text="Why, in plain words.")
    sent_as = models.CharField(
        max_length=100, blank=True, help_text="The mail service's id for it (Notify's)."
    )
    delivered_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the mail service said it reached the inbox (Notify's receipt).",
    )
    sent_again_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_again_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["status", "queued_at"], name="outgoing_email_status")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"
