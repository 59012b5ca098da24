"""Actions: RAG only through updates, history, overdue and stale, snapshots and the summary,
and who may update what."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conflicts import page_version
from tests.factories import UserFactory
from tests.queries import page_queries
from tests.wsoa.factories import (
    ActionFactory,
    ActionPlanFactory,
    WeaknessFactory,
    rag_key_post,
    status,
)
from wsoa.access import lead_set, may_update
from wsoa.models import Action, DueDate
from wsoa.summaries import plan_summary, snapshot_take

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_rag_changes_only_through_updates_and_keeps_its_history(people):
    action = ActionFactory()
    action.add_update(
        author=people.sendops, narrative="Started", status=status("Amber"), date=D(2026, 9, 1)
    )
    action.add_update(
        author=people.sendops,
        narrative="On track",
        status=status("Light green"),
        date=D(2026, 10, 1),
    )
    action.refresh_from_db()
    assert (action.initial_status.name, action.status.name) == ("Red", "Light green")
    assert [u.status.name for u in action.updates.order_by("date")] == ["Amber", "Light green"]


def test_overdue_is_past_the_last_due_date_and_not_done():
    action = ActionFactory()
    DueDate.objects.create(action=action, due=D(2026, 7, 31))
    DueDate.objects.create(action=action, due=D(2026, 12, 31))
    assert not Action.objects.overdue(on=D(2026, 12, 31)).exists()  # due today: not yet
    assert Action.objects.overdue(on=D(2027, 1, 1)).get() == action
    action.add_update(
        author=UserFactory(), narrative="Done", status=status("Green"), date=D(2026, 9, 1)
    )
    assert not Action.objects.overdue(on=D(2027, 1, 3)).exists()  # green counts as done
    assert not Action.objects.overdue(on=D(2030, 1, 1)).filter(pk=ActionFactory().pk).exists()


def test_stale_is_no_update_for_the_plans_number_of_weeks():
    plan = ActionPlanFactory(stale_after_weeks=6)
    action = ActionFactory(weakness=WeaknessFactory(plan=plan), created_on=D(2026, 1, 1))
    action.add_update(
        author=UserFactory(), narrative="x", status=status("Amber"), date=D(2026, 9, 1)
    )
    six_weeks_on = D(2026, 9, 1) + datetime.timedelta(weeks=6)
    assert not Action.objects.stale(on=six_weeks_on).exists()
    assert Action.objects.stale(on=six_weeks_on + datetime.timedelta(days=1)).get() == action
    fresh = ActionFactory(weakness=WeaknessFactory(plan=plan), created_on=six_weeks_on)
    assert fresh not in Action.objects.stale(on=six_weeks_on + datetime.timedelta(days=1))


def test_the_summary_counts_initial_now_and_direction_since_the_snapshot(people):
    plan = ActionPlanFactory()
    one, two = WeaknessFactory(plan=plan, number=1), WeaknessFactory(plan=plan, number=2)
    a = ActionFactory(weakness=one, created_on=D(2026, 1, 1))
    b = ActionFactory(weakness=one, created_on=D(2026, 1, 1))
    c = ActionFactory(weakness=two, initial_status=status("Amber"), created_on=D(2026, 1, 1))
    d = ActionFactory(weakness=two, initial_status=status("Light green"), created_on=D(2026, 1, 1))
    b.add_update(author=people.sendops, narrative="x", status=status("Amber"), date=D(2026, 6, 1))
    snapshot_take(plan, on=D(2026, 6, 30), label="Q1 2026/27", by=people.sendops)
    # Since the snapshot: a Red -> Amber (better), b Amber -> Red (worse), d -> Green (better).
    a.add_update(author=people.sendops, narrative="x", status=status("Amber"), date=D(2026, 8, 1))
    b.add_update(author=people.sendops, narrative="x", status=status("Red"), date=D(2026, 8, 1))
    d.add_update(author=people.sendops, narrative="x", status=status("Green"), date=D(2026, 8, 1))
    summary = plan_summary(plan)
    counts = {
        r.status.name: (r.initial, r.previous, r.current, r.change) for r in summary.overall.rows
    }
    assert counts == {
        "Red": (2, 1, 1, 0),
        "Amber": (1, 2, 2, 0),
        "Light green": (1, 1, 0, -1),
        "Green": (0, 0, 1, 1),
        "Completed": (0, 0, 0, 0),
        "Not yet rated": (0, 0, 0, 0),
    }
    overall = summary.overall
    assert (overall.improved, overall.declined, overall.unchanged, overall.direction) == (
        2,
        1,
        1,
        "Improving",
    )
    assert [s.total for s in summary.by_weakness] == [2, 2]
    assert summary.by_weakness[0].direction == "Mixed"  # one better, one worse
    assert c.status.name == "Amber"


def test_a_snapshot_freezes_each_actions_rag_as_it_stood_that_day(people):
    action = ActionFactory(created_on=D(2026, 1, 1))
    action.add_update(
        author=people.sendops, narrative="x", status=status("Amber"), date=D(2026, 3, 1)
    )
    action.add_update(
        author=people.sendops, narrative="x", status=status("Green"), date=D(2026, 5, 1)
    )
    snapshot = snapshot_take(action.weakness.plan, on=D(2026, 4, 1), label="Q4", by=people.sendops)
    assert snapshot.entries.get().status.name == "Amber"


def test_only_the_lead_and_sendops_may_update_an_action(people, client_for):
    mine = ActionFactory(led_by=people.action_owner)
    other_owner = UserFactory(roles=["action_owner"])
    theirs = ActionFactory(led_by=other_owner)
    client = client_for(people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": mine.uuid})
    client.post(
        url, {"date": "2026-11-01", "narrative": "Training delivered", "status": status("Amber").pk}
    )
    mine.refresh_from_db()
    assert mine.status.name == "Amber"
    other = reverse("wsoa:action_update", kwargs={"action_uuid": theirs.uuid})
    assert (
        client.post(
            other, {"date": "2026-11-01", "narrative": "x", "status": status("Green").pk}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status.name == "Red"
    # Moving the lead moves the permission.
    lead_set(mine, other_owner)
    assert not may_update(people.action_owner, mine) and may_update(other_owner, mine)
    assert client_for(people.board).post(url, {}).status_code == 403


def test_an_update_needs_a_narrative_and_a_rag_from_the_key(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    posted = {"date_0": "1", "date_1": "1", "date_2": "2099"}
    html = client_for(people.action_owner).post(url, posted).content.decode()
    assert "Enter what progress has been made" in html
    assert '<a href="#id_date_0">Date of the update must be today or in the past</a>' in html
    page = client_for(people.action_owner).get(url).content.decode()
    assert "The action has started but there is some delay in implementation." in page


def test_evidence_is_checked_and_served_only_through_the_portal(
    people, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    action = ActionFactory(led_by=people.action_owner)
    client = client_for(people.action_owner)
    url = reverse("wsoa:evidence_add", kwargs={"action_uuid": action.uuid})
    refused = client.post(
        url, {"description": "Script", "file": SimpleUploadedFile("run.exe", b"MZ")}
    )
    assert "must be a PDF, Word, Excel" in refused.content.decode()
    client.post(
        url,
        {"description": "Minutes", "file": SimpleUploadedFile("../../minutes.pdf", b"%PDF-1.4")},
    )
    evidence = action.evidence.get()
    assert ".." not in evidence.file.name and evidence.file.name.endswith(".pdf")
    download = reverse(
        "wsoa:evidence_download",
        kwargs={"action_uuid": action.uuid, "evidence_uuid": evidence.uuid},
    )
    assert client.get(download).status_code == 200
    outsider = UserFactory(roles=["action_owner"])
    assert client_for(outsider).get(download).status_code == 404


def test_tracker_and_summary_run_a_fixed_number_ofpage_queries(people, client_for):
    plan = ActionPlanFactory()
    weakness = WeaknessFactory(plan=plan)
    action = ActionFactory(weakness=weakness, led_by=people.action_owner)
    action.add_update(
        author=people.sendops, narrative="x", status=status("Amber"), date=D(2026, 6, 1)
    )
    DueDate.objects.create(action=action, due=D(2026, 7, 1))
    snapshot_take(plan, on=D(2026, 7, 1), label="Q1", by=people.sendops)
    client = client_for(people.board)
    urls = [
        reverse("wsoa:plan_detail", kwargs={"plan_uuid": plan.uuid}),
        reverse("wsoa:plan_summary", kwargs={"plan_uuid": plan.uuid}),
    ]
    few = [page_queries(client, url) for url in urls]
    for n in range(8):
        more = ActionFactory(
            weakness=WeaknessFactory(plan=plan), led_by=UserFactory(roles=["action_owner"])
        )
        more.add_update(
            author=people.sendops, narrative="x", status=status("Amber"), date=D(2026, 6, n + 1)
        )
        DueDate.objects.create(action=more, due=D(2026, 7, 1))
    assert [page_queries(client, url) for url in urls] == few


def test_a_plan_gets_its_own_key_without_changing_other_plans(people, client_for):
    action = ActionFactory()
    plan = action.weakness.plan
    other = ActionFactory()
    url = reverse("wsoa:rag_key", kwargs={"plan_uuid": plan.uuid})
    words = ["Not started", "Started", "Progressing and on track", "Embedded", "Closed"]
    data = rag_key_post(plan, words, added=("Sustained", "Still embedded a year on", "blue", True))
    client = client_for(people.sendops)
    data["version"] = page_version(client.get(url), "version_form")
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    action.refresh_from_db()
    assert [s.name for s in plan.rag_key.statuses.rated()] == [*words, "Sustained"]
    assert action.status.key == plan.rag_key and action.status.name == "Not started"
    other.refresh_from_db()
    assert other.status.name == "Red"  # the seed's key is untouched
    assert other.weakness.plan.rag_key.name == "RAG rating key"


def test_deleting_actions_leaves_no_object_permission_behind(people):
    from guardian.models import UserObjectPermission

    from send_qa.core.models import User

    other_owner = User.objects.create_user(email="other-lead@example.org", password="x")
    kept = ActionFactory(led_by=other_owner)
    one = ActionFactory(led_by=people.action_owner)
    cascaded = ActionFactory(led_by=people.action_owner)
    assert UserObjectPermission.objects.count() == 3
    one.delete()
    assert UserObjectPermission.objects.count() == 2
    # Deleting a whole plan deletes its actions by cascade, and their permissions with them.
    cascaded.weakness.plan.delete()
    remaining = UserObjectPermission.objects.get()
    assert remaining.object_pk == str(kept.pk) and remaining.user == other_owner
    # A new action that reuses a deleted id does not inherit its old lead's permission.
    reused = ActionFactory(id=one.pk)
    assert not may_update(people.action_owner, reused)


def test_the_tracker_rows_escape_text_keep_line_breaks_and_say_overdue(people, client_for):
    from wsoa.models import DueDate

    action = ActionFactory(
        text="Review <script>alert(1)</script>\nthen report",
        lead_title="Head of SEND",
    )
    DueDate.objects.create(action=action, due=D(2020, 1, 1))
    done = ActionFactory(weakness=action.weakness, led_by=people.action_owner)
    done.add_update(
        author=people.action_owner,
        narrative="Finished & signed off",
        status=status("Green"),
        date=D(2026, 11, 1),
    )
    url = reverse("wsoa:plan_detail", kwargs={"plan_uuid": action.weakness.plan.uuid})
    html = client_for(people.sendops).get(url).content.decode()
    assert "Review &lt;script&gt;alert(1)&lt;/script&gt;<br>then report" in html
    assert "<script>alert(1)" not in html
    assert "Head of SEND</td>" in html and "Action Owner Person</td>" in html
    assert html.count('govuk-tag--red">Overdue</strong>') == 1
    assert "No update yet" in html and "Finished &amp; signed off" in html
    action_url = reverse("wsoa:action_detail", kwargs={"action_uuid": done.uuid})
    assert f'href="{action_url}"' in html
