"""Each import page offers a template (CSV and XLSX) with the headings its import reads and one
made-up example row, and lists the values each column with a fixed set allows (issue 20). A
template downloaded from the page, filled in as it comes, imports cleanly through the import."""

import datetime
import html as markup
import re
from io import BytesIO

import pytest
from django.urls import reverse

from audits.models import PlacementType, Plan, PrimaryNeed
from audits.plan_import import plans_import
from audits.result_import import results_check, results_save, results_template
from audits.template_io import template_import
from kpis.imports import measurements_import
from kpis.models import Area, Measurement
from send_qa.core.import_templates import EXAMPLE_CASE_REFERENCE
from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.tables import read_table
from tests.audits.factories import SMALL_TEMPLATE
from tests.kpis.factories import IndicatorFactory
from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import COLUMNS, actions_import

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx"]


def downloaded(client, page_url: str, fmt: str):
    """The template the import page links to, read as the import reads an upload."""
    page = client.get(page_url)
    assert page.status_code == 200
    found = re.findall(rf'href="([^"]*template\.{fmt}[^"]*)"', page.content.decode())
    links = [markup.unescape(href) for href in found]
    assert len(links) == 1, f"{page_url} offers no {fmt} template"
    download = client.get(links[0])
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(f'-template.{fmt}"')
    return page.content.decode(), read_table(BytesIO(download.content), f"template.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_plans_register_template_imports_as_it_comes(fmt, people, client_for):
    html, frame = downloaded(client_for(people.sendops), reverse("audits:plan_import"), fmt)
    assert list(frame.columns)[:3] == ["case_reference", "primary_need", "placement_type"]
    assert len(frame) == 1
    for value in [*PrimaryNeed.values[:-1], *PlacementType.values[:-1], "not recorded", "11-15"]:
        assert f"<code>{value}</code>" in html
    summary = plans_import(frame, by=people.sendops)
    assert (summary.created, summary.updated) == (1, 0)
    assert Plan.objects.get(case_reference=EXAMPLE_CASE_REFERENCE).primary_need == "ASD"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_kpi_values_template_imports_as_it_comes(fmt, people, client_for):
    indicator = IndicatorFactory(code="EHCP_20WK", computed=False)
    html, frame = downloaded(client_for(people.sendops), reverse("kpis:import"), fmt)
    assert list(frame.columns)[:5] == [
        "indicator_code",
        "period_start",
        "period_end",
        "area",
        "value",
    ]
    for value in Area.values:
        assert f"<code>{value}</code>" in html
    measurements_import(frame, by=people.sendops)
    stored = Measurement.objects.get(indicator=indicator)
    assert (stored.area, stored.period_end) == ("local", datetime.date(2025, 3, 31))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_past_results_template_imports_as_it_comes(fmt, people, client_for):
    bands = [
        {"label": "Good", "min_percent": 60, "good_or_better": True},
        {"label": "Inadequate", "min_percent": 0, "good_or_better": False},
    ]
    checklist = template_import(
        {**SMALL_TEMPLATE, "name": "Past EHCP audit", "grade_bands": bands}, publish=True
    )[0]
    ensure_academic_year(datetime.date.today().year - 2)
    ensure_academic_year(datetime.date.today().year - 1)
    html, frame = downloaded(client_for(people.sendops), reverse("audits:results_import"), fmt)
    sections = list(checklist.sections.values_list("code", flat=True))
    assert list(frame.columns)[-len(sections) :] == [code.lower() for code in sections]
    assert "<code>Good</code>" in html and "<code>Inadequate</code>" in html
    checked = results_save(
        results_check(frame, template=results_template(checklist.name), by=people.sendops),
        by=people.sendops,
    )
    assert (checked.added, checked.new_plans) == (1, [EXAMPLE_CASE_REFERENCE])
    term = Period.objects.get(name=frame.loc[0, "term"])
    assert term.end < datetime.date.today()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_published_checklist_has_its_own_past_results_template(fmt, people, client_for):
    views = {
        "code": "V",
        "title": "Views of the child",
        "items": SMALL_TEMPLATE["sections"][0]["items"],
    }
    small = template_import({**SMALL_TEMPLATE, "name": "Small checklist"}, publish=True)[0]
    other = template_import(
        {**SMALL_TEMPLATE, "name": "Annex checklist", "sections": [views]}, publish=True
    )[0]
    template_import({**SMALL_TEMPLATE, "name": "Draft checklist"}, publish=False)  # no template
    ensure_academic_year(datetime.date.today().year - 1)
    client = client_for(people.sendops)
    html = client.get(reverse("audits:results_import")).content.decode()
    found = re.findall(rf'href="([^"]*template\.{fmt}[^"]*)"', html)
    links = [markup.unescape(href) for href in found]
    assert len(links) == 2 and "Draft checklist" not in html
    assert html.index("Annex checklist") < html.index("Small checklist")  # by name
    for link, checklist in zip(links, (other, small), strict=True):
        assert f"template for {checklist.name}<" in html
        download = client.get(link)
        assert download.status_code == 200
        frame = read_table(BytesIO(download.content), f"template.{fmt}")
        sections = [code.lower() for code in checklist.sections.values_list("code", flat=True)]
        assert [c for c in frame.columns if c in {"a", "b", "v"}] == sections
        checked = results_check(frame, template=results_template(checklist.name), by=people.sendops)
        assert len(checked.rows) == 1
    unknown = reverse(f"audits:results_import_template_{fmt}") + "?checklist=Draft+checklist"
    assert client.get(unknown).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_action_table_template_imports_as_it_comes(fmt, people, client_for):
    plan = ActionPlanFactory()
    url = reverse("wsoa:actions_upload", kwargs={"plan_uuid": plan.uuid})
    html, frame = downloaded(client_for(people.sendops), url, fmt)
    assert len(frame.columns) == len(COLUMNS)
    for name in plan.rag_key.statuses.values_list("name", flat=True):
        assert f"<code>{name}</code>" in html
    imported = actions_import(frame, plan=plan, by=people.sendops)
    assert (imported.weaknesses_added, imported.actions_added) == (1, 1)
    action = plan.weaknesses.get().actions.get()
    assert action.status.name == plan.rag_key.statuses.rated().first().name
