"""The scoring maths on worked examples."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.forms import SectionAnswersForm
from audits.models import Answer, Audit, AuditIncomplete, AuditLocked, TemplateItem
from audits.template_io import TEMPLATE_FIXTURES, read_template_file, template_import
from send_qa.core.concurrency import EditConflict
from tests.audits.factories import AuditFactory, PlanFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def items_of(template):
    return {i.code: i for i in TemplateItem.objects.filter(section__template=template)}


def answer_all(audit, **by_code):
    items = items_of(audit.template)
    audit.save_answers(
        values={items[c].pk: v for c, v in by_code.items()}, version=audit.edit_version()
    )


def test_an_advice_audit_of_all_3s_totals_57_out_of_95():
    template, _ = template_import(
        read_template_file(TEMPLATE_FIXTURES / "advice_writing_qa_tool.json")
    )
    audit = Audit.objects.create(plan=PlanFactory(), template=template, auditor=UserFactory())
    items = TemplateItem.objects.filter(section__template=template)
    audit.save_answers(values={i.pk: {"score": 3} for i in items}, version=audit.edit_version())
    audit.refresh_from_db()
    assert (audit.points, audit.max_points, audit.percent) == (
        Decimal(57),
        Decimal(95),
        Decimal("60.0"),
    )
    result = audit.result()
    assert [s.subtotal.points for s in result.sections] == [Decimal(24), Decimal(33)]
    assert all(s.status == "Completed" for s in result.sections)


def test_section_subtotals_percent_and_grade():
    audit = AuditFactory()
    # A1 score 4/5, A2 yes/no weight 0 (not in the total), B1 3/5, B2 yes (weight 1) -> 1/1
    answer_all(
        audit,
        A1={"score": 4},
        A2={"yes_no": "no"},
        B1={"score": 3},
        B2={"yes_no": "yes"},
    )
    result = audit.result()
    a, b = result.sections
    assert (a.subtotal.points, a.subtotal.max_points, a.subtotal.percent) == (4, 5, Decimal("80.0"))
    assert (b.subtotal.points, b.subtotal.max_points) == (4, 6)
    assert (result.total.points, result.total.max_points) == (8, 11)
    assert result.total.percent == Decimal("72.7")
    assert result.grade["label"] == "Good"
    audit.refresh_from_db()
    assert (audit.grade, audit.good_or_better) == ("Good", True)


def test_not_applicable_counts_for_nothing():
    audit = AuditFactory()
    answer_all(audit, A1={"score": 2}, B1={"score": 2}, B2={"value": "na"})
    result = audit.result()
    assert (result.total.points, result.total.max_points) == (4, 10)
    assert result.grade["label"] == "Requires improvement"


def test_a_score_judged_not_applicable_is_answered_and_counts_for_nothing():
    audit = AuditFactory()
    items = items_of(audit.template)
    form = SectionAnswersForm(
        {f"item_{items['B1'].pk}": "na", f"item_{items['B2'].pk}": "yes"},
        audit=audit,
        items=[items["B1"], items["B2"], items["B3"]],
        answers={},
    )
    assert form.is_valid(), form.errors
    audit.save_answers(values=form.answer_values(), version=audit.edit_version())
    stored = Answer.objects.get(audit=audit, item=items["B1"])
    assert stored.not_applicable and stored.score is None
    section_b = audit.result().sections[1]
    assert section_b.status == "Completed"
    assert (section_b.subtotal.points, section_b.subtotal.max_points) == (1, 1)
    # Shown again as "not applicable" when the section is opened.
    again = SectionAnswersForm(
        None, audit=audit, items=[items["B1"]], answers={items["B1"].pk: stored}
    )
    assert again.initial[f"item_{items['B1'].pk}"] == "na"


def test_not_applicable_is_offered_only_where_the_template_allows_it():
    audit = AuditFactory()
    items = items_of(audit.template)
    form = SectionAnswersForm(
        {f"item_{items['A1'].pk}": "na"}, audit=audit, items=[items["A1"]], answers={}
    )
    assert not form.is_valid()
    assert f"item_{items['A1'].pk}" in form.errors


def test_golden_thread_items_are_reported_separately():
    audit = AuditFactory()
    answer_all(audit, B2={"yes_no": "no"})
    golden = audit.result().golden_thread
    assert (golden.points, golden.max_points, golden.answered) == (0, 1, 1)


def test_task_list_status_follows_the_answers():
    audit = AuditFactory()
    assert [s.status for s in audit.result().sections] == ["Not started", "Not started"]
    answer_all(audit, A1={"score": 5})
    assert [s.status for s in audit.result().sections] == ["In progress", "Not started"]
    answer_all(audit, A2={"yes_no": "yes"})
    assert audit.result().sections[0].status == "Completed"
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_submission_lists_every_missing_answer():
    audit = AuditFactory()
    answer_all(audit, A1={"score": 5})
    with pytest.raises(AuditIncomplete) as error:
        audit.submit(version=audit.edit_version(), by=audit.auditor)
    assert error.value.missing == [
        "A: Is there a one page profile?",
        "B: Sets out needs clearly",
        "B: Matches each need to provision",
        "Rate the plan as a whole",
    ]
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_a_submitted_audit_is_read_only_until_reopened():
    audit = AuditFactory()
    answer_all(audit, A1={"score": 5}, A2={"yes_no": "yes"}, B1={"score": 4}, B2={"yes_no": "yes"})
    audit.save_overall(rating=4, comments="A clear plan.", version=audit.edit_version())
    audit.submit(version=audit.edit_version(), by=audit.auditor)
    assert audit.status == Audit.Status.SUBMITTED and audit.submitted_at
    with pytest.raises(AuditLocked):
        answer_all(audit, A1={"score": 1})
    sendops = UserFactory()
    audit.reopen(by=sendops, reason="Scores disputed at moderation")
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS
    assert (audit.reopened_by, audit.reopen_reason) == (sendops, "Scores disputed at moderation")
    assert audit.history.filter(status=Audit.Status.SUBMITTED).exists()


def test_scoring_and_submitting_an_audit_read_its_checklist_once_and_submit_scores_once():
    """The checklist does not change while an audit object is saved: reading its sections
    and items again for each score was a fifth of seeding the demo (and of every submit)."""
    audit = AuditFactory()
    answer_all(audit, A1={"score": 5}, A2={"yes_no": "yes"}, B1={"score": 4}, B2={"yes_no": "yes"})
    with CaptureQueriesContext(connection) as queries:
        audit.save_overall(rating=4, comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=audit.auditor)
    read = [q["sql"] for q in queries if 'FROM "audits_templatesection"' in q["sql"]]
    answers_read = [
        q["sql"]
        for q in queries
        if 'FROM "audits_answer"' in q["sql"] and "FOR UPDATE" not in q["sql"]
    ]
    assert len(read) == 0, "answer_all read the checklist for this audit object already"
    # Each edit_version reads the answers for the page's version, then: the overall rating's
    # score, and one score for submitting.
    assert len(answers_read) == 4, answers_read
    stored = Audit.objects.get(pk=audit.pk)
    scored_afresh = stored.result().total
    assert stored.status == Audit.Status.SUBMITTED
    assert (stored.points, stored.percent) == (scored_afresh.points, scored_afresh.percent)


def test_a_save_based_on_an_older_version_is_refused_and_the_earlier_work_kept():
    audit = AuditFactory()
    items = items_of(audit.template)
    opened_by_both = audit.edit_version()
    first = Audit.objects.get(pk=audit.pk)
    first.save_answers(values={items["A1"].pk: {"score": 5}}, version=opened_by_both)
    second = Audit.objects.get(pk=audit.pk)
    with pytest.raises(EditConflict):
        second.save_answers(values={items["A1"].pk: {"score": 1}}, version=opened_by_both)
    assert Answer.objects.get(audit=audit, item=items["A1"]).score == 5


def test_every_answer_change_is_in_the_history():
    audit = AuditFactory()
    items = items_of(audit.template)
    audit.save_answers(
        values={items["A1"].pk: {"score": 2}}, version=audit.edit_version(), by=audit.auditor
    )
    audit.save_answers(
        values={items["A1"].pk: {"score": 4}}, version=audit.edit_version(), by=audit.auditor
    )
    answer = Answer.objects.get(audit=audit, item=items["A1"])
    assert [h.score for h in answer.history.order_by("history_date")] == [2, 4]
    assert {h.history_user for h in answer.history.all()} == {audit.auditor}


def test_a_local_offer_check_scores_compliance_and_keeps_who_and_by_when():
    template, _ = template_import(
        read_template_file(TEMPLATE_FIXTURES / "local_offer_compliance_check.json")
    )
    items = list(TemplateItem.objects.filter(section__template=template))
    first, second = items[0], items[1]
    audit = Audit.objects.create(template=template, auditor=UserFactory())
    form = SectionAnswersForm(
        {
            f"item_{first.pk}": "full",
            f"extra_{first.pk}_must_should": ["Must", "Should"],
            f"item_{second.pk}": "partial",
            f"extra_{second.pk}_who": "Local Offer officer",
            f"extra_{second.pk}_by_when": "2027-03-31",
            f"extra_{second.pk}_action": "Publish the annual feedback summary",
        },
        audit=audit,
        items=[first, second],
        answers={},
    )
    assert form.is_valid(), form.errors
    audit.save_answers(values=form.answer_values(), version=audit.edit_version())
    # Full scores 2 of 2, partial 1 of 2: 3 of 4.
    assert (audit.points, audit.max_points, audit.percent) == (3, 4, Decimal("75.0"))
    assert audit.grade == "Mostly compliant"
    stored = Answer.objects.get(audit=audit, item=second).extras
    assert stored == {
        "action": "Publish the annual feedback summary",
        "who": "Local Offer officer",
        "by_when": "2027-03-31",
    }
    assert Answer.objects.get(audit=audit, item=first).extras == {"must_should": ["Must", "Should"]}
