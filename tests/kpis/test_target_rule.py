"""The one rule for which target applies on a day (kpis.models.target_in_force)."""

import datetime

from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kpis.models import Target, target_in_force

day = datetime.date


def target(start, end, value=0):
    return Target(period_start=start, period_end=end, value=value)


def test_the_narrowest_period_holding_the_day_wins():
    year = target(day(2026, 9, 1), day(2027, 8, 31), 70)
    term = target(day(2026, 9, 1), day(2026, 12, 31), 60)
    assert target_in_force([year, term], on=day(2026, 10, 1)) is term
    assert target_in_force([year, term], on=day(2027, 1, 5)) is year


def test_of_two_as_narrow_the_later_start_wins():
    earlier = target(day(2026, 8, 1), day(2026, 12, 31))
    later = target(day(2026, 9, 1), day(2027, 1, 31))
    assert (earlier.period_end - earlier.period_start) == (later.period_end - later.period_start)
    assert target_in_force([earlier, later], on=day(2026, 12, 31)) is later
    assert target_in_force([later, earlier], on=day(2026, 12, 31)) is later


def test_no_target_holds_a_day_outside_every_period():
    assert target_in_force([target(day(2026, 9, 1), day(2026, 12, 31))], on=day(2027, 1, 1)) is None
    assert target_in_force([], on=day(2027, 1, 1)) is None


periods = st.tuples(st.dates(day(2024, 1, 1), day(2028, 12, 31)), st.integers(0, 800)).map(
    lambda p: (p[0], p[0] + datetime.timedelta(days=p[1]))
)


@examples(max_examples=200)
@given(
    spans=st.lists(periods, max_size=8, unique=True),
    on=st.dates(day(2024, 1, 1), day(2030, 12, 31)),
    data=st.data(),
)
def test_the_choice_is_the_same_in_any_order_and_holds_the_day(spans, on, data):
    targets = [target(start, end) for start, end in spans]
    chosen = target_in_force(targets, on=on)
    shuffled = data.draw(st.permutations(targets))
    assert target_in_force(shuffled, on=on) is chosen
    holding = [t for t in targets if t.covers(on)]
    if not holding:
        assert chosen is None
        return
    assert chosen.covers(on)
    width = chosen.period_end - chosen.period_start
    for other in holding:
        other_width = other.period_end - other.period_start
        assert width < other_width or (
            width == other_width and chosen.period_start >= other.period_start
        )
