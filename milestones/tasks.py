"""Celery tasks: thin wrappers that take ids and call one service.

Every task retries on database errors with backoff; a run that fails rolls back whole, so
the last good status stays in place with its "computed at" time.
"""

import datetime
import logging
import smtplib

import kombu.exceptions
import redis.exceptions
from celery import group, shared_task
from django.db import DatabaseError
from django.utils import timezone

from trusts.models import Trust

from .models import Target
from .selectors.evidence import review_emails_unsent
from .selectors.reminders import reminders_unsent
from .services.compliance import (
    recompute_requests_drain,
    statuses_recompute,
    statuses_recompute_all,
    trust_id_batches,
)
from .services.notifications import evidence_review_email_send, reminder_email_send
from .services.reminders import reminders_record

logger = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRYING)
def recompute_trust(trust_id: int, request_id: int | None = None) -> int:
    """One trust against every target (sent when its evidence is reviewed or withdrawn)."""
    trusts = Trust.objects.filter(pk=trust_id)
    summary = statuses_recompute(
        trusts=trusts,
        targets=Target.objects.all(),
        as_of=timezone.localdate(),
        request_ids=[request_id] if request_id else (),
    )
    return summary.changed


@shared_task(**RETRYING)
def recompute_target(target_id: int, request_id: int | None = None) -> int:
    """Every trust against one target (sent when an admin edits it, its deadline or requirements)."""
    summary = statuses_recompute_all(
        as_of=timezone.localdate(),
        targets=Target.objects.filter(pk=target_id),
        request_ids=[request_id] if request_id else (),
    )
    return summary.changed


@shared_task(**RETRYING)
def recompute_trusts(trust_ids: list[int]) -> int:
    """One batch of trusts against every target: the unit recompute_all fans out."""
    summary = statuses_recompute(
        trusts=Trust.objects.filter(pk__in=trust_ids), targets=Target.objects.all(), as_of=timezone.localdate()
    )
    return summary.changed


@shared_task(**RETRYING)
def recompute_all() -> int:
    """Nightly: deadlines pass with time alone. Sends one task per batch of trusts."""
    batches = trust_id_batches()
    group(recompute_trusts.s(batch) for batch in batches).apply_async()
    return len(batches)


@shared_task(**RETRYING)
def drain_recompute_requests() -> int:
    """Every minute: whatever the outbox holds that no task has processed yet."""
    return recompute_requests_drain(as_of=timezone.localdate())


# Emails: a mail server that refuses or cannot be reached is tried again after about 30 s, 1 min
# and 2 min; after that, the periodic task that queues the unsent ones takes over.
MAILING = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError, DatabaseError),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(**MAILING)
def send_review_email(submission_id: int) -> bool:
    """Email the submitter the outcome of a review, once (sent after the review commits); after
    the retries, resend_review_emails takes over."""
    return evidence_review_email_send(submission_id=submission_id)


@shared_task(**RETRYING)
def resend_review_emails() -> int:
    """Every ten minutes: queue again the review emails that have not gone out (their message was
    never sent, was lost with the broker, or the mail server kept refusing)."""
    submission_ids = list(review_emails_unsent(now=timezone.now()).values_list("pk", flat=True)[:200])
    for submission_id in submission_ids:
        send_review_email.delay(submission_id)
    return len(submission_ids)


@shared_task(**MAILING)
def send_reminder(reminder_id: int) -> bool:
    """Send one recorded reminder, once; after the retries, the next send_reminders queues it again."""
    return reminder_email_send(reminder_id=reminder_id)


@shared_task(**RETRYING)
def send_reminders(today: str | None = None) -> int:
    """Every hour (beat): record the reminders due today (`today`, an ISO date, stands in for the
    clock in tests) and queue each unsent one. Recording twice records nothing new; with the broker
    away the rest wait in the outbox for the next run. Returns how many were queued."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    reminders_record(today=day)
    queued = 0
    for reminder_id in reminders_unsent(now=timezone.now()).values_list("pk", flat=True)[:500]:
        try:
            send_reminder.delay(reminder_id)
        except (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError) as error:
            logger.warning("Reminder %s not queued (%s); the next run queues it again.", reminder_id, error)
            break
        queued += 1
    return queued
