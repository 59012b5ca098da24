"""Demo data for the audits app: a few hundred plans and audits over several terms."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from audits.models import (
    AgeBand,
    Audit,
    ChecklistTemplate,
    Plan,
    TemplateItem,
)
from audits.template_io import load_shipped_templates
from send_qa.core.models import Period

PLAN_COUNT = 300
AUDITS_PER_TERM = 40
NEED_WEIGHTS = {
    "ASD": 30,
    "SEMH": 15,
    "SLCN": 15,
    "MLD": 10,
    "SpLD": 5,
    "SLD": 7,
    "PMLD": 3,
    "PD": 4,
    "HI": 3,
    "VI": 2,
    "MSI": 1,
    "OTH": 5,
}
PLACEMENT_WEIGHTS = {
    "mainstream": 40,
    "resourced": 8,
    "maintained_special": 25,
    "independent_special": 8,
    "further_education": 8,
    "alternative_provision": 3,
    "early_years": 5,
    "home_educated": 2,
    "other": 1,
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def seed(area, *, rng: random.Random | None = None) -> None:
    rng = rng or random.Random(2026)  # noqa: S311 - demo data, not security
    load_shipped_templates()
    if Plan.objects.filter(case_reference__startswith="DEMO-").exists():
        return
    today = timezone.localdate()
    teams = [area.teams["EHC Team North"], area.teams["EHC Team South"]]
    caseworker = area.users["caseworker@demo.invalid"]
    plans = []
    for n in range(1, PLAN_COUNT + 1):
        issued = today - datetime.timedelta(days=rng.randint(60, 2000))
        plans.append(
            Plan(
                case_reference=f"DEMO-{n:05d}",
                age_band=rng.choice(AgeBand.values),
                primary_need=_weighted(rng, NEED_WEIGHTS),
                placement_type=_weighted(rng, PLACEMENT_WEIGHTS),
                setting_name=rng.choice(
                    [
                        "Oakfield Primary School",
                        "Riverside Academy",
                        "Beacon Special School",
                        "Demoshire College",
                        "Hillview Nursery",
                    ]
                ),
                team=teams[n % 2],
                caseworker=caseworker if n % 2 else None,
                assessment_requested=issued - datetime.timedelta(weeks=rng.randint(14, 30)),
                plan_issued=issued,
                last_annual_review=today - datetime.timedelta(days=rng.randint(30, 400)),
                next_review_due=today + datetime.timedelta(days=rng.randint(-60, 330)),
            )
        )
    Plan.objects.bulk_create(plans)
    template = ChecklistTemplate.objects.latest_published("EHCP QA checklist")
    if template is None:
        return
    items = list(TemplateItem.objects.filter(section__template=template))
    auditors = [area.users["auditor@demo.invalid"], caseworker]
    sendops = area.users["sendops@demo.invalid"]
    terms = list(Period.objects.terms().filter(start__lte=today).order_by("-start")[:4])
    plans = list(Plan.objects.filter(case_reference__startswith="DEMO-"))
    for age, term in enumerate(terms):
        # Plans get better term by term, and vary from plan to plan within a term.
        term_quality = 0.42 + 0.07 * (len(terms) - 1 - age)
        for plan in rng.sample(plans, AUDITS_PER_TERM):
            audit = Audit.objects.create(
                plan=plan,
                template=template,
                auditor=rng.choice(auditors),
                assigned_by=sendops,
                term=term,
            )
            if age == 0 and rng.random() < 0.4:
                continue  # this term's work not yet started
            quality = min(0.95, max(0.05, rng.gauss(term_quality, 0.15)))
            audit.save_answers(values=_answers(rng, items, quality), revision=0, by=audit.auditor)
            if age == 0 and rng.random() < 0.3:
                continue  # in progress
            audit.save_overall(
                rating=max(1, min(5, round(rng.gauss(1 + quality * 4, 0.6)))),
                comments="",
                revision=audit.revision,
            )
            audit.submit(revision=audit.revision, by=audit.auditor)


def _answers(rng: random.Random, items: list[TemplateItem], quality: float) -> dict[int, dict]:
    values = {}
    for item in items:
        if item.allow_na and rng.random() < 0.2:
            values[item.pk] = {
                "not_applicable": True,
                "yes_no": "na" if item.kind == "yes_no" else "",
            }
        elif item.kind == TemplateItem.Kind.SCORE:
            low, high = item.scale_min, item.scale_max
            score = round(rng.gauss(low + quality * (high - low), 0.8))
            values[item.pk] = {"score": max(low, min(high, score))}
        elif item.kind == TemplateItem.Kind.YES_NO:
            values[item.pk] = {"yes_no": "yes" if rng.random() < quality + 0.15 else "no"}
    return values
