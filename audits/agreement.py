"""How closely two scorers agree: an original auditor and a moderator re-scoring the same items.

Pure functions over pairs of ordinal scores (first = the original auditor, second = the
moderator). docs/moderation.md ("Scorer agreement") explains how to read the numbers.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

WEIGHTS = ("linear", "quadratic")

ScorePair = tuple[int | None, int | None]


@dataclass(frozen=True)
class Agreement:
    """Agreement between two scorers over the pairs where both gave a score."""

    pairs: int  # pairs compared (both scores present)
    exact: float | None  # share of pairs with identical scores, 0..1 (None when no pairs)
    within_one: float | None  # share of pairs differing by at most 1 point
    kappa: float | None  # weighted Cohen's kappa (None when no pairs or undefined)
    mean_difference: float | None  # mean of (second - first): > 0 when the moderator scores higher


def weighted_kappa(
    pairs: Sequence[tuple[int, int]], *, categories: Sequence[int], weights: str = "linear"
) -> float | None:
    """Weighted Cohen's kappa: agreement beyond chance, giving partial credit to near misses.

    kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), with disagreement weights over the index
    positions of `categories`: |i - j| / (k - 1) for "linear", ((i - j) / (k - 1)) ** 2 for
    "quadratic". `categories` is the whole scale, so a score nobody used still sits between its
    neighbours (2 and 4 are two steps apart on 1-4 even if nobody scored 3). O holds the observed
    proportions and E the products of the two scorers' marginal proportions.

    None when there are no pairs. When both scorers used one and the same score throughout, chance
    agreement is total and the formula divides by zero: that is reported as 1.0 (they agreed every
    time), and as None in the (theoretical) case that they did not.
    """
    index = _scale_index(categories)
    weight = _weight_function(weights, len(categories))
    if not pairs:
        return None
    k = len(categories)
    observed = [[0] * k for _ in range(k)]
    for first, second in pairs:
        observed[_position(first, index)][_position(second, index)] += 1
    n = len(pairs)
    rows = [sum(row) for row in observed]
    columns = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    # Counts rather than proportions: scaling O by n and E by n * n cancels in the ratio below.
    disagreement = sum(weight(i, j) * observed[i][j] * n for i in range(k) for j in range(k))
    chance = sum(weight(i, j) * rows[i] * columns[j] for i in range(k) for j in range(k))
    if chance == 0:
        return 1.0 if disagreement == 0 else None
    return float(1 - disagreement / chance)


def _scale_index(categories: Sequence[int]) -> dict[int, int]:
    if not categories:
        raise ValueError("The scale has no points: give the scores it allows, e.g. [1, 2, 3, 4].")
    index = {value: position for position, value in enumerate(categories)}
    if len(index) != len(categories):
        raise ValueError(f"The scale {list(categories)} lists a score more than once.")
    return index


def _weight_function(weights: str, k: int) -> Callable[[int, int], Fraction]:
    """The disagreement weight of cell (i, j) as an exact fraction."""
    if weights not in WEIGHTS:
        raise ValueError(f'Unknown weights "{weights}": use "linear" or "quadratic".')
    span = max(k - 1, 1)  # a one-point scale has no disagreement to weigh
    if weights == "linear":
        return lambda i, j: Fraction(abs(i - j), span)
    return lambda i, j: Fraction(i - j, span) ** 2


def _position(score: int, index: Mapping[int, int]) -> int:
    if score not in index:
        raise ValueError(
            f"The score {score} is not on the scale {list(index)}: check the score was entered "
            "against the right item."
        )
    return index[score]


def agreement(
    pairs: Sequence[ScorePair], *, categories: Sequence[int], weights: str = "linear"
) -> Agreement:
    """Exact, within-one, weighted kappa and mean difference over the pairs with both scores.

    A pair with a missing score (None on either side) is left out rather than counted as a
    disagreement: an unanswered item says nothing about how the scorers judge it.
    """
    complete = [(a, b) for a, b in pairs if a is not None and b is not None]
    kappa = weighted_kappa(complete, categories=categories, weights=weights)
    if not complete:
        return Agreement(pairs=0, exact=None, within_one=None, kappa=None, mean_difference=None)
    n = len(complete)
    return Agreement(
        pairs=n,
        exact=sum(a == b for a, b in complete) / n,
        within_one=sum(abs(b - a) <= 1 for a, b in complete) / n,
        kappa=kappa,
        mean_difference=sum(b - a for a, b in complete) / n,
    )


def agreement_by_item(
    scores: Iterable[tuple[str, int | None, int | None]],
    *,
    categories_of: Mapping[str, Sequence[int]],
    weights: str = "linear",
) -> dict[str, Agreement]:
    """Agreement per item from (item code, first score, second score) triples.

    Items come in the order they first appear. Each item is measured on its own scale, so an item
    with no scale in `categories_of` is an error rather than a guess.
    """
    grouped: dict[str, list[ScorePair]] = defaultdict(list)
    for code, first, second in scores:
        grouped[code].append((first, second))
    missing = [code for code in grouped if code not in categories_of]
    if missing:
        raise ValueError(f"No scale is known for item {', '.join(missing)}: give its score range.")
    return {
        code: agreement(pairs, categories=categories_of[code], weights=weights)
        for code, pairs in grouped.items()
    }


def most_disagreed(
    by_item: Mapping[str, Agreement], *, limit: int = 5, min_pairs: int = 1
) -> list[tuple[str, Agreement]]:
    """The items where the scorers disagree most, worst first, to discuss at moderation.

    Only items compared at least `min_pairs` times, and with at least one disagreement, are
    listed. Ordered by within-one agreement (lowest first: gaps of 2 or more points are the
    serious ones), then exact agreement (lowest first), then item code.
    """
    if limit < 0:
        raise ValueError(f"The number of items to list cannot be negative ({limit}).")
    disagreed = [
        (code, result)
        for code, result in by_item.items()
        if result.pairs >= max(min_pairs, 1) and result.exact is not None and result.exact < 1
    ]
    disagreed.sort(key=lambda entry: (entry[1].within_one, entry[1].exact, entry[0]))
    return disagreed[:limit]
