"""The model backend reads a user's permissions, their own and their groups', in one query."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digitrack.auth import ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_own_and_group_permissions_in_one_query():
    user = UserFactory(roles=["Trust CIO"])
    user.user_permissions.add(Permission.objects.get(codename="view_all_trusts"))
    user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        permissions = user.get_all_permissions()
        assert user.has_perm("trusts.view_all_trusts")
    assert len(queries) == 1
    assert "trusts.view_all_trusts" in permissions
    assert "milestones.submit_evidencesubmission" in permissions  # from the Trust CIO group
    assert permissions == user.get_user_permissions() | user.get_group_permissions()


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    admin = _fresh(UserFactory(is_superuser=True))
    assert admin.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    inactive = _fresh(UserFactory(roles=["Programme staff"], is_active=False))
    assert inactive.get_all_permissions() == set()
    assert not inactive.has_perm("trusts.view_all_trusts")


def test_only_the_users_own_permissions_and_their_groups_count():
    user = UserFactory(roles=["Trust CIO"])
    other = UserFactory(roles=["Programme staff"])
    submit = Permission.objects.get(codename="submit_evidencesubmission")
    user.user_permissions.add(submit)  # held through the group as well
    other.user_permissions.add(Permission.objects.get(codename="change_target"))
    permissions = _fresh(user).get_all_permissions()
    assert permissions == _fresh(user).get_user_permissions() | _fresh(user).get_group_permissions()
    assert "milestones.submit_evidencesubmission" in permissions
    assert "trusts.view_all_trusts" not in permissions  # the other user's group's
    assert "milestones.change_target" not in permissions
    assert _fresh(UserFactory()).get_all_permissions() == set()


def test_the_signed_in_user_is_read_with_their_permissions_in_one_query():
    user = UserFactory(roles=["Trust CIO"])
    user.user_permissions.add(Permission.objects.get(codename="view_all_trusts"))
    with CaptureQueriesContext(connection) as queries:
        signed_in = ModelBackend().get_user(user.pk)
        permissions = signed_in.get_all_permissions()
        assert signed_in.has_perm("trusts.view_all_trusts")
    assert len(queries) == 1
    assert signed_in == user
    assert permissions == _fresh(user).get_user_permissions() | _fresh(user).get_group_permissions()


def test_a_user_with_no_permissions_an_inactive_one_and_a_missing_one():
    assert ModelBackend().get_user(UserFactory().pk).get_all_permissions() == set()
    assert ModelBackend().get_user(UserFactory(roles=["Programme staff"], is_active=False).pk) is None
    assert ModelBackend().get_user(10**9) is None
    admin = ModelBackend().get_user(UserFactory(is_superuser=True).pk)
    assert admin.get_all_permissions() == _fresh(admin).get_all_permissions() != set()
