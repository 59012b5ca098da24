"""Small-number suppression: no count from 1 to threshold - 1 is shown, and none withheld can be
worked out as a total minus the counts shown beside it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from send_qa.core.suppression import (
    WITHHELD,
    Describes,
    counts_table,
    figure_withheld,
    is_small,
    percentage_shown,
    safe_percentage,
    shown_count,
    suppress_table,
    threshold,
)


def suppress_row(counts, *, total_shown=True, below=None):
    """Which counts of one row to withhold (a list of booleans), and whether its total is."""
    result = suppress_table(
        [list(counts)], row_totals=total_shown, column_totals=False, below=below
    )
    return [result.cell(0, c) for c in range(len(counts))], result.row_total(0)


def test_a_row_with_one_small_count_withholds_the_next_smallest_too():
    cells, total = suppress_row([3, 10, 7, 0], below=5)
    assert cells == [True, False, True, False] and not total


def test_nothing_is_withheld_without_small_counts():
    cells, total = suppress_row([0, 10, 7], below=5)
    assert cells == [False, False, False] and not total


def test_a_lone_small_count_withholds_its_total():
    cells, total = suppress_row([3, 0, 0], below=5)
    assert cells == [True, False, False] and total


def test_without_a_total_only_small_counts_are_withheld():
    cells, total = suppress_row([3, 10, 7], total_shown=False, below=5)
    assert cells == [True, False, False] and not total


def test_zero_is_shown_and_the_threshold_is_a_setting(settings):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert is_small(9) and not is_small(10) and not is_small(0)
    cells, _ = suppress_row([9, 20, 30])
    assert cells == [True, True, False]


def test_a_table_withholds_across_rows_and_columns():
    #            A   B   C  | total
    table = [[2, 10, 12], [8, 9, 15], [7, 6, 20]]
    result = suppress_table(table, below=5)
    assert result.cell(0, 0)  # the 2
    assert result.cell(0, 1)  # the next smallest in its row
    assert result.cell(2, 0)  # the next smallest in column A (7 < 8)
    assert result.cell(2, 1)  # column B and row 3 each need a second one
    assert not result.row_total(0) and not result.grand_total
    assert shown_count(2, result.cell(0, 0)) == WITHHELD
    assert shown_count(9, result.cell(1, 1)) == 9


def test_withheld_cells_that_add_up_to_a_small_number_withhold_another():
    # 2 and 1 are both withheld, but 200 - 197 = 3 would say that three are there.
    cells, total = suppress_row([2, 1, 197, 0], below=5)
    assert cells == [True, True, True, False] and not total


def test_withheld_cells_that_add_up_to_enough_stand():
    cells, total = suppress_row([3, 4, 197], below=5)
    assert cells == [True, True, False] and not total


def test_a_percentage_is_shown_only_when_part_whole_and_rest_are_not_small():
    assert percentage_shown(150, 200, below=5)
    assert not percentage_shown(198, 200, below=5)  # 2 are not
    assert not percentage_shown(3, 200, below=5)
    assert not percentage_shown(4, 4, below=5)
    assert percentage_shown(0, 10, below=5) and percentage_shown(10, 10, below=5)
    assert not percentage_shown(0, 0, below=5)
    assert safe_percentage(150, 200, below=5) == 75.0
    assert safe_percentage(198, 200, below=5) is None


@examples(max_examples=100, deadline=None)
@given(whole=st.integers(0, 300), share=st.floats(0, 1), below=st.integers(2, 10))
def test_a_shown_percentage_never_gives_back_a_small_count(whole, share, below):
    part = round(whole * share)
    if percentage_shown(part, whole, below=below):
        assert not any(0 < n < below for n in (part, whole, whole - part))


def test_rows_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


def lines_of(result, rows, columns, row_totals=True, column_totals=True):
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(columns + 1)] for r in range(rows)]
    if column_totals:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(columns)]
    if row_totals and column_totals:
        lines += [[(r, columns) for r in range(rows + 1)], [(rows, c) for c in range(columns + 1)]]
    return lines


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)


@examples(max_examples=100, deadline=None)
@given(
    table=tables, below=st.integers(2, 10), row_totals=st.booleans(), column_totals=st.booleans()
)
def test_no_small_count_is_shown_and_none_withheld_can_be_worked_out(
    table, below, row_totals, column_totals
):
    result = suppress_table(table, row_totals=row_totals, column_totals=column_totals, below=below)
    rows, columns = len(table), len(table[0])
    value = {(r, c): table[r][c] for r in range(rows) for c in range(columns)}
    value |= {(r, columns): sum(table[r]) for r in range(rows)}
    value |= {(rows, c): sum(row[c] for row in table) for c in range(columns)}
    value[(rows, columns)] = sum(map(sum, table))
    shown = {(r, c) for r in range(rows) for c in range(columns)}
    if row_totals:
        shown |= {(r, columns) for r in range(rows)}
    if column_totals:
        shown |= {(rows, c) for c in range(columns)}
    if row_totals and column_totals:
        shown.add((rows, columns))
    for entry in shown - result.withheld:
        assert not 0 < value[entry] < below, f"{entry} = {value[entry]} is shown"
    assert result.withheld <= shown
    for line in lines_of(result, rows, columns, row_totals, column_totals):
        hidden = [entry for entry in line if entry in result.withheld]
        assert len(hidden) != 1, f"{hidden[0]} = total minus the rest of {line}"
        *cells, total = line
        if total not in result.withheld:
            hidden_sum = sum(value[entry] for entry in hidden if entry != total)
            assert not 0 < hidden_sum < below, f"withheld cells of {line} add up to {hidden_sum}"
    if not any(0 < value[entry] < below for entry in shown):
        assert not result.withheld


def test_a_judgement_of_the_service_is_shown_whenever_its_base_is_not_small():
    quality = Describes.SERVICE_QUALITY
    assert percentage_shown(21, 25, describes=quality, below=5)  # 4 fell short: still shown
    assert percentage_shown(198, 200, describes=quality, below=5)
    assert percentage_shown(0, 5, describes=quality, below=5)
    assert not percentage_shown(3, 4, describes=quality, below=5)
    assert not percentage_shown(0, 0, describes=quality, below=5)
    assert safe_percentage(21, 25, describes=quality, below=5) == Decimal("84.0")
    assert not percentage_shown(21, 25, below=5)  # about children, the rest (4) is protected


def test_a_figure_without_its_counts_is_not_checked():
    assert not figure_withheld(None, None)
    assert figure_withheld(None, 3)
    assert not figure_withheld(None, None, describes=Describes.SERVICE_QUALITY)


@examples(max_examples=200, deadline=None)
@given(whole=st.integers(0, 300), share=st.floats(0, 1), below=st.integers(2, 10))
def test_a_shown_judgement_of_the_service_never_rests_on_a_small_base(whole, share, below):
    part = round(whole * share)
    if percentage_shown(part, whole, describes=Describes.SERVICE_QUALITY, below=below):
        assert whole >= below


@examples(max_examples=200, deadline=None)
@given(
    counts=st.lists(
        st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=4
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_a_table_of_judgements_is_shown_whole_or_withheld_whole(counts):
    table = counts_table(
        [(f"row {n}", row) for n, row in enumerate(counts)], describes=Describes.SERVICE_QUALITY
    )
    entries = [c for row in table.rows for c in [*row.counts, row.total]]
    entries += [*table.totals, table.grand_total]
    base = sum(map(sum, counts))
    if 0 < base < threshold():
        assert set(entries) == {WITHHELD}
    else:
        assert WITHHELD not in entries
