"""The audit, advice and moderation pages' forms given random and malicious values: a page with
the errors, or valid stored records; never a server error and never a half-saved record."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from audits.models import (
    Advice,
    AdviceService,
    Answer,
    Audit,
    ModerationSession,
    Plan,
    SampledPlan,
    TemplateItem,
)
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import (
    AdviceServiceFactory,
    AuditFactory,
    ModerationSessionFactory,
    PlanFactory,
    sampled_plan,
    small_template,
)
from tests.conflicts import page_version
from tests.strategies import (
    NASTY,
    assert_one_saved_or_none,
    assert_stored_valid,
    checked,
    mostly,
    nasty_text,
)

pytestmark = pytest.mark.django_db

CHECKED = checked(40)


@CHECKED
@given(
    a1=mostly(["4", "", "na", "6", "0"]),
    a2=mostly(["yes", "no", "na"]),
    comment=nasty_text(max_size=200),
    version=mostly(["current", "", "0", "f" * 64, "x" * 5000]),
)
@example(a1="4", a2="yes", comment='=HYPERLINK("http://x","y")', version="current")
@example(a1="4", a2="yes", comment="x" * 20000, version="current")
def test_a_scoring_section_saves_valid_answers_or_shows_errors(
    people, client_for, a1, a2, comment, version
):
    audit = AuditFactory(auditor=people.auditor, template=small_template())
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
    url = reverse("audits:audit_section", kwargs={"audit_uuid": audit.uuid, "code": "A"})
    response = client_for(people.auditor).post(
        url,
        {
            "version": audit.edit_version() if version == "current" else version,
            f"item_{items['A1'].pk}": a1,
            f"item_{items['A2'].pk}": a2,
            f"comment_{items['A1'].pk}": comment,
        },
    )
    assert response.status_code in (200, 302, 400, 409)
    saved = Answer.objects.filter(audit=audit)
    if response.status_code != 302:
        assert not saved.exists()  # a refused page saves none of the section
    assert_stored_valid(Answer)
    audit.refresh_from_db()
    assert audit.revision == (1 if response.status_code == 302 else 0)


@CHECKED
@given(rating=mostly(["1", "4", ""]), comments=nasty_text(max_size=200))
def test_the_overall_rating_saves_a_valid_rating_or_shows_errors(
    people, client_for, rating, comments
):
    audit = AuditFactory(auditor=people.auditor, template=small_template())
    url = reverse("audits:audit_overall", kwargs={"audit_uuid": audit.uuid})
    response = client_for(people.auditor).post(
        url,
        {"version": audit.edit_version(), "overall_rating": rating, "final_comments": comments},
    )
    assert response.status_code in (200, 302, 400)
    audit.refresh_from_db()
    audit.full_clean()
    if response.status_code != 302:
        assert audit.overall_rating is None and audit.revision == 0


@CHECKED
@given(reason=nasty_text(max_size=300))
def test_reopening_keeps_a_valid_reason_or_shows_errors(people, client_for, reason):
    audit = AuditFactory(auditor=people.auditor, status=Audit.Status.SUBMITTED)
    url = reverse("audits:audit_reopen", kwargs={"audit_uuid": audit.uuid})
    response = client_for(people.sendops).post(url, {"reason": reason})
    assert response.status_code in (200, 302)
    audit.refresh_from_db()
    audit.full_clean()
    reopened = audit.status == Audit.Status.IN_PROGRESS
    assert reopened == (response.status_code == 302)


@CHECKED
@given(
    case_reference=mostly(["EHC-FUZZ", "ehc-fuzz", "EHC-NONE"]),
    service=mostly(["good"]),
    requested=mostly(["2026-09-01", "2026-02-31"]),
    due=mostly(["", "2026-10-13", "2026-08-01"]),
    received=mostly(["", "2026-09-20"]),
)
def test_an_advice_request_saves_valid_dates_or_shows_errors(
    people, client_for, case_reference, service, requested, due, received
):
    if not Plan.objects.filter(case_reference="EHC-FUZZ").exists():
        PlanFactory(case_reference="EHC-FUZZ")
    good = AdviceServiceFactory()
    assert_one_saved_or_none(
        Advice,
        lambda: client_for(people.sendops).post(
            reverse("audits:advice_new"),
            {
                "case_reference": case_reference,
                "service": good.pk if service == "good" else service,
                "requested": requested,
                "due": due,
                "received": received,
            },
        ),
    )
    assert_stored_valid(Advice)


@CHECKED
@given(
    name=nasty_text(max_size=300),
    profession=mostly(["educational_psychology", "health"]),
    email=mostly(["team@example.org", "not an email", "a@b"]),
)
def test_an_advice_service_saves_valid_details_or_shows_errors(
    people, client_for, name, profession, email
):
    assert_one_saved_or_none(
        AdviceService,
        lambda: client_for(people.sendops).post(
            reverse("audits:advice_service_new"),
            {"name": name, "profession": profession, "contact_email": email, "is_active": "on"},
        ),
    )
    assert_stored_valid(AdviceService)


@CHECKED
@given(
    day=mostly(["24", "31", " 1 "]),
    month=mostly(["11", "2", "jan"]),
    year=mostly(["2026", "26"]),
    sample_size=mostly(["6", "5", "61", "-1", "1e3"]),
    exclude_months=mostly(["12", "0", "-3", "99999999999"]),
    pool=mostly(["audited", "all"]),
    term=mostly(["good", "0"]),
    member=mostly(["good", "0"]),
)
def test_a_moderation_session_saves_valid_settings_or_shows_errors(
    people, client_for, day, month, year, sample_size, exclude_months, pool, term, member
):
    ensure_academic_year(2026)
    good_term = Period.objects.terms().first()
    assert_one_saved_or_none(
        ModerationSession,
        lambda: client_for(people.sendops).post(
            reverse("audits:moderation_new"),
            {
                "date_0": day,
                "date_1": month,
                "date_2": year,
                "term": good_term.pk if term == "good" else term,
                "pool": pool,
                "sample_size": sample_size,
                "exclude_months": exclude_months,
                "members": [people.auditor.pk if member == "good" else member],
            },
        ),
    )
    assert_stored_valid(ModerationSession)


@CHECKED
@given(
    themes=nasty_text(max_size=300),
    agreed_actions=nasty_text(max_size=300),
    learning=st.sampled_from(NASTY),
    grade=mostly(["Good", "Outstanding"]),
    notes=nasty_text(max_size=300),
)
def test_outcomes_and_key_issues_save_valid_text_or_show_errors(
    people, client_for, themes, agreed_actions, learning, grade, notes
):
    session = ModerationSessionFactory(members=[people.auditor], created_by=people.sendops)
    sample = sampled_plan(session)
    client = client_for(people.sendops)
    key_issues = reverse("audits:moderation_key_issues", kwargs={"session_uuid": session.uuid})
    response = client.post(
        key_issues,
        {
            "version": page_version(client.get(key_issues)),
            "themes": themes,
            "agreed_actions": agreed_actions,
            "learning": learning,
        },
    )
    assert response.status_code in (200, 302)
    outcome = reverse(
        "audits:moderation_outcome", kwargs={"session_uuid": session.uuid, "code": sample.code}
    )
    response = client.post(
        outcome,
        {
            "version": page_version(client.get(outcome)),
            "agreed_grade": grade,
            "agreed_notes": notes,
        },
    )
    assert response.status_code in (200, 302)
    assert_stored_valid(ModerationSession, SampledPlan)
