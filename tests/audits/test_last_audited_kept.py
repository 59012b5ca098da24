"""Each plan keeps when its latest audit was submitted (`Plan.last_audited_at`, issue 22), so
the register sorts and filters by it from an index. It must always equal what the audits say:
after a submission, a reopening, a deletion, a bulk import, and in the migration that adds it."""

import datetime

import pytest
from django.db.models import Max
from django.utils import timezone

from audits.models import Audit, Plan
from audits.signals import records_written_in_bulk
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.factories import UserFactory

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.now().replace(microsecond=0)


def worked_out() -> dict[int, datetime.datetime | None]:
    """Each plan's latest submitted audit of the plan as such, counted from the audits."""
    latest = dict(
        Audit.objects.of_plans()
        .submitted()
        .values("plan_id")
        .annotate(last=Max("submitted_at"))
        .values_list("plan_id", "last")
    )
    return {pk: latest.get(pk) for pk in Plan.objects.values_list("pk", flat=True)}


def kept() -> dict[int, datetime.datetime | None]:
    return dict(Plan.objects.values_list("pk", "last_audited_at"))


def kept_of(plan: Plan) -> datetime.datetime | None:
    return Plan.objects.get(pk=plan.pk).last_audited_at


def submitted(plan: Plan, days_ago: int, **extra) -> Audit:
    on = NOW - datetime.timedelta(days=days_ago)
    return AuditFactory(plan=plan, status=Audit.Status.SUBMITTED, submitted_at=on, **extra)


def submitted_in_bulk(audited: list[tuple[Plan, datetime.datetime]]) -> None:
    """Submitted audits written as the importers write them: in bulk, with no post_save."""
    template, auditor = small_template(), UserFactory()
    Audit.objects.bulk_create(
        Audit(
            plan=plan,
            template=template,
            subject=template.subject,
            auditor=auditor,
            status=Audit.Status.SUBMITTED,
            submitted_at=on,
        )
        for plan, on in audited
    )


def test_a_submission_a_reopening_and_a_deletion_keep_the_plans_last_audit():
    plan = PlanFactory()
    assert kept_of(plan) is None
    older = submitted(plan, 100)
    assert kept_of(plan) == older.submitted_at
    newer = AuditFactory(plan=plan)  # assigned, not submitted: not an audit yet
    assert kept_of(plan) == older.submitted_at
    newer.status, newer.submitted_at = Audit.Status.SUBMITTED, NOW
    newer.save()
    assert kept_of(plan) == NOW
    # Reopened from a fresh read of the database, as a web request does.
    Audit.objects.get(pk=newer.pk).reopen(by=UserFactory(), reason="A section was missed")
    assert kept_of(plan) == older.submitted_at
    # Submitted and reopened again through the same copy in memory.
    newer.refresh_from_db()
    newer.status, newer.submitted_at = Audit.Status.SUBMITTED, NOW
    newer.save()
    assert kept_of(plan) == NOW
    newer.reopen(by=UserFactory(), reason="Again")
    assert kept_of(plan) == older.submitted_at
    older.delete()
    assert kept_of(plan) is None
    assert kept() == worked_out()


def test_moderation_re_audits_and_advice_audits_are_not_the_plan_being_audited():
    plan = PlanFactory()
    submitted(plan, 5, purpose=Audit.Purpose.MODERATION)
    assert kept_of(plan) is None
    peer = submitted(plan, 9, purpose=Audit.Purpose.PEER_MODERATION)
    assert kept_of(plan) == peer.submitted_at
    assert kept() == worked_out()


def test_audits_written_in_bulk_keep_every_plans_last_audit():
    plans = [PlanFactory() for _ in range(3)]
    submitted_in_bulk(
        [(plan, NOW - datetime.timedelta(days=n)) for n, plan in enumerate(plans[:2])]
    )
    assert set(kept().values()) == {None}  # a bulk write sends no post_save
    records_written_in_bulk.send(sender=Audit)  # as every bulk writer does
    assert kept() == worked_out()
    assert kept_of(plans[0]) == NOW and kept_of(plans[2]) is None


def test_after_a_bulk_write_only_the_plans_whose_last_audit_moved_are_written():
    """Writing every plan again would leave a dead row version of each behind; the plans
    whose last audit stays (audited before, or never) are not touched."""
    from audits.register import keep_last_audited

    audited, earlier, never, moved_back = (PlanFactory() for _ in range(4))
    submitted(audited, 10)
    submitted(earlier, 20)
    gone = submitted(moved_back, 5)
    submitted_in_bulk([(audited, NOW)])
    Audit.objects.filter(pk=gone.pk).update(status=Audit.Status.IN_PROGRESS, submitted_at=None)
    assert keep_last_audited() == 2  # the newly audited plan and the one now never audited
    assert kept_of(audited) == NOW and kept_of(moved_back) is None
    assert kept() == worked_out()
    assert keep_last_audited() == 0  # nothing moved since


def test_after_a_bulk_write_the_plans_are_read_once_not_once_per_plan():
    """The plans that moved are found in the UPDATE's own WHERE, not by `id IN (a query over
    every plan)`, which a planner with fresh statistics ran again for each plan: a minute for
    the few hundred plans of the bench's small county."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audits.register import keep_last_audited

    plan = PlanFactory()
    submitted_in_bulk([(plan, NOW)])
    with CaptureQueriesContext(connection) as queries:
        assert keep_last_audited() == 1
    [update] = [q["sql"] for q in queries.captured_queries]
    assert update.startswith('UPDATE "audits_plan"')
    assert "IN (SELECT" not in update
    assert kept_of(plan) == NOW


def test_the_migration_works_it_out_for_the_audits_already_there():
    plans = [PlanFactory() for _ in range(3)]
    submitted(plans[0], 30)
    latest = submitted(plans[0], 3)
    submitted(plans[1], 40, purpose=Audit.Purpose.MODERATION)
    AuditFactory(plan=plans[2])
    migrate([("audits", "0015_term_figures_kept")])
    migrate([("audits", "0016_plans_last_audited_kept")])
    assert kept_of(plans[0]) == latest.submitted_at
    assert kept_of(plans[1]) is None and kept_of(plans[2]) is None
    assert kept() == worked_out()
