"""Moderation work that spans several records: drawing a session's sample, setting its
re-audits, and comparing moderators' scores with the original audits (docs/moderation.md)."""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.agreement import Agreement, agreement, agreement_by_item, most_disagreed
from audits.models import (
    Answer,
    Audit,
    ChecklistTemplate,
    ModerationSession,
    Plan,
    SampledPlan,
    TemplateItem,
)
from audits.models.plans import PlanQuerySet
from audits.sampling import Candidate, Sample, SamplingError, draw_sample
from send_qa.core.models import Period, User

__all__ = ["SamplingError"]


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def sampling_pool(*, term: Period | None = None) -> PlanQuerySet:
    """The plans a sample is drawn from: those audited in `term`, or every active plan."""
    plans = Plan.objects.filter(is_active=True)
    if term is not None:
        audited = Audit.objects.of_plans().submitted().filter(term=term)
        plans = plans.filter(pk__in=audited.values("plan_id"))
    return plans


def candidates(plans: PlanQuerySet) -> list[Candidate]:
    return [
        Candidate(plan_id=pk, age_band=age, primary_need=need, placement_type=placement)
        for pk, age, need, placement in plans.values_list(
            "pk", "age_band", "primary_need", "placement_type"
        )
    ]


def recently_moderated(session: ModerationSession) -> set[int]:
    """Plans sampled by another session in the `exclude_months` before this one."""
    since = _months_before(session.date, session.exclude_months)
    return set(
        SampledPlan.objects.filter(session__date__gte=since, session__date__lte=session.date)
        .exclude(session=session)
        .values_list("plan_id", flat=True)
    )


def sample_preview(session: ModerationSession) -> Sample:
    """Draw the session's sample (without saving it). Raises SamplingError when it cannot."""
    audited = session.pool == ModerationSession.Pool.AUDITED
    return draw_sample(
        candidates(sampling_pool(term=session.term if audited else None)),
        size=session.sample_size,
        seed=session.seed,
        excluded=recently_moderated(session),
    )


class SampleLocked(Exception):
    message = "Moderators have started re-auditing this sample, so it can no longer be redrawn."


@transaction.atomic
def session_draw(session: ModerationSession) -> Sample:
    """Draw and store the sample with its codes; redrawing replaces a sample not yet in use."""
    session = ModerationSession.objects.select_for_update().get(pk=session.pk)
    if Audit.objects.filter(sampled_plan__session=session).exists():
        raise SampleLocked()
    sample = sample_preview(session)
    session.samples.all().delete()
    originals = _latest_audits(sample.plan_ids, term=session.term, pool=session.pool)
    SampledPlan.objects.bulk_create(
        [
            SampledPlan(
                session=session,
                plan_id=plan_id,
                order=order,
                code=session.sample_code(order),
                original_audit_id=originals.get(plan_id),
            )
            for order, plan_id in enumerate(sample.plan_ids, start=1)
        ]
    )
    session.sampled_at = timezone.now()
    session.sample_population = sample.population
    session.strata = [dataclasses.asdict(row) for row in sample.strata]
    session.save(update_fields=["sampled_at", "sample_population", "strata"])
    return sample


def _latest_audits(plan_ids: list[int], *, term: Period | None, pool: str) -> dict[int, int]:
    """The latest submitted audit of each plan (in the term when the pool is the term's)."""
    audits = Audit.objects.of_plans().submitted().filter(plan_id__in=plan_ids)
    if pool == ModerationSession.Pool.AUDITED:
        audits = audits.filter(term=term)
    latest = dict(
        audits.values("plan_id").annotate(last=Max("submitted_at")).values_list("plan_id", "last")
    )
    return {
        plan_id: audit_id
        for plan_id, audit_id, submitted in audits.values_list("plan_id", "pk", "submitted_at")
        if latest.get(plan_id) == submitted
    }


@transaction.atomic
def session_assign_reaudits(session: ModerationSession, *, by: User | None) -> int:
    """Give every member a moderation re-audit of every sampled plan; returns how many were new.

    Each re-audit uses the checklist version of the original audit (or the latest published
    EHCP checklist when the plan had none), so that the answers can be compared item by item.
    """
    published = ChecklistTemplate.objects.published().for_subject(ChecklistTemplate.Subject.EHCP)
    fallback = published.order_by("-published_at", "-version").first()
    existing = set(
        Audit.objects.filter(sampled_plan__session=session).values_list(
            "sampled_plan_id", "auditor_id"
        )
    )
    new: list[Audit] = []
    samples = session.samples.select_related("original_audit")
    for member in session.members.all():
        for sample in samples:
            if (sample.pk, member.pk) in existing:
                continue
            if sample.original_audit:
                template_id = sample.original_audit.template_id
            elif fallback is not None:
                template_id = fallback.pk
            else:
                continue
            new.append(
                Audit(
                    plan_id=sample.plan_id,
                    sampled_plan=sample,
                    purpose=Audit.Purpose.MODERATION,
                    template_id=template_id,
                    subject=ChecklistTemplate.Subject.EHCP,
                    auditor=member,
                    term=session.term,
                    assigned_by=by,
                )
            )
    # Bulk writes skip model signals, so the helper writes each re-audit's "created" history.
    bulk_create_with_history(new, Audit, default_user=by)
    return len(new)


@dataclass
class SessionComparison:
    overall: Agreement
    by_item: dict[str, Agreement]
    item_text: dict[str, str]
    item_order: dict[str, tuple[int, int]]  # (section, item) positions, to list in order
    most_disagreed: list[tuple[str, Agreement]]
    by_sample: dict[int, Agreement]  # sampled plan id -> agreement of its re-audits


def sessions_comparison(sessions: Iterable[ModerationSession]) -> SessionComparison:
    """Moderators' submitted re-audits against each plan's original audit, score items only,
    over one session or all the sessions of a term as one comparison."""
    samples = list(SampledPlan.objects.filter(session__in=sessions))
    originals = {s.original_audit_id: s.pk for s in samples if s.original_audit_id}
    reaudits = dict(
        Audit.objects.filter(sampled_plan__session__in=sessions)
        .submitted()
        .values_list("pk", "sampled_plan_id")
    )
    answers = Answer.objects.filter(audit_id__in=[*originals, *reaudits])
    rows = answers.with_value(TemplateItem.Kind.SCORE).values_list(
        "audit_id",
        "item__code",
        "item__text",
        "item__scale_min",
        "item__scale_max",
        "score",
        "item__section__order",
        "item__order",
    )
    original_scores: dict[tuple[int, str], int] = {}
    moderator_scores: list[tuple[int, str, int]] = []
    item_text: dict[str, str] = {}
    scale_of: dict[str, list[int]] = {}
    item_order: dict[str, tuple[int, int]] = {}
    for audit_id, code, text, low, high, score, section_order, order in rows:
        if low is None or high is None or score is None:
            continue  # not met: a score item has its scale, and with_value() gives a score
        item_text[code], scale_of[code] = text, list(range(low, high + 1))
        item_order[code] = (section_order, order)
        if audit_id in originals:
            original_scores[(originals[audit_id], code)] = score
        else:
            moderator_scores.append((reaudits[audit_id], code, score))
    triples: list[tuple[str, int, int]] = []
    per_sample: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for sample_id, code, score in moderator_scores:
        first = original_scores.get((sample_id, code))
        if first is None:
            continue
        triples.append((code, first, score))
        per_sample[sample_id].append((first, score))
    categories = sorted({point for scale in scale_of.values() for point in scale}) or [1, 2]
    by_item = agreement_by_item(triples, categories_of=scale_of)
    return SessionComparison(
        overall=agreement([(a, b) for _, a, b in triples], categories=categories),
        by_item=by_item,
        item_text=item_text,
        item_order=item_order,
        most_disagreed=most_disagreed(by_item, limit=5),
        by_sample={
            sample_id: agreement(pairs, categories=categories)
            for sample_id, pairs in per_sample.items()
        },
    )
