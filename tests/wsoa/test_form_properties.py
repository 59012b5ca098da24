"""The action plan pages' forms given random and malicious values: a page with the errors, or
valid stored records; never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from tests.strategies import nasty_text
from tests.wsoa.factories import ActionFactory, ActionPlanFactory, status
from wsoa.models import Evidence, ProgressUpdate, Snapshot

pytestmark = pytest.mark.django_db

CHECKED = examples(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def field(good: list[str]):
    return st.one_of(st.sampled_from(good), st.sampled_from(good), nasty_text())


def stored_valid(model) -> None:
    for row in model.objects.all():
        row.full_clean()


@CHECKED
@example(taken_on="2026-06-30", label="x" * 101)
@given(taken_on=field(["2026-06-30", "0000-01-01", "9999-12-31"]), label=nasty_text())
def test_the_snapshot_form_saves_a_valid_snapshot_or_shows_errors(
    people, client_for, taken_on, label
):
    plan = ActionPlanFactory()
    url = reverse("wsoa:snapshot_new", kwargs={"plan_uuid": plan.uuid})
    response = client_for(people.sendops).post(url, {"taken_on": taken_on, "label": label})
    assert response.status_code in (200, 302)
    stored_valid(Snapshot)


@CHECKED
@given(date=field(["2026-06-30", "31/02/2026"]), narrative=nasty_text(), rag=st.booleans())
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
    stored_valid(ProgressUpdate)


@CHECKED
@given(
    name=st.one_of(st.sampled_from(["a.pdf", "a.png", "a.docx", "a.txt"]), nasty_text()),
    data=st.binary(max_size=200),
    description=field(["Minutes"]),
)
def test_the_evidence_form_saves_a_checked_file_or_shows_errors(
    people, client_for, settings, tmp_path, name, data, description
):
    settings.MEDIA_ROOT = tmp_path
    action = ActionFactory(led_by=people.action_owner)
    url = reverse("wsoa:evidence_add", kwargs={"action_uuid": action.uuid})
    upload = SimpleUploadedFile(name or "x", data)
    response = client_for(people.action_owner).post(
        url, {"description": description, "file": upload}
    )
    assert response.status_code in (200, 302)
    stored_valid(Evidence)
