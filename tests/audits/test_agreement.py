"""Scorer agreement on worked examples, checked against an independent calculation."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.agreement import Agreement, agreement, agreement_by_item, most_disagreed, weighted_kappa

SCALE = [1, 2, 3, 4]


def pairs_of(table: list[list[int]], categories: list[int]) -> list[tuple[int, int]]:
    """The score pairs behind a contingency table (rows: first scorer, columns: second)."""
    return [
        (categories[i], categories[j])
        for i, row in enumerate(table)
        for j, count in enumerate(row)
        for _ in range(count)
    ]


def reference_kappa(table: list[list[int]], weights: str) -> Fraction:
    """An independent weighted kappa, in the agreement-weight form (p_o - p_e) / (1 - p_e).

    Agreement weights are 1 - disagreement weight, so this equals 1 - sum(w O) / sum(w E) but is
    written another way, with exact fractions and proportions rather than counts.
    """
    k = len(table)
    n = sum(map(sum, table))
    rows = [Fraction(sum(row), n) for row in table]
    columns = [Fraction(sum(row[j] for row in table), n) for j in range(k)]

    def agree(i: int, j: int) -> Fraction:
        distance = Fraction(abs(i - j), k - 1)
        return 1 - (distance if weights == "linear" else distance**2)

    observed = sum(agree(i, j) * Fraction(table[i][j], n) for i in range(k) for j in range(k))
    chance = sum(agree(i, j) * rows[i] * columns[j] for i in range(k) for j in range(k))
    return (observed - chance) / (1 - chance)


def test_perfect_agreement_gives_kappa_1():
    pairs = [(1, 1), (2, 2), (3, 3), (4, 4), (2, 2)]
    assert weighted_kappa(pairs, categories=SCALE) == 1.0
    assert weighted_kappa(pairs, categories=SCALE, weights="quadratic") == 1.0
    result = agreement(pairs, categories=SCALE)
    assert result == Agreement(pairs=5, exact=1.0, within_one=1.0, kappa=1.0, mean_difference=0.0)


def test_published_example_from_scikit_learn():
    # scikit-learn's own test of cohen_kappa_score: y1 = 46 x 0, 44 x 1, 10 x 2 against
    # y2 = 50 x 0, 40 x 1, 10 x 2, paired in order, so 46 (0,0), 4 (1,0), 40 (1,1), 10 (2,2).
    # Published: linear 0.9412, quadratic 0.9541.
    # By hand (k = 3, n = 100). Marginals: first 0.46, 0.44, 0.10; second 0.50, 0.40, 0.10.
    # Linear weights 0, 1/2, 1. Observed: 0.04 * 1/2 = 0.02. Expected:
    #   0.46 * (0.40 * 1/2 + 0.10 * 1) + 0.44 * (0.50 * 1/2 + 0.10 * 1/2)
    #   + 0.10 * (0.50 * 1 + 0.40 * 1/2) = 0.138 + 0.132 + 0.070 = 0.34
    #   kappa = 1 - 0.02 / 0.34 = 16/17 = 0.94118
    # Quadratic weights 0, 1/4, 1. Observed: 0.04 / 4 = 0.01. Expected:
    #   0.46 * (0.40 / 4 + 0.10) + 0.44 * (0.50 / 4 + 0.10 / 4) + 0.10 * (0.50 + 0.40 / 4)
    #   = 0.092 + 0.066 + 0.060 = 0.218; kappa = 1 - 0.01 / 0.218 = 104/109 = 0.95413
    table = [[46, 0, 0], [4, 40, 0], [0, 0, 10]]
    pairs = pairs_of(table, [0, 1, 2])
    linear = weighted_kappa(pairs, categories=[0, 1, 2])
    quadratic = weighted_kappa(pairs, categories=[0, 1, 2], weights="quadratic")
    assert linear == pytest.approx(16 / 17) == pytest.approx(0.9412, abs=5e-5)
    assert quadratic == pytest.approx(104 / 109) == pytest.approx(0.9541, abs=5e-5)
    assert reference_kappa(table, "linear") == Fraction(16, 17)
    assert reference_kappa(table, "quadratic") == Fraction(104, 109)


def test_worked_three_by_three_table_with_disagreement_both_ways():
    # Rows: the auditor's score 1, 2, 3; columns: the moderator's. n = 50.
    #   [10,  4,  1]   row totals 15, 20, 15
    #   [ 3, 15,  2]   column totals 14, 22, 14
    #   [ 1,  3, 11]
    # Cells 1 apart: 4 + 3 + 2 + 3 = 12; cells 2 apart: 1 + 1 = 2.
    # Chance (row total x column total, out of 2500): 1 apart 15*22 + 20*14 + 20*14 + 15*22 = 1220;
    # 2 apart 15*14 + 15*14 = 420.
    # Linear (weights 1/2, 1): observed (12/2 + 2) / 50 = 8/50; chance (1220/2 + 420) / 2500 =
    #   1030/2500; kappa = 1 - (8/50) / (1030/2500) = 1 - 400/1030 = 63/103 = 0.6117.
    # Quadratic (weights 1/4, 1): observed (12/4 + 2) / 50 = 5/50; chance (1220/4 + 420) / 2500 =
    #   725/2500; kappa = 1 - (5/50) / (725/2500) = 1 - 250/725 = 19/29 = 0.6552.
    table = [[10, 4, 1], [3, 15, 2], [1, 3, 11]]
    pairs = pairs_of(table, [1, 2, 3])
    assert weighted_kappa(pairs, categories=[1, 2, 3]) == pytest.approx(63 / 103)
    assert weighted_kappa(pairs, categories=[1, 2, 3], weights="quadratic") == pytest.approx(
        19 / 29
    )
    assert reference_kappa(table, "linear") == Fraction(63, 103)
    assert reference_kappa(table, "quadratic") == Fraction(19, 29)
    result = agreement(pairs, categories=[1, 2, 3])
    assert result.exact == pytest.approx(36 / 50)
    assert result.within_one == pytest.approx(48 / 50)
    # Moderator minus auditor: +1 x (4 + 2), +2 x 1, -1 x (3 + 3), -2 x 1 = 0.
    assert result.mean_difference == pytest.approx(0.0)


def test_distances_are_measured_on_the_whole_scale():
    # Nobody scored 3 on this 1-4 scale, but it still sits between 2 and 4: a 2-vs-4 gap is two
    # steps, not one, so kappa differs from one computed on the used scores [1, 2, 4] alone.
    pairs = [(1, 1), (2, 2), (4, 4), (1, 2), (2, 4), (4, 2)]
    whole = weighted_kappa(pairs, categories=[1, 2, 3, 4])
    used_only = weighted_kappa(pairs, categories=[1, 2, 4])
    table = [[1, 1, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]]
    assert whole == pytest.approx(float(reference_kappa(table, "linear")))
    assert whole != pytest.approx(used_only)


def test_unused_end_points_do_not_change_kappa():
    # Extending the scale at the ends only rescales every weight by the same factor, which cancels.
    pairs = [(1, 1), (2, 2), (3, 3), (1, 2), (2, 3)]
    short = weighted_kappa(pairs, categories=[1, 2, 3])
    assert weighted_kappa(pairs, categories=[0, 1, 2, 3, 4, 5]) == pytest.approx(short)


def test_systematic_disagreement_gives_kappa_below_0():
    pairs = [(1, 4), (4, 1), (2, 3), (3, 2)]
    assert weighted_kappa(pairs, categories=SCALE) < 0
    # Two scorers who always pick opposite ends of a two-point scale: kappa is -1.
    assert weighted_kappa([(1, 2), (2, 1)], categories=[1, 2]) == pytest.approx(-1.0)


def test_exact_and_within_one_on_a_small_list():
    pairs = [(3, 3), (3, 4), (2, 4), (4, 1), (1, 1)]
    result = agreement(pairs, categories=SCALE)
    assert result.pairs == 5
    assert result.exact == pytest.approx(2 / 5)  # (3,3) and (1,1)
    assert result.within_one == pytest.approx(3 / 5)  # and (3,4)


def test_mean_difference_is_positive_when_the_moderator_scores_higher():
    assert agreement([(2, 3), (2, 4), (3, 3)], categories=SCALE).mean_difference == pytest.approx(
        1.0
    )
    assert agreement([(3, 2), (4, 2)], categories=SCALE).mean_difference == pytest.approx(-1.5)


def test_pairs_with_a_missing_score_are_left_out():
    result = agreement([(2, 2), (None, 3), (4, None), (3, 4)], categories=SCALE)
    assert result.pairs == 2
    assert result.exact == pytest.approx(0.5)


def test_no_pairs_gives_no_figures():
    empty = Agreement(pairs=0, exact=None, within_one=None, kappa=None, mean_difference=None)
    assert agreement([], categories=SCALE) == empty
    assert agreement([(None, 2)], categories=SCALE) == empty
    assert weighted_kappa([], categories=SCALE) is None


def test_one_score_used_by_both_throughout_counts_as_perfect_agreement():
    # Chance agreement is total, so the formula would divide by zero; both agreed every time.
    assert weighted_kappa([(3, 3), (3, 3), (3, 3)], categories=SCALE) == 1.0
    assert agreement([(3, 3)], categories=SCALE).kappa == 1.0


def test_one_scorer_using_one_score_throughout_is_still_defined():
    # The first scorer always gave 2; chance disagreement is not zero, so kappa is 0 here.
    assert weighted_kappa([(2, 1), (2, 2), (2, 3)], categories=[1, 2, 3]) == pytest.approx(0.0)


def test_scores_off_the_scale_are_refused():
    with pytest.raises(ValueError, match="The score 5 is not on the scale"):
        weighted_kappa([(1, 5)], categories=SCALE)
    with pytest.raises(ValueError, match="The score 0 is not on the scale"):
        agreement([(0, 1)], categories=SCALE)


def test_unknown_weights_and_bad_scales_are_refused():
    with pytest.raises(ValueError, match='Unknown weights "cubic"'):
        weighted_kappa([(1, 1)], categories=SCALE, weights="cubic")
    with pytest.raises(ValueError, match="Unknown weights"):
        agreement([], categories=SCALE, weights="")
    with pytest.raises(ValueError, match="no points"):
        weighted_kappa([(1, 1)], categories=[])
    with pytest.raises(ValueError, match="more than once"):
        weighted_kappa([(1, 1)], categories=[1, 2, 2])


def test_agreement_by_item_groups_by_item_code():
    scores = [
        ("A1", 3, 3),
        ("B2", 1, 4),
        ("A1", 2, 3),
        ("C3", 0, 0),
        ("B2", 2, None),
        ("A1", 4, 4),
    ]
    by_item = agreement_by_item(scores, categories_of={"A1": SCALE, "B2": SCALE, "C3": [0, 1, 2]})
    assert list(by_item) == ["A1", "B2", "C3"]
    assert by_item["A1"] == agreement([(3, 3), (2, 3), (4, 4)], categories=SCALE)
    assert by_item["A1"].pairs == 3
    assert by_item["B2"].pairs == 1
    assert by_item["B2"].mean_difference == pytest.approx(3.0)
    assert by_item["C3"].exact == 1.0


def test_agreement_by_item_needs_each_items_scale():
    with pytest.raises(ValueError, match="No scale is known for item Z9"):
        agreement_by_item([("A1", 1, 1), ("Z9", 1, 2)], categories_of={"A1": SCALE})


def test_agreement_by_item_uses_each_items_own_scale():
    with pytest.raises(ValueError, match="The score 4 is not on the scale"):
        agreement_by_item([("C3", 4, 1)], categories_of={"C3": [0, 1, 2]})


def make(pairs: int, exact: float, within_one: float) -> Agreement:
    return Agreement(
        pairs=pairs, exact=exact, within_one=within_one, kappa=None, mean_difference=0.0
    )


def test_most_disagreed_orders_by_within_one_then_exact_then_code():
    by_item = {
        "A1": make(6, exact=0.5, within_one=1.0),
        "A2": make(6, exact=0.5, within_one=0.5),  # gaps of 2+ points on half the plans
        "B1": make(6, exact=0.2, within_one=1.0),
        "B2": make(6, exact=0.2, within_one=1.0),
        "C1": make(6, exact=0.0, within_one=0.5),
        "C2": make(6, exact=1.0, within_one=1.0),  # full agreement: never listed
        "D1": make(0, exact=None, within_one=None),  # not compared: never listed
    }
    listed = [code for code, _ in most_disagreed(by_item)]
    assert listed == ["C1", "A2", "B1", "B2", "A1"]
    assert [code for code, _ in most_disagreed(by_item, limit=2)] == ["C1", "A2"]
    assert most_disagreed(by_item, limit=0) == []
    assert most_disagreed(by_item)[0] == ("C1", by_item["C1"])


def test_most_disagreed_skips_items_compared_too_rarely():
    by_item = {"A1": make(1, exact=0.0, within_one=0.0), "A2": make(4, exact=0.5, within_one=1.0)}
    assert [code for code, _ in most_disagreed(by_item, min_pairs=2)] == ["A2"]
    with pytest.raises(ValueError, match="cannot be negative"):
        most_disagreed(by_item, limit=-1)


def test_most_disagreed_from_real_scores():
    scores = [("A1", 1, 1), ("A1", 2, 2), ("A2", 1, 4), ("A2", 2, 2), ("A3", 2, 3), ("A3", 3, 3)]
    by_item = agreement_by_item(scores, categories_of=dict.fromkeys(["A1", "A2", "A3"], SCALE))
    assert [code for code, _ in most_disagreed(by_item)] == ["A2", "A3"]


score_pairs = st.lists(st.tuples(st.sampled_from(SCALE), st.sampled_from(SCALE)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(score_pairs, st.sampled_from(["linear", "quadratic"]))
def test_kappa_matches_the_independent_calculation(pairs, weights):
    table = [[0] * 4 for _ in SCALE]
    for first, second in pairs:
        table[SCALE.index(first)][SCALE.index(second)] += 1
    kappa = weighted_kappa(pairs, categories=SCALE, weights=weights)
    if not pairs:
        assert kappa is None
        return
    n = len(pairs)
    rows = [sum(row) for row in table]
    columns = [sum(row[j] for row in table) for j in range(4)]
    if max(rows) == n and rows == columns:  # one score throughout: 1 - p_e is 0
        assert kappa == 1.0
        return
    assert kappa == pytest.approx(float(reference_kappa(table, weights)))


@settings(max_examples=200, deadline=None)
@given(score_pairs, st.sampled_from(["linear", "quadratic"]))
def test_kappa_is_at_most_1_and_the_same_whichever_scorer_is_first(pairs, weights):
    kappa = weighted_kappa(pairs, categories=SCALE, weights=weights)
    swapped = weighted_kappa([(b, a) for a, b in pairs], categories=SCALE, weights=weights)
    assert kappa == swapped or kappa == pytest.approx(swapped)
    if kappa is not None:
        assert kappa <= 1.0 + 1e-12


@settings(max_examples=200, deadline=None)
@given(score_pairs)
def test_shares_are_ordered_and_mean_difference_flips_with_the_scorers(pairs):
    result = agreement(pairs, categories=SCALE)
    assert result.pairs == len(pairs)
    if not pairs:
        return
    assert 0.0 <= result.exact <= result.within_one <= 1.0
    swapped = agreement([(b, a) for a, b in pairs], categories=SCALE)
    assert swapped.mean_difference == pytest.approx(-result.mean_difference)
    assert (swapped.exact, swapped.within_one) == (result.exact, result.within_one)
