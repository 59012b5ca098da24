"""Progress updates have the date they describe (default today, set by an import, never in the
future), and a back-dated snapshot counts the statuses as they stood on its date."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.wsoa.factories import ActionFactory, ActionPlanFactory, status
from wsoa.imports import TableImportError, actions_import, read_table
from wsoa.models import Action
from wsoa.summaries import snapshot_take
from wsoa.timescales import TimescaleError, dated

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31/03/2021", D(2021, 3, 31)),
        ("2021-03-31", D(2021, 3, 31)),
        ("31 March 2021", D(2021, 3, 31)),
        ("May 2020", D(2020, 5, 31)),
        ("May-20", D(2020, 5, 31)),
        ("2021-02", D(2021, 2, 28)),
        ("Dec 2026", TODAY),  # the month we are in: as it stands today
    ],
)
def test_a_date_is_read_as_the_day_it_describes(text, day):
    assert dated(text, today=TODAY) == day


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("March 2-21", "'March' in 'March 2-21' has a month but no year"),
        ("Jan 2027", "'Jan 2027' is in the future"),
        ("2021-13", "'2021-13' has no month 13"),
        ("July 2020 July 2021", "is not one date"),
        ("soon", "'soon' is not a date"),
    ],
)
def test_what_is_not_plainly_one_date_is_named_not_guessed(text, said):
    with pytest.raises(TimescaleError, match=said):
        dated(text, today=TODAY)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


def test_an_import_dates_its_updates_and_a_back_dated_snapshot_counts_them(people):
    plan = ActionPlanFactory()
    table = (
        "Weakness,Reference,Actions,RAG,Progress update,Progress date\n"
        "1,1.1,Audit every record,Amber,Audit started,31/03/2021\n"
        "1,1.2,Train staff,Red,No trainer yet,\n"
    )
    actions_import(frame(table), plan=plan, by=None)
    audit, train = Action.objects.order_by("number")
    assert audit.updates.get().date == D(2021, 3, 31) and audit.created_on <= D(2021, 3, 31)
    assert train.updates.get().date == timezone.localdate()
    snapshot = snapshot_take(plan, on=D(2021, 6, 30), label="Q1 2021/22", by=people.sendops)
    assert [(e.action.number, e.status.name) for e in snapshot.entries.all()] == [("1.1", "Amber")]


def test_a_date_that_cannot_be_a_date_is_refused_by_row_and_column():
    plan = ActionPlanFactory()
    table = "Weakness,Actions,Progress update,Date of update\n1,Audit,Started,March 2-21\n"
    with pytest.raises(TableImportError) as error:
        actions_import(frame(table), plan=plan, by=None)
    assert str(error.value.problems[0]).startswith(
        "Row 2, column 'Progress date': 'March' in 'March 2-21' has a month but no year."
    )
    assert not Action.objects.exists()


def test_a_back_dated_update_leaves_a_later_rag_and_a_future_one_is_refused(people):
    action = ActionFactory(created_on=D(2026, 6, 1))
    action.add_update(
        author=people.sendops, narrative="x", status=status("Green"), date=D(2026, 9, 1)
    )
    action.add_update(
        author=people.sendops, narrative="y", status=status("Amber"), date=D(2026, 3, 1)
    )
    action.refresh_from_db()
    assert action.status.name == "Green" and action.created_on == D(2026, 3, 1)
    with pytest.raises(ValidationError, match="future"):
        action.add_update(
            author=people.sendops,
            narrative="z",
            status=status("Red"),
            date=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_a_snapshot_of_a_day_to_come_is_refused(people, client_for):
    plan = ActionPlanFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("wsoa:snapshot_new", kwargs={"plan_uuid": plan.uuid})
    client_for(people.sendops).post(url, {"taken_on": tomorrow.isoformat(), "label": "Next"})
    assert not plan.snapshots.exists()
