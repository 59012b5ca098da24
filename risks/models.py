"""The local area's risk register (seed 000, section 5): where the risks to the outcomes for
children and young people are, and how they are being mitigated."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from risks.roles import RISK_READERS
from risks.scoring import HIGH, IMPACT, LIKELIHOOD, Rating, risk_rating, risk_score, scores_rated
from send_qa.core.models import User

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
# The same product as risks.scoring.risk_score, worked out in the database so that the register
# can be sorted and filtered by it; tests/risks/test_scoring.py checks that the two agree.
SCORE = F("likelihood") * F("impact")
NUMBER_ATTEMPTS = 3


def _level_field(name: str, words: dict[int, str]) -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(
        name,
        choices=[(level, f"{level} {word}") for level, word in words.items()],
        validators=LEVEL_VALIDATORS,
    )


def reference_of(number: int | None) -> str:
    """The reference users know a risk by: R1, R2..."""
    return f"R{number}" if number else "New risk"


class RiskQuerySet(models.QuerySet["Risk"]):
    def visible_to(self, user: User) -> "RiskQuerySet":
        """SENDOPS and the board see every risk; no one else sees any."""
        return self if user.has_role(*RISK_READERS) else self.none()

    def with_score(self) -> "RiskQuerySet":
        return self.annotate(score_value=SCORE)

    def by_score(self) -> "RiskQuerySet":
        """Highest score first; of equal scores the greater impact, then the older risk."""
        return self.with_score().order_by("-score_value", "-impact", "number")  # type: ignore[misc]  # score_value: annotated by with_score()

    def open(self) -> "RiskQuerySet":
        return self.filter(status=Risk.Status.OPEN)

    def rated_high(self) -> "RiskQuerySet":
        high = scores_rated(HIGH)
        return self.with_score().filter(score_value__in=high)  # type: ignore[misc]  # annotated


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(
        unique=True, editable=False, help_text="Assigned in order: risk 3 is shown as R3."
    )
    title = models.CharField("risk", max_length=200)
    cause = models.TextField()
    consequence = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned"
    )
    owner_title = models.CharField(
        "owner's role",
        max_length=200,
        blank=True,
        help_text='As the register writes it, such as "Head of SEND".',
    )
    likelihood = _level_field("likelihood", LIKELIHOOD)
    impact = _level_field("impact", IMPACT)
    controls = models.TextField("controls in place", blank=True)
    target_likelihood = _level_field("target likelihood", LIKELIHOOD)
    target_impact = _level_field("target impact", IMPACT)
    review_date = models.DateField("review date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                name=f"risk_{field}_1_to_5",
            )
            for field in ("likelihood", "impact", "target_likelihood", "target_impact")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        """A new risk takes the next number; two added at once cannot take the same one (the
        number is unique, so the later one tries the next)."""
        if self.number:
            super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's own keywords
            return
        for attempt in range(NUMBER_ATTEMPTS):
            self.number = (Risk.objects.aggregate(n=Max("number"))["n"] or 0) + 1
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)  # type: ignore[arg-type]
                return
            except IntegrityError:
                self.number = None  # type: ignore[assignment]  # not yet numbered
                if attempt == NUMBER_ATTEMPTS - 1:
                    raise

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", kwargs={"risk_uuid": self.uuid})

    @property
    def reference(self) -> str:
        return reference_of(self.number)

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)

    @property
    def rating(self) -> Rating:
        return risk_rating(self.score)

    @property
    def target_score(self) -> int:
        return risk_score(self.target_likelihood, self.target_impact)

    @property
    def target_rating(self) -> Rating:
        return risk_rating(self.target_score)

    @property
    def at_target(self) -> bool:
        return self.score <= self.target_score

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.review_date < timezone.localdate()

    @property
    def owner_shown(self) -> str:
        """The owner as the register writes it: "Sam Patel, Head of SEND"."""
        return ", ".join(part for part in (str(self.owner), self.owner_title) if part)
