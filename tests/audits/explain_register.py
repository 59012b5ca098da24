"""Not a test of behaviour: EXPLAIN (ANALYZE, BUFFERS) of each query the plans register runs,
at ~20,000 plans built like the bench county's. Run by hand:
scripts/test.sh tests/audits/explain_register.py -p no:randomly -s -p no:xdist"""

import datetime
import json
import os
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AgeBand, PlacementType, Plan, PrimaryNeed
from send_qa.core.models import Team
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PLANS = int(os.environ.get("PLANS", "20000"))
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def build(people) -> None:
    rng = random.Random(2026)
    teams = [Team.objects.get(name="EHC Team North")] + [
        TeamFactory(name=f"EHC Team {n}") for n in range(1, 8)
    ]
    others = [UserFactory(roles=["caseworker"], full_name=f"Case Worker {n}") for n in range(20)]
    now = timezone.now()
    today = timezone.localdate()
    plans = []
    for n in range(1, PLANS + 1):
        audited = rng.random() < 0.55
        plans.append(
            Plan(
                case_reference=f"BENCH-{n:06d}",
                age_band=rng.choice([*AgeBand.values, ""]),
                primary_need=rng.choice(PrimaryNeed.values),
                placement_type=rng.choice(PlacementType.values),
                team=teams[n % len(teams)] if n % 50 else None,
                caseworker=people.caseworker
                if n % 7 == 0
                else (rng.choice(others) if n % 3 == 0 else None),
                next_review_due=(today + datetime.timedelta(days=rng.randint(-60, 330)))
                if n % 40
                else None,
                last_audited_at=now - datetime.timedelta(days=rng.randint(1, 1000))
                if audited
                else None,
            )
        )
    Plan.objects.bulk_create(plans, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        result = cursor.fetchone()[0]
    result = result if isinstance(result, list) else json.loads(result)
    top = result[0]
    plan = top["Plan"]
    read = sum(
        n.get("Actual Rows", 0) * n.get("Actual Loops", 1)
        for n in nodes(plan)
        if n["Node Type"] in SCANS
    )
    scans = ", ".join(
        f"{n['Node Type']} {n.get('Relation Name', '')}{'/' + n['Index Name'] if 'Index Name' in n else ''}"
        f"={n.get('Actual Rows', 0) * n.get('Actual Loops', 1)}"
        for n in nodes(plan)
        if n["Node Type"] in SCANS
    )
    sorts = [n for n in nodes(plan) if n["Node Type"] in {"Sort", "Incremental Sort"}]
    sort = f" sort={sorts[0].get('Sort Method', '')}" if sorts else ""
    buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return f"{top['Execution Time']:7.2f} ms  rows read {read:6d}  buffers {buffers:5d}{sort}  [{scans}]"


def urls(people):
    register = reverse("audits:plan_list")
    last = -(-PLANS // 50)
    yield "sendops", f"{register}?page={last}"
    yield "sendops", f"{register}?sort=audited&order=descending&not_audited=12&page={last}"
    for key in ["need", "age", "placement", "team", "caseworker", "review", "audited", "reference"]:
        for order in ["ascending", "descending"]:
            if os.environ.get("ALL") or (key, order) in {
                ("team", "ascending"),
                ("placement", "descending"),
                ("audited", "ascending"),
            }:
                yield "sendops", f"{register}?sort={key}&order={order}&page={last}"
    yield "caseworker", f"{register}"
    yield "caseworker", f"{register}?sort=audited&page={last}"


def test_explain(people, client_for):
    build(people)
    for who, url in urls(people):
        client = client_for(people[who])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        print(f"\n== {who} {url}: {len(ctx.captured_queries)} queries")
        for n, query in enumerate(ctx.captured_queries, 1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                print(f"  {n}. (write) {sql[:60]}")
                continue
            print(f"  {n}. {explain(sql)}\n      {sql[:160]}")
