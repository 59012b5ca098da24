"""An auditor's "Your audits" starts with their worklist: this term's audits not submitted
(and earlier terms' left unfinished), then the rest; the home page's count links to it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from audits.queries import dashboard_for_auditor
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AuditFactory, PlanFactory
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    for start in (year - 1, year, year + 1):
        ensure_academic_year(start)
    current = Period.objects.current_term()
    earlier = Period.objects.terms().filter(start__lt=current.start).order_by("-start").first()
    later = Period.objects.terms().filter(start__gt=current.start).order_by("start").first()
    return current, earlier, later


def audit_of(auditor, reference, term, status=Audit.Status.NOT_STARTED, days_ago=0):
    return AuditFactory(
        auditor=auditor,
        plan=PlanFactory(case_reference=reference),
        term=term,
        status=status,
        assigned_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def table(page: str, table_id: str) -> str:
    found = re.search(rf'<table class="govuk-table" id="{table_id}">.*?</table>', page, re.S)
    return found.group(0) if found else ""


def test_the_worklist_comes_first_then_submitted_and_other_audits(terms, people, client_for):
    current, earlier, later = terms
    auditor = people.auditor
    audit_of(auditor, "EHC-NOW-1", current)
    audit_of(auditor, "EHC-NOW-2", current, Audit.Status.IN_PROGRESS, days_ago=3)
    audit_of(auditor, "EHC-LEFT-OVER", earlier, Audit.Status.IN_PROGRESS, days_ago=90)
    audit_of(auditor, "EHC-NO-TERM", None, days_ago=5)
    # Submitted ones were assigned last, so a plain newest-first list would show them first.
    for n in range(3):
        audit_of(auditor, f"EHC-DONE-{n}", current, Audit.Status.SUBMITTED, days_ago=-1)
    audit_of(auditor, "EHC-NEXT-TERM", later, days_ago=-2)
    audit_of(UserFactory(roles=["auditor"]), "EHC-SOMEONE-ELSES", current)

    page = client_for(auditor).get(reverse("audits:audit_list")).content.decode()
    to_do, others = table(page, "to-do"), table(page, "others")
    assert "To do this term: 4" in to_do
    for reference in ("EHC-NOW-1", "EHC-NOW-2", "EHC-LEFT-OVER", "EHC-NO-TERM"):
        assert reference in to_do and reference not in others
    assert "Submitted and other audits: 4" in others
    for reference in ("EHC-DONE-0", "EHC-DONE-1", "EHC-DONE-2", "EHC-NEXT-TERM"):
        assert reference in others and reference not in to_do
    assert page.index('id="to-do"') < page.index('id="others"')
    assert "EHC-SOMEONE-ELSES" not in page
    # The home page's count is the worklist's, and links straight to it.
    assert dashboard_for_auditor(auditor, current) == {"total": 4, "started": 2}
    home = client_for(auditor).get(reverse("dashboard:home")).content.decode()
    worklist = reverse("audits:audit_list") + "#to-do"
    assert f'<a class="govuk-link" href="{worklist}">4 audits to finish, 2 started.</a>' in home


def test_a_filter_applies_to_both_parts_and_nothing_to_do_says_so(terms, people, client_for):
    current, _, _ = terms
    audit_of(people.auditor, "EHC-OPEN", current)
    audit_of(people.auditor, "EHC-DONE", current, Audit.Status.SUBMITTED)
    client = client_for(people.auditor)
    page = client.get(reverse("audits:audit_list"), {"status": "submitted"}).content.decode()
    assert "To do this term: 0" in page and "Nothing to do this term among" in page
    assert "EHC-DONE" in table(page, "others") and "EHC-OPEN" not in page


def test_sendops_keep_the_whole_list_newest_first(terms, people, client_for):
    current, _, _ = terms
    audit_of(people.auditor, "EHC-OPEN", current, days_ago=2)
    audit_of(people.auditor, "EHC-DONE", current, Audit.Status.SUBMITTED)
    page = client_for(people.sendops).get(reverse("audits:audit_list")).content.decode()
    assert "To do this term" not in page and "2 audits" in page
    assert page.index("EHC-DONE") < page.index("EHC-OPEN")


def test_the_worklist_runs_a_fixed_number_of_queries_on_any_page(terms, people, client_for):
    current, earlier, _ = terms
    client = client_for(people.auditor)
    audit_of(people.auditor, "EHC-FIRST", current)
    few = page_queries(client, reverse("audits:audit_list"))
    for n in range(60):
        audit_of(people.auditor, f"EHC-OPEN-{n}", current if n % 2 else earlier, days_ago=n)
    for n in range(70):
        audit_of(people.auditor, f"EHC-DONE-{n}", earlier, Audit.Status.SUBMITTED, days_ago=n)
    url = reverse("audits:audit_list")
    assert page_queries(client, url) == few
    assert page_queries(client, url + "?page=2") == few  # the worklist ends, the rest begin
    last = client.get(url, {"page": "3"}).content.decode()
    assert "To do this term" not in last and "Submitted and other audits: 70" in last
    assert page_queries(client, url + "?page=3") == few


def test_your_audits_name_the_auditor_only_when_someone_else_s_are_listed(
    terms, people, client_for
):
    current, _, _ = terms
    audit_of(people.auditor, "EHC-OWN", current)
    header = '<th scope="col" class="govuk-table__header">Auditor</th>'
    own = client_for(people.auditor).get(reverse("audits:audit_list")).content.decode()
    assert "EHC-OWN" in own and header not in own
    everyone = client_for(people.sendops).get(reverse("audits:audit_list")).content.decode()
    assert header in everyone and people.auditor.full_name in everyone
