"""Text people type (narratives, progress updates, exception notes, audit comments, imported
labels) is escaped wherever it is shown: on pages and in the report's print HTML (the PDF)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from audits.models import Answer, TemplateItem
from kpis.models import ExceptionNote, Measurement
from send_qa.reports.compile import report_html
from send_qa.reports.models import NARRATIVE, Version
from tests.audits.factories import AuditFactory, PlanFactory
from tests.kpis.test_scorecard import SPRING, scorecard_data  # noqa: F401 - a fixture
from tests.reports.factories import a_report
from tests.wsoa.factories import ActionFactory, status

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    '"><svg onload=alert(4)>',
]


class Active(HTMLParser):
    """Anything in a page that a browser would run: an attribute carrying one of the attacks
    (an event handler, a javascript: link), or a script holding one."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if (name.startswith("on") and "alert(" in value) or value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(f"<script>{data}")


def assert_escaped(html: str, where: str, *, shown: bool = True) -> None:
    parser = Active()
    parser.feed(html)
    assert not parser.found, f"{parser.found} reached {where} unescaped"
    if shown:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"the text is missing from {where}"


PAYLOAD = "\n\n".join(ATTACKS) + "\n\n- " + ATTACKS[0] + "\n- **" + ATTACKS[1] + "**"


def test_report_narrative_is_escaped_on_its_pages_and_in_the_pdf(people, client_for):
    report = a_report()
    for name, _label in NARRATIVE:
        setattr(report, name, PAYLOAD)
    report.author = ATTACKS[3]
    report.purpose = ATTACKS[0]
    report.save()
    html = report_html(Version(report=report, number=1))
    assert_escaped(html, "the report's print HTML")
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= len(NARRATIVE)
    client = client_for(people.sendops)
    for url in [
        reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}),
        reverse("reports:report_edit", kwargs={"report_uuid": report.uuid}),
    ]:
        assert_escaped(client.get(url).content.decode(), url, shown="edit" in url)


def test_progress_updates_are_escaped(people, client_for):
    action = ActionFactory(text=ATTACKS[1], led_by=people.action_owner)
    action.add_update(
        author=people.sendops,
        narrative=PAYLOAD,
        status=status("Amber"),
        date=datetime.date(2026, 9, 1),
    )
    client = client_for(people.board)
    for url in [
        reverse("wsoa:action_detail", kwargs={"action_uuid": action.uuid}),
        reverse("wsoa:plan_detail", kwargs={"plan_uuid": action.weakness.plan.uuid}),
    ]:
        assert_escaped(client.get(url).content.decode(), url)


def test_exception_notes_commentary_and_period_labels_are_escaped(
    scorecard_data,  # noqa: F811 - the fixture
    people,
    client_for,
):
    _, bad = scorecard_data
    latest = bad.measurements.get(period_start=SPRING[0], area="local")
    Measurement.objects.filter(pk=latest.pk).update(commentary=PAYLOAD, period_label=ATTACKS[0])
    ExceptionNote.objects.create(
        measurement=latest,
        happening=PAYLOAD,
        doing=ATTACKS[2],
        improve_by=ATTACKS[3],
        written_by=people.action_owner,
    )
    client = client_for(people.board)
    for url in [
        reverse("kpis:scorecard"),
        reverse("kpis:indicator_detail", kwargs={"code": bad.code}),
    ]:
        assert_escaped(client.get(url).content.decode(), url)
    report = a_report()
    assert_escaped(report_html(Version(report=report, number=1)), "the report", shown=False)


def test_audit_comments_are_escaped(people, client_for):
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    audit.final_comments = PAYLOAD
    audit.save()
    item = TemplateItem.objects.filter(section__template=audit.template, code="A1").get()
    Answer.objects.create(audit=audit, item=item, score=3, comment=PAYLOAD)
    client = client_for(people.auditor)
    for url in [
        reverse("audits:audit_print", kwargs={"audit_uuid": audit.uuid}),
        reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid}),
    ]:
        assert_escaped(client.get(url).content.decode(), url, shown="print" in url)
