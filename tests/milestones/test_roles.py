"""Roles: the groups the migrations leave are exactly the roles milestones.roles defines."""

import pytest
from django.contrib.auth.models import Group

from milestones import roles
from milestones.roles import ROLES, roles_sync

pytestmark = pytest.mark.django_db


def _granted() -> dict[str, set[tuple[str, str]]]:
    return {
        group.name: {(p.content_type.app_label, p.codename) for p in group.permissions.select_related("content_type")}
        for group in Group.objects.filter(name__in=ROLES)
    }


def test_the_migrations_leave_each_role_with_exactly_its_permissions():
    assert _granted() == {name: set(keys) for name, keys in ROLES.items()}


def test_sync_is_idempotent_and_restores_a_removed_permission():
    admin = Group.objects.get(name=roles.ADMIN)
    admin.permissions.clear()
    roles_sync()
    roles_sync()
    assert _granted()[roles.ADMIN] == set(ROLES[roles.ADMIN])


def test_a_role_naming_a_permission_that_does_not_exist_fails_loudly(monkeypatch):
    monkeypatch.setitem(ROLES, roles.TRUST_CIO, [*ROLES[roles.TRUST_CIO], ("milestones", "fly_to_the_moon")])
    with pytest.raises(LookupError, match="fly_to_the_moon"):
        roles_sync()
