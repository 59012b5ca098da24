"""The read-only data feed (issue 23): named tokens with scopes and an expiry, the board's
figures (small numbers withheld) as JSON or CSV a page at a time, every read in the access
log, and the OpenAPI schema that describes it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from send_qa.api.models import ApiToken, Scope
from send_qa.api.tokens import token_for, token_make, token_revoke
from send_qa.core.models import AccessEvent, Period, ensure_academic_year
from tests.audits.factories import AuditFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.wsoa.factories import ActionFactory, ActionPlanFactory
from wsoa.models import ActionPlan

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind
IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def made(people, *scopes: str, name: str = "Power BI: KPI dashboard", **changes):
    return token_make(
        name=name,
        scopes=scopes or [Scope.KPIS, Scope.AUDITS, Scope.ACTIONS],
        expires_on=changes.get("expires_on", IN_A_MONTH),
        by=people.admin,
    )


def read(client, url_name: str, secret: str, **query):
    return client.get(reverse(url_name), query, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_is_kept_as_a_hash_and_works_until_revoked_or_expired(people):
    token = made(people)
    assert token.secret.startswith(f"sqa_{token.token.prefix}_")
    stored = ApiToken.objects.filter(pk=token.token.pk).values().get()
    assert token.secret not in {str(value) for value in stored.values()}
    assert token_for(token.secret) == token.token
    assert token_for(token.secret[:-1] + ("A" if token.secret[-1] != "A" else "B")) is None
    assert token_for(f"sqa_{token.token.prefix}_guess") is None
    assert token_for("") is None and token_for("not a token") is None

    token_revoke(token.token, by=people.admin)
    assert token_for(token.secret) is None
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = made(people, name="Old", expires_on=yesterday)
    assert token_for(expired.secret) is None


def test_a_token_needs_a_scope(people):
    with pytest.raises(ValueError, match="at least one scope"):
        token_make(name="None", scopes=["nonsense"], expires_on=IN_A_MONTH, by=people.admin)


def test_without_a_usable_token_the_feed_answers_401_and_never_reads_a_session(
    people, client, client_for
):
    url = reverse("api:scorecard")
    for answer in (
        client.get(url),
        client_for(people.admin).get(url),
        client.get(url, HTTP_AUTHORIZATION="Bearer sqa_0000_wrong"),
    ):
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"] == 'Bearer realm="send-qa"'
    wrong = client.get(url, HTTP_AUTHORIZATION="Bearer sqa_0000_wrong").json()
    assert "not known, or it has been revoked or has expired" in wrong["detail"]


def test_a_token_reads_only_its_scopes_and_a_refusal_is_logged(people, client):
    token = made(people, Scope.AUDITS, name="Audit dashboard")
    assert read(client, "api:audit_findings", token.secret).status_code == 200
    refused = read(client, "api:scorecard", token.secret)
    assert refused.status_code == 403
    assert "may not read this table" in refused.json()["detail"]
    event = AccessEvent.objects.filter(kind=Kind.ACCESS_REFUSED).get()
    assert (event.username, event.record, event.reference) == (
        "API token: Audit dashboard",
        "feed: scorecard",
        str(token.token.uuid),
    )


def test_every_read_is_logged_with_the_token_s_name_and_what_was_asked(people, client):
    token = made(people)
    read(client, "api:values", token.secret, period_from="2026-09-01")
    event = AccessEvent.objects.get(kind=Kind.API_READ)
    assert event.user is None
    assert (event.username, event.record, event.details) == (
        "API token: Power BI: KPI dashboard",
        "feed: values",
        "period_from=2026-09-01",
    )
    token.token.refresh_from_db()
    assert token.token.last_used_at is not None


def scorecard_data():
    """Two indicators of a finished term: one value shown, one small count withheld."""
    ensure_academic_year(2025)
    term = Period.objects.terms().filter(start__year=2025, season="autumn").get()
    shown = IndicatorFactory(code="EHCP_20WK", name="New EHCPs within 20 weeks")
    TargetFactory(indicator=shown, period_start=term.start, period_end=term.end, value=60)
    MeasurementFactory(
        indicator=shown,
        period_start=term.start,
        period_end=term.end,
        period_label=term.name,
        value=Decimal("46.4"),
        numerator=46,
        denominator=99,
    )
    small = IndicatorFactory(code="TRIBUNALS", name="Tribunal appeals", unit="count")
    MeasurementFactory(
        indicator=small,
        period_start=term.start,
        period_end=term.end,
        period_label=term.name,
        value=Decimal("3"),
    )
    return term


def test_the_scorecard_is_the_board_s_export_as_json_and_csv(people, client, client_for):
    term = scorecard_data()
    token = made(people)
    answer = read(client, "api:scorecard", token.secret, term=term.name).json()
    assert answer["about"].startswith(f"As at the end of {term.name}")
    by_code = {record["code"]: record for record in answer["results"]}
    assert by_code["EHCP_20WK"]["value"] == 46.4
    assert by_code["EHCP_20WK"]["target"] == 60.0
    assert by_code["TRIBUNALS"]["value"] == "fewer than 5"

    export = client_for(people.board).get(reverse("kpis:export_csv"), {"term": str(term.uuid)})
    exported = [
        line
        for line in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))
        if line and line[0] in by_code
    ]
    fed = read(client, "api:scorecard", token.secret, term=str(term.uuid), format="csv")
    assert fed["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(fed.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["code", "indicator", "unit"]
    assert sorted(lines[1:]) == sorted(exported), "the feed and the export are one table"


def test_a_term_or_a_date_the_feed_cannot_read_is_named(people, client):
    token = made(people)
    answer = read(client, "api:scorecard", token.secret, term="Winter 1999")
    assert answer.status_code == 400
    assert answer.json() == {
        "term": "No term is called 'Winter 1999': give a name like Autumn 2026."
    }
    answer = read(client, "api:values", token.secret, period_from="1/9/2026")
    assert answer.status_code == 400
    assert (
        "Give a date as YYYY-MM-DD, like 2026-09-01, not '1/9/2026'."
        in answer.json()["period_from"]
    )


def test_values_come_with_their_comparators_filtered_by_period_and_a_page_at_a_time(people, client):
    indicator = IndicatorFactory(code="EHCP_20WK")
    for year in (2023, 2024, 2025):
        MeasurementFactory(
            indicator=indicator,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            period_label=str(year),
            value=Decimal("50") + year - 2023,
        )
    token = made(people)
    answer = read(client, "api:values", token.secret, period_from="2024-01-01", page_size=1)
    data = answer.json()
    assert data["count"] == 2 and len(data["results"]) == 1
    assert data["results"][0]["period"] == "2024" and data["results"][0]["value"] == 51.0
    assert "england" in data["fields"] and data["results"][0]["england"] == ""
    second = client.get(data["next"], HTTP_AUTHORIZATION=f"Bearer {token.secret}").json()
    assert second["results"][0]["period"] == "2025" and second["next"] is None


def test_a_value_s_comparators_are_the_benchmark_export_s(people, client):
    from kpis.comparators import benchmark_rows
    from kpis.models import Comparator

    indicator = IndicatorFactory(code="EHCP_20WK")
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    MeasurementFactory(
        indicator=indicator,
        period_start=year[0],
        period_end=year[1],
        period_label="2025",
        value=Decimal("55"),
    )
    Comparator.objects.create(
        indicator=indicator,
        area_code="E10000032",
        area_name="West Sussex",
        period_start=year[0],
        period_end=year[1],
        period_label="2025",
        breakdown_topic="Total",
        breakdown="Total",
        headline=True,
        source="timeliness",
        value=Decimal("55.0"),
        england=Decimal("46.4"),
        region=Decimal("50.1"),
        neighbour_mean=Decimal("54.2"),
        neighbour_median=Decimal("55.0"),
        neighbours_with_data=8,
        neighbours_listed=10,
        rank=5,
        of=11,
        quartile="B",
        computed_at=timezone.now(),
    )
    (record,) = read(client, "api:values", made(people).secret).json()["results"]
    assert (record["england"], record["region"], record["rank"], record["quartile"]) == (
        46.4,
        50.1,
        5,
        "B",
    )
    assert record["neighbours_with_data"] == "8 of 10"
    (exported,) = benchmark_rows(indicator)
    assert [str(cell) for cell in exported[5:]] == [
        str(record[name])
        for name in (
            "england",
            "region",
            "neighbours_mean",
            "neighbours_median",
            "neighbours_with_data",
            "rank",
            "out_of",
            "quartile",
        )
    ]


def test_audit_findings_by_term_are_withheld_whole_when_few_were_graded(people, client):
    ensure_academic_year(2025)
    autumn, spring = (
        Period.objects.terms().filter(start__year__in=[2025, 2026]).order_by("start")[:2]
    )
    for good in (True, True, True, True, False, False):
        AuditFactory(term=autumn, status=Audit.Status.SUBMITTED, good_or_better=good, grade="Good")
    for good in (True, False, True):
        AuditFactory(term=spring, status=Audit.Status.SUBMITTED, good_or_better=good, grade="Good")
    token = made(people, Scope.AUDITS)
    rows = {
        r["term"]: r for r in read(client, "api:audit_findings", token.secret).json()["results"]
    }
    assert rows[autumn.name]["audits_graded"] == 6
    assert rows[autumn.name]["judged_good_or_better_percent"] == pytest.approx(66.7)
    assert rows[spring.name]["audits_graded"] == "withheld"
    assert rows[spring.name]["judged_good_or_better_percent"] == "withheld"
    assert rows[spring.name]["judged_good_or_better"] == "withheld"


def test_action_plans_give_their_actions_by_rag_status(people, client):
    plan = ActionPlanFactory(name="Written statement of action 2026")
    action = ActionFactory(weakness__plan=plan)
    action.due_dates.create(due=datetime.date(2026, 1, 1))
    token = made(people, Scope.ACTIONS)
    rows = read(client, "api:action_plans", token.secret, as_at="2026-12-01").json()["results"]
    assert rows and {r["action_plan"] for r in rows} == {"Written statement of action 2026"}
    assert sum(r["actions_now"] for r in rows) == 1
    assert {r["actions_overdue_in_the_plan"] for r in rows} == {1}


def more_of_everything(n: int) -> None:
    """n more indicators with a value each, audits in a finished term and actions in the one
    action plan (a plan's summary is a few queries of its own, as in the report: an area has
    one or two plans)."""
    ensure_academic_year(2025)
    term = Period.objects.terms().filter(start__year=2025).order_by("start").first()
    plan = ActionPlan.objects.first() or ActionPlanFactory()
    for _ in range(n):
        indicator = IndicatorFactory()
        MeasurementFactory(
            indicator=indicator,
            period_start=term.start,
            period_end=term.end,
            period_label=term.name,
        )
        AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=True, grade="Good")
        ActionFactory(weakness__plan=plan)


@pytest.mark.parametrize(
    "table", ["indicators", "values", "scorecard", "audit_findings", "action_plans"]
)
def test_each_table_reads_a_fixed_number_of_queries_whatever_the_data(table, people, client):
    token = made(people)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert read(client, f"api:{table}", token.secret).status_code == 200
        return len(queries)

    more_of_everything(2)
    counted()  # the first read stores what later reads keep (the scorecard's rows)
    few = counted()
    more_of_everything(12)
    counted()
    assert counted() == few


def test_the_schema_is_published_and_names_every_table_and_the_token(client):
    answer = client.get(reverse("api:schema"), {"format": "json"})
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    for url_name in ("indicators", "values", "scorecard", "audit_findings", "action_plans"):
        path = reverse(f"api:{url_name}")
        assert path in schema["paths"], path
        assert schema["paths"][path]["get"]["security"] == [{"apiToken": []}]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    scorecard = schema["components"]["schemas"]["ScorecardRow"]["properties"]
    assert {"code", "value", "rag", "england", "statistical_neighbours"} <= set(scorecard)


def test_admins_make_a_token_see_it_once_and_revoke_it(people, client_for, client):
    admin = client_for(people.admin)
    answer = admin.post(
        reverse("api:token_new"),
        {
            "name": "Power BI: board dashboard",
            "scopes": [Scope.KPIS],
            "expires_on_0": str(IN_A_MONTH.day),
            "expires_on_1": str(IN_A_MONTH.month),
            "expires_on_2": str(IN_A_MONTH.year),
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "Copy the token now" in page
    token = ApiToken.objects.get()
    secret = page.split('id="made-token" type="text" value="')[1].split('"')[0]
    assert token_for(secret) == token
    again = admin.get(reverse("api:token_list")).content.decode()
    assert secret not in again and "Power BI: board dashboard" in again
    assert AccessEvent.objects.filter(kind=Kind.API_TOKEN_MADE, reference=str(token.uuid)).exists()

    confirm = admin.get(reverse("api:token_revoke", args=[token.uuid])).content.decode()
    assert "Are you sure you want to revoke “Power BI: board dashboard”?" in confirm
    admin.post(reverse("api:token_revoke", args=[token.uuid]))
    assert token_for(secret) is None
    assert read(client, "api:scorecard", secret).status_code == 401
    assert AccessEvent.objects.filter(kind=Kind.API_TOKEN_REVOKED).count() == 1


def test_a_token_form_with_mistakes_names_each(people, client_for):
    too_late = timezone.localdate() + datetime.timedelta(days=400)
    answer = client_for(people.admin).post(
        reverse("api:token_new"),
        {
            "name": "",
            "expires_on_0": str(too_late.day),
            "expires_on_1": str(too_late.month),
            "expires_on_2": str(too_late.year),
        },
    )
    page = answer.content.decode()
    assert "Enter a name for the token" in page
    assert "Select at least one thing the token may read" in page
    assert "The last day the token works must be within a year from today" in page
    assert not ApiToken.objects.exists()
