"""The moderation dip sample: stratified by primary need, spread across age bands and placements.

Pure functions over plain values, so the draw can be tested and re-run without a database.
docs/moderation.md ("Drawing the moderation sample") describes the algorithm step by step.
"""

import random
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction

NEED = "Primary need"
AGE = "Age band"
PLACEMENT = "Placement type"
NOT_RECORDED = "Not recorded"

# Age bands read best youngest first; an unknown band ("") goes last.
AGE_BAND_ORDER = ["0-4", "5-10", "11-15", "16-19", "20-25"]


@dataclass(frozen=True)
class Candidate:
    """A plan that may be drawn, reduced to what the draw needs."""

    plan_id: int
    age_band: str  # "0-4", "5-10", "11-15", "16-19", "20-25" or "" (unknown)
    primary_need: str  # SEN2 code: SpLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH
    placement_type: str  # e.g. "mainstream", "maintained_special", ...


@dataclass(frozen=True)
class StratumRow:
    """One category of one dimension, so reviewers can see how representative the sample is."""

    dimension: str  # NEED, AGE or PLACEMENT
    value: str  # the category code ("ASD", "5-10", "mainstream"), "" when not recorded
    population: int  # candidates in it (after exclusions)
    quota: int | None  # the places allocated to it (primary need only; None for the others)
    drawn: int  # plans in the sample in it

    @property
    def label(self) -> str:
        """The value as shown to people: an empty category reads "Not recorded"."""
        return self.value or NOT_RECORDED


@dataclass(frozen=True)
class Sample:
    """A drawn sample with what is needed to explain and reproduce it."""

    plan_ids: list[int]  # in draw order
    seed: int
    size: int
    population: int  # candidates after exclusions
    excluded: int  # candidates left out because they were excluded
    strata: list[StratumRow]  # every category of every dimension, primary need first


class SamplingError(ValueError):
    """The sample cannot be drawn; str() says why and what to do, in plain English."""


def draw_sample(
    candidates: Iterable[Candidate],
    *,
    size: int,
    seed: int,
    excluded: Collection[int] = (),
) -> Sample:
    """Draw `size` plans at random, in proportion to primary need, spread across the other two.

    The same candidates (in any order) and the same seed always give the same sample.
    """
    pool, excluded_count = eligible(candidates, excluded)
    check_size(size, available=len(pool), excluded=excluded_count)
    shuffled = list(pool)
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - sampling, not security
    quotas = allocate(Counter(c.primary_need for c in pool), size)
    drawn = fill(shuffled, quotas)
    return Sample(
        plan_ids=[c.plan_id for c in drawn],
        seed=seed,
        size=size,
        population=len(pool),
        excluded=excluded_count,
        strata=strata_table(pool, drawn, quotas),
    )


def eligible(
    candidates: Iterable[Candidate], excluded: Collection[int]
) -> tuple[list[Candidate], int]:
    """The candidates that may be drawn, sorted by plan id so input order never matters.

    Returns them with how many distinct plans were left out because they were excluded. A plan
    listed twice is kept once; if its details differ, the copy that sorts first is kept, so the
    result still does not depend on the input order.
    """
    excluded_ids = set(excluded)
    by_id: dict[int, Candidate] = {}
    left_out: set[int] = set()
    for candidate in sorted(set(candidates), key=_sort_key):
        if candidate.plan_id in excluded_ids:
            left_out.add(candidate.plan_id)
        else:
            by_id.setdefault(candidate.plan_id, candidate)
    return list(by_id.values()), len(left_out)


def _sort_key(candidate: Candidate) -> tuple[int, str, str, str]:
    return (
        candidate.plan_id,
        candidate.primary_need,
        candidate.age_band,
        candidate.placement_type,
    )


def check_size(size: int, *, available: int, excluded: int) -> None:
    """Refuse a sample that cannot be drawn, saying what to change."""
    if size < 1:
        raise SamplingError(
            f"A sample must have at least 1 plan, not {size}. Choose a sample size of 1 or more."
        )
    if available >= size:
        return
    left_out = ""
    if excluded:
        were = "was" if excluded == 1 else "were"
        they = "it was" if excluded == 1 else "they were"
        left_out = f" ({excluded} more {were} left out because {they} moderated recently)"
    if available == 0:
        raise SamplingError(
            f"A sample of {_plans(size)} was asked for, but no plans can be drawn{left_out}. "
            "Draw from all plans rather than only the audited ones, or choose a different period."
        )
    raise SamplingError(
        f"A sample of {_plans(size)} was asked for, but only {_plans(available)} can be "
        f"drawn{left_out}. Choose a sample of at most {_plans(available)}, or draw from all "
        "plans rather than only the audited ones."
    )


def _plans(count: int) -> str:
    return f"{count} plan" if count == 1 else f"{count} plans"


def allocate(populations: Counter[str], size: int) -> dict[str, int]:
    """Share `size` places across strata in proportion to population (largest remainder).

    Every stratum first gets the whole part of its exact share; the places left go to the largest
    fractional parts, ties to the larger stratum, then to the code in alphabetical order. Exact
    fractions keep the result free of rounding error. `size` must not exceed the total.
    """
    total = sum(populations.values())
    shares = {code: Fraction(size * count, total) for code, count in populations.items()}
    quotas = {code: int(share) for code, share in shares.items()}  # int() floors a Fraction >= 0
    left = size - sum(quotas.values())
    by_remainder = sorted(
        populations, key=lambda code: (-(shares[code] - quotas[code]), -populations[code], code)
    )
    for code in by_remainder[:left]:
        quotas[code] += 1
    return quotas


def fill(shuffled: list[Candidate], quotas: dict[str, int]) -> list[Candidate]:
    """Draw each stratum's quota one place at a time, strata in turn, largest quota first.

    Within a stratum the first candidate (in shuffled order) with the highest balance score is
    taken, which spreads the sample across age bands and placement types.
    """
    age_counts = Counter(c.age_band for c in shuffled)
    placement_counts = Counter(c.placement_type for c in shuffled)
    waiting: dict[str, list[Candidate]] = {code: [] for code in quotas}
    for candidate in shuffled:
        waiting[candidate.primary_need].append(candidate)
    order = sorted(
        (code for code, quota in quotas.items() if quota),
        key=lambda code: (-quotas[code], -len(waiting[code]), code),
    )
    drawn: list[Candidate] = []
    ages: set[str] = set()
    placements: set[str] = set()
    for turn in range(max(quotas.values(), default=0)):
        for code in order:
            if turn >= quotas[code]:
                continue
            pick = best_balanced(waiting[code], ages, placements, age_counts, placement_counts)
            waiting[code].remove(pick)
            drawn.append(pick)
            ages.add(pick.age_band)
            placements.add(pick.placement_type)
    return drawn


def best_balanced(
    waiting: list[Candidate],
    ages: set[str],
    placements: set[str],
    age_counts: Counter[str],
    placement_counts: Counter[str],
) -> Candidate:
    """The first waiting candidate with the highest balance score.

    The score is the population share of the candidate's age band if that band is not yet in the
    sample, plus the share of its placement type if that type is not yet in it. All shares have
    the same denominator (the population), so the counts are compared instead: same order, and
    exact.
    """

    def score(candidate: Candidate) -> int:
        points = 0
        if candidate.age_band not in ages:
            points += age_counts[candidate.age_band]
        if candidate.placement_type not in placements:
            points += placement_counts[candidate.placement_type]
        return points

    # max() returns the first of equal maxima, so ties go to the earlier candidate.
    return max(waiting, key=score)


def strata_table(
    pool: list[Candidate], drawn: list[Candidate], quotas: dict[str, int]
) -> list[StratumRow]:
    """Population, quota and drawn count of every category: need, then age band, then placement.

    Needs and placement types are listed largest first (then by code); age bands youngest first,
    with "Not recorded" last.
    """
    rows = _dimension_rows(NEED, pool, drawn, lambda c: c.primary_need, _largest_first, quotas)
    rows += _dimension_rows(AGE, pool, drawn, lambda c: c.age_band, _age_order)
    rows += _dimension_rows(PLACEMENT, pool, drawn, lambda c: c.placement_type, _largest_first)
    return rows


def _dimension_rows(
    dimension: str,
    pool: list[Candidate],
    drawn: list[Candidate],
    value_of: Callable[[Candidate], str],
    order: Callable[[str, Counter[str]], tuple[int, str]],
    quotas: dict[str, int] | None = None,
) -> list[StratumRow]:
    population = Counter(value_of(c) for c in pool)
    in_sample = Counter(value_of(c) for c in drawn)
    return [
        StratumRow(
            dimension=dimension,
            value=value,
            population=population[value],
            quota=None if quotas is None else quotas[value],
            drawn=in_sample[value],
        )
        for value in sorted(population, key=lambda v: order(v, population))
    ]


def _largest_first(value: str, population: Counter[str]) -> tuple[int, str]:
    return (-population[value], value)


def _age_order(value: str, population: Counter[str]) -> tuple[int, str]:
    if value in AGE_BAND_ORDER:
        return (AGE_BAND_ORDER.index(value), value)
    return (len(AGE_BAND_ORDER) + (1 if value == "" else 0), value)
