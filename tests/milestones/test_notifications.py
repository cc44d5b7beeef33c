"""The review email: rendered by a service, sent by a Celery task after the review commits."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from milestones.models import EvidenceSubmission, RecomputeRequest, ReviewState
from milestones.tasks import send_review_email
from tests.factories import EvidenceSubmissionFactory


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
    assert email.body.endswith("Reviewer's comment: Not signed by the board.")


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
