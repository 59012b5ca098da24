"""The Local Offer compliance check and the workforce skills self-audit (seed 002, appendices A
and B): starting them, who may open them, the summary by team, and that neither ever counts as
an audit of a plan."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audits import local_offer
from audits.models import Audit, TemplateItem
from audits.queries import dashboard_for_auditor, percent_good_or_better, term_findings
from audits.skills import round_audits, skills_summary
from send_qa.core import follow_up
from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.suppression import WITHHELD
from tests.audits.factories import (
    AuditFactory,
    PlanFactory,
    local_offer_check,
    local_offer_template,
    self_audit,
    skills_template,
)
from tests.exports import csv_parts
from tests.factories import TeamFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def items_of(audit: Audit) -> dict[str, TemplateItem]:
    return {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}


def fill(audit: Audit, value: str, **answers) -> None:
    """Answer every item with `value`, except those named (code -> value or (value, extras))."""
    values = {}
    for code, item in items_of(audit).items():
        given = answers.get(code, value)
        chosen, extras = given if isinstance(given, tuple) else (given, {})
        values[item.pk] = {"value": chosen, "extras": extras}
    audit.save_answers(values=values, version=audit.edit_version(), by=audit.auditor)


def submitted(audit: Audit, value: str, **answers) -> Audit:
    fill(audit, value, **answers)
    audit.submit(version=audit.edit_version(), by=audit.auditor)
    return audit


@pytest.fixture
def term():
    ensure_academic_year(2026)
    return Period.objects.terms().get(name="Autumn term 2026/27")


# The Local Offer compliance check.


def test_sendops_start_a_check_of_the_local_offer_as_a_whole_and_submit_it(
    people, client_for, term
):
    local_offer_template()
    client = client_for(people.sendops)
    response = client.post(
        reverse("audits:local_offer_start"),
        {"title": "Local Offer compliance check 2026/27", "term": str(term.uuid)},
    )
    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
    assert (audit.plan, audit.respondent, audit.auditor, audit.term) == (
        None,
        None,
        people.sendops,
        term,
    )
    assert audit.subject == "local_offer" and audit.title == "Local Offer compliance check 2026/27"
    page = client.get(response["Location"]).content.decode()
    assert "The Local Offer as a whole" in page and "Check your answers" in page
    check = reverse("audits:audit_check", kwargs={"audit_uuid": audit.uuid})
    assert "Submit check" in client.get(check).content.decode()
    section = client.get(
        reverse("audits:audit_section", kwargs={"audit_uuid": audit.uuid, "code": "GENERAL"})
    ).content.decode()
    for words in ("Full", "Partial", "Not compliant", "Must or should", "Who", "By when"):
        assert words in section
    submitted(audit, "full", LO3="partial", LO5="not_compliant")
    audit.refresh_from_db()
    # 30 requirements scored 2 for full, 1 partial, 0 not compliant: 57 of 60.
    assert (audit.points, audit.max_points) == (57, 60)
    assert audit.grade == "Mostly compliant"
    listing = client.get(reverse("audits:local_offer_list")).content.decode()
    assert "Local Offer compliance check 2026/27" in listing and "Mostly compliant" in listing


def test_a_check_without_a_title_is_named_by_its_checklist(people, client_for):
    local_offer_template()
    client_for(people.sendops).post(reverse("audits:local_offer_start"), {"title": ""})
    assert Audit.objects.get().reference == "Local Offer compliance check"


def test_the_check_page_offers_an_action_under_each_requirement_not_fully_met(people, client_for):
    audit = submitted(
        local_offer_check(by=people.sendops),
        "full",
        LO3=("partial", {"action": "Agree a joint review", "who": "Local Offer officer"}),
        LO5="not_compliant",
    )
    page = client_for(people.sendops).get(
        reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
    )
    html = page.content.decode()
    assert "Requirements not fully met" in html
    assert 'id="item-LO3"' in html and 'id="item-LO5"' in html and 'id="item-LO1"' not in html
    assert html.count("Actions raised from this") == 2
    assert "Action: Agree a joint review" in html


def test_the_check_page_runs_a_fixed_number_of_queries_whatever_is_not_met(people, client_for):
    client = client_for(people.sendops)
    one = submitted(local_offer_check(by=people.sendops), "full", LO3="partial")
    many = submitted(
        local_offer_check(by=people.sendops, title="Another"),
        "partial",
    )
    few = page_queries(client, reverse("audits:audit_detail", kwargs={"audit_uuid": one.uuid}))
    lots = page_queries(client, reverse("audits:audit_detail", kwargs={"audit_uuid": many.uuid}))
    assert few == lots


def test_the_list_of_checks_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.sendops)
    local_offer_check(by=people.sendops)
    url = reverse("audits:local_offer_list")
    few = page_queries(client, url)
    for n in range(5):
        local_offer_check(by=UserFactory(roles=["sendops"]), title=f"Check {n}")
    assert page_queries(client, url) == few


def test_a_requirement_not_fully_met_is_evidence_until_a_later_check_finds_it_full(people):
    first = submitted(
        local_offer_check(by=people.sendops),
        "full",
        LO3=(
            "partial",
            {
                "action": "Publish the annual feedback",
                "who": "Local Offer officer",
                "by_when": "2027-03-31",
            },
        ),
    )
    ref = f"{first.uuid}:LO3"
    evidence = follow_up.evidence_of("local_offer_item", ref, people.sendops)
    assert evidence is not None
    assert evidence.title == "Local Offer compliance check 2026/27: LO3"
    assert evidence.figure == "Partial"
    assert items_of(first)["LO3"].text in evidence.words
    assert "Action: Publish the annual feedback" in evidence.words
    assert "Who: Local Offer officer" in evidence.words
    assert evidence.owner_suggestion is None
    assert evidence.due_suggestion == datetime.date(2027, 3, 31)
    assert evidence.concern is True and evidence.now.startswith("Partial")
    assert evidence.url.endswith("#item-LO3")

    submitted(local_offer_check(by=people.sendops, title="Local Offer check 2027/28"), "full")
    later = local_offer.describe(ref, people.sendops)
    assert later is not None
    assert later.figure == "Partial"  # what it said at the time
    assert later.concern is False and later.now == "Full in Local Offer check 2027/28"


def test_local_offer_evidence_is_for_sendops_and_real_references_only(people):
    audit = submitted(local_offer_check(by=people.sendops), "partial")
    ref = f"{audit.uuid}:LO3"
    for person in (people.auditor, people.admin, people.board, people.caseworker):
        assert local_offer.describe(ref, person) is None
    assert local_offer.describe(f"{audit.uuid}:LO99", people.sendops) is None
    assert local_offer.describe("not-a-uuid:LO3", people.sendops) is None
    assert local_offer.describe("", people.sendops) is None
    draft = local_offer_check(by=people.sendops, title="Draft")
    assert local_offer.describe(f"{draft.uuid}:LO3", people.sendops) is None
    assert follow_up.kind_label("local_offer_item") == "A Local Offer requirement not fully met"


# What the database allows.


@pytest.mark.parametrize(
    "case",
    [
        "local_offer_with_a_plan",
        "local_offer_with_a_respondent",
        "self_audit_without_anyone",
        "self_audit_with_a_plan",
        "self_audit_scored_by_another",
        "ehcp_without_a_plan",
    ],
)
def test_the_database_refuses_an_audit_about_the_wrong_thing(case, people):
    plan = PlanFactory()
    ehcp = AuditFactory().template
    fields = {
        "local_offer_with_a_plan": {"template": local_offer_template(), "plan": plan},
        "local_offer_with_a_respondent": {
            "template": local_offer_template(),
            "respondent": people.sendops,
        },
        "self_audit_without_anyone": {"template": skills_template()},
        "self_audit_with_a_plan": {
            "template": skills_template(),
            "plan": plan,
            "respondent": people.sendops,
        },
        "self_audit_scored_by_another": {
            "template": skills_template(),
            "respondent": people.caseworker,
        },
        "ehcp_without_a_plan": {"template": ehcp},
    }[case]
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.create(auditor=people.sendops, **fields)


# The skills self-audit.


def test_sending_the_self_audit_to_a_team_makes_one_each_and_sending_again_adds_none(
    people, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    skills_template()
    team = TeamFactory()
    staff = [UserFactory(roles=["caseworker"], team=team) for _ in range(3)]
    UserFactory(team=team)  # no role: cannot sign in to anything, so is not sent it
    UserFactory(roles=["caseworker"], team=team, is_active=False)
    client = client_for(people.sendops)
    data = {"title": "Skills self-audit autumn 2026", "team": str(team.uuid), "email": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:skills_send"), data)
    assert response.status_code == 302
    audits = Audit.objects.filter(title="Skills self-audit autumn 2026")
    assert sorted(a.respondent_id for a in audits) == sorted(p.pk for p in staff)
    assert all(a.auditor_id == a.respondent_id and a.plan_id is None for a in audits)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in staff)
    assert "/skills/" in mailoutbox[0].body

    again = {**data, "people": [str(people.auditor.uuid)]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:skills_send"), again)
    assert response.status_code == 302
    assert audits.all().count() == 4  # only the auditor was new
    assert len(mailoutbox) == 4


def test_sending_needs_a_round_name_and_someone_to_send_it_to(people, client_for):
    skills_template()
    response = client_for(people.sendops).post(reverse("audits:skills_send"), {"title": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a name for this round" in html and "Choose a team or at least one person" in html
    assert not Audit.objects.exists()


def test_only_the_respondent_may_open_their_self_audit(people, client_for):
    audit = self_audit(people.caseworker, by=people.sendops)
    detail = reverse("audits:skills_detail", kwargs={"audit_uuid": audit.uuid})
    section = reverse("audits:skills_section", kwargs={"audit_uuid": audit.uuid, "code": "REFORMS"})
    assert client_for(people.caseworker).get(detail).status_code == 200
    assert client_for(people.caseworker).get(section).status_code == 200
    for person in (people.sendops, people.admin, people.auditor, people.board):
        client = client_for(person)
        assert client.get(detail).status_code == 404
        assert client.get(section).status_code == 404
    for name in ("audits:audit_detail", "audits:audit_print", "audits:audit_history"):
        url = reverse(name, kwargs={"audit_uuid": audit.uuid})
        assert client_for(people.sendops).get(url).status_code == 404
    assert list(Audit.objects.visible_to(people.caseworker)) == [audit]
    assert not Audit.objects.visible_to(people.sendops).exists()
    assert not Audit.objects.visible_to(people.admin).exists()


def test_the_respondent_fills_it_in_for_themself_and_submits_it(people, client_for):
    audit = self_audit(people.caseworker, by=people.sendops)
    client = client_for(people.caseworker)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "Your skills self-audit" in home and "is waiting for you" in home
    items = [i for i in items_of(audit).values() if i.section.code == "REFORMS"]
    url = reverse("audits:skills_section", kwargs={"audit_uuid": audit.uuid, "code": "REFORMS"})
    page = client.get(url).content.decode()
    assert "I am not at all confident in this area" in page
    response = client.post(
        url,
        {"version": audit.edit_version(), "later": "1", **{f"item_{i.pk}": "4" for i in items}},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "audits:skills_detail", kwargs={"audit_uuid": audit.uuid}
    )
    fill(Audit.objects.get(pk=audit.pk), "5")
    audit.refresh_from_db()
    response = client.post(
        reverse("audits:skills_submit", kwargs={"audit_uuid": audit.uuid}),
        {"version": audit.edit_version()},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.is_submitted


def test_a_self_audit_is_not_on_the_auditors_worklist(people, client_for):
    self_audit(people.auditor, by=people.sendops)
    local_offer_check(by=people.sendops)
    assert dashboard_for_auditor(people.auditor)["total"] == 0
    for person in (people.auditor, people.sendops):
        page = client_for(person).get(reverse("audits:audit_list")).content.decode()
        assert "Skills self-audit autumn 2026" not in page
        assert "Local Offer compliance check 2026/27" not in page


def _a_team_rated(team, scores: list[int], title="Skills self-audit autumn 2026") -> None:
    for score in scores:
        audit = self_audit(UserFactory(roles=["caseworker"], team=team), title=title)
        submitted(audit, str(score))


def _cell(summary, code: str, team: str):
    row = next(r for r in summary.rows if r.item.code == code)
    return row.teams[summary.columns.index(team)]


def test_the_summary_shows_a_team_of_the_threshold_and_withholds_one_smaller(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    five, four = TeamFactory(name="Five"), TeamFactory(name="Four")
    _a_team_rated(five, [1, 2, 5, 6, 6])
    summary = skills_summary(round_audits("Skills self-audit autumn 2026"))
    shown = _cell(summary, "W1", "Five")
    assert (shown.answered, shown.mean) == (5, 4)
    assert shown.needs_training == WITHHELD  # 2 of 5 rate themselves 1 to 3: too few
    assert summary.columns == ["Five", "All staff"]

    _a_team_rated(four, [4, 4, 4, 4])
    summary = skills_summary(round_audits("Skills self-audit autumn 2026"))
    small = _cell(summary, "W1", "Four")
    assert (small.answered, small.mean, small.needs_training) == (WITHHELD,) * 3
    # All staff (9) is shown, so Five is withheld too: 9 less Five's 5 would give Four back.
    assert _cell(summary, "W1", "Five").answered == WITHHELD
    everyone = _cell(summary, "W1", "All staff")
    assert (everyone.answered, everyone.mean) == (9, round(36 / 9, 1))


def test_the_summary_rounds_the_mean_half_up_and_shows_a_safe_share(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    team = TeamFactory(name="Casework")
    _a_team_rated(team, [4, 4, 4, 4, 4, 4, 5, 5])  # 34 of 8: 4.25
    cell = _cell(skills_summary(round_audits("Skills self-audit autumn 2026")), "W1", "Casework")
    assert str(cell.mean) == "4.3"
    assert str(cell.needs_training) == "0.0"


def test_open_self_audits_are_not_summarised(settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    team = TeamFactory(name="Casework")
    _a_team_rated(team, [4, 4, 4, 4, 4])
    fill(self_audit(UserFactory(roles=["caseworker"], team=team)), "1")  # not submitted
    summary = skills_summary(round_audits("Skills self-audit autumn 2026"))
    assert _cell(summary, "W1", "Casework").answered == 5
    assert summary.submitted == 5


def test_the_summary_page_and_export_run_a_fixed_number_of_queries(people, client_for, settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    _a_team_rated(TeamFactory(name="Casework"), [4, 5, 6, 2, 3])
    client = client_for(people.sendops)
    query = "?round=Skills+self-audit+autumn+2026"
    page, csv = (
        reverse("audits:skills_summary") + query,
        reverse("audits:skills_summary_csv") + query,
    )
    few = [page_queries(client, page), page_queries(client, csv)]
    for name in ("Early years", "Post-16", "SENCO support"):
        _a_team_rated(TeamFactory(name=name), [5, 5, 5, 5, 5, 6])
    assert [page_queries(client, page), page_queries(client, csv)] == few
    about, (header, *rows) = csv_parts(client.get(csv))
    assert about[1] == "Round: Skills self-audit autumn 2026" and about[2].startswith("Exported ")
    assert header[:4] == ["Section", "Competency", "Team", "Answered"]
    assert any(row[1].startswith("W1. I understand the key principles") for row in rows)
    # 31 of 6 is 5.17; the page's 0.0% needing training is written 0, without its zero.
    assert [row[3:] for row in rows if row[2] == "Post-16"][0] == ["6", "5.2", "0"]


def test_the_summary_never_names_a_person(people, client_for, settings):
    settings.SMALL_NUMBER_THRESHOLD = 5
    team = TeamFactory(name="Casework")
    _a_team_rated(team, [4, 5, 6, 2, 3])
    html = (
        client_for(people.sendops)
        .get(reverse("audits:skills_summary") + "?round=Skills+self-audit+autumn+2026")
        .content.decode()
    )
    for person in Audit.objects.filter(respondent__isnull=False).values_list(
        "respondent__full_name", flat=True
    ):
        assert person not in html


# Neither tool ever counts as an audit of a plan.


def test_neither_tool_changes_the_ehcp_findings(people, term):
    AuditFactory(term=term, status=Audit.Status.SUBMITTED, good_or_better=True, grade="Good")
    before = (
        term_findings(Audit.objects.of_plans().filter(term=term)),
        percent_good_or_better(term=term),
    )
    submitted(local_offer_check(by=people.sendops, term=term), "not_compliant")
    check = self_audit(people.caseworker, by=people.sendops)
    Audit.objects.filter(pk=check.pk).update(term=term)
    submitted(Audit.objects.get(pk=check.pk), "1")
    after = (
        term_findings(Audit.objects.of_plans().filter(term=term)),
        percent_good_or_better(term=term),
    )
    assert after == before
    assert Audit.objects.of_plans().count() == 1
    assert Audit.objects.of_cases().count() == 1
