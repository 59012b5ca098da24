"""Level 3: the term's quality assurance findings, for the termly report and SENDOPS."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit, TemplateItem
from audits.moderation import session_assign_reaudits
from audits.queries import term_qa
from tests.audits.factories import (
    AdviceFactory,
    ModerationSessionFactory,
    PlanFactory,
    sampled_plan,
)
from tests.audits.test_moderation import submitted_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def build_term():
    session = ModerationSessionFactory()
    term = session.term
    moderator = UserFactory(roles=["auditor"])
    session.members.set([moderator])
    for n in range(3):
        plan = PlanFactory()
        original = submitted_audit(plan, term, a1=4, b1=2 + n)
        sample = sampled_plan(session, plan=plan, order=n + 1, original_audit=original)
        sample.agreed_grade = "Good"
        sample.save()
    session_assign_reaudits(session, by=None)
    for audit in Audit.objects.filter(auditor=moderator):
        items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
        audit.save_answers(
            values={
                items["A1"].pk: {"score": 4},
                items["A2"].pk: {"yes_no": "yes"},
                items["B1"].pk: {"score": 4},
                items["B2"].pk: {"yes_no": "yes"},
            },
            version=audit.edit_version(),
        )
        audit.save_overall(rating=4, comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=moderator)
    AdviceFactory(requested=term.start, received=term.start + datetime.timedelta(weeks=5))
    AdviceFactory(requested=term.start)  # missing
    return term


def test_the_term_qa_brings_every_level_together():
    term = build_term()
    qa = term_qa(term=term, on=term.end)
    assert (qa.audits.total, qa.audits.submitted) == (3, 3)  # re-audits are not audits
    assert qa.advice_timeliness.percent_on_time == 50.0
    assert [s.pk for s in qa.moderation_sessions] == [qa.moderation_sessions[0].pk]
    # Originals B1 = 2, 3, 4 against the moderator's 4: A1 agrees 3 times, B1 once.
    agreement = qa.moderation_agreement.overall
    assert (agreement.pairs, agreement.exact) == (6, pytest.approx(4 / 6))
    assert qa.agreed_grades == {"Good": 3}


def test_the_sendops_page_shows_it_in_a_fixed_number_of_queries(
    people, client_for, eager_celery, django_capture_on_commit_callbacks
):
    # The term's figures counted once its audits are saved, as the refresh does on commit.
    with django_capture_on_commit_callbacks(execute=True):
        term = build_term()
    client = client_for(people.sendops)
    url = reverse("audits:qa_summary") + f"?term={term.uuid}"
    with CaptureQueriesContext(connection) as first:
        html = client.get(url).content.decode()
    assert "Scorer agreement" in html and "66.7% exact" in html
    build_term_more = ModerationSessionFactory(term=term)
    sampled_plan(build_term_more, plan=PlanFactory())
    AdviceFactory.create_batch(3, requested=term.start)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second.captured_queries) == len(first.captured_queries)
