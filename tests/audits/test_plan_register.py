"""The plans register as a place to choose plans for a term: sorting by every column, the
caseworker and "not audited in the last N months" filters, and assigning every plan that
matches the filters at once."""

import datetime
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.manager import HistoryManager

from audits.models import Audit, Plan
from audits.register import (
    SORT_KEYS,
    RegisterFilters,
    not_audited_in_the_last,
    not_audited_since,
    register_plans,
    sorted_plans,
)
from audits.views.plans import PLANS_PER_PAGE
from send_qa.core.models import Period, Team, User, ensure_academic_year
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.factories import TeamFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

REGISTER = reverse("audits:plan_list")
MATCHING = reverse("audits:assign_matching")


def references(response) -> list[str]:
    """The case references of the register's rows, in the order shown."""
    return re.findall(
        r'href="/plans/[0-9a-f-]{36}/(?:\?[^"]*)?">(EHC-[A-Z0-9-]+)</a>', response.content.decode()
    )


def local_moment(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def submitted(plan, on: datetime.datetime, **extra) -> Audit:
    return AuditFactory(plan=plan, status=Audit.Status.SUBMITTED, submitted_at=on, **extra)


# Sorting


@pytest.mark.parametrize(
    ("sort", "values", "ascending"),
    [
        ("need", {"primary_need": ["SEMH", "ASD", "MLD"]}, ["ASD", "MLD", "SEMH"]),
        # Age bands in the order of their ages, not of their text ("11-15" < "5-10").
        ("age", {"age_band": ["11-15", "5-10", "0-4"]}, ["0-4", "5-10", "11-15"]),
        # Placements by the words shown: "Early years" before "Mainstream" before "Other".
        (
            "placement",
            {"placement_type": ["other", "mainstream", "early_years"]},
            ["early_years", "mainstream", "other"],
        ),
    ],
)
def test_each_column_sorts_both_ways_with_ties_in_case_reference_order(
    people, client_for, sort, values, ascending
):
    (field, given), client = next(iter(values.items())), client_for(people.sendops)
    for n, value in enumerate(given):
        # Two plans of each value, made in the opposite order to their references.
        PlanFactory(case_reference=f"EHC-{n}-B", **{field: value})
        PlanFactory(case_reference=f"EHC-{n}-A", **{field: value})
    by_value = {value: n for n, value in enumerate(given)}
    expected = [f"EHC-{by_value[v]}-{t}" for v in ascending for t in "AB"]
    up = client.get(REGISTER, {"sort": sort})
    assert references(up) == expected
    down = client.get(REGISTER, {"sort": sort, "order": "descending"})
    # Descending reverses the column; ties stay in case reference order.
    assert references(down) == [f"EHC-{by_value[v]}-{t}" for v in reversed(ascending) for t in "AB"]


def test_team_caseworker_and_review_sort_with_the_empty_ones_last(people, client_for):
    client = client_for(people.sendops)
    today = timezone.localdate()
    alpha, beta = TeamFactory(name="Alpha team"), TeamFactory(name="Beta team")
    ann, bob = UserFactory(full_name="Ann Ash"), UserFactory(full_name="Bob Birch")
    PlanFactory(case_reference="EHC-X", team=beta, caseworker=ann)
    PlanFactory(case_reference="EHC-Y", team=None, caseworker=None, next_review_due=today)
    PlanFactory(
        case_reference="EHC-Z",
        team=alpha,
        caseworker=bob,
        next_review_due=today - datetime.timedelta(days=1),
    )
    assert references(client.get(REGISTER, {"sort": "team"})) == ["EHC-Z", "EHC-X", "EHC-Y"]
    down = client.get(REGISTER, {"sort": "team", "order": "descending"})
    assert references(down) == ["EHC-X", "EHC-Z", "EHC-Y"]
    assert references(client.get(REGISTER, {"sort": "caseworker"})) == ["EHC-X", "EHC-Z", "EHC-Y"]
    assert references(client.get(REGISTER, {"sort": "review"})) == ["EHC-Z", "EHC-Y", "EHC-X"]
    down = client.get(REGISTER, {"sort": "reference", "order": "descending"})
    assert references(down) == ["EHC-Z", "EHC-Y", "EHC-X"]


def test_last_audited_sorts_never_audited_as_the_oldest(people, client_for):
    client = client_for(people.sendops)
    now = timezone.now()
    never, old, recent = (PlanFactory(case_reference=f"EHC-{n}") for n in ("C", "B", "A"))
    submitted(old, now - datetime.timedelta(days=400))
    submitted(recent, now - datetime.timedelta(days=10))
    # An open audit, and a moderation re-audit, are not the plan being audited.
    AuditFactory(plan=never)
    submitted(never, now, purpose=Audit.Purpose.MODERATION)
    up = client.get(REGISTER, {"sort": "audited"})
    assert references(up) == ["EHC-C", "EHC-B", "EHC-A"]
    assert "Never" in up.content.decode()
    down = client.get(REGISTER, {"sort": "audited", "order": "descending"})
    assert references(down) == ["EHC-A", "EHC-B", "EHC-C"]


def test_headers_are_links_that_keep_the_filters_and_mark_the_sorted_column(people, client_for):
    PlanFactory(case_reference="EHC-ONE", primary_need="ASD")
    html = (
        client_for(people.sendops)
        .get(REGISTER, {"need": "ASD", "sort": "need", "page": "1"})
        .content.decode()
    )
    headers = re.findall(r"<th [^>]*app-sortable[^>]*>\s*<a[^>]*>", html)
    assert len(headers) == 8
    sorted_ones = [h for h in headers if "aria-sort" in h]
    assert len(sorted_ones) == 1 and 'aria-sort="ascending"' in sorted_ones[0]
    # The sorted column's link turns the order round; the others sort ascending; all keep the
    # filter and start again at page 1.
    assert 'href="?need=ASD&amp;sort=need&amp;order=descending"' in sorted_ones[0]
    assert 'href="?need=ASD&amp;sort=team&amp;order=ascending"' in html
    assert all("page=" not in h for h in headers)
    # The filter form keeps the sort.
    assert '<input type="hidden" name="sort" value="need">' in html


def test_the_next_page_keeps_the_sort_and_the_filters(people, client_for):
    for n in range(PLANS_PER_PAGE + 2):
        PlanFactory(case_reference=f"EHC-P{n:03d}", primary_need="SEMH")
    PlanFactory(case_reference="EHC-OTHER", primary_need="ASD")
    client = client_for(people.sendops)
    query = {"need": "SEMH", "sort": "reference", "order": "descending"}
    first = client.get(REGISTER, query).content.decode()
    assert "need=SEMH&amp;sort=reference&amp;order=descending&amp;page=2" in first
    second = client.get(REGISTER, {**query, "page": "2"})
    assert references(second) == ["EHC-P001", "EHC-P000"]


# Filters


def test_not_audited_since_counts_whole_months_back_to_the_same_day():
    assert not_audited_since(3, today=datetime.date(2026, 5, 15)) == datetime.date(2026, 2, 15)
    assert not_audited_since(3, today=datetime.date(2026, 5, 31)) == datetime.date(2026, 2, 28)
    assert not_audited_since(12, today=datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)
    assert not_audited_since(6, today=datetime.date(2026, 1, 10)) == datetime.date(2025, 7, 10)


def test_not_audited_in_the_last_months_draws_the_line_at_the_first_day():
    today = datetime.date(2026, 5, 15)
    first_day = datetime.date(2026, 2, 15)
    on_the_day, day_before, never, open_only, re_audited = (
        PlanFactory(case_reference=f"EHC-{n}") for n in range(5)
    )
    submitted(on_the_day, local_moment(first_day))
    submitted(day_before, local_moment(first_day - datetime.timedelta(days=1), 23, 59))
    AuditFactory(plan=open_only, assigned_at=local_moment(today))
    submitted(re_audited, local_moment(today), purpose=Audit.Purpose.MODERATION)
    found = not_audited_in_the_last(Plan.objects.all(), 3, today=today)
    assert set(found) == {day_before, never, open_only, re_audited}


def test_the_register_filters_by_months_not_audited_and_by_caseworker(people, client_for):
    client = client_for(people.sendops)
    now = timezone.now()
    ann = UserFactory(full_name="Ann Ash", roles=["caseworker"])
    recent = PlanFactory(case_reference="EHC-RECENT", caseworker=ann)
    older = PlanFactory(case_reference="EHC-OLDER", caseworker=ann)
    PlanFactory(case_reference="EHC-NEVER")
    submitted(recent, now - datetime.timedelta(days=120))
    submitted(older, now - datetime.timedelta(days=250))
    three = client.get(REGISTER, {"not_audited": "3"})
    assert references(three) == ["EHC-NEVER", "EHC-OLDER", "EHC-RECENT"]
    six = client.get(REGISTER, {"not_audited": "6"})
    assert references(six) == ["EHC-NEVER", "EHC-OLDER"]
    assert references(client.get(REGISTER, {"not_audited": "12"})) == ["EHC-NEVER"]
    # A number not offered is no filter at all.
    assert len(references(client.get(REGISTER, {"not_audited": "1"}))) == 3
    html = client.get(REGISTER, {"caseworker": str(ann.uuid)}).content.decode()
    assert f'<option value="{ann.uuid}" selected>Ann Ash</option>' in html
    by_ann = client.get(REGISTER, {"caseworker": str(ann.uuid), "not_audited": "6"})
    assert references(by_ann) == ["EHC-OLDER"]


def test_a_caseworker_sorts_and_filters_their_own_teams_plans_only(people, client_for):
    team = people.caseworker.team
    PlanFactory(case_reference="EHC-MINE-B", team=team, caseworker=people.caseworker)
    PlanFactory(case_reference="EHC-MINE-A", team=team)
    PlanFactory(case_reference="EHC-THEIRS", caseworker=people.caseworker)
    client = client_for(people.caseworker)
    found = client.get(REGISTER, {"sort": "caseworker", "order": "descending"})
    assert references(found) == ["EHC-MINE-B", "EHC-MINE-A"]
    assert references(client.get(REGISTER, {"sort": "audited"})) == ["EHC-MINE-A", "EHC-MINE-B"]
    assert "Assign the" not in found.content.decode()


def test_a_plan_a_caseworker_audits_twice_is_listed_once_and_a_re_audit_shows_none(
    people, client_for
):
    """Plans of another team show for the audits given to the caseworker (peer moderation),
    once however many; a moderation re-audit never shows its plan."""
    PlanFactory(case_reference="EHC-MINE", team=people.caseworker.team)
    peer = PlanFactory(case_reference="EHC-PEER")
    for _ in range(2):
        AuditFactory(plan=peer, auditor=people.caseworker, purpose=Audit.Purpose.PEER_MODERATION)
    moderated = PlanFactory(case_reference="EHC-MODERATED")
    AuditFactory(plan=moderated, auditor=people.caseworker, purpose=Audit.Purpose.MODERATION)
    found = client_for(people.caseworker).get(REGISTER)
    assert references(found) == ["EHC-MINE", "EHC-PEER"]
    assert "2 plans" in found.content.decode()
    assert set(Plan.objects.visible_to(people.caseworker)) == {
        peer,
        Plan.objects.get(case_reference="EHC-MINE"),
    }


# Assigning every plan that matches


@pytest.fixture
def checklist_and_term():
    ensure_academic_year(2025)
    return small_template(), Period.objects.terms().first()


def choices(people, template, term, matching):
    return {
        "auditor": people.auditor.pk,
        "template": template.pk,
        "term": term.pk,
        "matching": matching,
    }


def test_assigning_the_matching_plans_assigns_exactly_them_on_every_page(
    people, client_for, checklist_and_term
):
    template, term = checklist_and_term
    matching = [PlanFactory(primary_need="SEMH") for _ in range(PLANS_PER_PAGE + 5)]
    others = [PlanFactory(primary_need="ASD") for _ in range(3)]
    already = matching[0]
    Audit.objects.assign(
        plans=[already], auditor=people.auditor, template=template, term=term, by=people.sendops
    )
    ceased = matching[1]
    ceased.is_active = False
    ceased.save()
    client = client_for(people.sendops)
    register = client.get(REGISTER, {"need": "SEMH", "sort": "need", "page": "2"})
    link = f'href="{MATCHING}?need=SEMH"'
    assert link in register.content.decode()
    assert f"Assign the {len(matching)} plans that match these filters" in register.content.decode()
    page = client.get(MATCHING, {"need": "SEMH"}).content.decode()
    assert f"Assign the {len(matching)} plans that match these filters" in page
    assert "SEMH: Social, emotional and mental health" in page
    before = Audit.history.count()
    done = client.post(
        f"{MATCHING}?need=SEMH", choices(people, template, term, len(matching)), follow=True
    )
    html = done.content.decode()
    assigned = len(matching) - 2
    assert done.redirect_chain[-1][0] == reverse("audits:audit_list")
    assert f"{assigned} audits assigned to {people.auditor}" in html
    assert (
        f"2 plans not assigned: 1 plan already has a Small checklist audit in {term.name} "
        "and 1 plan ceased." in html
    )
    audited = set(Audit.objects.filter(term=term).values_list("plan_id", flat=True))
    assert audited == {p.pk for p in matching if p != ceased}
    assert not audited & {p.pk for p in others}
    assert Audit.history.count() - before == assigned
    assert set(Audit.history.values_list("history_user", flat=True)) == {people.sendops.pk}


def test_a_selection_that_changed_since_the_page_opened_is_shown_again_not_assigned(
    people, client_for, checklist_and_term
):
    template, term = checklist_and_term
    for _ in range(3):
        PlanFactory(primary_need="SEMH")
    client = client_for(people.sendops)
    PlanFactory(primary_need="SEMH")  # imported by someone else meanwhile
    response = client.post(f"{MATCHING}?need=SEMH", choices(people, template, term, 3))
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed since you opened this page: nothing was assigned" in html
    assert "Assign the 4 plans that match these filters" in html
    assert 'name="matching" value="4"' in html
    assert not Audit.objects.exists()


def test_nothing_is_half_saved_when_the_assignment_fails(people, client_for, checklist_and_term):
    template, term = checklist_and_term
    for _ in range(4):
        PlanFactory(primary_need="SEMH")
    client = client_for(people.sendops)
    with (
        mock.patch.object(HistoryManager, "bulk_history_create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        client.post(f"{MATCHING}?need=SEMH", choices(people, template, term, 4))
    assert not Audit.objects.exists()


def test_the_matching_page_asks_for_the_auditor_and_keeps_the_filters(
    people, client_for, checklist_and_term
):
    template, term = checklist_and_term
    PlanFactory(primary_need="SEMH", case_reference="EHC-ONLY")
    client = client_for(people.sendops)
    data = choices(people, template, term, 1)
    del data["auditor"]
    response = client.post(f"{MATCHING}?need=SEMH&q=ONLY", data)
    html = response.content.decode()
    assert "Select the auditor who will score these plans" in html
    assert f'action="{MATCHING}?q=ONLY&amp;need=SEMH"' in html
    assert not Audit.objects.exists()


def test_no_matching_plans_goes_back_to_the_register_saying_so(people, client_for):
    PlanFactory(primary_need="ASD")
    response = client_for(people.sendops).get(MATCHING, {"need": "SEMH"}, follow=True)
    assert response.redirect_chain[0][0] == f"{REGISTER}?need=SEMH"
    assert "No plans match these filters" in response.content.decode()


def test_ticks_on_one_page_still_assign_a_hand_picked_selection(
    people, client_for, checklist_and_term
):
    template, term = checklist_and_term
    plans = PlanFactory.create_batch(3)
    html = client_for(people.sendops).get(REGISTER).content.decode()
    assert html.count('name="plans" type="checkbox"') == 3
    client_for(people.sendops).post(
        reverse("audits:assign"),
        {"plans": [plans[0].uuid], "confirm": "1", **choices(people, template, term, 0)},
    )
    assert list(Audit.objects.values_list("plan_id", flat=True)) == [plans[0].pk]


# A fixed number of queries


def test_the_register_and_the_matching_page_run_a_fixed_number_of_queries(people, client_for):
    ensure_academic_year(2025)
    client = client_for(people.sendops)
    now = timezone.now()
    urls = [
        REGISTER,
        f"{REGISTER}?sort=audited&order=descending&not_audited=6",
        f"{REGISTER}?sort=placement&caseworker={people.caseworker.uuid}",
        f"{MATCHING}?need=ASD&not_audited=3",
        # The last page: the first page while there is one, read from the end once there are more.
        f"{REGISTER}?page=99",
        f"{REGISTER}?sort=team&order=descending&page=99",
        f"{REGISTER}?sort=age&not_audited=6&page=99",
    ]

    def plans(count):
        for _ in range(count):
            plan = PlanFactory(team=TeamFactory(), caseworker=UserFactory(roles=["caseworker"]))
            submitted(plan, now - datetime.timedelta(days=300))
        PlanFactory(caseworker=people.caseworker)

    plans(2)
    few = [page_queries(client, url) for url in urls]
    plans(30)
    PlanFactory.create_batch(2 * PLANS_PER_PAGE)
    assert [page_queries(client, url) for url in urls] == few


# Deep pages: the same rows as the plain sorted list, read from the nearer end


def a_register_with_ties_and_gaps(people) -> None:
    """Enough plans for five pages, with ties on every column, empty values of each kind, and
    plans the caseworker sees through their team and through an audit given to them."""
    now = timezone.now()
    teams = [people.caseworker.team, TeamFactory(name="Alpha team"), TeamFactory(name="Beta")]
    others = [UserFactory(full_name=name, roles=["caseworker"]) for name in ("Ann", "Bob")]
    caseworkers = [people.caseworker, *others, None]
    plans = [
        Plan(
            case_reference=f"EHC-{(n * 37) % 230:03d}",
            primary_need=["ASD", "SEMH", "MLD"][n % 3],
            age_band=["11-15", "5-10", "", "0-4"][n % 4],
            placement_type=["other", "mainstream", "early_years"][n % 3],
            team=None if n % 11 == 0 else teams[n % 3],
            caseworker=caseworkers[n % 4],
            next_review_due=None if n % 5 == 0 else now.date() + datetime.timedelta(days=n % 6),
            last_audited_at=None if n % 4 == 0 else now - datetime.timedelta(days=30 * (n % 16)),
        )
        for n in range(230)
    ]
    Plan.objects.bulk_create(plans)
    for plan in Plan.objects.exclude(team=people.caseworker.team)[:3]:
        AuditFactory(plan=plan, auditor=people.caseworker, purpose=Audit.Purpose.PEER_MODERATION)


@pytest.mark.parametrize("who", ["sendops", "caseworker"])
def test_every_page_of_every_sort_shows_the_plain_sorted_lists_rows(people, client_for, who):
    a_register_with_ties_and_gaps(people)
    user = people[who]
    client = client_for(user)
    visible = Plan.objects.visible_to(user)
    pages = -(-visible.count() // PLANS_PER_PAGE)
    assert pages >= 2
    for key in SORT_KEYS:
        for order in ["ascending", "descending"]:
            plain = list(sorted_plans(visible, key, order).values_list("case_reference", flat=True))
            for page in range(1, pages + 1):
                shown = references(
                    client.get(REGISTER, {"sort": key, "order": order, "page": page})
                )
                start = (page - 1) * PLANS_PER_PAGE
                assert shown == plain[start : start + PLANS_PER_PAGE], (key, order, page)


@pytest.mark.parametrize(
    "chosen",
    [
        {"need": "SEMH"},
        {"not_audited": "12"},
        {"not_audited": "6", "age": "5-10"},
        {"team": "Alpha team", "placement": "mainstream"},
        {"caseworker": "Ann", "q": "EHC-1"},
    ],
)
def test_every_page_of_a_filtered_register_shows_the_plain_sorted_lists_rows(
    people, client_for, chosen
):
    a_register_with_ties_and_gaps(people)
    client = client_for(people.sendops)
    query = dict(chosen)
    if "team" in query:
        query["team"] = str(Team.objects.get(name=query["team"]).uuid)
    if "caseworker" in query:
        query["caseworker"] = str(User.objects.get(full_name=query["caseworker"]).uuid)
    filters = RegisterFilters.read(QueryDict(urlencode(query)))
    matching = register_plans(people.sendops, filters, today=timezone.localdate())
    for key, order in [("audited", "descending"), ("team", "ascending"), ("age", "descending")]:
        plain = list(sorted_plans(matching, key, order).values_list("case_reference", flat=True))
        assert plain
        for page in range(1, -(-len(plain) // PLANS_PER_PAGE) + 1):
            shown = client.get(REGISTER, {**query, "sort": key, "order": order, "page": page})
            start = (page - 1) * PLANS_PER_PAGE
            assert references(shown) == plain[start : start + PLANS_PER_PAGE], (key, order, page)
            assert f"{len(plain)} plan" in shown.content.decode()


def test_the_last_page_skips_no_more_than_half_the_register(people, client_for):
    """Its rows are found from the end of the list, not by reading past every earlier plan."""
    a_register_with_ties_and_gaps(people)
    client = client_for(people.sendops)
    for query in [{"page": "5"}, {"sort": "placement", "order": "descending", "page": "5"}]:
        with CaptureQueriesContext(connection) as ctx:
            assert len(references(client.get(REGISTER, query))) == 230 - 4 * PLANS_PER_PAGE
        skipped = [
            int(n) for q in ctx.captured_queries for n in re.findall(r"OFFSET (\d+)", q["sql"])
        ]
        assert max(skipped, default=0) <= 230 // 2
