from decimal import Decimal

import pytest
from django.urls import reverse

from audits.models import Answer, Audit, ChecklistTemplate, TemplateItem
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.conflicts import assert_refused, page_version
from tests.exports import csv_parts, xlsx_parts
from tests.factories import TeamFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(people):
    return AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))


def items(audit):
    return {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}


def section_url(audit, code):
    return reverse("audits:audit_section", kwargs={"audit_uuid": audit.uuid, "code": code})


def detail_url(audit):
    return reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})


def check_url(audit):
    return reverse("audits:audit_check", kwargs={"audit_uuid": audit.uuid})


def test_scoring_section_by_section_then_submitting(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    page = client.get(section_url(audit, "A")).content.decode()
    assert "Captures aspirations" in page and "What good looks like" in page
    response = client.post(
        section_url(audit, "A"),
        {
            "version": audit.edit_version(),
            f"item_{found['A1'].pk}": "4",
            f"item_{found['A2'].pk}": "yes",
            f"comment_{found['A1'].pk}": "Child's words used",
        },
    )
    assert response["Location"] == section_url(audit, "B")
    response = client.post(
        section_url(audit, "B"),
        {
            "version": audit.edit_version(),
            f"item_{found['B1'].pk}": "3",
            f"item_{found['B2'].pk}": "yes",
            "later": "1",
        },
    )
    assert response["Location"] == detail_url(audit)
    task_list = client.get(detail_url(audit)).content.decode()
    assert task_list.count("Completed") == 2
    # Submitting without the overall rating goes back to the task list, which says what is
    # missing (a redirect: reloading it never posts again).
    response = client.post(
        reverse("audits:audit_submit", kwargs={"audit_uuid": audit.uuid}),
        {"version": audit.edit_version()},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(audit)}?missing=1"
    assert "Rate the plan as a whole" in client.get(response["Location"]).content.decode()
    client.post(
        reverse("audits:audit_overall", kwargs={"audit_uuid": audit.uuid}),
        {"version": audit.edit_version(), "overall_rating": "4", "final_comments": "Good plan"},
    )
    response = client.post(
        reverse("audits:audit_submit", kwargs={"audit_uuid": audit.uuid}),
        {"version": audit.edit_version()},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert Answer.objects.get(audit=audit, item=found["A1"]).comment == "Child's words used"
    # Read-only afterwards: the section opens as a summary of its answers, with no form.
    section = client.get(section_url(audit, "A"))
    assert section.status_code == 200 and "Child&#x27;s words used" in section.text
    assert 'name="version"' not in section.text


def test_a_stale_save_is_refused_with_a_clear_message(audit, people, client_for):
    client = client_for(people.auditor)
    a1 = items(audit)["A1"]
    opened = audit.edit_version()
    client.post(section_url(audit, "A"), {"version": opened, f"item_{a1.pk}": "5", "later": "1"})
    response = client.post(section_url(audit, "A"), {"version": opened, f"item_{a1.pk}": "1"})
    assert_refused(response, "audit", section_url(audit, "A"))
    html = response.content.decode()
    assert Answer.objects.get(audit=audit, item=a1).score == 5
    assert 'value="5" checked' in html  # the form now shows the saved work


def test_a_section_saved_on_a_page_older_than_an_import_is_refused(audit, people, client_for):
    """Any writer counts, not only the portal's own pages: here a direct change of an answer."""
    client = client_for(people.auditor)
    a1 = items(audit)["A1"]
    audit.save_answers(values={a1.pk: {"score": 2}}, version=audit.edit_version())
    opened = page_version(client.get(section_url(audit, "A")))
    Answer.objects.filter(audit=audit, item=a1).update(comment="Changed by a colleague")
    response = client.post(section_url(audit, "A"), {"version": opened, f"item_{a1.pk}": "4"})
    assert_refused(response, "audit", section_url(audit, "A"))
    assert Answer.objects.get(audit=audit, item=a1).score == 2
    fresh = page_version(client.get(section_url(audit, "A")))
    response = client.post(section_url(audit, "A"), {"version": fresh, f"item_{a1.pk}": "4"})
    assert response.status_code == 302
    assert Answer.objects.get(audit=audit, item=a1).score == 4


def test_an_overall_rating_saved_on_an_old_page_is_refused(audit, people, client_for):
    client = client_for(people.auditor)
    url = reverse("audits:audit_overall", kwargs={"audit_uuid": audit.uuid})
    opened = page_version(client.get(url))
    audit.save_overall(rating=2, comments="From a colleague", version=audit.edit_version())
    response = client.post(url, {"version": opened, "overall_rating": "5"})
    assert_refused(response, "audit", url)
    audit.refresh_from_db()
    assert (audit.overall_rating, audit.final_comments) == (2, "From a colleague")
    response = client.post(url, {"version": page_version(client.get(url)), "overall_rating": "5"})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.overall_rating == 5


def test_submitting_from_an_old_check_your_answers_page_is_refused(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    answers = {"A1": {"score": 4}, "A2": {"yes_no": "yes"}, "B1": {"score": 4}}
    answers |= {"B2": {"yes_no": "yes"}}
    audit.save_answers(
        values={found[c].pk: v for c, v in answers.items()}, version=audit.edit_version()
    )
    audit.save_overall(rating=4, comments="", version=audit.edit_version())
    opened = page_version(client.get(check_url(audit)), "submit_form")
    audit.save_answers(values={found["A1"].pk: {"score": 1}}, version=audit.edit_version())
    submit_url = reverse("audits:audit_submit", kwargs={"audit_uuid": audit.uuid})
    response = client.post(submit_url, {"version": opened})
    assert_refused(response, "audit", check_url(audit))
    assert "1 (Poor)" in response.content.decode()  # the colleague's answer, shown now
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS
    fresh = page_version(client.get(check_url(audit)), "submit_form")
    assert client.post(submit_url, {"version": fresh}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED


def test_sendops_reopen_with_a_reason_and_the_auditor_cannot(audit, people, client_for):
    audit.status = Audit.Status.SUBMITTED
    audit.save()
    url = reverse("audits:audit_reopen", kwargs={"audit_uuid": audit.uuid})
    auditor = client_for(people.auditor)
    assert "Reopen this audit" not in auditor.get(detail_url(audit)).content.decode()
    assert auditor.post(url, {"reason": "I want to change a score"}).status_code == 403
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    client = client_for(people.sendops)
    assert "Reopen this audit" in client.get(detail_url(audit)).content.decode()
    assert "Enter why you are reopening" in client.post(url, {}).content.decode()
    client.post(url, {"reason": "Moderation disagreed"})
    audit.refresh_from_db()
    assert (audit.status, audit.reopened_by, audit.reopen_reason) == (
        Audit.Status.IN_PROGRESS,
        people.sendops,
        "Moderation disagreed",
    )


def test_people_outside_the_audit_get_404(audit, client_for):
    other_team = TeamFactory(name="EHC Team South")
    stranger = UserFactory(
        team=other_team, organisation=other_team.organisation, roles=["caseworker"]
    )
    other_auditor = UserFactory(roles=["auditor"])
    for person in (stranger, other_auditor):
        assert client_for(person).get(detail_url(audit)).status_code == 404
        assert client_for(person).get(section_url(audit, "A")).status_code == 404


def test_an_auditor_lists_only_their_own_audits(audit, people, client_for):
    someone_elses = AuditFactory(auditor=UserFactory(roles=["auditor"]))
    html = client_for(people.auditor).get(reverse("audits:audit_list")).content.decode()
    assert audit.plan.case_reference in html
    assert someone_elses.plan.case_reference not in html


def test_bulk_assignment(people, client_for):
    ensure_academic_year(2025)
    small_template()
    plans = [PlanFactory() for _ in range(3)]
    client = client_for(people.sendops)
    step_one = client.post(reverse("audits:assign"), {"plans": [p.uuid for p in plans]})
    assert "Assign 3 plans for audit" in step_one.content.decode()
    missing = client.post(
        reverse("audits:assign"), {"plans": [p.uuid for p in plans], "confirm": "1"}
    )
    assert "Select the auditor who will score these plans" in missing.content.decode()
    done = client.post(
        reverse("audits:assign"),
        {
            "plans": [p.uuid for p in plans],
            "confirm": "1",
            "auditor": people.auditor.pk,
            "template": ChecklistTemplate.objects.get().pk,
            "term": Period.objects.terms().first().pk,
        },
    )
    assert done["Location"] == reverse("audits:audit_list")
    assert Audit.objects.filter(auditor=people.auditor, assigned_by=people.sendops).count() == 3
    again = client.post(
        reverse("audits:assign"),
        {
            "plans": [p.uuid for p in [*plans, PlanFactory()]],
            "confirm": "1",
            "auditor": people.auditor.pk,
            "template": ChecklistTemplate.objects.get().pk,
            "term": Period.objects.terms().first().pk,
        },
        follow=True,
    )
    html = again.content.decode()
    assert "1 audit assigned to" in html
    assert "already have a Small checklist audit in" in html and plans[0].case_reference in html
    assert Audit.objects.count() == 4


def test_each_assigned_audit_has_one_created_history_row_naming_who_assigned_it(people):
    ensure_academic_year(2025)
    template = small_template()
    plans = PlanFactory.create_batch(3)
    term = Period.objects.terms().first()
    first, _ = Audit.objects.assign(
        plans=plans[:1], auditor=people.auditor, template=template, term=term, by=people.sendops
    )
    created, skipped = Audit.objects.assign(
        plans=plans, auditor=people.auditor, template=template, term=term, by=people.sendops
    )
    assert skipped == plans[:1] and len(created) == 2
    history = Audit.history.order_by("id")
    assert list(history.values_list("id", flat=True)) == [a.pk for a in [*first, *created]]
    assert set(history.values_list("history_type", "history_user")) == {("+", people.sendops.pk)}


def test_the_audit_list_runs_a_fixed_number_ofpage_queries(people, client_for):
    client = client_for(people.sendops)
    AuditFactory(auditor=people.auditor)
    few = page_queries(client, reverse("audits:audit_list"))
    for _ in range(20):
        AuditFactory(auditor=UserFactory(roles=["auditor"]), plan=PlanFactory(team=TeamFactory()))
    assert page_queries(client, reverse("audits:audit_list")) == few


def test_the_scoring_page_runs_a_fixed_number_ofpage_queries(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    few = page_queries(client, section_url(audit, "B"))
    audit.save_answers(
        values={
            i.pk: {"score": 3} if i.kind == "score" else {"yes_no": "yes"}
            for i in found.values()
            if i.kind != "text"
        },
        version=audit.edit_version(),
    )
    for _ in range(10):
        AuditFactory(auditor=people.auditor)
    assert page_queries(client, section_url(audit, "B")) == few
    assert page_queries(client, detail_url(audit)) <= 15


def test_findings_and_exports(audit, people, client_for):
    ensure_academic_year(2025)
    from send_qa.core.models import Period

    term = Period.objects.terms().first()
    found = items(audit)
    audit.term = term
    audit.save()
    audit.save_answers(
        values={
            found["A1"].pk: {"score": 2},
            found["A2"].pk: {"yes_no": "yes"},
            found["B1"].pk: {"score": 5},
            found["B2"].pk: {"yes_no": "yes"},
        },
        version=audit.edit_version(),
    )
    audit.save_overall(rating=3, comments="", version=audit.edit_version())
    audit.submit(version=audit.edit_version(), by=people.auditor)
    client = client_for(people.sendops)
    html = client.get(reverse("audits:findings"), {"term": term.uuid}).content.decode()
    assert "Judged good or better" in html and "100.0% (1 of 1 submitted)" in html
    assert "A1. Captures aspirations" in html  # the weakest question
    assert "100.0% of checks met (1 of 1)" in html  # B2, the golden-thread check
    assert "<li>Good: 1</li><li>Requires improvement: 0</li>" in html
    about, (header, row) = csv_parts(client.get(reverse("audits:export_csv"), {"term": term.uuid}))
    assert about[:2] == ["EHCP audits", f"Term: {term.name}"]
    assert [heading.split(".")[0] for heading in header[-5:]] == ["A1", "A2", "B1", "B2", "B3"]
    assert header[-5].startswith("A1. Captures aspirations")
    assert header[:3] == ["Case reference", "Term", "Checklist"] and "Key stage" in header
    assert row[-5:] == ["2", "yes", "5", "yes", ""]
    percent = row[header.index("Percentage")]
    assert percent and not percent.endswith(".0")  # 75, never 75.0
    xlsx = client.get(reverse("audits:export_xlsx"), {"term": term.uuid})
    above, (xlsx_header, xlsx_row) = xlsx_parts(xlsx)
    assert above[1] == f"Term: {term.name}" and above[2].startswith("Exported ")
    assert xlsx_header == header
    assert xlsx_row[header.index("Points")] == Decimal(row[header.index("Points")])
    assert isinstance(xlsx_row[header.index("Percentage")], (int, float))


def test_findings_and_the_plans_register_run_a_fixed_number_ofpage_queries(people, client_for):
    ensure_academic_year(2025)
    from send_qa.core.models import Period

    term = Period.objects.terms().first()
    client = client_for(people.sendops)
    template = small_template()
    AuditFactory(term=term, template=template)
    findings_url = reverse("audits:findings") + f"?term={term.uuid}"
    few = (page_queries(client, findings_url), page_queries(client, reverse("audits:plan_list")))
    for _ in range(15):
        audit = AuditFactory(term=term, template=template, plan=PlanFactory(team=TeamFactory()))
        found = items(audit)
        audit.save_answers(
            values={found["A1"].pk: {"score": 3}, found["B2"].pk: {"yes_no": "yes"}},
            version=audit.edit_version(),
        )
    assert (
        page_queries(client, findings_url),
        page_queries(client, reverse("audits:plan_list")),
    ) == few


def test_the_audit_list_filters_by_auditor_named_by_opaque_id(people, client_for):
    mine = AuditFactory(auditor=people.auditor)
    theirs = AuditFactory(auditor=UserFactory(roles=["auditor"]))
    client = client_for(people.sendops)
    html = client.get(reverse("audits:audit_list") + f"?auditor={people.auditor.uuid}")
    html = html.content.decode()
    assert mine.plan.case_reference in html and theirs.plan.case_reference not in html
    assert f'<option value="{people.auditor.uuid}" selected>' in html
    by_number = client.get(reverse("audits:audit_list") + f"?auditor={people.auditor.pk}")
    assert theirs.plan.case_reference in by_number.content.decode()  # a number filters nothing


def test_the_lists_filter_teams_and_terms_by_opaque_ids_only(people, client_for):
    """The `?team=` and `?term=` filters name a team or term by its uuid; a row number typed
    into the address chooses nothing, so the full list is shown."""
    _, autumn, spring, _ = ensure_academic_year(2026)
    north, south = TeamFactory(name="North team"), TeamFactory(name="South team")
    AuditFactory(plan=PlanFactory(case_reference="EHC-NORTH", team=north), term=autumn)
    AuditFactory(plan=PlanFactory(case_reference="EHC-SOUTH", team=south), term=spring)
    client = client_for(people.sendops)

    def listed(name, **query):
        html = client.get(reverse(name), query).content.decode()
        return {ref for ref in ("EHC-NORTH", "EHC-SOUTH") if ref in html}, html

    shown, html = listed("audits:audit_list", team=north.uuid)
    assert shown == {"EHC-NORTH"}
    assert f'<option value="{north.uuid}" selected>North team</option>' in html
    shown, html = listed("audits:audit_list", term=spring.uuid)
    assert shown == {"EHC-SOUTH"}
    assert f'<option value="{spring.uuid}" selected>{spring.name}</option>' in html
    assert listed("audits:audit_list", team=north.pk)[0] == {"EHC-NORTH", "EHC-SOUTH"}
    assert listed("audits:audit_list", term=spring.pk)[0] == {"EHC-NORTH", "EHC-SOUTH"}
    assert f'value="{north.pk}"' not in listed("audits:audit_list")[1]

    shown, html = listed("audits:plan_list", team=south.uuid)
    assert shown == {"EHC-SOUTH"}
    assert f'<option value="{south.uuid}" selected>South team</option>' in html
    assert listed("audits:plan_list", team=south.pk)[0] == {"EHC-NORTH", "EHC-SOUTH"}
    # Caseworkers see their own team's plans: the team filter is for SENDOPS.
    caseworkers_page = client_for(people.caseworker).get(reverse("audits:plan_list"))
    assert 'name="team"' not in caseworkers_page.content.decode()


def test_a_term_is_chosen_by_its_opaque_id_and_never_by_its_number():
    from send_qa.core.models import Period

    _, autumn, *_ = ensure_academic_year(2026)
    assert Period.objects.chosen_term(str(autumn.uuid)) == autumn
    assert Period.objects.chosen_term(str(autumn.uuid).upper()) == autumn
    for asked in (str(autumn.pk), "", "not-a-term", "1 OR 1=1", "9" * 40):
        assert Period.objects.chosen_term(asked) is None


@pytest.mark.parametrize(("band", "words"), [("11-15", "age 11 to 15"), ("NR", "age not recorded")])
def test_the_audit_page_names_the_plan_s_age_band_in_words(people, client_for, band, words):
    audit = AuditFactory(
        auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team, age_band=band)
    )
    html = client_for(people.auditor).get(detail_url(audit)).content.decode()
    assert words in html
    assert f"age {band}<" not in html


def test_an_audit_in_progress_shows_its_score_so_far_but_no_grade(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    client.post(
        section_url(audit, "A"),
        {
            "version": audit.edit_version(),
            f"item_{found['A1'].pk}": "4",
            f"item_{found['A2'].pk}": "yes",
        },
    )
    row = client.get(detail_url(audit)).content.decode().split("Score so far")[1].split("</dd>")[0]
    assert "out of" in row
    assert "not graded yet" in row
    assert not any(f": {band['label']}" in row for band in audit.template.grade_bands)
