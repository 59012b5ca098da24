"""The plans register: one pseudonymised record per EHC plan, holding only what QA needs.

No names or addresses: the council's case reference links back to its case system.
"""

import datetime
import uuid
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.roles import AUDIT_ASSIGNEES, CASEWORKERS, PLAN_MANAGERS
from send_qa.core.models import Team, User

# Where a council's extract lacks a plan's need, placement or age band (or an imported past
# audit names a plan the register does not hold), the register says so rather than guess.
NOT_RECORDED = "not recorded"


class PrimaryNeed(models.TextChoices):
    """The SEN2 primary need categories, and "not recorded"."""

    SPLD = "SpLD", "SpLD: Specific learning difficulty"
    MLD = "MLD", "MLD: Moderate learning difficulty"
    SLD = "SLD", "SLD: Severe learning difficulty"
    PMLD = "PMLD", "PMLD: Profound and multiple learning difficulty"
    SEMH = "SEMH", "SEMH: Social, emotional and mental health"
    SLCN = "SLCN", "SLCN: Speech, language and communication needs"
    HI = "HI", "HI: Hearing impairment"
    VI = "VI", "VI: Vision impairment"
    MSI = "MSI", "MSI: Multi-sensory impairment"
    PD = "PD", "PD: Physical disability"
    ASD = "ASD", "ASD: Autistic spectrum disorder"
    OTH = "OTH", "OTH: Other difficulty or disability"
    NOT_RECORDED = "NR", "Not recorded"


class AgeBand(models.TextChoices):
    AGE_0_4 = "0-4", "0 to 4"
    AGE_5_10 = "5-10", "5 to 10"
    AGE_11_15 = "11-15", "11 to 15"
    AGE_16_19 = "16-19", "16 to 19"
    AGE_20_25 = "20-25", "20 to 25"
    NOT_RECORDED = "NR", "Not recorded"


class PlacementType(models.TextChoices):
    MAINSTREAM = "mainstream", "Mainstream"
    RESOURCED = "resourced", "Resourced provision or unit"
    MAINTAINED_SPECIAL = "maintained_special", "Maintained special"
    INDEPENDENT_SPECIAL = "independent_special", "Independent or non-maintained special"
    FURTHER_EDUCATION = "further_education", "Further education"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    EARLY_YEARS = "early_years", "Early years"
    HOME_EDUCATED = "home_educated", "Home educated"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


# National curriculum year groups as councils write them: N1, N2, R, 1-14.
YEAR_GROUPS = ["N1", "N2", "R", *[str(n) for n in range(1, 15)]]

REVIEW_DUE_SOON_WEEKS = 8


def ceased_on(is_active: bool, current: datetime.date | None) -> datetime.date | None:
    """The ceased date a plan should have: today when it has just ceased, none while active."""
    if is_active:
        return None
    return current or timezone.localdate()


# A plan never audited counts as audited longest ago: "last audited" as one value that is never
# empty, so that an index serves its sort either way on PostgreSQL and SQLite alike (SQLite
# refuses NULLS FIRST in an index). The register sorts and filters by this expression.
NEVER_AUDITED = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def last_audited() -> Coalesce:
    return Coalesce(F("last_audited_at"), Value(NEVER_AUDITED))


class PlanQuerySet(models.QuerySet["Plan"]):
    def review_due(
        self, *, on: datetime.date, weeks: int = REVIEW_DUE_SOON_WEEKS
    ) -> "PlanQuerySet":
        """Plans whose annual review is overdue or due within `weeks` of `on`."""
        return self.filter(
            is_active=True,
            next_review_due__isnull=False,
            next_review_due__lte=on + datetime.timedelta(weeks=weeks),
        )

    def visible_to(self, user: User) -> "PlanQuerySet":
        if user.has_role(*PLAN_MANAGERS):
            return self
        conditions = Q(pk__in=[])
        if user.has_role(*CASEWORKERS) and user.team_id:
            conditions |= Q(team_id=user.team_id)
        if user.has_role(*AUDIT_ASSIGNEES):
            # Not through moderation re-audits: moderators must not learn the case reference.
            # A subquery, not a join: a join repeats a plan per audit, and the DISTINCT that
            # takes the repeats out made the register sort every visible plan's every column.
            # Audit is reached through the relation: its module imports this one.
            audit = cast("type[models.Model]", self.model._meta.get_field("audits").related_model)
            given = audit._default_manager.filter(auditor=user).exclude(purpose="moderation")
            conditions |= Q(pk__in=given.values("plan_id"))
        return self.filter(conditions)


class Plan(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_reference = models.CharField(
        max_length=50,
        unique=True,
        help_text="The council's case reference. Never a name.",
    )
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    year_group = models.CharField(
        max_length=3,
        choices=[(y, f"Year {y}" if y.isdigit() else y) for y in YEAR_GROUPS],
        blank=True,
    )
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices)
    placement_type = models.CharField(max_length=30, choices=PlacementType.choices)
    setting_name = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="casework_plans",
    )
    assessment_requested = models.DateField(null=True, blank=True)
    plan_issued = models.DateField(null=True, blank=True)
    last_annual_review = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True, help_text="False once the plan has ceased.")
    ceased_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the plan ceased: its case-level details are removed some years after.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When its latest audit of the plan as such was submitted: worked out from the audits and
    # kept by `audits.register.keep_last_audited` as they change, so that the register sorts
    # and filters by it from an index instead of looking up every plan's audits (issue 22).
    last_audited_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_audited_at"])

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["case_reference"]
        indexes = [
            models.Index(fields=["next_review_due"]),
            models.Index(fields=["primary_need", "placement_type", "age_band"]),
            # "Last audited" sorted either way and read from either end of the register:
            # the ascending order forwards or backwards, and the descending one.
            models.Index(last_audited().asc(), F("case_reference").asc(), name="plan_last_audited"),
            models.Index(
                last_audited().desc(), F("case_reference").asc(), name="plan_last_audited_newest"
            ),
            # Reviews due: counted by team and month from the first index alone, and a page
            # read in order from the second, one team at a time.
            models.Index(
                fields=["next_review_due", "team"],
                condition=Q(is_active=True),
                name="audits_plan_reviews_due_idx",
            ),
            models.Index(
                fields=["team", "next_review_due", "case_reference", "id"],
                condition=Q(is_active=True),
                name="audits_plan_team_reviews_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.case_reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.ceased_on = ceased_on(self.is_active, self.ceased_on)
        super().save(*args, **kwargs)

    def review_status(self, *, on: datetime.date) -> str | None:
        if not self.next_review_due:
            return None
        if self.next_review_due < on:
            return "overdue"
        if self.next_review_due <= on + datetime.timedelta(weeks=REVIEW_DUE_SOON_WEEKS):
            return "due"
        return None
