"""The mapping step: the file's headings beside the portal's fields, guessed, confirmed or
changed, and kept by the plan for its next table; `import_actions --mapping FILE` too."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import DATED, TableImportError, actions_import, mapping_guess, read_table
from wsoa.models import Action, ActionPlan

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Area for Improvement", "weakness"),
        ("Significant weakness", "weakness"),
        ("Ref", "reference"),
        ("Theme", "improvement_area"),
        ("What we will do", "actions"),
        ("Success criteria", "success_measure(s)"),
        ("Lead officer", "lead"),
        ("SRO", "senior_responsible_officer"),
        ("Reporting to", "governance_forum"),
        ("Start date", "start"),
        ("By when", "timescale"),
        ("RAG rating", "rag"),
        ("Commentary", "progress_update"),
        ("Date of update", "progress_date"),
        ("RAG May 2020", DATED),
        ("Notes", ""),
    ],
)
def test_a_councils_heading_is_guessed(heading, field):
    assert mapping_guess([heading], saved={}, today=TODAY) == {heading: field}


def test_a_field_is_guessed_once_and_the_plans_saved_choice_wins():
    headings = ["Action lead", "Lead officer", "Notes"]
    assert mapping_guess(headings, saved={}, today=TODAY) == {
        "Action lead": "lead",
        "Lead officer": "",
        "Notes": "",
    }
    saved = {"Lead officer": "lead", "Action lead": "", "Notes": "Progress update"}
    assert mapping_guess(headings, saved=saved, today=TODAY) == {
        "Action lead": "",
        "Lead officer": "lead",
        "Notes": "progress_update",
    }


COUNCIL = (
    "Area for Improvement,Ref,What we will do,Lead officer,SRO,Start date,By when,RAG rating,"
    "Notes\n"
    '"Area for Improvement 1 - Records: inaccurate",1.1,Audit every record,Head of SEND,'
    "Director,Sept 2026,Dec 2026,Amber,Started in November\n"
)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


def test_a_table_with_its_own_headings_is_read_through_its_mapping():
    plan = ActionPlanFactory()
    with pytest.raises(TableImportError, match="is not a column of the action table"):
        actions_import(frame(COUNCIL), plan=plan, by=None)
    guessed = mapping_guess(list(frame(COUNCIL).attrs["headings"].values()), saved={}, today=TODAY)
    actions_import(
        frame(COUNCIL), plan=plan, by=None, mapping={**guessed, "Notes": "Progress update"}
    )
    action = Action.objects.get()
    assert (action.number, action.lead_title, action.senior_responsible_officer, action.start) == (
        "1.1",
        "Head of SEND",
        "Director",
        "Sept 2026",
    )
    assert (action.status.name, action.updates.get().narrative) == ("Amber", "Started in November")
    plan.refresh_from_db()
    assert plan.table_mapping["Notes"] == "Progress update"


def test_a_mapping_naming_no_field_or_one_field_twice_is_refused():
    plan = ActionPlanFactory()
    mapping = {"What we will do": "Actions", "Notes": "Actions", "By when": "Deadline"}
    with pytest.raises(TableImportError) as error:
        actions_import(frame(COUNCIL), plan=plan, by=None, mapping=mapping)
    messages = [str(p) for p in error.value.problems]
    assert messages[0].startswith("column 'By when': is mapped to 'Deadline', which is not a field")
    assert messages[1] == (
        "column 'Notes': and 'What we will do' are both Actions. Map one of them to Actions."
    )
    assert not Action.objects.exists()


def test_the_upload_page_shows_the_mapping_and_the_plan_keeps_it(
    people, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory()
    url = reverse("wsoa:actions_upload", kwargs={"plan_uuid": plan.uuid})
    client = client_for(people.sendops)
    page = client.post(url, {"file": SimpleUploadedFile("plan.csv", COUNCIL.encode())})
    text = page.content.decode()
    assert '<option value="weakness" selected>Weakness</option>' in text
    assert "1 new action, 0 changed and 0 unchanged" in text
    notes = next(i for i, h in enumerate(COUNCIL.split("\n")[0].split(",")) if h == "Notes")
    checked = client.post(url, {"check": "1", f"map-{notes}": "progress_update"})
    assert f'<select class="govuk-select" id="map-{notes}"' in checked.content.decode()
    assert not Action.objects.exists()
    done = client.post(url, {"confirm": "1", f"map-{notes}": "progress_update"})
    assert done.status_code == 302
    assert Action.objects.get().updates.get().narrative == "Started in November"
    plan.refresh_from_db()
    assert plan.table_mapping["Notes"] == "progress_update"
    again = client.post(url, {"file": SimpleUploadedFile("plan.csv", COUNCIL.encode())})
    assert '<option value="progress_update" selected>Progress update</option>' in (
        again.content.decode()
    )
    assert "0 new actions, 0 changed and 1 unchanged" in again.content.decode()


def test_the_command_reads_a_mapping_file(tmp_path, capsys):
    table = tmp_path / "plan.csv"
    table.write_text(COUNCIL)
    with pytest.raises(CommandError, match="fix the 1 problem"):
        call_command("import_actions", str(table), "--plan", "WSOA 2026")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Notes": "Progress update"}))
    call_command("import_actions", str(table), "--plan", "WSOA 2026", "--mapping", str(mapping))
    assert "1 weaknesses and 1 actions added" in capsys.readouterr().out
    assert ActionPlan.objects.get(name="WSOA 2026").table_mapping["Notes"] == "Progress update"
    mapping.write_text("[1, 2]")
    with pytest.raises(CommandError, match="must be one JSON object"):
        call_command("import_actions", str(table), "--plan", "WSOA 2026", "--mapping", str(mapping))
