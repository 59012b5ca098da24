"""The senior responsible officer beside the lead: imported, on the action and plan pages,
in the export and in the summary by lead."""

import csv
import io

import pytest
from django.urls import reverse

from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import actions_import, read_table
from wsoa.models import Action
from wsoa.summaries import plan_summary

pytestmark = pytest.mark.django_db

TABLE = (
    "Weakness,Actions,Lead,SRO\n"
    "1,Audit every record,Head of SEND,Director of Children's Services\n"
    "1,Train staff,Head of SEND,Director of Education\n"
    "2,Publish the offer,Commissioning lead,\n"
)


def test_the_senior_responsible_officer_is_kept_shown_exported_and_summarised(people, client_for):
    plan = ActionPlanFactory()
    actions_import(read_table(io.BytesIO(TABLE.encode()), "a.csv"), plan=plan, by=None)
    audit = Action.objects.get(text="Audit every record")
    assert audit.senior_responsible_officer == "Director of Children's Services"
    client = client_for(people.board)
    page = client.get(reverse("wsoa:action_detail", kwargs={"action_uuid": audit.uuid}))
    assert "Senior responsible officer</dt>" in page.content.decode()
    tracker = client.get(reverse("wsoa:plan_detail", kwargs={"plan_uuid": plan.uuid}))
    assert "Senior responsible officer: Director of Education" in tracker.content.decode()
    body = client.get(reverse("wsoa:export_csv", kwargs={"plan_uuid": plan.uuid}))
    exported = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert [r["Senior responsible officer"] for r in exported] == [
        "Director of Children's Services",
        "Director of Education",
        "",
    ]
    assert [s.title for s in plan_summary(plan).by_lead] == [
        "Commissioning lead",
        "Head of SEND (senior responsible officer: Director of Children's Services, "
        "Director of Education)",
    ]
