"""Level 2 moderation: drawing and storing a session's sample, re-audits, agreement, outcomes."""

import datetime

import pytest
from django.urls import reverse

from audits.models import Audit, ModerationSession, SampledPlan, TemplateItem
from audits.moderation import (
    SampleLocked,
    SamplingError,
    session_assign_reaudits,
    session_draw,
    sessions_comparison,
)
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import (
    AuditFactory,
    ModerationSessionFactory,
    PlanFactory,
    sampled_plan,
    small_template,
)
from tests.conflicts import assert_refused, page_version
from tests.exports import csv_parts
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NEEDS = ["ASD", "SEMH", "SLCN", "MLD"]
AGES = ["0-4", "5-10", "11-15", "16-19"]


def submitted_audit(plan, term, *, a1: int, b1: int, template=None) -> Audit:
    audit = AuditFactory(plan=plan, term=term, template=template or small_template())
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
    audit.save_answers(
        values={
            items["A1"].pk: {"score": a1},
            items["A2"].pk: {"yes_no": "yes"},
            items["B1"].pk: {"score": b1},
            items["B2"].pk: {"yes_no": "yes"},
        },
        version=audit.edit_version(),
    )
    audit.save_overall(rating=3, comments="", version=audit.edit_version())
    audit.submit(version=audit.edit_version(), by=audit.auditor)
    return audit


@pytest.fixture
def audited_term():
    """A session and 12 plans audited in its term, of several needs and ages."""
    session = ModerationSessionFactory()
    template = small_template()
    plans = [PlanFactory(primary_need=NEEDS[n % 4], age_band=AGES[n % 3]) for n in range(12)]
    for plan in plans:
        submitted_audit(plan, session.term, a1=3, b1=4, template=template)
    PlanFactory.create_batch(5)  # never audited: outside the "audited" pool
    return session, plans


def test_a_drawn_sample_is_stored_with_codes_and_the_strata(audited_term):
    session, plans = audited_term
    sample = session_draw(session)
    stored = list(session.samples.order_by("order"))
    assert [s.plan_id for s in stored] == sample.plan_ids
    assert len(stored) == 6 and {s.plan_id for s in stored} <= {p.pk for p in plans}
    assert [s.code for s in stored] == [f"MOD-{session.reference}-{n:02d}" for n in range(1, 7)]
    assert all(s.original_audit and s.original_audit.plan_id == s.plan_id for s in stored)
    session.refresh_from_db()
    assert session.sample_population == 12
    need_rows = [r for r in session.strata if r["dimension"] == "Primary need"]
    assert sum(r["drawn"] for r in need_rows) == 6
    assert {r["value"] for r in need_rows} == set(NEEDS)


def test_the_same_seed_draws_the_same_sample_again(audited_term):
    session, _ = audited_term
    first = session_draw(session).plan_ids
    assert session_draw(session).plan_ids == first
    assert SampledPlan.objects.filter(session=session).count() == 6  # replaced, not added


def test_plans_moderated_in_the_last_months_are_left_out(audited_term):
    session, plans = audited_term
    earlier = ModerationSessionFactory(date=session.date - datetime.timedelta(days=60))
    for order, plan in enumerate(plans[:6], start=1):
        sampled_plan(earlier, plan=plan, order=order)
    drawn = set(session_draw(session).plan_ids)
    assert drawn == {p.pk for p in plans[6:]}
    session.sample_size = 7
    session.save()
    with pytest.raises(SamplingError, match=r"only 6 plans can be drawn \(6 more were left out"):
        session_draw(session)


def test_too_few_audited_plans_is_a_clear_error_and_all_plans_can_be_chosen():
    session = ModerationSessionFactory()
    PlanFactory.create_batch(8)
    with pytest.raises(SamplingError, match="no plans can be drawn"):
        session_draw(session)
    session.pool = session.Pool.ALL
    session.save()
    assert len(session_draw(session).plan_ids) == 6


def test_re_audits_go_to_every_member_and_lock_the_sample(audited_term):
    session, _ = audited_term
    moderators = UserFactory.create_batch(2, roles=["auditor"])
    session.members.set(moderators)
    session_draw(session)
    assert session_assign_reaudits(session, by=None) == 12
    assert session_assign_reaudits(session, by=None) == 0  # never twice
    reaudit = Audit.objects.filter(purpose=Audit.Purpose.MODERATION).first()
    assert reaudit.template_id == reaudit.sampled_plan.original_audit.template_id
    with pytest.raises(SampleLocked):
        session_draw(session)


def test_each_re_audit_set_has_one_created_history_row_naming_who_set_it(audited_term, people):
    session, _ = audited_term
    session.members.set(UserFactory.create_batch(2, roles=["auditor"]))
    session_draw(session)
    session_assign_reaudits(session, by=people.sendops)
    reaudits = Audit.objects.filter(purpose=Audit.Purpose.MODERATION)
    history = Audit.history.filter(id__in=reaudits.values("pk"))
    assert sorted(history.values_list("id", flat=True)) == sorted(
        reaudits.values_list("pk", flat=True)
    )
    assert set(history.values_list("history_type", "history_user")) == {("+", people.sendops.pk)}


def test_agreement_compares_each_re_audit_with_the_original(audited_term):
    session, _ = audited_term
    moderator = UserFactory(roles=["auditor"])
    session.members.set([moderator])
    session_draw(session)
    session_assign_reaudits(session, by=None)
    # Originals scored A1=3, B1=4. The moderator agrees on A1 everywhere and on B1 gives 4 on
    # three plans, 2 on three: B1 exact 50%, within one 50%.
    for n, audit in enumerate(Audit.objects.filter(auditor=moderator).order_by("pk")):
        items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
        audit.save_answers(
            values={
                items["A1"].pk: {"score": 3},
                items["A2"].pk: {"yes_no": "yes"},
                items["B1"].pk: {"score": 4 if n < 3 else 2},
                items["B2"].pk: {"yes_no": "yes"},
            },
            version=audit.edit_version(),
        )
        audit.save_overall(rating=3, comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=moderator)
    comparison = sessions_comparison([session])
    assert comparison.by_item["A1"].exact == 1.0
    assert (comparison.by_item["B1"].exact, comparison.by_item["B1"].within_one) == (0.5, 0.5)
    assert comparison.by_item["B1"].mean_difference == -1.0
    assert comparison.overall.pairs == 12
    assert comparison.overall.exact == 0.75
    assert comparison.most_disagreed[0][0] == "B1"


def moderation_people(people):
    session = ModerationSessionFactory(members=[people.auditor])
    plan = PlanFactory(case_reference="EHC-SECRET-42")
    original = submitted_audit(plan, session.term, a1=4, b1=4)
    sample = sampled_plan(session, plan=plan, original_audit=original)
    session_assign_reaudits(session, by=people.sendops)
    return session, sample, Audit.objects.get(sampled_plan=sample)


def test_moderators_see_the_sample_code_never_the_case_reference(people, client_for):
    session, sample, reaudit = moderation_people(people)
    client = client_for(people.auditor)
    pages = [
        reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid}),
        reverse("audits:moderation_report", kwargs={"session_uuid": session.uuid}),
        reverse("audits:moderation_agreement", kwargs={"session_uuid": session.uuid}),
        reverse("audits:moderation_sample_csv", kwargs={"session_uuid": session.uuid}),
        reverse("audits:audit_list"),
        reverse("audits:audit_detail", kwargs={"audit_uuid": reaudit.uuid}),
        reverse("audits:audit_print", kwargs={"audit_uuid": reaudit.uuid}),
        reverse("audits:audit_section", kwargs={"audit_uuid": reaudit.uuid, "code": "A"}),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "EHC-SECRET-42" not in body, url
    assert sample.code in client.get(pages[0]).content.decode()
    plan_page = reverse("audits:plan_detail", kwargs={"plan_uuid": sample.plan.uuid})
    assert client.get(plan_page).status_code == 404
    # SENDOPS hold the key.
    assert "EHC-SECRET-42" in client_for(people.sendops).get(pages[0]).content.decode()


def test_the_sample_download_is_headed_in_the_pages_words(people, client_for):
    session, sample, _ = moderation_people(people)
    url = reverse("audits:moderation_sample_csv", kwargs={"session_uuid": session.uuid})
    about, (header, row) = csv_parts(client_for(people.auditor).get(url))
    assert about[:2] == [f"Sample for the {session}", f"Term: {session.term.name}"]
    assert header == ["Sample code", "Need", "Age", "Placement", "Agreed grade"]
    assert row[0] == sample.code
    _, (with_grades, _) = csv_parts(client_for(people.sendops).get(url))
    assert with_grades[-1] == "Audit grade"


def test_people_outside_the_session_cannot_open_it(people, client_for):
    session, *_ = moderation_people(people)
    url = reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid})
    outsider = UserFactory(roles=["auditor"])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(people.caseworker).get(url).status_code == 403


def test_the_group_records_an_agreed_grade_and_the_key_issues(people, client_for):
    session, sample, _ = moderation_people(people)
    client = client_for(people.auditor)
    url = reverse(
        "audits:moderation_outcome", kwargs={"session_uuid": session.uuid, "code": sample.code}
    )
    assert "Select the grade the group agreed" in client.post(url, {}).content.decode()
    grade = {"agreed_grade": "Good", "agreed_notes": "Strong outcomes."}
    opened = page_version(client.get(url))
    client.post(url, {**grade, "version": opened})
    sample.refresh_from_db()
    assert (sample.agreed_grade, sample.agreed_notes) == ("Good", "Strong outcomes.")
    other = client_for(people.sendops).post(
        url, {**grade, "agreed_notes": "Overwritten", "version": opened}
    )
    assert_refused(other, "agreed grade", url)  # a colleague's page opened before that save
    assert SampledPlan.objects.get(pk=sample.pk).agreed_notes == "Strong outcomes."
    sendops = client_for(people.sendops)
    key_issues = reverse("audits:moderation_key_issues", kwargs={"session_uuid": session.uuid})
    written = {"themes": "Health outcomes vague", "agreed_actions": "Training"}
    written |= {"learning": "Use SMART", "version": page_version(sendops.get(key_issues))}
    sendops.post(key_issues, written)
    again = sendops.post(key_issues, {**written, "themes": "Overwritten"})
    assert_refused(again, "key issues report", key_issues)
    assert ModerationSession.objects.get(pk=session.pk).themes == "Health outcomes vague"
    report = client.get(
        reverse("audits:moderation_report", kwargs={"session_uuid": session.uuid})
    ).content.decode()
    assert "Health outcomes vague" in report and "Good" in report


def test_session_pages_run_a_fixed_number_ofpage_queries(people, client_for):
    session, *_ = moderation_people(people)
    client = client_for(people.sendops)
    urls = [
        reverse(name, kwargs={"session_uuid": session.uuid})
        for name in ("audits:moderation_detail", "audits:moderation_agreement")
    ] + [reverse("audits:moderation_list")]
    few = [page_queries(client, url) for url in urls]
    more = UserFactory.create_batch(3, roles=["auditor"])
    session.members.add(*more)
    for order in range(2, 8):
        plan = PlanFactory()
        sampled_plan(
            session,
            plan=plan,
            order=order,
            original_audit=submitted_audit(plan, session.term, a1=2, b1=5),
        )
    session_assign_reaudits(session, by=people.sendops)
    ModerationSessionFactory.create_batch(3, members=[people.auditor])
    assert [page_queries(client, url) for url in urls] == few


def test_the_sample_command_prints_the_sample_and_strata(audited_term, capsys):
    from django.core.management import CommandError, call_command

    session, plans = audited_term
    call_command("sample_moderation", "--size", "6", "--seed", "7", "--term", session.term.name)
    out = capsys.readouterr().out
    assert f"Sample of 6 from 12 plans audited in {session.term.name} (seed 7)" in out
    assert sum(p.case_reference in out for p in plans) == 6
    assert "Primary need" in out and "Age band" in out and "Placement type" in out
    call_command("sample_moderation", "--size", "6", "--seed", "7", "--term", session.term.name)
    assert capsys.readouterr().out == out  # the same seed, the same sample
    with pytest.raises(CommandError, match="no plans can be drawn|only 12 plans"):
        call_command(
            "sample_moderation", "--size", "13", "--seed", "7", "--term", str(session.term.pk)
        )
    with pytest.raises(CommandError, match="No term called 'Winter'"):
        call_command("sample_moderation", "--seed", "7", "--term", "Winter")


def test_sendops_are_warned_when_the_group_is_not_multi_agency(people, client_for):
    session, *_ = moderation_people(people)
    url = reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid})
    assert "should be multi-agency" in client_for(people.sendops).get(url).content.decode()
    session.members.add(UserFactory(roles=["auditor"]))  # from another organisation
    assert "should be multi-agency" not in client_for(people.sendops).get(url).content.decode()


def test_a_member_without_an_organisation_can_be_chosen_for_a_session(people, client_for):
    """Accounts made outside the portal's own form (createsuperuser, the admin site) may have
    no organisation; the members list used to fail on them."""
    UserFactory(full_name="Unattached Auditor", organisation=None, roles=["auditor"])
    page = client_for(people.sendops).get(reverse("audits:moderation_new"))
    assert page.status_code == 200
    assert "Unattached Auditor" in page.content.decode()


def test_a_session_set_up_with_a_day_the_month_does_not_have_is_told_so(people, client_for):
    ensure_academic_year(2026)
    term = Period.objects.terms().first()
    posted = {"date_0": "31", "date_1": "2", "date_2": "2027", "term": term.pk, "pool": "all"}
    posted |= {"sample_size": "6", "exclude_months": "12", "members": [people.auditor.pk]}
    response = client_for(people.sendops).post(reverse("audits:moderation_new"), posted)
    page = response.content.decode()
    assert '<a href="#id_date_0">Date of the meeting must be a real date</a>' in page
    assert 'name="date_0" value="31"' in page
    assert not ModerationSession.objects.exists()
    posted["date_0"] = "28"
    assert (
        client_for(people.sendops).post(reverse("audits:moderation_new"), posted).status_code == 302
    )
    assert ModerationSession.objects.get().date == datetime.date(2027, 2, 28)
