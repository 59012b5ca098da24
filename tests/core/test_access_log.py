"""Sign-ins, views of case-level records, exports and downloads are logged, with user and time,
in a log the application can only add to, naming records by opaque ids only."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from send_qa.core.access_log import event_label, events_filtered, roles_change_words
from send_qa.core.models import AccessEvent, AppendOnly
from send_qa.core.roles import Role
from tests.audits.factories import AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind


def kinds() -> list[tuple[str, str, str]]:
    """What was logged apart from signing in (the test client's force_login signs in too)."""
    events = AccessEvent.objects.exclude(kind=Kind.SIGN_IN).order_by("pk")
    return list(events.values_list("kind", "record", "reference"))


def test_sign_in_failed_sign_in_and_sign_out_are_logged(people, client):
    people.sendops.set_password("a-long-password-2026")
    people.sendops.save()
    client.post(reverse("login"), {"username": "sendops@example.org", "password": "wrong"})
    failed = AccessEvent.objects.get()
    assert failed.kind == Kind.SIGN_IN_FAILED and failed.username == "sendops@example.org"
    assert failed.user is None and failed.address == "127.0.0.1"
    # Through the sign-in page: sign-in throttling refuses an authentication without a request.
    signed_in = client.post(
        reverse("login"), {"username": "sendops@example.org", "password": "a-long-password-2026"}
    )
    assert signed_in.status_code == 302
    client.post(reverse("logout"))
    events = AccessEvent.objects.order_by("pk")
    assert [e.kind for e in events] == [Kind.SIGN_IN_FAILED, Kind.SIGN_IN, Kind.SIGN_OUT]
    assert events[1].user == people.sendops and events[1].at.tzinfo is not None


def test_viewing_case_level_records_and_exporting_are_logged_by_opaque_id(people, client_for):
    plan = PlanFactory(case_reference="EHC-SECRET-1", team=people.caseworker.team)
    audit = AuditFactory(auditor=people.auditor, plan=plan)
    sendops = client_for(people.sendops)
    sendops.get(reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid}))
    client_for(people.auditor).get(
        reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
    )
    sendops.get(reverse("audits:export_csv"))
    sendops.get(reverse("kpis:export_xlsx"))
    assert kinds() == [
        (Kind.RECORD_VIEWED, "plan", str(plan.uuid)),
        (Kind.RECORD_VIEWED, "audit", str(audit.uuid)),
        (Kind.EXPORT, "audits", ""),
        (Kind.EXPORT, "scorecard", ""),
    ]
    users = list(
        AccessEvent.objects.exclude(kind=Kind.SIGN_IN)
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    assert users == [people.sendops.email, people.auditor.email] + [people.sendops.email] * 2
    # No case reference anywhere in the log.
    for event in AccessEvent.objects.all():
        assert "EHC-SECRET-1" not in " ".join([event.record, event.reference, event.username])


def test_a_refused_view_is_logged_as_a_refusal_not_a_view(people, client_for):
    plan = PlanFactory()
    url = reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid})
    assert client_for(people.board).get(url).status_code == 403
    assert kinds() == [(Kind.ACCESS_REFUSED, "page", str(plan.uuid))]
    refusal = AccessEvent.objects.get(kind=Kind.ACCESS_REFUSED)
    assert event_label(refusal) == f"Was refused the page: {url} (no right to it)"


def test_the_portal_can_only_add_to_the_log(people):
    event = AccessEvent.objects.create(kind=Kind.SIGN_IN, user=people.sendops)
    event.kind = Kind.SIGN_OUT
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AccessEvent.objects.filter(pk=event.pk).update(kind=Kind.SIGN_OUT)
    with pytest.raises(AppendOnly):
        AccessEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_accessevent SET kind = 'sign_out'",
        "DELETE FROM core_accessevent",
    ],
)
def test_the_database_refuses_changes_from_any_client(people, statement):
    AccessEvent.objects.create(kind=Kind.SIGN_IN, user=people.sendops)
    with (
        pytest.raises(DatabaseError, match="can only be added to"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessEvent.objects.get().kind == Kind.SIGN_IN


def test_admins_read_the_log_filtered_by_person_and_kind(people, client_for):
    AccessEvent.objects.create(kind=Kind.SIGN_IN, user=people.sendops)
    AccessEvent.objects.create(kind=Kind.EXPORT, user=people.auditor, record="audits")
    client = client_for(people.admin)
    export = '<td class="govuk-table__cell">Exported the audits</td>'
    page = client.get(reverse("core:access_log"), {"person": "auditor"}).content.decode()
    assert export in page and "Sendops Person" not in page
    page = client.get(reverse("core:access_log"), {"kind": Kind.SIGN_IN}).content.decode()
    assert "Sendops Person" in page and export not in page


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("kind", "record", "details", "account", "label"),
    [
        (Kind.SIGN_IN, "", "", "", "Signed in"),
        (Kind.RECORD_VIEWED, "audit", "", "", "Opened the audit"),
        (Kind.RECORD_VIEWED, "plans register", "", "", "Opened the plans register"),
        (Kind.EXPORT, "scorecard", "", "", "Exported the scorecard"),
        (Kind.REPORT_DOWNLOAD, "report version", "", "", "Downloaded the report version"),
        (Kind.EXPORT, "", "", "", "Downloaded a table"),
        (
            Kind.ROLES_CHANGED,
            "user",
            "added SENDOPS member",
            "Sam Jones",
            "Changed the roles of Sam Jones: added SENDOPS member",
        ),
        (Kind.ACCOUNT_DEACTIVATED, "user", "", "Sam Jones", "Deactivated the account of Sam Jones"),
        (
            Kind.TWO_FACTOR_RESET,
            "user",
            "",
            "",
            "Reset the two-factor sign-in of an account no longer in the portal",
        ),
    ],
)
def test_each_event_reads_as_a_sentence(kind, record, details, account, label):
    event = AccessEvent(kind=kind, record=record, details=details)
    assert event_label(event, account) == label


def test_a_change_of_roles_is_said_in_the_roles_names():
    assert roles_change_words([Role.BOARD], [Role.SENDOPS, Role.AUDITOR]) == (
        "added SENDOPS member, Auditor or moderator; removed Board member"
    )
    assert roles_change_words([Role.BOARD], [Role.BOARD]) == ""


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        # 23:30 UTC on 1 July is 00:30 on 2 July in British Summer Time.
        (datetime.date(2026, 7, 2), datetime.date(2026, 7, 2), ["late", "next"]),
        (datetime.date(2026, 7, 1), datetime.date(2026, 7, 1), ["early"]),
        (None, datetime.date(2026, 7, 1), ["early"]),
        (datetime.date(2026, 7, 2), None, ["late", "next"]),
        # In winter UK time is UTC.
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1), ["winter"]),
    ],
)
def test_the_log_is_filtered_by_days_in_uk_time(people, start, end, shown):
    for record, moment in [
        ("early", "2026-07-01T22:59:00+00:00"),
        ("late", "2026-07-01T23:30:00+00:00"),
        ("next", "2026-07-02T22:30:00+00:00"),
        ("winter", "2026-12-01T23:30:00+00:00"),
    ]:
        AccessEvent.objects.create(
            kind=Kind.EXPORT, user=people.sendops, record=record, at=at(moment)
        )
    events = events_filtered(start=start, end=end)
    if end is None:
        events = events.exclude(record="winter")
    assert sorted(events.values_list("record", flat=True)) == sorted(shown)


def test_a_persons_history_is_what_they_did_and_what_admins_did_to_their_account(people):
    mine = AccessEvent.objects.create(kind=Kind.SIGN_IN, user=people.board)
    about_me = AccessEvent.objects.create(
        kind=Kind.ROLES_CHANGED, user=people.admin, record="user", reference=str(people.board.uuid)
    )
    AccessEvent.objects.create(
        kind=Kind.ROLES_CHANGED,
        user=people.admin,
        record="user",
        reference=str(people.sendops.uuid),
    )
    AccessEvent.objects.create(kind=Kind.SIGN_IN, user=people.admin)
    assert set(events_filtered(account=people.board)) == {mine, about_me}
