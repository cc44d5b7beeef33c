"""DSPT submission deadlines decide when each published status is in force: a change needs a
reason, keeps the old date as a revision and recomputes the targets that DSPT data meets."""

import datetime

import pytest
from django.urls import reverse

from milestones.models import DashboardGeneration, DsptDeadlineRevision, DsptSubmissionDeadline, RecomputeRequest
from milestones.services.dspt import dspt_deadline_reschedule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def deadline():
    return DsptSubmissionDeadline.objects.get(year="2020-21")


def test_rescheduling_keeps_the_old_date_with_its_reason_and_recomputes(deadline, superuser):
    old = deadline.deadline
    generation = DashboardGeneration.objects.get().value if DashboardGeneration.objects.exists() else 0

    revision = dspt_deadline_reschedule(
        deadline=deadline,
        new_deadline=old + datetime.timedelta(days=30),
        reason="Extended for the pandemic",
        revised_by=superuser,
        revised_on=TODAY,
    )

    deadline.refresh_from_db()
    assert deadline.deadline == old + datetime.timedelta(days=30)
    assert (
        revision.old_deadline,
        revision.new_deadline,
        revision.reason,
        revision.revised_by,
        revision.revised_on,
    ) == (
        old,
        old + datetime.timedelta(days=30),
        "Extended for the pandemic",
        superuser,
        TODAY,
    )
    assert RecomputeRequest.objects.filter(reason__contains="DSPT 2020-21 deadline moved").exists()
    assert DashboardGeneration.objects.get().value > generation


@pytest.mark.parametrize("reason", ["", "   "])
def test_rescheduling_without_a_reason_is_refused(deadline, superuser, reason):
    old = deadline.deadline
    with pytest.raises(ValueError, match="reason"):
        dspt_deadline_reschedule(
            deadline=deadline,
            new_deadline=old + datetime.timedelta(days=1),
            reason=reason,
            revised_by=superuser,
            revised_on=TODAY,
        )
    deadline.refresh_from_db()
    assert deadline.deadline == old
    assert not DsptDeadlineRevision.objects.exists()
    assert not RecomputeRequest.objects.exists()


def _form(row, **changes) -> dict:
    """The change form as posted, with the (read-only, here empty) history inline's management form."""
    return {
        "year": row.year,
        "deadline": row.deadline.isoformat(),
        "deadline_change_reason": "",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_admin_needs_a_reason_to_move_a_deadline(deadline, refused_deadline_move):
    refused_deadline_move(
        reverse("admin:milestones_dsptsubmissiondeadline_change", args=[deadline.pk]),
        _form(deadline, deadline="2021-07-31"),
    )

    deadline.refresh_from_db()
    assert deadline.deadline == datetime.date(2021, 6, 30)
    assert not RecomputeRequest.objects.exists()


def test_the_admin_keeps_and_shows_each_revision(client, deadline, superuser):
    client.force_login(superuser)
    url = reverse("admin:milestones_dsptsubmissiondeadline_change", args=[deadline.pk])

    response = client.post(
        url, _form(deadline, deadline="2021-07-31", deadline_change_reason="Extended by NHS England")
    )

    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.deadline == datetime.date(2021, 7, 31)
    revision = deadline.revisions.get()
    assert (revision.old_deadline, revision.reason, revision.revised_by) == (
        datetime.date(2021, 6, 30),
        "Extended by NHS England",
        superuser,
    )
    assert RecomputeRequest.objects.filter(reason__contains="deadline moved").exists()
    page = client.get(url).content.decode()
    assert "Extended by NHS England" in page and "Deadline history" in page


def test_an_edit_that_keeps_the_date_needs_no_reason_and_records_no_revision(client, deadline, superuser):
    client.force_login(superuser)
    url = reverse("admin:milestones_dsptsubmissiondeadline_change", args=[deadline.pk])

    assert client.post(url, _form(deadline)).status_code == 302
    assert not DsptDeadlineRevision.objects.exists()


def test_a_deadline_with_history_cannot_be_deleted(client, deadline, superuser):
    dspt_deadline_reschedule(
        deadline=deadline, new_deadline=datetime.date(2021, 7, 31), reason="x", revised_by=superuser, revised_on=TODAY
    )
    client.force_login(superuser)

    page = client.post(reverse("admin:milestones_dsptsubmissiondeadline_delete", args=[deadline.pk]), {"post": "yes"})

    assert page.status_code == 200
    assert DsptSubmissionDeadline.objects.filter(pk=deadline.pk).exists()
