"""RAG history: columns headed with a status and a date are the status on that date, oldest
first, each a dated progress update; the export writes the same columns back, so a round trip
export -> import -> export is unchanged."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import HistoryColumn, TableImportError, actions_import, history_column, read_table
from wsoa.models import Action
from wsoa.summaries import plan_summary, snapshot_take
from wsoa.timescales import TimescaleError

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 1)


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("RAG May 2020", HistoryColumn("rag", D(2020, 5, 31))),
        ("May-20 RAG", HistoryColumn("rag", D(2020, 5, 31))),
        ("Status 2021-02", HistoryColumn("rag", D(2021, 2, 28))),
        ("RAG at 31/03/2021", HistoryColumn("rag", D(2021, 3, 31))),
        ("RAG status - Q4 2020/21", HistoryColumn("rag", D(2021, 3, 31))),
        ("Progress May 2020", HistoryColumn("progress", D(2020, 5, 31))),
        ("Progress update May-20", HistoryColumn("progress", D(2020, 5, 31))),
        ("Commentary at 31/03/2021", HistoryColumn("progress", D(2021, 3, 31))),
        ("RAG", None),
        ("Progress update", None),
        ("Progress date", None),
        ("Update frequency", None),
        ("Lead", None),
    ],
)
def test_a_dated_heading_is_read_as_the_status_or_progress_on_that_day(heading, column):
    assert history_column(heading, today=TODAY) == column


def test_a_dated_heading_whose_date_cannot_be_read_is_refused():
    with pytest.raises(TimescaleError, match="March 2-21"):
        history_column("RAG March 2-21", today=TODAY)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


# A council's monitoring table: dated RAG columns (not in date order), a progress column for
# one meeting, lettered references, an unnumbered weakness, an action not rated yet, an SRO.
COUNCIL = (
    "Weakness,Ref,Actions,Lead,SRO,Status 2021-02,RAG May 2020,Progress May 2020,"
    "RAG at 31/03/2021\n"
    "Area for Improvement 1 - Records: inaccurate,1.1(A),Audit every record,Head of SEND,"
    "Director of Children's Services,Amber,Red,Audit not started,Green\n"
    "Area for Improvement 1 - Records: inaccurate,1.1(B),Train staff,Head of SEND,,Amber,,,\n"
    "Joint commissioning,,Agree a joint panel,Commissioning lead,,,,,\n"
)


def test_dated_rag_columns_become_the_history_the_summary_counts_from_day_one(people):
    plan = ActionPlanFactory()
    actions_import(frame(COUNCIL), plan=plan, by=None)
    audit = Action.objects.get(number="1.1(A)")
    history = [(u.date, u.status.name, u.narrative) for u in audit.updates.order_by("date")]
    assert history == [
        (D(2020, 5, 31), "Red", "Audit not started"),
        (D(2021, 2, 28), "Amber", "RAG as the imported table gives it."),
        (D(2021, 3, 31), "Green", "RAG as the imported table gives it."),
    ]
    assert (audit.initial_status.name, audit.status.name) == ("Red", "Green")
    assert audit.created_on == D(2020, 5, 31)
    train = Action.objects.get(number="1.1(B)")
    assert (train.initial_status.name, train.status.name, train.created_on) == (
        "Amber",
        "Amber",
        D(2021, 2, 28),
    )
    panel = Action.objects.get(text="Agree a joint panel")
    assert (panel.number, panel.status.name) == ("2.1", "Not yet rated")
    snapshot_take(plan, on=D(2021, 2, 28), label="Q3 2020/21", by=people.sendops)
    summary = plan_summary(plan).overall
    counts = {r.status.name: (r.initial, r.previous, r.current) for r in summary.rows}
    assert counts["Red"] == (1, 0, 0)
    assert counts["Amber"] == (1, 2, 1)
    assert counts["Green"] == (0, 0, 1)
    assert counts["Not yet rated"] == (1, 0, 1)
    assert (summary.improved, summary.declined, summary.unchanged, summary.new) == (1, 0, 1, 1)
    assert summary.direction == "Improving"


def test_a_status_not_in_the_key_in_a_dated_column_is_named_by_row_and_column():
    plan = ActionPlanFactory()
    table = "Weakness,Actions,RAG May 2020,RAG June 2020\n1,Audit,Red,Purple\n"
    with pytest.raises(TableImportError) as error:
        actions_import(frame(table), plan=plan, by=None)
    assert str(error.value.problems[0]).startswith(
        "Row 2, column 'RAG June 2020': 'Purple' is not in this plan's RAG key."
    )
    assert not Action.objects.exists()


def test_dated_columns_that_cannot_be_read_are_named_and_nothing_is_saved():
    plan = ActionPlanFactory()
    table = "Weakness,Actions,RAG March 2-21,Progress June 2020,RAG Jan 2099\n1,Audit,Red,x,Red\n"
    with pytest.raises(TableImportError) as error:
        actions_import(frame(table), plan=plan, by=None)
    messages = [str(p) for p in error.value.problems]
    assert messages[0].startswith("column 'RAG March 2-21': 'March' in 'March 2-21' has a month")
    assert messages[1].startswith("column 'RAG Jan 2099': 'Jan 2099' is in the future.")
    assert messages[2] == (
        "column 'Progress June 2020': has no RAG column of the same date. Add one headed "
        "'RAG June 2020', or leave this column out."
    )
    assert not Action.objects.exists()


def export(client, plan) -> str:
    url = reverse("wsoa:export_csv", kwargs={"plan_uuid": plan.uuid})
    return client.get(url).content.decode()


def test_a_round_trip_export_import_export_is_unchanged(people, client_for):
    client = client_for(people.sendops)
    plan = ActionPlanFactory()
    actions_import(frame(COUNCIL), plan=plan, by=None)
    audit = Action.objects.get(number="1.1(A)")
    audit.add_update(
        author=people.sendops,
        narrative="Every record audited",
        status=audit.status,
        date=D(2021, 6, 15),
    )
    first = export(client, plan)
    header = next(csv.reader(io.StringIO(first)))
    assert header[-6:] == [
        "RAG May 2020",
        "Progress May 2020",
        "RAG February 2021",
        "RAG March 2021",
        "RAG 15/06/2021",
        "Progress 15/06/2021",
    ]
    copy = ActionPlanFactory()
    actions_import(frame(first), plan=copy, by=None)
    assert export(client, copy) == first
    again = actions_import(frame(first), plan=plan, by=None)
    assert (again.actions_added, again.actions_changed, again.actions_unchanged) == (0, 0, 3)
    assert export(client, plan) == first


def test_the_xlsx_export_is_laid_out_for_people_and_imports_back_unchanged(people, client_for):
    client = client_for(people.sendops)
    plan = ActionPlanFactory(name="Local area plan")
    actions_import(frame(COUNCIL), plan=plan, by=None)
    response = client.get(reverse("wsoa:export_xlsx", kwargs={"plan_uuid": plan.uuid}))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Actions", "About this export"]
    actions, about = workbook["Actions"], workbook["About this export"]
    assert actions.freeze_panes == "A2" and actions["A1"].font.bold
    assert [cell.value for cell in actions[1]][:2] == ["Weakness", "Reference"]
    assert 10 <= actions.column_dimensions["A"].width <= 62
    lines = [row[0] for row in about.iter_rows(values_only=True)]
    assert lines[0] == "Action plan: Local area plan" and lines[1].startswith("Exported ")
    copy = ActionPlanFactory()
    actions_import(read_table(io.BytesIO(response.content), "plan.xlsx"), plan=copy, by=None)
    assert export(client, copy) == export(client, plan)
