"""The user admin as the Admin group uses it: users and CIO links, never superuser powers."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db


def user_change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def user_form(client, user, *, add_trusts=(), delete_trusts=(), **changes) -> dict:
    """The user's change form as the page offers it (its CIO-link inline included), with changes."""
    page = client.get(user_change_url(user))
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    links = [link.instance for link in formset.initial_forms]
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        f"{formset.prefix}-TOTAL_FORMS": len(links) + len(add_trusts),
        f"{formset.prefix}-INITIAL_FORMS": len(links),
        f"{formset.prefix}-MIN_NUM_FORMS": 0,
        f"{formset.prefix}-MAX_NUM_FORMS": 1000,
    }
    if user.is_staff:
        form["is_staff"] = "on"
    for index, link in enumerate(links):
        form.update(
            {
                f"{formset.prefix}-{index}-id": link.pk,
                f"{formset.prefix}-{index}-user": user.pk,
                f"{formset.prefix}-{index}-trust": link.trust_id,
            }
        )
        if link.trust in delete_trusts:
            form[f"{formset.prefix}-{index}-DELETE"] = "on"
    for index, trust in enumerate(add_trusts, start=len(links)):
        form.update({f"{formset.prefix}-{index}-user": user.pk, f"{formset.prefix}-{index}-trust": trust.pk})
    form.update(changes)
    return form


def trust_form(trust, cio_users) -> dict:
    return {
        "ods_code": trust.ods_code,
        "name": trust.name,
        "sector": trust.sector,
        "exemplar_status": trust.exemplar_status,
        "region": trust.region_id,
        "icb": trust.icb_id,
        "postcode": trust.postcode,
        "opened_on": trust.opened_on.isoformat(),
        "closed_on": "",
        "cio_users": [user.pk for user in cio_users],
    }


def cio_link_changes(trust) -> list[tuple]:
    """(who, operation, users) of each audit entry on the trust's CIO links made by a signed-in person
    (the test's set-up links have no actor), oldest first."""
    entries = LogEntry.objects.get_for_object(trust).filter(changes__has_key="cio_users", actor__isnull=False)
    entries = entries.order_by("id")
    return [
        (entry.actor.username, entry.changes["cio_users"]["operation"], entry.changes["cio_users"]["objects"])
        for entry in entries
    ]


@pytest.mark.parametrize("whom", ["admin", "cio_a"])
def test_admin_group_cannot_grant_superuser_or_single_permissions(client, people, whom):
    user = getattr(people, whom)
    client.force_login(people.admin)
    delete_users = Permission.objects.get(codename="delete_user")

    form = user_form(client, user, first_name="Renamed", is_superuser="on", user_permissions=[delete_users.pk])
    response = client.post(user_change_url(user), form)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Renamed"
    assert not user.is_superuser
    assert not user.user_permissions.exists()


def test_admin_group_cannot_change_a_superusers_account(client, people, superuser):
    client.force_login(people.admin)
    form = {
        "username": "root",
        "first_name": "Taken",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }

    page = client.get(user_change_url(superuser))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(user_change_url(superuser), form).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert (
        client.post(password_url, {"password1": "new pass phrase 42", "password2": "new pass phrase 42"}).status_code
        == 403
    )

    superuser.refresh_from_db()
    assert superuser.first_name != "Taken"
    assert superuser.check_password("correct horse battery staple")


def test_superuser_can_still_grant_superuser_and_permissions(client, people, superuser):
    client.force_login(superuser)
    delete_users = Permission.objects.get(codename="delete_user")

    form = user_form(client, people.admin, is_superuser="on", user_permissions=[delete_users.pk])
    assert client.post(user_change_url(people.admin), form).status_code == 302

    people.admin.refresh_from_db()
    assert people.admin.is_superuser
    assert list(people.admin.user_permissions.all()) == [delete_users]


def test_cio_links_changed_on_a_trusts_page_are_audited(client, people):
    client.force_login(people.admin)
    url = reverse("admin:trusts_trust_change", args=[people.trust_a.pk])

    assert client.post(url, trust_form(people.trust_a, [people.cio_a, people.cio_b])).status_code == 302
    assert client.post(url, trust_form(people.trust_a, [people.cio_b])).status_code == 302

    assert cio_link_changes(people.trust_a) == [("admin", "add", ["cio-b"]), ("admin", "delete", ["cio-a"])]


def test_cio_links_changed_on_a_users_page_are_audited(client, people):
    client.force_login(people.admin)
    url = user_change_url(people.cio_b)

    assert client.post(url, user_form(client, people.cio_b, add_trusts=[people.trust_a])).status_code == 302
    assert set(people.cio_b.cio_trusts.all()) == {people.trust_a, people.trust_b}
    assert client.post(url, user_form(client, people.cio_b, delete_trusts=[people.trust_a])).status_code == 302

    assert list(people.cio_b.cio_trusts.all()) == [people.trust_b]
    assert cio_link_changes(people.trust_a) == [("admin", "add", ["cio-b"]), ("admin", "delete", ["cio-b"])]
    assert cio_link_changes(people.trust_b) == []
