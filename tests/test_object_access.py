"""Object-level refusals: for each kind of record that belongs to someone, another person with
the same role who types its address gets 404 or 403, never the record; and lists and counts
never include records the person may not see."""

import pytest
from django.urls import reverse

from tests.factories import TeamFactory, UserFactory
from tests.permission_matrix import ROWS

pytestmark = pytest.mark.django_db

# (URL name, the role whose holder owns, is assigned or is a member of the record)
OWNED = [
    ("audits:plan_detail", "caseworker"),
    ("audits:plan_detail", "auditor"),
    ("audits:audit_detail", "auditor"),
    ("audits:audit_print", "auditor"),
    ("audits:audit_section", "auditor"),
    ("audits:audit_overall", "auditor"),
    ("audits:advice_detail", "auditor"),
    ("audits:advice_feedback", "auditor"),
    ("audits:skills_detail", "caseworker"),
    ("audits:skills_section", "caseworker"),
    ("audits:moderation_detail", "auditor"),
    ("audits:moderation_sample_csv", "auditor"),
    ("audits:moderation_agreement", "auditor"),
    ("kpis:exception_note", "action_owner"),
    ("kpis:measurement_edit", "action_owner"),
    ("wsoa:action_detail", "action_owner"),
    ("wsoa:action_update", "action_owner"),
    ("wsoa:evidence_add", "action_owner"),
    ("wsoa:evidence_download", "action_owner"),
]
ROW_BY_NAME = {row.url_name: row for row in ROWS if row.method == "get"}


@pytest.mark.parametrize(("url_name", "role"), OWNED, ids=[f"{n}-{r}" for n, r in OWNED])
def test_someone_elses_record_is_refused(url_name, role, people, client_for):
    row = ROW_BY_NAME[url_name]
    url = reverse(url_name, kwargs=row.kwargs(people))
    assert client_for(people[role]).get(url).status_code == 200, "the owner opens it"
    stranger = UserFactory(
        roles=[role],
        organisation=people[role].organisation,
        team=TeamFactory(organisation=people[role].organisation, name="Another team"),
    )
    assert client_for(stranger).get(url).status_code in (403, 404)


def test_lists_show_only_what_each_person_may_see(people, client_for):
    from tests.audits.factories import AuditFactory, PlanFactory
    from tests.wsoa.factories import ActionFactory

    other_team = TeamFactory(organisation=people.caseworker.organisation, name="EHC Team South")
    other_auditor = UserFactory(roles=["auditor"])
    other_owner = UserFactory(roles=["action_owner"])
    mine = AuditFactory(auditor=people.auditor, plan=PlanFactory(case_reference="EHC-MINE"))
    AuditFactory(auditor=other_auditor, plan=PlanFactory(case_reference="EHC-THEIRS"))
    PlanFactory(case_reference="EHC-OWN-TEAM", team=people.caseworker.team)
    PlanFactory(case_reference="EHC-OTHER-TEAM", team=other_team)
    ActionFactory(led_by=people.action_owner, text="Mine to lead")
    ActionFactory(led_by=other_owner, text="Someone else's to lead")

    audits = client_for(people.auditor).get(reverse("audits:audit_list")).content.decode()
    assert mine.plan.case_reference in audits and "EHC-THEIRS" not in audits
    assert "To do this term: 1" in audits and "Submitted and other audits" not in audits
    plans = client_for(people.caseworker).get(reverse("audits:plan_list")).content.decode()
    assert "EHC-OWN-TEAM" in plans and "EHC-OTHER-TEAM" not in plans
    assert "EHC-THEIRS" not in plans
    search = client_for(people.caseworker).get(reverse("audits:plan_list"), {"q": "EHC-OTHER"})
    assert "EHC-OTHER-TEAM" not in search.content.decode()
    actions = client_for(people.action_owner).get(reverse("wsoa:my_actions")).content.decode()
    assert "Mine to lead" in actions and "Someone else" not in actions
