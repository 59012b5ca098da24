"""The WSOA summary's figures, counted by the database per weakness and lead: each action in
its weakness's and its lead's table once, its status at the last snapshot beside its status
now, and no direction of travel to or from "Not yet rated"."""

import datetime

import pytest

from tests.factories import UserFactory
from tests.wsoa.factories import ActionFactory, ActionPlanFactory, WeaknessFactory, status
from wsoa.access import lead_set
from wsoa.models import NOT_RATED_NAME
from wsoa.summaries import plan_summary, snapshot_take

pytestmark = pytest.mark.django_db

D = datetime.date
BEFORE, SNAPSHOT, AFTER = D(2026, 2, 1), D(2026, 3, 31), D(2026, 5, 1)


def figures(summary):
    """(total, done, improved, declined, unchanged, new) and, per status with any action,
    (initial, at the snapshot, now)."""
    rows = {
        row.status.name: (row.initial, row.previous, row.current)
        for row in summary.rows
        if row.initial or row.previous or row.current
    }
    counts = (summary.total, summary.done, summary.improved, summary.declined)
    return (*counts, summary.unchanged, summary.new), rows


def test_each_table_counts_its_own_actions_from_the_snapshot_to_now(people):
    plan = ActionPlanFactory()
    one, two = WeaknessFactory(plan=plan, number=1), WeaknessFactory(plan=plan, number=2)
    not_rated = plan.rag_key.not_rated_status()
    # Green and Completed count as done. Two people of the same name are one lead in the summary, as the tracker shows them.
    pat, other_pat = UserFactory(full_name="Pat Lead"), UserFactory(full_name="Pat Lead")
    created = D(2026, 1, 1)

    def action(weakness, initial, *, lead=None, on=created, **fields):
        made = ActionFactory(
            weakness=weakness, initial_status=status(initial), created_on=on, **fields
        )
        lead_set(made, lead)
        return made

    def update(made, name, day):
        made.add_update(author=people.sendops, narrative="x", status=status(name), date=day)

    better = action(one, "Red", lead=pat, senior_responsible_officer="Director A")
    update(better, "Amber", BEFORE)
    worse = action(one, "Amber", lead=other_pat, senior_responsible_officer="Director B")
    ActionFactory(  # never rated, then or now
        weakness=one, initial_status=not_rated, created_on=created, lead_title="Head of SEND"
    )
    finished = action(two, "Red")
    action(two, "Light green")  # steady: the same then and now
    to_unrated = action(two, "Red", lead_title="Head of SEND")
    snapshot_take(plan, on=SNAPSHOT, label="Q4", by=people.sendops)
    added = action(two, "Amber", lead=pat, on=AFTER)
    update(better, "Green", AFTER)
    update(worse, "Red", AFTER)
    update(finished, "Completed", AFTER)
    to_unrated.add_update(author=people.sendops, narrative="x", status=not_rated, date=AFTER)

    summary = plan_summary(plan)

    assert figures(summary.overall) == (
        (7, 2, 2, 1, 2, 1),
        {
            "Red": (3, 2, 1),
            "Amber": (2, 2, 1),
            "Green": (0, 0, 1),
            "Light green": (1, 1, 1),
            "Completed": (0, 0, 1),
            NOT_RATED_NAME: (1, 1, 2),
        },
    )
    assert [figures(part) for part in summary.by_weakness] == [
        (
            (3, 1, 1, 1, 1, 0),
            {"Red": (1, 0, 1), "Amber": (1, 2, 0), "Green": (0, 0, 1)}
            | {NOT_RATED_NAME: (1, 1, 1)},
        ),
        (
            (4, 1, 1, 0, 1, 1),
            {"Red": (2, 2, 0), "Amber": (1, 0, 1), "Light green": (1, 1, 1), "Completed": (0, 0, 1)}
            | {NOT_RATED_NAME: (0, 0, 1)},
        ),
    ]
    assert [(part.title, figures(part)[0]) for part in summary.by_lead] == [
        ("Head of SEND", (2, 0, 0, 0, 1, 0)),
        ("No lead", (2, 1, 1, 0, 1, 0)),
        ("Pat Lead (senior responsible officer: Director A, Director B)", (3, 1, 1, 1, 0, 1)),
    ]
    assert [part.direction for part in summary.by_weakness] == ["Mixed", "Improving"]
    assert (summary.overall.previous_total, added.status.name) == (6, "Amber")


def test_without_a_snapshot_there_is_no_previous_count_nor_direction(people):
    plan = ActionPlanFactory()
    weakness = WeaknessFactory(plan=plan)
    ActionFactory(weakness=weakness, initial_status=status("Red"))
    ActionFactory(weakness=weakness, initial_status=status("Completed"))

    summary = plan_summary(plan)

    assert figures(summary.overall) == (
        (2, 1, 0, 0, 0, 0),
        {"Red": (1, None, 1), "Completed": (1, None, 1)},
    )
    assert summary.overall.previous_total is None and summary.overall.direction == "No change"
