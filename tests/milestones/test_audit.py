"""The audit log: evidence downloads, region and ICB edits, and who acted, even after their
account is gone from use."""

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import EvidenceSubmissionFactory, IntegratedCareBoardFactory, UserFactory
from trusts.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(people):
    return EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement, submitted_by=people.cio_a)


def downloads():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__event="evidence_download")


def test_each_evidence_download_is_recorded_with_who_what_which_trust_when_and_where(client, people, submission):
    client.force_login(people.staff)

    response = client.get(reverse("milestones:evidence_download", args=[submission.pk]), REMOTE_ADDR="192.0.2.44")
    b"".join(response.streaming_content)

    [entry] = downloads()
    assert entry.actor == people.staff
    assert entry.remote_addr == "192.0.2.44"
    assert entry.object_pk == str(submission.pk)
    assert entry.content_type.model == "evidencesubmission"
    assert entry.additional_data["file"] == submission.original_name
    assert entry.additional_data["sha256"] == submission.sha256
    assert entry.additional_data["trust"] == people.trust_a.ods_code
    assert entry.timestamp is not None


def test_a_refused_download_records_nothing(client, people, submission):
    client.force_login(people.cio_b)

    assert client.get(reverse("milestones:evidence_download", args=[submission.pk])).status_code == 404
    assert not downloads().exists()


def test_admins_see_downloads_in_the_audit_log_read_only(client, people, submission):
    client.force_login(people.staff)
    b"".join(client.get(reverse("milestones:evidence_download", args=[submission.pk])).streaming_content)
    entry = downloads().get()
    client.force_login(people.admin)

    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    change = client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {"action": 0})
    delete = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert reverse("admin:auditlog_logentry_change", args=[entry.pk]) in listing.content.decode()
    assert detail.status_code == 200
    for shown in ("evidence_download", submission.original_name, people.trust_a.ods_code):
        assert shown in detail.content.decode()
    assert change.status_code == 403 and delete.status_code == 403
    assert downloads().get().action == LogEntry.Action.ACCESS
    client.force_login(people.staff)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 302  # not an admin


def test_region_and_icb_edits_are_audited(people):
    region = Region.objects.get(code="Y56")
    region.name = "London (renamed)"
    region.save()
    icb = IntegratedCareBoardFactory(region=region)
    icb.name = "NHS RENAMED INTEGRATED CARE BOARD"
    icb.save()

    assert LogEntry.objects.get_for_object(region).filter(action=LogEntry.Action.UPDATE).exists()
    assert LogEntry.objects.get_for_object(icb).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_user_who_acted_cannot_be_deleted_so_the_log_keeps_who_they_were(client, people, submission):
    client.force_login(people.staff)
    b"".join(client.get(reverse("milestones:evidence_download", args=[submission.pk])).streaming_content)

    # A savepoint, as the deletion's own transaction rolls back when the guard refuses it.
    with pytest.raises(ProtectedError), transaction.atomic():
        people.staff.delete()

    assert downloads().get().actor.username == "staff"


def test_the_admin_refuses_to_delete_a_user_who_acted_and_offers_deactivation(client, people, submission):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(people.staff)
    b"".join(client.get(reverse("milestones:evidence_download", args=[submission.pk])).streaming_content)
    client.force_login(superuser)

    page = client.post(reverse("admin:auth_user_delete", args=[people.staff.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [people.staff.pk]},
    )
    deactivate = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "users_deactivate", "_selected_action": [people.staff.pk]},
    )

    assert page.status_code == 200 and "deactivate" in page.content.decode().lower()
    assert bulk.status_code == 200
    assert deactivate.status_code == 302
    people.staff.refresh_from_db()
    assert people.staff.is_active is False
    assert downloads().get().actor == people.staff


def test_a_user_who_never_acted_can_still_be_deleted(people):
    unused = UserFactory(username="never-signed-in")

    unused.delete()

    assert not type(unused).objects.filter(username="never-signed-in").exists()


def test_an_inline_preview_is_recorded_as_an_access_too(client, people, submission):
    client.force_login(people.staff)

    response = client.get(reverse("milestones:evidence_preview", args=[submission.pk]), REMOTE_ADDR="192.0.2.45")
    b"".join(response.streaming_content)

    [entry] = LogEntry.objects.filter(additional_data__event="evidence_preview")
    assert (entry.actor, entry.remote_addr, entry.additional_data["file"]) == (
        people.staff,
        "192.0.2.45",
        submission.original_name,
    )
