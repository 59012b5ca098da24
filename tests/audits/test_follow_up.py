"""Audit evidence that raises improvement actions (issue 19 item 1): a weak question across a
term, a moderation session's key issues and agreed actions, an advice service's scores."""

import pytest
from django.urls import reverse

from audits import follow_up as evidence
from audits.models import Audit
from send_qa.core import follow_up
from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.roles import Role
from tests.audits.factories import (
    AdviceServiceFactory,
    ModerationSessionFactory,
    PlanFactory,
    small_template,
)
from tests.audits.test_moderation import submitted_audit
from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.queries import page_queries
from tests.wsoa.factories import ActionFactory
from wsoa.follow_up import source_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def sendops():
    return UserFactory(roles=[Role.SENDOPS])


@pytest.fixture
def terms():
    ensure_academic_year(2025)
    return list(Period.objects.terms().order_by("start"))


def audited(term, template, scores):
    for a1 in scores:
        submitted_audit(PlanFactory(), term, a1=a1, b1=4, template=template)


def test_a_weak_question_names_its_average_and_improves_when_a_later_term_scores_it_well(
    terms, sendops
):
    template = small_template()
    autumn, spring = terms[0], terms[1]
    audited(autumn, template, [1, 2, 2, 3, 2])  # 2.0 of 5: 40%
    ref = evidence.question_ref(autumn, template.uuid, "A1")
    found = follow_up.evidence_of(evidence.QUESTION, ref, sendops)
    assert found is not None
    assert found.figure == f"A1: average 2.0 of 5 (40.0%) over 5 audits, {autumn.name}"
    assert found.concern is True and found.now == ""
    audited(spring, template, [4, 4, 4, 5, 4])  # 4.2 of 5: 84%
    later = follow_up.evidence_of(evidence.QUESTION, ref, sendops)
    assert later.concern is False
    assert later.now == f"{spring.name}: average 4.2 of 5 (84.0%) over 5 audits"
    assert later.figure == found.figure  # the figure of the raised term stays as it was


def test_a_question_over_too_few_audits_is_withheld(terms, sendops):
    template = small_template()
    audited(terms[0], template, [1, 2])
    found = follow_up.evidence_of(
        evidence.QUESTION, evidence.question_ref(terms[0], template.uuid, "A1"), sendops
    )
    assert "withheld" in found.figure and "2.0" not in found.figure and "1.5" not in found.figure


def test_only_sendops_see_audit_evidence_and_bad_references_are_none(terms, sendops):
    template = small_template()
    audited(terms[0], template, [2] * 5)
    ref = evidence.question_ref(terms[0], template.uuid, "A1")
    for role in (Role.BOARD, Role.AUDITOR, Role.ACTION_OWNER):
        assert follow_up.evidence_of(evidence.QUESTION, ref, UserFactory(roles=[role])) is None
    for bad in ("", "x", f"{terms[0].uuid}:{template.uuid}:ZZ9", f"nope:{template.uuid}:A1"):
        assert follow_up.evidence_of(evidence.QUESTION, bad, sendops) is None


def test_the_findings_page_lists_actions_raised_from_a_weak_question(terms, sendops):
    template = small_template()
    audited(terms[0], template, [2] * 5)
    Audit.objects.update(term=terms[0])
    ref = evidence.question_ref(terms[0], template.uuid, "A1")
    action = ActionFactory(text="Coach caseworkers on capturing aspirations")
    source_record(action, follow_up.evidence_of(evidence.QUESTION, ref, sendops), by=sendops)
    client = signed_in_client(sendops)
    url = f"{reverse('audits:findings')}?term={terms[0].uuid}"
    page = client.get(url).content.decode()
    assert "Coach caseworkers on capturing aspirations" in page
    assert 'Raise an action<span class="govuk-visually-hidden"> from A1' in page
    before = page_queries(client, url)
    for _ in range(3):
        source_record(
            ActionFactory(), follow_up.evidence_of(evidence.QUESTION, ref, sendops), by=sendops
        )
    assert page_queries(client, url) == before


def test_each_key_issue_and_agreed_action_of_a_session_is_evidence(sendops):
    session = ModerationSessionFactory(
        themes="- Outcomes are not SMART\n\n• Health advice is missing in section C",
        agreed_actions="1) Training on SMART outcomes by March",
    )
    refs = evidence.session_point_refs(session)
    assert [point for _, point in refs[evidence.KEY_ISSUE]] == [
        "Outcomes are not SMART",
        "Health advice is missing in section C",
    ]
    second = follow_up.evidence_of(evidence.KEY_ISSUE, refs[evidence.KEY_ISSUE][1][0], sendops)
    assert second.words == "Health advice is missing in section C"
    assert second.title.endswith("key issue 2")
    agreed = follow_up.evidence_of(
        evidence.AGREED_ACTION, refs[evidence.AGREED_ACTION][0][0], sendops
    )
    assert agreed.words == "1) Training on SMART outcomes by March"
    assert follow_up.evidence_of(evidence.KEY_ISSUE, f"{session.uuid}:3", sendops) is None
    assert follow_up.evidence_of(evidence.KEY_ISSUE, f"{session.uuid}:x", sendops) is None
    moderator = UserFactory(roles=[Role.AUDITOR])
    assert (
        follow_up.evidence_of(evidence.KEY_ISSUE, refs[evidence.KEY_ISSUE][0][0], moderator) is None
    )


def test_the_key_issues_report_offers_to_raise_an_action_from_each_point(sendops):
    session = ModerationSessionFactory(themes="Outcomes are not SMART\nNo voice of the child")
    client = signed_in_client(sendops)
    url = reverse("audits:moderation_report", args=[session.uuid])
    page = client.get(url).content.decode()
    assert page.count("Raise an action") == 2
    assert "from key issue 2" in page
    ref = evidence.session_ref(session, 1)
    source_record(
        ActionFactory(text="SMART outcomes training"),
        follow_up.evidence_of(evidence.KEY_ISSUE, ref, sendops),
        by=sendops,
    )
    assert "SMART outcomes training" in client.get(url).content.decode()


def test_an_advice_service_with_nothing_scored_yet_is_evidence_without_a_verdict(terms, sendops):
    service = AdviceServiceFactory(name="Educational Psychology")
    ref = evidence.advice_ref(terms[0], service)
    found = follow_up.evidence_of(evidence.ADVICE, ref, sendops)
    assert found.title == f"Advice from Educational Psychology, {terms[0].name}"
    assert found.figure.startswith("No advice scored") and found.concern is None
    assert follow_up.evidence_of(evidence.ADVICE, ref, UserFactory(roles=[Role.BOARD])) is None
    assert follow_up.evidence_of(evidence.ADVICE, f"{terms[0].uuid}:nope", sendops) is None
