import pytest
from django.contrib.auth.models import Group

from send_qa.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}


def test_the_admin_group_may_manage_users_in_the_admin_site():
    admin = UserFactory(roles=[Role.ADMIN])
    assert admin.is_staff
    assert admin.has_perm("core.change_user")
    assert admin.has_perm("core.add_organisation")


def test_other_roles_do_not_reach_the_admin_site():
    sendops = UserFactory(roles=[Role.SENDOPS, Role.BOARD])
    assert not sendops.is_staff
    assert not sendops.has_perm("core.change_user")


def test_deactivated_admins_lose_the_admin_site():
    admin = UserFactory(roles=[Role.ADMIN], is_active=False)
    assert not admin.is_staff


def test_a_user_may_hold_several_roles():
    person = UserFactory(roles=[Role.AUDITOR, Role.CASEWORKER])
    assert person.has_role(Role.CASEWORKER)
    assert person.has_role(Role.BOARD, Role.AUDITOR)
    assert not person.has_role(Role.SENDOPS)


def test_admins_may_lift_lockouts_and_reset_two_factor_but_not_forge_them():
    admin = UserFactory(roles=[Role.ADMIN])
    assert admin.has_perm("axes.delete_accessattempt")
    assert admin.has_perm("otp_totp.view_totpdevice")
    assert admin.has_perm("otp_totp.delete_totpdevice")
    assert not admin.has_perm("otp_totp.add_totpdevice")
    assert not admin.has_perm("otp_totp.change_totpdevice")
