"""Council references kept as the action's reference, and re-importing a table updates the
actions it matches (by reference, else by weakness and words) instead of adding copies."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import ActionsImported, TableImportError, actions_import, read_table
from wsoa.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db

LETTERED = (
    "Weakness,Reference,Actions,RAG,Progress update\n"
    "Significant weakness 1: Records,1.1,Audit every record,Amber,Audit started\n"
    "Significant weakness 2: Joint working,2.1(A),Agree a joint panel,,\n"
    "Significant weakness 5: Transitions,5.1.3,Publish the pathway,Red,\n"
)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


def test_references_are_kept_as_written_and_exported(people, client_for):
    plan = ActionPlanFactory()
    actions_import(frame(LETTERED), plan=plan, by=None)
    assert sorted(Action.objects.values_list("number", flat=True)) == ["1.1", "2.1(A)", "5.1.3"]
    body = client_for(people.board).get(reverse("wsoa:export_csv", kwargs={"plan_uuid": plan.uuid}))
    exported = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert [(r["Reference"], r["Actions"]) for r in exported] == [
        ("1.1", "Audit every record"),
        ("2.1(A)", "Agree a joint panel"),
        ("5.1.3", "Publish the pathway"),
    ]
    page = client_for(people.board).get(
        reverse("wsoa:plan_detail", kwargs={"plan_uuid": plan.uuid})
    )
    assert "2.1(A)." in page.content.decode()


def test_a_reference_at_the_start_of_the_action_is_read_as_its_reference():
    plan = ActionPlanFactory()
    actions_import(
        frame("Weakness,Actions\n1,1.2. Audit every record\n2,2.1(B) Agree a panel\n"),
        plan=plan,
        by=None,
    )
    assert sorted(Action.objects.values_list("number", "text")) == [
        ("1.2", "Audit every record"),
        ("2.1(B)", "Agree a panel"),
    ]


def test_importing_the_same_table_again_changes_nothing_and_adds_no_copies():
    plan = ActionPlanFactory()
    actions_import(frame(LETTERED), plan=plan, by=None)
    updates = ProgressUpdate.objects.count()
    again = actions_import(frame(LETTERED), plan=plan, by=None)
    assert (again.actions_added, again.actions_changed, again.actions_unchanged) == (0, 0, 3)
    assert (Action.objects.count(), ProgressUpdate.objects.count()) == (3, updates)


def test_a_changed_table_updates_the_actions_it_matches_and_the_preview_says_so():
    plan = ActionPlanFactory()
    actions_import(frame(LETTERED), plan=plan, by=None)
    changed = (
        "Weakness,Reference,Actions,RAG,Progress update\n"
        "Significant weakness 1: Records,1.1,Audit every record,Light green,Audit half done\n"
        "Significant weakness 2: Joint working,2.1(A),Agree and run a joint panel,,\n"
        "Significant weakness 5: Transitions,5.1.3,Publish the pathway,Red,\n"
        "Significant weakness 5: Transitions,5.2,Train the teams,,\n"
    )
    preview = actions_import(frame(changed), plan=plan, by=None, preview=True)
    assert (preview.actions_added, preview.actions_changed, preview.actions_unchanged) == (1, 2, 1)
    assert str(preview) == "1 new action, 2 changed and 1 unchanged; 0 new weaknesses."
    assert Action.objects.count() == 3  # the preview saved nothing
    assert Action.objects.get(number="1.1").status.name == "Amber"
    actions_import(frame(changed), plan=plan, by=None)
    assert Action.objects.count() == 4
    audit = Action.objects.get(number="1.1")
    assert (audit.initial_status.name, audit.status.name) == ("Amber", "Light green")
    assert audit.updates.order_by("pk").last().narrative == "Audit half done"
    assert Action.objects.get(number="2.1(A)").text == "Agree and run a joint panel"


def test_without_references_actions_are_matched_by_weakness_and_words():
    plan = ActionPlanFactory()
    table = "Weakness,Actions,Lead\nRecords,Audit every record,Head of SEND\nRecords,Train staff,\n"
    actions_import(frame(table), plan=plan, by=None)
    again = actions_import(
        frame(table.replace("Head of SEND", "Assistant Director")), plan=plan, by=None
    )
    assert (again.actions_added, again.actions_changed, again.actions_unchanged) == (0, 1, 1)
    assert list(Action.objects.order_by("number").values_list("number", "lead_title")) == [
        ("1.1", "Assistant Director"),
        ("1.2", ""),
    ]


def test_a_reference_given_twice_is_refused_with_both_rows():
    plan = ActionPlanFactory()
    table = "Weakness,Reference,Actions\n1,1.1,Audit\n1,1.1,Train\n"
    with pytest.raises(TableImportError) as error:
        actions_import(frame(table), plan=plan, by=None)
    assert [str(p) for p in error.value.problems] == [
        "Row 3, column 'Reference': is the same action as row 2. Give each action its own "
        "reference, or leave the repeated row out."
    ]
    assert not Action.objects.exists()


def test_the_upload_page_previews_then_imports(people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory()
    url = reverse("wsoa:actions_upload", kwargs={"plan_uuid": plan.uuid})
    client = client_for(people.sendops)
    table = LETTERED + "Transitions,,Train the teams,,\n"
    upload = SimpleUploadedFile("wsoa.csv", table.encode())
    page = client.post(url, {"file": upload}).content.decode()
    assert "4 new actions, 0 changed and 0 unchanged; 4 new weaknesses." in page
    assert "the weakness &#x27;Transitions&#x27; has no number; it is numbered 3" in page
    assert not Action.objects.exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Action.objects.count() == 4
    assert not any(tmp_path.rglob("*.*"))  # the kept file is gone once imported
    expired = client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "The table to import has expired" in expired and Action.objects.count() == 4


def test_the_preview_counts_read_as_english():
    assert str(ActionsImported(weaknesses_added=1, actions_added=1)) == (
        "1 new action, 0 changed and 0 unchanged; 1 new weakness."
    )
