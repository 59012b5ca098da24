"""The action plan pages' forms given random and malicious values: a page with the errors, or
valid stored records; never a server error."""

import io

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import (
    assert_one_saved_or_none,
    assert_stored_valid,
    checked,
    mostly,
    nasty_text,
)
from tests.wsoa.factories import ActionFactory, ActionPlanFactory, WeaknessFactory, status
from wsoa.models import Action, ActionPlan, Evidence, ProgressUpdate, Snapshot, Weakness

pytestmark = pytest.mark.django_db

CHECKED = checked(50)


@CHECKED
@example(taken_on="2026-06-30", label="x" * 101)
@given(taken_on=mostly(["2026-06-30", "0000-01-01", "9999-12-31"]), label=nasty_text())
def test_the_snapshot_form_saves_a_valid_snapshot_or_shows_errors(
    people, client_for, taken_on, label
):
    plan = ActionPlanFactory()
    url = reverse("wsoa:snapshot_new", kwargs={"plan_uuid": plan.uuid})
    response = client_for(people.sendops).post(url, {"taken_on": taken_on, "label": label})
    assert response.status_code in (200, 302)
    assert_stored_valid(Snapshot)


@CHECKED
@given(date=mostly(["2026-06-30", "31/02/2026"]), narrative=nasty_text(), rag=st.booleans())
def test_the_progress_form_saves_a_valid_update_or_shows_errors(
    people, client_for, date, narrative, rag
):
    action = ActionFactory(led_by=people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    chosen = status("Amber").pk if rag else "x<script>"
    response = client_for(people.action_owner).post(
        url, {"date": date, "narrative": narrative, "status": chosen}
    )
    assert response.status_code in (200, 302)
    assert_stored_valid(ProgressUpdate)


@CHECKED
@given(
    # Any name a browser could send: at most 255 bytes (what file systems allow), with line
    # breaks and quotes percent-encoded as the HTML standard's multipart/form-data encoding
    # does. A longer or raw one breaks the request apart: see the test after this one.
    name=st.one_of(st.sampled_from(["a.pdf", "a.png", "a.docx", "a.txt"]), nasty_text())
    .map(lambda n: n.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22"))
    .filter(lambda n: len(n.encode()) <= 255),
    data=st.binary(max_size=200),
    description=mostly(["Minutes"]),
)
def test_the_evidence_form_saves_a_checked_file_or_shows_errors(
    people, client_for, settings, tmp_path, name, data, description
):
    settings.MEDIA_ROOT = tmp_path
    action = ActionFactory(led_by=people.action_owner)
    url = reverse("wsoa:evidence_add", kwargs={"action_uuid": action.uuid})
    upload = io.BytesIO(data)  # any name a browser could send, "/" and "" included
    upload.name = name
    response = client_for(people.action_owner).post(
        url, {"description": description, "file": upload}
    )
    assert response.status_code in (200, 302)
    assert_stored_valid(Evidence)


def test_a_file_name_too_long_for_the_request_is_refused_with_400(
    people, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    action = ActionFactory(led_by=people.action_owner)
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "x" * 2_000 + ".pdf"  # its part's headers pass Django's 1,024-byte limit
    response = client_for(people.action_owner).post(
        reverse("wsoa:evidence_add", kwargs={"action_uuid": action.uuid}),
        {"description": "Minutes", "file": upload},
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()


@CHECKED
@given(
    name=nasty_text(max_size=300),
    kind=mostly(["wsoa", "priority"]),
    start=mostly(["", "2026-01-12"]),
    end=mostly(["", "2026-01-16", "2025-12-01"]),
    weeks=mostly(["6", "0", "-1", "99999999999"]),
    forums=nasty_text(max_size=300),
)
def test_the_plan_form_saves_a_valid_plan_or_shows_errors(
    people, client_for, name, kind, start, end, weeks, forums
):
    assert_one_saved_or_none(
        ActionPlan,
        lambda: client_for(people.sendops).post(
            reverse("wsoa:plan_new"),
            {
                "name": name,
                "kind": kind,
                "inspection_start": start,
                "inspection_end": end,
                "governance_forums": forums,
                "stale_after_weeks": weeks,
            },
        ),
    )
    assert_stored_valid(ActionPlan)


@CHECKED
@given(number=mostly(["1", "2", "0", "-5", "40000"]), text=nasty_text(), aim=nasty_text())
def test_the_weakness_form_saves_a_valid_weakness_or_shows_errors(
    people, client_for, number, text, aim
):
    plan = ActionPlanFactory()
    WeaknessFactory(plan=plan, number=1)
    url = reverse("wsoa:weakness_new", kwargs={"plan_uuid": plan.uuid})
    response = client_for(people.sendops).post(url, {"number": number, "text": text, "aim": aim})
    assert response.status_code in (200, 302)
    assert plan.weaknesses.count() == (2 if response.status_code == 302 else 1)
    assert_stored_valid(Weakness)


@CHECKED
@given(
    number=mostly(["1.1", "x" * 30]),
    text=nasty_text(),
    timescale=mostly(["Dec 2019", "Summer term 2020", "ongoing", ""]),
    initial=st.booleans(),
    lead=mostly(["", "good"]),
)
def test_the_action_form_saves_a_valid_action_or_shows_errors(
    people, client_for, number, text, timescale, initial, lead
):
    weakness = WeaknessFactory()
    url = reverse(
        "wsoa:action_new", kwargs={"plan_uuid": weakness.plan.uuid, "number": weakness.number}
    )
    response = client_for(people.sendops).post(
        url,
        {
            "number": number,
            "text": text,
            "improvement_area": text,
            "timescale": timescale,
            "initial": status("Red").pk if initial else "<b>",
            "lead_user": people.action_owner.pk if lead == "good" else lead,
        },
    )
    assert response.status_code in (200, 302)
    assert weakness.actions.exists() == (response.status_code == 302)
    assert_stored_valid(Action)
