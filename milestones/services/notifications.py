"""Emails to people about their evidence. Sent by Celery tasks (milestones/tasks.py), never
inside a request: a slow or failing mail server delays an email, not a page."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import EvidenceSubmission, Reminder, ReviewState


def evidence_review_email_send(*, submission_id: int) -> bool:
    """Tell the submitter how their evidence was reviewed, once; False when it was already sent
    or they have no address.

    The submission stays locked while the message goes out, so two tasks for one review send
    it once. Mail server errors propagate, for the task to retry; the review stays unmarked."""
    with transaction.atomic():
        submission = (
            EvidenceSubmission.objects.select_for_update(of=("self",), no_key=True)
            .select_related("trust", "requirement", "submitted_by")
            .get(pk=submission_id)
        )
        if submission.review_emailed_at is not None:
            return False
        message = _review_email(submission)
        if message is None:
            return False
        message.send()
        submission.review_emailed_at = timezone.now()
        submission.save(update_fields=["review_emailed_at"])
    return True


def reminder_email_send(*, reminder_id: int) -> bool:
    """Send a recorded reminder (milestones.services.reminders), once: False when it was already
    sent. Locked while it goes out, as a review's email is; mail server errors propagate for the
    task to retry, and the reminder stays unsent."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update(no_key=True).get(pk=reminder_id)
        if reminder.sent_at is not None:
            return False
        message = EmailMultiAlternatives(subject=reminder.subject, body=reminder.body_text, to=[reminder.to])
        message.attach_alternative(reminder.body_html, "text/html")
        message.send()
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return True


def _review_email(submission: EvidenceSubmission) -> EmailMessage | None:
    recipient = submission.submitted_by.email
    if not recipient:
        return None
    outcome = "approved" if submission.state == ReviewState.APPROVED else "rejected"
    lines = [
        f"Your evidence for {submission.trust.display_name} ({submission.trust.ods_code}) was {outcome}.",
        "",
        f"Requirement: {submission.requirement.title}",
        f"File: {submission.original_name}",
    ]
    if submission.review_comment:
        lines += ["", f"Reviewer's comment: {submission.review_comment}"]
    detail = reverse("milestones:evidence_detail", args=[submission.pk])
    lines += ["", f"See it in DigiTrack: {settings.SITE_URL}{detail}"]
    return EmailMessage(
        subject=f"DigiTrack: evidence {outcome} for {submission.trust.ods_code}",
        body="\n".join(lines),
        to=[recipient],
    )
