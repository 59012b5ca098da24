"""Tests that commit leave the database as Django's flush would (tests/emptied.py)."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from benchmarks.lineage import LINEAGE
from benchmarks.models import Authority, Lineage
from send_qa.core.access_log import Kind
from send_qa.core.models import AccessEvent
from send_qa.core.roles import Role
from tests.audits.factories import AuditFactory
from tests.emptied import database_emptied, tables_with_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_row_a_test_wrote_is_gone_and_what_the_migrate_receivers_make_is_there():
    call_command("flush", interactive=False, verbosity=0)
    made_by_migrating = set(tables_with_rows(connection))
    assert "auth_group" in made_by_migrating
    content_types = set(ContentType.objects.values_list("pk", "app_label", "model"))
    user = UserFactory(roles=[Role.SENDOPS])
    AuditFactory()
    AccessEvent.objects.create(user=user, username=user.email, kind=Kind.SIGN_IN)
    Group.objects.get(name=Role.SENDOPS.label).delete()  # made again by post_migrate
    written = set(tables_with_rows(connection)) - made_by_migrating
    assert {"core_user", "audits_audit", "audits_plan", "core_accessevent"} <= written

    database_emptied(connection.alias)

    assert set(tables_with_rows(connection)) == made_by_migrating
    assert Group.objects.filter(name=Role.SENDOPS.label).exists()
    assert set(ContentType.objects.values_list("pk", "app_label", "model")) == content_types
    assert Permission.objects.exists()


def test_the_shipped_lineage_of_authorities_is_made_again_after_emptying_and_after_flush():
    """Both send post_migrate without the migrated state (`apps`): the lineage's receiver
    (benchmarks/apps.py) must make it again all the same, or every test after one that commits
    would find no authority the portal ships."""
    shipped = len(json.loads(LINEAGE.read_text(encoding="utf-8"))["changes"])
    for empty in (
        lambda: database_emptied(connection.alias),
        lambda: call_command("flush", interactive=False, verbosity=0),
    ):
        AuditFactory()
        empty()
        assert Lineage.objects.count() == shipped
        assert Authority.objects.filter(code="E12000008").exists()  # a region it names
