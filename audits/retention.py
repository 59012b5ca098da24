"""Retention: the case-level details of plans that ceased more than RETENTION_YEARS ago are
removed, and the aggregates kept (docs/retention.md).

A ceased plan with nothing hanging on it is deleted. One with audits, advice or moderation
samples is anonymised instead, so that findings, timeliness and agreement figures for past
terms stay as they were: its case reference is replaced, its setting and caseworker cleared,
the free text written about it (comments, notes, reasons) emptied, and the change history of
all of these deleted, since it holds the old values.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audits.models import Advice, Answer, Audit, Plan, SampledPlan
from audits.models.figures import TermFigures

ANONYMISED_PREFIX = "REMOVED-"
# The models whose change history retention deletes (the database's app role may delete it).
HISTORY_FORGOTTEN = (Plan, Audit, Answer, SampledPlan, Advice)


@dataclass
class RetentionReport:
    cutoff: datetime.date
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        verb = "Would" if self.dry_run else "Did"
        heading = (
            f"{verb} apply retention to plans that ceased before {self.cutoff:%-d %B %Y} "
            f"({settings.RETENTION_YEARS} years):"
        )
        return [heading, *(f"  {what}: {count}" for what, count in self.counts.items())]


def retention_cutoff(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def plans_past_retention(cutoff: datetime.date) -> QuerySet[Plan]:
    return Plan.objects.filter(is_active=False, ceased_on__lt=cutoff).exclude(
        case_reference__startswith=ANONYMISED_PREFIX
    )


@transaction.atomic
def retention_apply(*, on: datetime.date | None = None, dry_run: bool = False) -> RetentionReport:
    cutoff = retention_cutoff(on or timezone.localdate(), settings.RETENTION_YEARS)
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    expired = plans_past_retention(cutoff)
    kept = Q(audits__isnull=False) | Q(advice__isnull=False) | Q(moderation_samples__isnull=False)
    to_delete = list(expired.exclude(pk__in=Plan.objects.filter(kept)).values_list("pk", flat=True))
    to_anonymise = list(
        expired.exclude(pk__in=to_delete).select_for_update().values_list("pk", "uuid")
    )
    plan_ids = [pk for pk, _ in to_anonymise]
    audits = Audit.objects.filter(plan_id__in=plan_ids)
    audit_ids = list(audits.values_list("pk", flat=True))
    answers = Answer.objects.filter(audit_id__in=audit_ids)
    samples = SampledPlan.objects.filter(plan_id__in=plan_ids)
    report.counts = {
        "plans deleted": len(to_delete),
        "plans anonymised": len(plan_ids),
        "audits cleared of comments": audits.count(),
        "answers cleared of text": answers.exclude(text="", comment="", extras={}).count(),
        "moderation notes cleared": samples.exclude(agreed_notes="").count(),
    }
    if dry_run:
        return report
    Plan.objects.filter(pk__in=to_delete).delete()
    # After the deletion, which adds a last history entry of its own.
    history_rows = Plan.history.filter(id__in=[*to_delete, *plan_ids]).delete()[0]
    for pk, plan_uuid in to_anonymise:
        Plan.objects.filter(pk=pk).update(
            case_reference=f"{ANONYMISED_PREFIX}{plan_uuid.hex[:12]}",
            setting_name="",
            caseworker=None,
        )
    audits.update(final_comments="", reopen_reason="")
    answers.update(text="", comment="", extras={})
    samples.update(agreed_notes="")
    history_rows += Audit.history.filter(id__in=audit_ids).delete()[0]
    history_rows += Answer.history.filter(audit_id__in=audit_ids).delete()[0]
    history_rows += SampledPlan.history.filter(plan_id__in=plan_ids).delete()[0]
    history_rows += Advice.history.filter(plan_id__in=plan_ids).delete()[0]
    report.counts["history entries deleted"] = history_rows
    TermFigures.objects.changed_everywhere()  # counted again from what is kept
    return report
