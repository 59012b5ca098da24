"""Demo action plan: a Written Statement of Action shaped like seed 004's, running now."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from send_qa.core.demo import DemoArea
from wsoa.models import Action, ActionPlan, RagKey, Weakness
from wsoa.services import action_save
from wsoa.summaries import snapshot_take
from wsoa.timescales import parse_timescale

WEAKNESSES = [
    (
        "Inaccurate and incomplete records, and ineffective oversight mean that leaders did not "
        "know the whereabouts of some children and young people and what provision they have.",
        "To ensure that the authority knows where all children are placed and the type of "
        "provision commissioned and that we apply processes to confirm the quality of provision "
        "and the welfare of children and young people placed in different settings particularly "
        "those out of the authority.",
    ),
    (
        "Quality assurance is not rigorous enough to ensure effective governance and oversight "
        "across the provision and services for 0 to 25-year-olds with SEND.",
        "Robust quality assurance of plans, advice and provision, reported to the board.",
    ),
    (
        "Education Health and Care Plans (EHCP) and the annual review process are of poor quality.",
        "To ensure that the Local Authority and other partners produce a plan that clearly "
        "articulate the needs of the child/young person having taking into consideration the "
        "voice of children/young people.",
    ),
]
# weakness, improvement area, actions, success measures, lead title (or "owner"), forum, months
ACTIONS = [
    (
        1,
        "Management Oversight",
        "Realignment documentation has been completed",
        "New management structure is in place",
        "Assistant Director Education and Skills",
        "SEND Development Board",
        -4,
    ),
    (
        1,
        "Governance",
        "SEND Development Board established; membership agreed",
        "Board will receive quarterly reports on the improvement journey of the SEND Service",
        "owner",
        "SEND Development Board",
        2,
    ),
    (
        1,
        "Record keeping",
        "Review all data currently held on the system to ensure it is accurate.",
        "Reports in place and used to inform targets",
        "Strategic Lead Business Intelligence",
        "SEND Development Board",
        -1,
    ),
    (
        1,
        "Quality of provision - out of borough",
        "Review list of all out of borough placements and planning schedule to ensure all "
        "placements are monitored annually",
        "All out of borough placements will be visited once a year",
        "owner",
        "SEND Operational Group",
        3,
    ),
    (
        2,
        "Quality assurance framework",
        "Adopt the QA framework: termly EHCP audits and multi-agency moderation",
        "75% of plans judged good or better at audit in year one",
        "Head of SEND Quality",
        "SEND Operational Group",
        1,
    ),
    (
        2,
        "Commissioning",
        "Quality assure the provision purchased from independent settings",
        "Every independent placement has a current QA visit",
        "owner",
        "Joint Commissioning Group",
        -2,
    ),
    (
        3,
        "Timeliness",
        "Notify professionals of advice requests and track them weekly",
        "% of advice received within 6 weeks improves each term",
        "Statutory SEN Team Manager",
        "SEND Operational Group",
        4,
    ),
    (
        3,
        "Annual reviews",
        "Annual review tracker shared with settings each term",
        "% of EHCPs reviewed within required timescales",
        "owner",
        "SEND Operational Group",
        6,
    ),
]


def _month_end(today: datetime.date, months: int) -> str:
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    return datetime.date(year, month, 1).strftime("%b %Y")


@transaction.atomic
def seed(area: DemoArea, *, rng: random.Random | None = None) -> None:
    rng = rng or random.Random(2028)  # noqa: S311 - demo data, not security
    if ActionPlan.objects.exists():
        return
    today = timezone.localdate()
    sendops = area.users["sendops@demo.invalid"]
    owner = area.users["action-owner@demo.invalid"]
    key = RagKey.seed_default()
    statuses = list(key.statuses.rated())
    plan = ActionPlan.objects.create(
        name="Written Statement of Action 2026",
        kind=ActionPlan.Kind.WSOA,
        inspection_start=today - datetime.timedelta(days=300),
        inspection_end=today - datetime.timedelta(days=296),
        submitted_on=today - datetime.timedelta(days=230),
        revisit_due=today + datetime.timedelta(days=250),
        governance_forums="SEND Development Board\nSEND Operational Group",
        rag_key=key,
        created_by=sendops,
    )
    weaknesses = [
        Weakness.objects.create(plan=plan, number=n, text=text, aim=aim)
        for n, (text, aim) in enumerate(WEAKNESSES, start=1)
    ]
    started = today - datetime.timedelta(days=220)
    counts: dict[int, int] = {}
    for number, area_name, text, measures, lead, forum, months in ACTIONS:
        counts[number] = counts.get(number, 0) + 1
        timescale = _month_end(today, months)
        action = action_save(
            action=Action(
                weakness=weaknesses[number - 1],
                number=f"{number}.{counts[number]}",
                improvement_area=area_name,
                text=text,
                success_measures=measures,
                lead_title="" if lead == "owner" else lead,
                governance_forum=forum,
                timescale=timescale,
                created_on=started,
            ),
            initial=statuses[0],
            lead=owner if lead == "owner" else None,
            due_dates=parse_timescale(timescale).due_dates,
        )
        level, day = 0, started
        for _ in range(rng.randint(1, 4)):
            day += datetime.timedelta(days=rng.randint(25, 60))
            if day >= today:
                break
            level = max(0, min(len(statuses) - 1, level + rng.choice([1, 1, 1, 0, -1])))
            action.add_update(
                author=owner if action.lead_id else sendops,
                narrative=rng.choice(
                    [
                        "Work has started; the project group met and agreed the plan.",
                        "Progress as planned; evidence of the change is being collected.",
                        "Some delay while capacity was recruited; back on track next month.",
                        "Completed and reported to the board; impact being monitored.",
                    ]
                ),
                status=statuses[level],
                date=day,
            )
    quarter_end = today - datetime.timedelta(days=100)
    snapshot_take(plan, on=quarter_end, label="Previous quarter's monitoring", by=sendops)
