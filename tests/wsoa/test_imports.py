"""Importing an action table with the seed's headings, and exporting it again."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import COLUMNS, TableImportError, actions_import, read_table
from wsoa.models import Action, ActionPlan

pytestmark = pytest.mark.django_db

HEADER = (
    "Weakness,Improvement area,Actions,Success measure(s),Lead,Governance forum,Timescale,RAG,"
    "Progress update\n"
)
GOOD = (
    '"Significant weakness 1: Inaccurate and incomplete records","Management Oversight",'
    '"Realignment documentation has been completed","New management structure is in place",'
    '"Assistant Director Education and Skills","SEND Development Board","May 2019","Green",'
    '"New management structure in place"\n'
    '1,"Record keeping","Research the introduction of on line EHCP system","Multi-agency events '
    'delivered summer term","Olu Owner","Operational SEND Group","July 2020 July 2021",light green,\n'
)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


def test_a_pasted_table_becomes_weaknesses_actions_due_dates_and_leads(people):
    owner = UserFactory(roles=["action_owner"], full_name="Olu Owner")
    plan = ActionPlanFactory()
    result = actions_import(frame(HEADER + GOOD), plan=plan, by=people.sendops)
    assert (result.weaknesses_added, result.actions_added) == (1, 2)
    first, second = Action.objects.order_by("pk")
    assert first.weakness.text == "Inaccurate and incomplete records"
    assert (first.number, first.status.name, first.lead_title) == (
        "1.1",
        "Green",
        "Assistant Director Education and Skills",
    )
    assert first.updates.get().narrative == "New management structure in place"
    assert [d.due.isoformat() for d in second.due_dates.all()] == ["2020-07-31", "2021-07-31"]
    assert (second.lead, second.status.name) == (owner, "Light green")


def test_each_bad_row_is_named_and_nothing_is_saved(people):
    plan = ActionPlanFactory()
    bad = (
        HEADER
        + "1,,Do it,,,,Soon,Red,\n"
        + ",,Do it,,,,Dec 2019,Red,\n"
        + "2,,Do it,,,,Dec 2019,Purple,\n"
        + "3,,,,,,Dec 2019,,\n"
    )
    with pytest.raises(TableImportError) as error:
        actions_import(frame(bad), plan=plan, by=people.sendops)
    messages = [str(p) for p in error.value.problems]
    assert messages[0].startswith("Row 2, column 'Timescale': ") and "Soon" in messages[0]
    assert messages[1].startswith("Row 3, column 'Weakness': is empty. Write the weakness's")
    assert messages[2] == (
        "Row 4, column 'RAG': 'Purple' is not in this plan's RAG key. Use one of: Red, Amber, "
        "Light green, Green, Completed, Not yet rated."
    )
    assert (
        messages[3] == "Row 5, column 'Actions': is empty. Write the action, or leave the row out."
    )
    assert not Action.objects.exists() and not plan.weaknesses.exists()


def test_the_command_creates_the_plan_with_a_councils_own_key(tmp_path, capsys):
    table = tmp_path / "wsoa.csv"
    table.write_text(HEADER + "1,,Visit every placement,,,,Oct 2019,Progressing and on track,\n")
    key = tmp_path / "key.csv"
    key.write_text(
        "name,definition,colour,done\n"
        "Not started,Nothing has happened yet,red,no\n"
        "Progressing and on track,Work is under way,yellow,no\n"
        "Embedded,The change is embedded,green,yes\n"
    )
    call_command("import_actions", str(table), "--plan", "Priority action plan", "--key", str(key))
    assert "1 weaknesses and 1 actions added" in capsys.readouterr().out
    plan = ActionPlan.objects.get(name="Priority action plan")
    assert [s.name for s in plan.rag_key.statuses.rated()] == [
        "Not started",
        "Progressing and on track",
        "Embedded",
    ]
    assert plan.rag_key.statuses.get(name="Embedded").counts_as_done
    table.write_text(HEADER + "1,,Visit,,,,Oct 2019,Red,\n")
    with pytest.raises(CommandError, match="fix the 1 problem"):
        call_command("import_actions", str(table), "--plan", "Priority action plan")


def test_the_export_has_the_seeds_columns(people, client_for):
    plan = ActionPlanFactory()
    UserFactory(roles=["action_owner"], full_name="Olu Owner")
    actions_import(frame(HEADER + GOOD), plan=plan, by=people.sendops)
    body = client_for(people.board).get(reverse("wsoa:export_csv", kwargs={"plan_uuid": plan.uuid}))
    rows = list(csv.reader(io.StringIO(body.content.decode())))
    assert rows[0][: len(COLUMNS)] == COLUMNS
    first, second = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert (first["Reference"], first["Actions"]) == (
        "1.1",
        "Realignment documentation has been completed",
    )
    assert first["RAG"] == "Green" and second["Lead"] == "Olu Owner"
