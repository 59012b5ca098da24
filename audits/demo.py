"""Demo data for the audits app: a few hundred plans and audits over several terms."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from audits.models import (
    Advice,
    AdviceService,
    AgeBand,
    Audit,
    ChecklistTemplate,
    ModerationSession,
    Plan,
    Profession,
    TemplateItem,
)
from audits.moderation import session_assign_reaudits, session_draw
from audits.peer_moderation import cycles_of_year
from audits.register import keep_last_audited
from audits.template_io import load_shipped_templates
from send_qa.core.demo import DemoArea
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
def seed(area: DemoArea, *, rng: random.Random | None = None) -> None:
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
            audit.save_answers(
                values=_answers(rng, items, quality), version=audit.edit_version(), by=audit.auditor
            )
            if age == 0 and rng.random() < 0.3:
                continue  # in progress
            audit.save_overall(
                rating=max(1, min(5, round(rng.gauss(1 + quality * 4, 0.6)))),
                comments="",
                version=audit.edit_version(),
            )
            audit.submit(version=audit.edit_version(), by=audit.auditor)
    _seed_advice(rng, area, plans, today)
    _seed_peer_moderation(rng, area, today)
    _seed_moderation(rng, area, terms, today)
    _seed_local_offer(rng, area, terms, today)


def _backdate(audit: Audit, day: datetime.date) -> None:
    """Demo audits happened in the past: move their dates there."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    Audit.objects.filter(pk=audit.pk).update(
        assigned_at=moment, submitted_at=moment if audit.is_submitted else None
    )
    if audit.plan_id:
        keep_last_audited([audit.plan_id])  # an update sends no signal


def _score(
    rng: random.Random,
    audit: Audit,
    items: list[TemplateItem],
    quality: float,
    *,
    submit: bool = True,
) -> None:
    audit.save_answers(values=_answers(rng, items, quality), version=audit.edit_version())
    if audit.template.has_overall_rating:
        audit.save_overall(
            rating=max(1, min(5, round(rng.gauss(1 + quality * 4, 0.6)))),
            comments="",
            version=audit.edit_version(),
        )
    if submit:
        audit.submit(version=audit.edit_version(), by=audit.auditor)


SERVICES = [
    ("Oakfield Primary School", Profession.EDUCATION_SETTING, 0.85),
    ("Demoshire Educational Psychology Service", Profession.EDUCATIONAL_PSYCHOLOGY, 0.75),
    ("Children's Therapies", Profession.HEALTH_THERAPIES, 0.55),
    ("Community Paediatrics", Profession.HEALTH_PAEDIATRICS, 0.6),
    ("CAMHS", Profession.HEALTH_CAMHS, 0.45),
    ("Disabled Children's Social Care", Profession.SOCIAL_CARE, 0.5),
]


def _seed_advice(
    rng: random.Random, area: DemoArea, plans: list[Plan], today: datetime.date
) -> None:
    """Advice requests over the last year, more or less on time by service; some scored."""
    services = [
        AdviceService.objects.get_or_create(
            name=name,
            defaults={
                "profession": profession,
                "contact_email": f"advice-{profession.replace('_', '-')}@demo.invalid",
            },
        )[0]
        for name, profession, _ in SERVICES
    ]
    on_time = {service.pk: rate for service, (_, _, rate) in zip(services, SERVICES, strict=True)}
    advice = []
    for plan in rng.sample(plans, 120):
        requested = today - datetime.timedelta(days=rng.randint(0, 360))
        for service in rng.sample(services, rng.randint(1, 3)):
            due = requested + datetime.timedelta(weeks=6)
            received = None
            if due <= today or rng.random() < 0.3:
                if rng.random() < on_time[service.pk]:
                    received = requested + datetime.timedelta(days=rng.randint(20, 42))
                elif rng.random() < 0.8:
                    received = due + datetime.timedelta(days=rng.randint(1, 40))
            if received and received > today:
                received = None
            advice.append(
                Advice(plan=plan, service=service, requested=requested, due=due, received=received)
            )
    Advice.objects.bulk_create(advice)
    tool = ChecklistTemplate.objects.latest_published("Advice writing QA tool")
    if tool is None:
        return
    items = list(TemplateItem.objects.filter(section__template=tool))
    auditor = area.users["auditor@demo.invalid"]
    answered = [
        (item, item.received)
        for item in Advice.objects.filter(received__isnull=False).order_by("pk")
        if item.received is not None
    ]
    for item, received_on in rng.sample(answered, min(40, len(answered))):
        audit = Audit.objects.create(
            plan=item.plan,
            advice=item,
            template=tool,
            auditor=auditor,
            term=Period.objects.current_term(on=received_on),
            assigned_by=area.users["sendops@demo.invalid"],
        )
        _score(rng, audit, items, min(0.95, max(0.1, rng.gauss(0.6, 0.15))))
        _backdate(audit, received_on + datetime.timedelta(days=7))


def _seed_peer_moderation(rng: random.Random, area: DemoArea, today: datetime.date) -> None:
    """Two peer moderations a cycle per team, with the odd cycle missed, and one under way."""
    template = ChecklistTemplate.objects.latest_published("EHCP QA checklist")
    if template is None:
        return
    items = list(TemplateItem.objects.filter(section__template=template))
    caseworker = area.users["caseworker@demo.invalid"]
    for team in (area.teams["EHC Team North"], area.teams["EHC Team South"]):
        team_plans = list(Plan.objects.filter(team=team, is_active=True))
        cycles = cycles_of_year(today)
        for cycle in cycles:
            current = cycle is cycles[-1]
            count = 1 if current else (1 if rng.random() < 0.25 else 2)
            for _ in range(count):
                audit = Audit.objects.create(
                    plan=rng.choice(team_plans),
                    template=template,
                    purpose=Audit.Purpose.PEER_MODERATION,
                    auditor=caseworker,
                    assigned_by=caseworker,
                    term=Period.objects.current_term(on=cycle.start),
                )
                _score(rng, audit, items, rng.uniform(0.45, 0.8), submit=not current)
                _backdate(audit, min(today, cycle.start + datetime.timedelta(days=14)))


def _seed_moderation(
    rng: random.Random, area: DemoArea, terms: list[Period], today: datetime.date
) -> None:
    """Last term's moderation session, done, and this term's, planned."""
    if len(terms) < 2:
        return
    sendops = area.users["sendops@demo.invalid"]
    moderator = area.users["auditor@demo.invalid"]
    last_term, this_term = terms[1], terms[0]
    done = ModerationSession.objects.create(
        date=last_term.end - datetime.timedelta(days=20),
        term=last_term,
        seed=20260301,
        created_by=sendops,
        themes="Health and social care outcomes were often not SMART.\n"
        "Provision in section F was well quantified in most plans.",
        agreed_actions="Workshop on writing SMART outcomes for health and social care "
        "colleagues before the next session (Designated Clinical Officer).",
        learning="Check that every need in section B has matching provision in section F.",
    )
    done.members.set([moderator])
    session_draw(done)
    session_assign_reaudits(done, by=sendops)
    for audit in Audit.objects.filter(sampled_plan__session=done).select_related("template"):
        items = list(TemplateItem.objects.filter(section__template=audit.template))
        _score(rng, audit, items, rng.uniform(0.5, 0.75))
    for sample in done.samples.select_related("original_audit"):
        original = sample.original_audit
        sample.agreed_grade = original.grade if original and original.grade else "Good"
        sample.save()
    planned = ModerationSession.objects.create(
        date=min(this_term.end, today + datetime.timedelta(days=21)),
        term=this_term,
        created_by=sendops,
    )
    planned.members.set([moderator])


def _seed_local_offer(
    rng: random.Random, area: DemoArea, terms: list[Period], today: datetime.date
) -> None:
    """Last year's Local Offer compliance check, with actions for the requirements not met."""
    template = ChecklistTemplate.objects.latest_published("Local Offer compliance check")
    if template is None or not terms:
        return
    audit = Audit.objects.start_local_offer_check(
        template=template,
        by=area.users["sendops@demo.invalid"],
        term=terms[-1],
        title="Local Offer compliance check (demo)",
    )
    values: dict[int, dict[str, object]] = {}
    for item in TemplateItem.objects.filter(section__template=template):
        choice = rng.choices(["full", "partial", "not_compliant"], weights=[6, 3, 1])[0]
        extras: dict[str, object] = {"must_should": ["Must"]}
        if choice != "full":
            extras |= {
                "action": "Review this part of the Local Offer with the parent carer forum",
                "who": "Local Offer officer",
                "by_when": (today + datetime.timedelta(days=rng.randint(30, 180))).isoformat(),
            }
        values[item.pk] = {"choice": choice, "extras": extras}
    audit.save_answers(values=values, version=audit.edit_version(), by=audit.auditor)
    audit.submit(version=audit.edit_version(), by=audit.auditor)
    _backdate(audit, terms[-1].end - datetime.timedelta(days=14))


def _answers(
    rng: random.Random, items: list[TemplateItem], quality: float
) -> dict[int, dict[str, object]]:
    values: dict[int, dict[str, object]] = {}
    for item in items:
        if item.allow_na and rng.random() < 0.2:
            values[item.pk] = {"not_applicable": True}
        elif (
            item.kind == TemplateItem.Kind.SCORE
            and item.scale_min is not None
            and item.scale_max is not None
        ):
            low, high = item.scale_min, item.scale_max
            score = round(rng.gauss(low + quality * (high - low), 0.8))
            values[item.pk] = {"score": max(low, min(high, score))}
        elif item.kind == TemplateItem.Kind.YES_NO:
            values[item.pk] = {"yes_no": "yes" if rng.random() < quality + 0.15 else "no"}
    return values
