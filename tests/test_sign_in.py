"""Signing in: Django's own views drawn with NHS.UK components, throttled by axes, audited."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="192.0.2.10")


def events(**filters) -> list[str]:
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, **filters).order_by("id")
    return [entry.additional_data["event"] for entry in entries]


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, people):
    evidence = reverse("milestones:evidence_list", args=[people.trust_a.ods_code])

    response = client.get(evidence)
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={evidence}"

    page = client.get(response["Location"]).content.decode()
    assert "Sign in to DigiTrack" in page and 'name="next" value="' + evidence + '"' in page

    signed_in = client.post(LOGIN, {"username": "cio-a", "password": PASSWORD, "next": evidence})
    assert signed_in.status_code == 302 and signed_in["Location"] == evidence


def test_wrong_password_shows_the_error_summary_and_is_audited(client, people):
    response = sign_in(client, "cio-a", "wrong")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page and "There is a problem" in page
    assert "Please enter a correct username and password" in page
    failed = LogEntry.objects.get(additional_data__event="sign_in_failed")
    assert failed.object_repr == "cio-a" and failed.actor is None and failed.remote_addr == "192.0.2.10"


def test_sign_in_and_out_are_audited_with_who_and_where(client, people):
    sign_in(client, "cio-a", PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.10")

    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=people.cio_a).order_by("id")
    assert [entry.additional_data["event"] for entry in entries] == ["sign_in", "sign_out"]
    assert {entry.remote_addr for entry in entries} == {"192.0.2.10"}


def test_repeated_failures_lock_the_username_even_with_the_right_password(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "cio-a", "wrong")

    locked = sign_in(client, "cio-a", PASSWORD)

    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert "sign_in_locked_out" in events(object_repr="cio-a")
    # Another user from the same address is not locked out by someone else's failures.
    assert sign_in(client, "cio-b", PASSWORD).status_code == 302


def test_audit_log_is_viewable_and_filterable_by_admins_but_never_editable(client, people):
    sign_in(client, "cio-a", "wrong")
    entry = LogEntry.objects.get(additional_data__event="sign_in_failed")
    client.force_login(people.admin)

    listing = client.get(reverse("admin:auditlog_logentry_changelist"), {"action__exact": LogEntry.Action.ACCESS})
    assert listing.status_code == 200 and "cio-a" in listing.content.decode()
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert detail.status_code == 200 and 'type="submit"' not in detail.content.decode().split("<form", 2)[-1]
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {"action": 0}).status_code == 403
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk, action=LogEntry.Action.ACCESS).exists()


def test_changes_to_targets_requirements_and_cio_links_are_audited(people):
    from auditlog.context import set_actor

    from tests.factories import RequirementFactory, TargetFactory

    target = TargetFactory()
    requirement = RequirementFactory(target=target)
    with set_actor(people.admin, remote_addr="192.0.2.20"):
        target.title = "Renamed"
        target.save()
        requirement.delete()
        people.trust_a.cio_users.add(people.cio_b)

    change = LogEntry.objects.get_for_object(target).get(action=LogEntry.Action.UPDATE)
    assert change.actor == people.admin and change.remote_addr == "192.0.2.20"
    assert change.changes["title"][1] == "Renamed"
    assert LogEntry.objects.filter(object_repr=requirement.title, action=LogEntry.Action.DELETE).exists()
    link = LogEntry.objects.get_for_object(people.trust_a).filter(actor=people.admin).get()
    assert link.changes["cio_users"]["objects"] == [str(people.cio_b)]
