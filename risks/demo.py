"""Demo risk register: six SEND risks of the kind a local area's register holds, two of them
re-scored this term so that the history and the report's "score changed" list show something."""

import datetime

from django.db import transaction
from django.utils import timezone

from risks.models import Risk
from send_qa.core.demo import DemoArea

# title, cause, consequence, owner email, owner's role, likelihood, impact, controls,
# target likelihood, target impact, review in days, (likelihood, impact) before this term's review
RISKS = [
    (
        "Rising demand for EHC needs assessments outstrips educational psychology capacity",
        "Requests for EHC needs assessments have risen by a quarter in two years while the "
        "number of educational psychologists has not.",
        "Advice is late, so plans miss the 20-week timescale and children wait longer for the "
        "right provision.",
        "auditor@demo.invalid",
        "Principal Educational Psychologist",
        4,
        4,
        "Locum educational psychologists commissioned; assessment requests triaged weekly.",
        2,
        3,
        30,
        (3, 4),
    ),
    (
        "Not enough specialist school places in the county",
        "Growth in children with autism and social, emotional and mental health needs is faster "
        "than the planned expansion of special school places.",
        "More children placed out of county or in independent settings, far from home and at "
        "high cost.",
        "sendops@demo.invalid",
        "Head of SEND",
        4,
        5,
        "Sufficiency plan agreed; two resourced provisions opening next September.",
        3,
        3,
        60,
        None,
    ),
    (
        "High needs block deficit limits what the local area can commission",
        "High needs spending exceeds the Dedicated Schools Grant allocation each year.",
        "Services are reduced or delayed; the council's finances are at risk.",
        "sendops@demo.invalid",
        "Director of Education",
        5,
        4,
        "Deficit management plan with the DfE; monthly budget monitoring at SENDOPS.",
        3,
        4,
        45,
        None,
    ),
    (
        "Health advice for EHC needs assessments is not returned within six weeks",
        "Vacancies in community paediatrics and speech and language therapy.",
        "Plans are issued late or without health advice, and health needs are missed.",
        "action-owner@demo.invalid",
        "Designated Clinical Officer",
        3,
        3,
        "Designated Clinical Officer tracks each request; escalation at 4 weeks.",
        2,
        2,
        -10,
        (4, 3),
    ),
    (
        "Annual reviews are not completed on time",
        "EHC coordinators' caseloads are above 180 plans each.",
        "Plans go out of date and do not reflect children's current needs and outcomes.",
        "sendops@demo.invalid",
        "EHC Service Manager",
        3,
        2,
        "Annual review tracker reviewed monthly; temporary coordinators in EHC Team South.",
        2,
        2,
        90,
        None,
    ),
    (
        "Preparation for adulthood starts too late",
        "Transition planning is not routinely started at the Year 9 annual review.",
        "Young people reach 18 without clear plans for employment, housing and health.",
        "sendops@demo.invalid",
        "Head of SEND",
        2,
        2,
        "Preparation for adulthood pathway launched; Year 9 reviews audited each term.",
        1,
        2,
        120,
        None,
    ),
]


@transaction.atomic
def seed(area: DemoArea) -> None:
    if Risk.objects.exists():
        return
    today = timezone.localdate()
    now = timezone.now()
    for (
        title,
        cause,
        consequence,
        email,
        owner_title,
        likelihood,
        impact,
        controls,
        target_likelihood,
        target_impact,
        review_in,
        before,
    ) in RISKS:
        risk = Risk(
            title=title,
            cause=cause,
            consequence=consequence,
            owner=area.users[email],
            owner_title=owner_title,
            likelihood=before[0] if before else likelihood,
            impact=before[1] if before else impact,
            controls=controls,
            target_likelihood=target_likelihood,
            target_impact=target_impact,
            review_date=today + datetime.timedelta(days=review_in),
        )
        risk._history_date = now - datetime.timedelta(days=200)  # type: ignore[attr-defined]  # read by simple-history
        risk._history_user = area.users["sendops@demo.invalid"]  # type: ignore[attr-defined]
        risk.save()
        if before:
            risk.likelihood, risk.impact = likelihood, impact
            risk._history_date = now - datetime.timedelta(days=20)  # type: ignore[attr-defined]
            risk.save()
