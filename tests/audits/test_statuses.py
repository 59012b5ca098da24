"""One word and one colour per status: each kind has one home (`audits.statuses`), the pages
print it through one include, and no audit template hard-codes a status tag."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from audits import statuses
from audits.models import AdviceStatus, Audit
from tests.audits.factories import AuditFactory, PlanFactory
from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "audits"
# A label, not a status: the golden-thread questions of a checklist.
NOT_A_STATUS = {"Golden thread"}


def test_no_audit_template_hard_codes_a_status_tag():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "_tag.html":
            continue
        for words in re.findall(r'class="govuk-tag[^"]*">([^<]*)<', path.read_text()):
            if words not in NOT_A_STATUS:
                found.append(f"{path.relative_to(TEMPLATES)}: {words}")
    assert not found, found


def test_a_status_shared_by_two_kinds_has_one_word_and_one_colour():
    kinds = [
        statuses.AUDIT_STATUSES,
        statuses.TASK_STATUSES,
        statuses.ADVICE_STATUSES,
        statuses.REVIEW_STATUSES,
    ]
    tags = [tag for kind in kinds for tag in kind.values()]
    tags += [statuses.IMPORTED, statuses.CHECKLIST_DRAFT, statuses.CHECKLIST_PUBLISHED]
    tags += [statuses.peer_cycle_status(s, datetime.date(2026, 12, 1)) for s in ("done", "due")]
    colours: dict[str, set[str]] = {}
    for tag in tags:
        colours.setdefault(tag.words, set()).add(tag.colour)
    assert {words: c for words, c in colours.items() if len(c) > 1} == {}
    assert statuses.task_status("In progress") == statuses.audit_status("in_progress")


def test_the_words_are_the_filters_words():
    """The status filter of a list offers the same words its tags print."""
    assert {v: statuses.audit_status(v).words for v in Audit.Status.values} == dict(
        Audit.Status.choices
    )
    assert {v: statuses.advice_status(v).words for v in AdviceStatus.values} == dict(
        AdviceStatus.choices
    )


def test_a_grade_is_not_shown_before_submission():
    assert statuses.grade_shown("Good", submitted=False) == "Not graded yet"
    assert statuses.grade_shown("Good", submitted=True) == "Good"
    assert statuses.grade_shown("", submitted=True) == "Not graded"


def tag_html(tag: statuses.Tag) -> str:
    return f'<strong class="govuk-tag govuk-tag--{tag.colour}">{tag.words}</strong>'


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["not_started", "in_progress", "submitted"])
def test_an_audits_status_reads_the_same_on_every_page_that_shows_it(status, people, client_for):
    plan = PlanFactory(team=people.caseworker.team)
    audit = AuditFactory(auditor=people.auditor, plan=plan, status=status, grade="Good")
    expected = tag_html(statuses.AUDIT_STATUSES[status])
    pages = {
        "the worklist": (people.auditor, reverse("audits:audit_list")),
        "the audit list": (people.sendops, reverse("audits:audit_list")),
        "the audit": (people.sendops, reverse("audits:audit_detail", args=[audit.uuid])),
        "the plan": (people.sendops, reverse("audits:plan_detail", args=[plan.uuid])),
    }
    for name, (person, url) in pages.items():
        page = client_for(person).get(url).content.decode()
        assert expected in page, name
    listed = client_for(people.sendops).get(reverse("audits:audit_list")).content.decode()
    assert ("Not graded yet" in listed) is (status != "submitted")


@pytest.mark.django_db
def test_a_peer_moderation_in_progress_shows_no_grade(people, client_for):
    sendops = people.sendops
    audit = AuditFactory(
        auditor=UserFactory(roles=["auditor"]),
        plan=PlanFactory(team=people.caseworker.team),
        purpose=Audit.Purpose.PEER_MODERATION,
        status=Audit.Status.IN_PROGRESS,
        grade="Outstanding",  # a running grade of a half-filled checklist
    )
    page = client_for(sendops).get(reverse("audits:peer_moderation")).content.decode()
    row = page.split(f"{audit.plan.case_reference}</a>")[1].split("</tr>")[0]
    assert tag_html(statuses.IN_PROGRESS) in row
    assert "Not graded yet" in row and "Outstanding" not in row
