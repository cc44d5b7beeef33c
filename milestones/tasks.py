"""Celery tasks: thin wrappers that take ids and call one service.

Every task retries on database errors with backoff; a run that fails rolls back whole, so
the last good status stays in place with its "computed at" time.
"""

import smtplib

from celery import group, shared_task
from django.db import DatabaseError
from django.utils import timezone

from trusts.models import Trust

from .models import EvidenceSubmission, Target
from .services.compliance import (
    recompute_requests_drain,
    statuses_recompute,
    statuses_recompute_all,
    trust_id_batches,
)
from .services.notifications import evidence_review_email_send

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


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError, DatabaseError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_review_email(submission_id: int) -> bool:
    """Email the submitter the outcome of a review (sent after the review commits). A mail server
    that refuses or cannot be reached is tried again, 30 s, 1 min, 2 min ... up to an hour apart."""
    submission = EvidenceSubmission.objects.select_related("trust", "requirement", "submitted_by").get(
        pk=submission_id
    )
    return evidence_review_email_send(submission=submission)
