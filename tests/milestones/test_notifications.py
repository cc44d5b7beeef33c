"""The review email: rendered by a service, sent by a Celery task after the review commits,
once, and sent again by resend_review_emails if it never went out."""

import datetime
import smtplib
from unittest import mock

import kombu.exceptions
import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from milestones.models import EvidenceSubmission, RecomputeRequest, ReviewState
from milestones.selectors.evidence import (
    REVIEW_EMAIL_RESEND_AFTER,
    REVIEW_EMAIL_RESEND_FOR,
)
from milestones.tasks import resend_review_emails, send_review_email
from tests.factories import EvidenceSubmissionFactory, UserFactory


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, counting the tries."""

    attempts = 0

    def send_messages(self, email_messages):
        RefusingBackend.attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def reviewed_by_staff(client, people):
    people.cio_a.email = "cio-a@example.nhs.uk"
    people.cio_a.save()
    submission = EvidenceSubmissionFactory(
        trust=people.trust_a, requirement=people.requirement, submitted_by=people.cio_a, original_name="plan.pdf"
    )
    client.force_login(people.staff)
    return submission


def review(client, submission, decision: str, comment: str = ""):
    return client.post(reverse("milestones:review", args=[submission.pk]), {"decision": decision, "comment": comment})


def test_review_email_is_sent_by_the_task_once_the_review_commits(
    client, people, reviewed_by_staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with django_capture_on_commit_callbacks() as callbacks:
        response = review(client, reviewed_by_staff, "reject", "Not signed by the board.")
    assert response.status_code == 302
    assert mailoutbox == []  # nothing is sent inside the request's transaction
    for callback in callbacks:
        callback()

    [email] = mailoutbox
    assert email.to == ["cio-a@example.nhs.uk"]
    assert email.subject == f"DigiTrack: evidence rejected for {people.trust_a.ods_code}"
    assert f"was rejected.\n\nRequirement: {people.requirement.title}\nFile: plan.pdf" in email.body
    assert "Reviewer's comment: Not signed by the board." in email.body
    # A link back to the item, at the address people reach DigiTrack at.
    assert email.body.endswith(f"See it in DigiTrack: {settings.SITE_URL}/evidence/{reviewed_by_staff.pk}/")
    assert EvidenceSubmission.objects.get(pk=reviewed_by_staff.pk).review_emailed_at is not None


def test_a_review_is_emailed_once_however_often_its_task_runs(people, mailoutbox):
    people.cio_a.email = "cio-a@example.nhs.uk"
    people.cio_a.save()
    submission = EvidenceSubmissionFactory(
        trust=people.trust_a, submitted_by=people.cio_a, state=ReviewState.APPROVED, reviewed_at=timezone.now()
    )

    assert send_review_email.apply(args=[submission.pk]).get() is True
    assert send_review_email.apply(args=[submission.pk]).get() is False
    assert len(mailoutbox) == 1


def test_no_review_email_for_a_submitter_without_an_address(people, mailoutbox):
    people.cio_a.email = ""
    people.cio_a.save()
    submission = EvidenceSubmissionFactory(trust=people.trust_a, submitted_by=people.cio_a, state=ReviewState.APPROVED)

    assert send_review_email.apply(args=[submission.pk]).get() is False
    assert mailoutbox == []


def test_a_failing_mail_server_leaves_the_review_saved_and_retries_the_email(
    client, people, reviewed_by_staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # The task runs at once here, as a worker would run it; its failure stays in the task as a
    # worker's would, and the request goes on.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.attempts = 0

    with django_capture_on_commit_callbacks(execute=True):
        response = review(client, reviewed_by_staff, "approve")

    assert response.status_code == 302 and response["Location"] == reverse("milestones:review_queue")
    submission = EvidenceSubmission.objects.get(pk=reviewed_by_staff.pk)
    assert (submission.state, submission.reviewed_by) == (ReviewState.APPROVED, people.staff)
    assert RecomputeRequest.objects.filter(reason=f"evidence {submission.pk} approved").exists()
    assert mailoutbox == []
    assert RefusingBackend.attempts == send_review_email.max_retries + 1
    assert submission.review_emailed_at is None  # left for resend_review_emails


def reviewed(people, *, ago: datetime.timedelta, **fields):
    """A rejection made this long ago, by default of evidence people.cio_a submitted."""
    fields.setdefault("submitted_by", people.cio_a)
    return EvidenceSubmissionFactory(
        trust=people.trust_a,
        state=ReviewState.REJECTED,
        reviewed_at=timezone.now() - ago,
        review_comment="Unsigned.",
        **fields,
    )


def test_a_review_email_the_broker_never_took_is_sent_by_the_resend(
    client, people, reviewed_by_staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    broker_down = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379")
    with (
        mock.patch.object(send_review_email, "delay", side_effect=broker_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = review(client, reviewed_by_staff, "approve")
    assert response.status_code == 302 and mailoutbox == []

    assert resend_review_emails.apply().get() == 0  # its own task may still be coming
    EvidenceSubmission.objects.filter(pk=reviewed_by_staff.pk).update(
        reviewed_at=timezone.now() - REVIEW_EMAIL_RESEND_AFTER
    )
    assert resend_review_emails.apply().get() == 1

    [email] = mailoutbox
    assert email.to == ["cio-a@example.nhs.uk"] and "was approved" in email.body
    assert resend_review_emails.apply().get() == 0


def test_the_resend_leaves_recent_old_sent_and_unaddressed_reviews_alone(people, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    due = reviewed(people, ago=REVIEW_EMAIL_RESEND_AFTER + datetime.timedelta(minutes=1))
    reviewed(people, ago=REVIEW_EMAIL_RESEND_AFTER - datetime.timedelta(minutes=1))
    reviewed(people, ago=REVIEW_EMAIL_RESEND_FOR + datetime.timedelta(minutes=1))
    reviewed(people, ago=datetime.timedelta(hours=1), review_emailed_at=timezone.now())
    EvidenceSubmissionFactory(trust=people.trust_a, submitted_by=people.cio_a)  # not reviewed yet
    no_address = reviewed(people, ago=datetime.timedelta(hours=1), submitted_by=UserFactory(email=""))

    assert resend_review_emails.apply().get() == 1
    assert len(mailoutbox) == 1
    assert EvidenceSubmission.objects.get(pk=due.pk).review_emailed_at is not None
    assert EvidenceSubmission.objects.get(pk=no_address.pk).review_emailed_at is None


def test_beat_sends_the_resend_to_a_task_that_exists(settings):
    from digitrack.celery import app

    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("resend_review_emails")]
    assert entry["task"] in app.tasks
