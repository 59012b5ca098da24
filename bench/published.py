"""Synthetic whole-England DfE files in the explore-education-statistics layout, as published
(issue 17, docs/performance.md): England, the nine regions by their real ONS codes, and about
150 local authorities with ONS-shaped codes and DfE numbers, each in its region; seven calendar
years; the `annual_reviews` table with its "All annual reviews" row and its breakdowns by age,
sex, type of placement and years the plan has been in place, and `timeliness_20_week` the same
way. Local authorities' figures are drawn; the regions' and England's are their sums, as the DfE
publishes them. Small counts of breakdowns are `c` and percentages of nothing are `x`, as in
the real files. Made with a fixed seed.
"""

import csv
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.lineage import LINEAGE
from benchmarks.registry import EES_COLUMNS, tables

ENGLAND = ("E92000001", "England")
YEARS = tuple(range(2018, 2025))
# The nine regions by their ONS codes, with how many local authorities of each kind of code
# each holds (E06 unitary, E08 metropolitan, E09 London borough, E10 county): 153 in all.
REGIONS = (
    ("E12000001", "North East", {"E06": 7, "E08": 5}),
    ("E12000002", "North West", {"E06": 10, "E08": 10, "E10": 4}),
    ("E12000003", "Yorkshire and The Humber", {"E06": 5, "E08": 9, "E10": 1}),
    ("E12000004", "East Midlands", {"E06": 5, "E10": 5}),
    ("E12000005", "West Midlands", {"E06": 5, "E08": 7, "E10": 2}),
    ("E12000006", "East of England", {"E06": 6, "E10": 5}),
    ("E12000007", "London", {"E09": 33}),
    ("E12000008", "South East", {"E06": 12, "E10": 7}),
    ("E12000009", "South West", {"E06": 13, "E10": 2}),
)
# The portal's own area in the benchmark: the real West Sussex, a county of the South East.
OWN_AREA = ("E10000032", "938", "West Sussex")
SERIAL_FROM = 500  # made-up codes (E06000501...) lie past England's real ones
NEIGHBOURS = 10

AGES = ["Aged 2 and under", *[f"Aged {n}" for n in range(3, 26)]]
# How many plans of each age, relative to one another (most are of school age).
AGE_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 7, 8, 8, 8, 8, 8, 7, 7, 7, 6, 5, 4, 3, 2, 2, 1, 1]
ANNUAL_REVIEW_BREAKDOWNS = [
    ("All annual reviews", "All annual reviews", 1.0),
    *[
        ("Child or young persons age", age, weight / sum(AGE_WEIGHTS))
        for age, weight in zip(AGES, AGE_WEIGHTS, strict=True)
    ],
    ("Sex", "Female", 0.29),
    ("Sex", "Male", 0.709),
    ("Sex", "Unknown", 0.001),
    ("Type of placement", "Mainstream - total", 0.44),
    ("Type of placement", "Special - total", 0.30),
    ("Type of placement", "Independent - total", 0.12),
    ("Type of placement", "Other - total", 0.14),
    ("Years EHC plan in place", "Less than a year", 0.12),
    ("Years EHC plan in place", "1", 0.16),
    ("Years EHC plan in place", "2", 0.15),
    ("Years EHC plan in place", "3", 0.13),
    ("Years EHC plan in place", "4 or more", 0.44),
]
TIMELINESS_BREAKDOWNS = [
    ("All EHC plans", "All EHC plans", 1.0),
    ("Age", "Under age 5", 0.16),
    ("Age", "Age 5 to 10", 0.42),
    ("Age", "Age 11 to 15", 0.27),
    ("Age", "Age 16 to 19", 0.12),
    ("Age", "Age 20 to 25", 0.03),
    ("Sex", "Female", 0.3),
    ("Sex", "Male", 0.7),
]
SMALL = 3  # counts below this (and above 0) of a suppressed breakdown row are published "c"
SUPPRESSED = 0.05  # the share of local authorities' breakdown rows with small counts withheld
MISSING = 0.02  # the share of authorities' years whose return was not available ("x")


@dataclass(frozen=True)
class Place:
    code: str
    old_code: str
    name: str
    region_code: str
    region_name: str


@dataclass
class Files:
    """The files written, and the authorities they name."""

    annual_reviews: Path
    timeliness: Path
    authorities: list[Place]
    rows: dict[str, int]

    @property
    def own(self) -> Place:
        return next(a for a in self.authorities if a.code == OWN_AREA[0])


def proximity(rank: int) -> str:
    """The DfE's proximity band of a neighbour, worded as published (trailing space kept)."""
    return "Very close" if rank <= 2 else "Close " if rank <= 6 else "Somewhat close"


def authorities(count: int) -> list[Place]:
    """`count` local authorities (the own area first), shared among the regions as England's
    are, with ONS-shaped codes and distinct DfE numbers."""
    places: list[Place] = []
    # Clear of every real code the portal ships (the lineage of reorganised authorities): a
    # made-up authority never takes a real predecessor's code or a real successor's number.
    shipped = json.loads(LINEAGE.read_text(encoding="utf-8"))["changes"]
    taken = {OWN_AREA[1]} | {c[part][1] for c in shipped for part in ("predecessor", "successor")}
    numbers = (n for n in range(301, 1000) if str(n) not in taken)
    serial = dict.fromkeys(("E06", "E08", "E09", "E10"), SERIAL_FROM)
    full = [
        (region, name, kind)
        for region, name, kinds in REGIONS
        for kind, n in kinds.items()
        for _ in range(n)
    ]
    # Take every k-th of the full list, so a small run still spans the regions.
    chosen = (
        [full[round(i * len(full) / count)] for i in range(count)] if count < len(full) else full
    )
    for region, region_name, kind in chosen:
        if not places:
            code, old, name = OWN_AREA
            places.append(Place(code, old, name, "E12000008", "South East"))
            continue
        serial[kind] += 1
        if f"{kind}{serial[kind]:06d}" == OWN_AREA[0]:
            serial[kind] += 1
        code = f"{kind}{serial[kind]:06d}"
        places.append(
            Place(
                code,
                str(next(numbers)),
                f"{region_name} {kind} {serial[kind]}",
                region,
                region_name,
            )
        )
    return places


Counts = Callable[[random.Random, int, float], dict[str, int]]


def annual_review_cells(rng: random.Random, plans: int, quality: float) -> dict[str, int]:
    """One row of `annual_reviews` for `plans` EHC plans: counts that add up as the DfE's do."""
    expected = round(plans * rng.uniform(0.75, 0.9))
    held = round(expected * min(0.99, quality + rng.gauss(0, 0.03)))
    m25 = round(held * 0.02)
    m24 = round(held * 0.7)
    decided25, decided24 = round(held * 0.05), round(held * 0.55)
    decided_prior = round(held * 0.15)
    not_due = round(held * 0.05)
    decided = decided25 + decided24 + decided_prior
    amend, cease = round(held * 0.48), round(held * 0.01)
    maintain = round(held * 0.3)
    in_4_weeks = round(decided * min(1.0, max(0.0, quality - 0.45 + rng.gauss(0, 0.1))))
    return {
        "total_ehc_plans": plans,
        "review_expected": expected,
        "review_not_expected": plans - expected,
        "review_meeting_25": m25,
        "review_meeting_24": m24,
        "review_meeting_prior_24": held - m25 - m24,
        "total_review_meeting": held,
        "no_review_meeting": expected - held,
        "review_decision25": decided25,
        "review_decision24": decided24,
        "review_decision_prior24": decided_prior,
        "review_decision_not_due": not_due,
        "review_decision_outstanding": held - decided - not_due,
        "outcome_amend": amend,
        "outcome_cease": cease,
        "outcome_maintan": maintain,
        "no_outcome": held - amend - cease - maintain,
        "number_decsion_4weeks": in_4_weeks,
        "number_decision_gt_4weeks": decided - in_4_weeks,
    }


def annual_review_percentages(cells: dict[str, int]) -> dict[str, float | str]:
    decided = cells["number_decsion_4weeks"] + cells["number_decision_gt_4weeks"]
    share = _percent(cells["number_decsion_4weeks"], decided)
    return {
        "pc_decsion_4weeks": share,
        "pc_decision_gt_4weeks": "x" if share == "x" else round(100 - share, 1),
    }


def timeliness_cells(rng: random.Random, plans: int, quality: float) -> dict[str, int]:
    """One row of `timeliness_20_week` for the plans issued in a year (`plans` EHC plans held)."""
    issued = max(1, round(plans * rng.uniform(0.08, 0.14)))
    issued_ex = round(issued * rng.uniform(0.85, 0.97))
    on_time = min(1.0, max(0.0, quality - 0.35 + rng.gauss(0, 0.15)))
    within, within_ex = round(issued * on_time * 0.95), round(issued_ex * on_time)
    late, late_ex = issued - within, issued_ex - within_ex
    under_year, under_year_ex = round(late * 0.8), round(late_ex * 0.8)
    return {
        "plans_issued_den": issued,
        "plans_issued_den_ex": issued_ex,
        "plans_issued_within_20_weeks": within,
        "plans_issued_20_weeks_ex": within_ex,
        "plans_issued_gt20weeks_ltyear": under_year,
        "plans_issued_gt20weeks_ltyear_ex": under_year_ex,
        "plans_issued_gt_1_year": late - under_year,
        "plans_issued_gt_1_year_ex": late_ex - under_year_ex,
        # Weeks taken over all the plans, for the average (summed over areas like a count).
        "weeks": round(issued * (20 + (1 - on_time) * 18 + rng.gauss(0, 1))),
    }


def timeliness_percentages(cells: dict[str, int]) -> dict[str, float | str]:
    issued, issued_ex = cells["plans_issued_den"], cells["plans_issued_den_ex"]
    found: dict[str, float | str] = {
        "pc_plans_issued_within_20_weeks": _percent(cells["plans_issued_within_20_weeks"], issued),
        "pc_plans_issued_20_weeks_ex": _percent(cells["plans_issued_20_weeks_ex"], issued_ex),
    }
    for part in ("gt20weeks_ltyear", "gt_1_year"):
        found[f"pc_plans_issued_{part}"] = _percent(cells[f"plans_issued_{part}"], issued)
        found[f"pc_plans_issued_{part}_ex"] = _percent(cells[f"plans_issued_{part}_ex"], issued_ex)
    found["avg_weeks_issue_plan"] = round(cells["weeks"] / issued, 1) if issued else "x"
    found["avg_weeks_issue_plan_exc"] = round(0.97 * cells["weeks"] / issued, 1) if issued else "x"
    return found


def _percent(part: int, whole: int) -> float | str:
    return "x" if not whole else round(100 * part / whole, 1)


def write_files(folder: Path, *, count: int, seed: int = 2026) -> Files:
    """Write both tables for `count` local authorities into `folder`."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    places = authorities(count)
    annual = folder / "annual_reviews.csv"
    timeliness = folder / "timeliness_20_week.csv"
    # Each authority's size and how well it does, kept from year to year.
    sizes = {p.code: round(rng.lognormvariate(7.9, 0.6)) + 15 for p in places}
    quality = {p.code: rng.uniform(0.7, 0.95) for p in places}
    rows = {
        "annual_reviews": _write(
            annual,
            "annual_reviews",
            ANNUAL_REVIEW_BREAKDOWNS,
            places,
            sizes,
            quality,
            rng,
            annual_review_cells,
            annual_review_percentages,
        ),
        "timeliness_20_week": _write(
            timeliness,
            "timeliness_20_week",
            TIMELINESS_BREAKDOWNS,
            places,
            sizes,
            quality,
            rng,
            timeliness_cells,
            timeliness_percentages,
        ),
    }
    return Files(annual, timeliness, places, rows)


def _write(
    path: Path,
    table: str,
    breakdowns: list[tuple[str, str, float]],
    places: list[Place],
    sizes: dict[str, int],
    quality: dict[str, float],
    rng: random.Random,
    counts: Counts,
    percentages: Callable[[dict[str, int]], dict[str, float | str]],
) -> int:
    measures = tables()[table].measures
    written = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*EES_COLUMNS, *measures])
        for year in YEARS:
            growth = 1.1 ** (year - YEARS[-1])  # plans have grown by about a tenth a year
            sums: dict[tuple[str, str, str], dict[str, int]] = {}
            local = []
            for place in places:
                missing = rng.random() < MISSING
                for topic, breakdown, share in breakdowns:
                    plans = round(sizes[place.code] * growth * share * rng.uniform(0.9, 1.1))
                    cells = counts(rng, plans, quality[place.code])
                    for code in (ENGLAND[0], place.region_code):
                        total = sums.setdefault((code, topic, breakdown), dict.fromkeys(cells, 0))
                        for name, value in cells.items():
                            total[name] += value
                    # A few breakdowns' small counts are withheld as confidential.
                    small = share < 1 and rng.random() < SUPPRESSED
                    shown = _published(cells, percentages(cells), small=small, missing=missing)
                    local.append((place, topic, breakdown, shown))
            regions = {code: name for code, name, _ in REGIONS}
            for (code, topic, breakdown), cells in sums.items():
                shown = _published(cells, percentages(cells), small=False, missing=False)
                if code == ENGLAND[0]:
                    area = ["National", ENGLAND[0], ENGLAND[1], "", "", "", "", ""]
                else:
                    area = ["Regional", ENGLAND[0], ENGLAND[1], code, regions[code], "", "", ""]
                writer.writerow(
                    [year, "Calendar year", *area, topic, breakdown, *(shown[m] for m in measures)]
                )
                written += 1
            for place, topic, breakdown, shown in local:
                area = [
                    "Local authority",
                    ENGLAND[0],
                    ENGLAND[1],
                    place.region_code,
                    place.region_name,
                    place.code,
                    place.old_code,
                    place.name,
                ]
                writer.writerow(
                    [year, "Calendar year", *area, topic, breakdown, *(shown[m] for m in measures)]
                )
                written += 1
    return written


def _published(
    counts: dict[str, int], percentages: dict[str, float | str], *, small: bool, missing: bool
) -> dict[str, object]:
    """The cells as the DfE publishes them: a small count of a breakdown is "c", and every
    cell of a return that was not available is "x"."""
    cells: dict[str, object] = {**counts, **percentages}
    for name, value in cells.items():
        if missing:
            cells[name] = "x"
        elif small and isinstance(value, int) and 0 < value < SMALL:
            cells[name] = "c"
    return cells
