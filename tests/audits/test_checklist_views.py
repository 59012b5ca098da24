"""Checklist templates in the browser: read by SENDOPS and admins, versioned by admins."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import ChecklistTemplate, TemplateItem
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, small_template
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def upload(client, data, *, publish=False):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    form = {"file": SimpleUploadedFile("checklist.json", body, "application/json")}
    if publish:
        form["publish"] = "on"
    return client.post(reverse("audits:template_upload"), form)


def test_the_list_and_a_version_show_questions_guidance_and_grades(people, client_for):
    template = small_template()
    AuditFactory(template=template)
    client = client_for(people.sendops)
    listing = client.get(reverse("audits:template_list")).content.decode()
    assert "Small checklist" in listing and "Published" in listing
    page = client.get(reverse("audits:template_detail", kwargs={"template_uuid": template.uuid}))
    html = page.content.decode()
    assert "Captures aspirations" in html
    assert "What good looks like: Uses the child&#x27;s own words" in html
    assert "Good: 65% or more (counts as good or better)" in html
    assert "Golden thread" in html
    assert "Make a new version" not in html  # SENDOPS read; admins manage


def test_an_admin_edits_by_new_version_export_import_and_publish(people, client_for):
    template = small_template()
    client = client_for(people.admin)
    response = client.post(
        reverse("audits:template_new_version", kwargs={"template_uuid": template.uuid})
    )
    draft = ChecklistTemplate.objects.get(name="Small checklist", version=2)
    assert response.url == reverse("audits:template_detail", kwargs={"template_uuid": draft.uuid})
    assert not draft.is_published

    exported = client.get(reverse("audits:template_export", kwargs={"template_uuid": draft.uuid}))
    assert exported["Content-Disposition"] == 'attachment; filename="small-checklist-v2.json"'
    data = json.loads(exported.content)
    data["sections"][0]["items"][0]["text"] = "Captures the child's aspirations in their words"
    response = upload(client, data)
    assert response.status_code == 302
    replaced = ChecklistTemplate.objects.get(name="Small checklist", version=2)
    assert replaced.sections.first().items.first().text.startswith("Captures the child's")
    assert replaced.uuid == draft.uuid  # the draft keeps its address when it is replaced
    assert response.url == reverse("audits:template_detail", kwargs={"template_uuid": draft.uuid})
    draft = replaced

    client.post(reverse("audits:template_publish", kwargs={"template_uuid": draft.uuid}))
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == people.admin
    # The first version is untouched, and the published one refuses a changed import.
    assert TemplateItem.objects.filter(section__template=template).first().text == (
        "Captures aspirations"
    )
    data["sections"][0]["items"][0]["text"] = "Changed again"
    refused = upload(client, data)
    assert refused.status_code == 200
    assert "give this one a new version number" in refused.content.decode()


def test_a_bad_checklist_file_names_every_problem_and_saves_nothing(people, client_for):
    client = client_for(people.admin)
    bad = copy.deepcopy(SMALL_TEMPLATE)
    bad["name"] = "Broken"
    bad["sections"][0]["items"][0]["kind"] = "stars"
    html = upload(client, bad).content.decode()
    assert "Nothing was imported" in html
    assert "sections[0].items[0].kind: &#x27;stars&#x27; is not one of" in html
    not_json = upload(client, b"{not json").content.decode()
    assert "must be a checklist template in JSON (line 1, column 2)" in not_json
    assert not ChecklistTemplate.objects.filter(name="Broken").exists()


def test_an_upload_can_publish_at_once(people, client_for):
    data = {**copy.deepcopy(SMALL_TEMPLATE), "name": "Uploaded"}
    upload(client_for(people.admin), data, publish=True)
    assert ChecklistTemplate.objects.get(name="Uploaded").is_published


def test_each_version_counts_its_questions_and_audits_apart():
    """Counted through one join, three audits of a five-question checklist read 15 rows each."""
    first = small_template()
    second = small_template(version=2, sections=SMALL_TEMPLATE["sections"][:1])
    AuditFactory.create_batch(3, template=first)
    counted = {t.pk: (t.item_count, t.audit_count) for t in ChecklistTemplate.objects.with_counts()}
    assert counted[first.pk] == (5, 3)
    assert counted[second.pk] == (2, 0)


def test_the_checklist_list_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.sendops)
    url = reverse("audits:template_list")
    template = small_template()
    AuditFactory(template=template)
    few = page_queries(client, url)
    AuditFactory.create_batch(4, template=template)
    small_template(version=2)
    small_template(name="Another checklist")
    assert page_queries(client, url) == few
    listing = client.get(url).content.decode()
    assert "Another checklist" in listing
