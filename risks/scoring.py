"""The one rule for a risk's score and rating (docs/decisions/0008-risk-scores.md).

A risk is scored as likelihood x impact, each 1-5 in the usual words, and rated Low (1-4),
Medium (5-10) or High (12-25). Every page, the matrix, the queries other floors read and the
evidence an action is raised from call these functions, so a risk never shows two ratings.
Imports no model.
"""

from dataclasses import dataclass

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
LEVELS = range(1, 6)

LOW, MEDIUM, HIGH = "Low", "Medium", "High"
# The highest score of each rating, lowest rating first, with its govuk-tag colour.
BANDS = ((4, LOW, "green"), (10, MEDIUM, "yellow"), (25, HIGH, "red"))

# Every score a risk can have: the products of two levels (7, 11, 13... cannot occur).
POSSIBLE_SCORES = tuple(sorted({likelihood * impact for likelihood in LEVELS for impact in LEVELS}))


@dataclass(frozen=True)
class Rating:
    """A score with its rating in words and colour, shown as "High (16)"."""

    score: int
    name: str
    colour: str  # a govuk-tag modifier: govuk-tag--{colour}

    def __str__(self) -> str:
        return f"{self.name} ({self.score})"


def _level(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"The {what} must be a whole number from 1 to 5, not {value!r}.")
    return value


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood times impact, each from 1 to 5."""
    return _level(likelihood, "likelihood") * _level(impact, "impact")


def risk_rating(score: int) -> Rating:
    """Low for 1-4, Medium for 5-10, High above 10 (the first score above 10 is 12)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 25:
        raise ValueError(f"A risk score is a whole number from 1 to 25, not {score!r}.")
    for highest, name, colour in BANDS:
        if score <= highest:
            return Rating(score, name, colour)
    raise AssertionError("unreachable: the last band ends at 25")


def scores_rated(name: str) -> list[int]:
    """The possible scores with this rating, for filtering risks in the database."""
    return [score for score in POSSIBLE_SCORES if risk_rating(score).name == name]
