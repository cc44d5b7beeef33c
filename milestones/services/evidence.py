"""Writes of evidence: upload, withdrawal and review.

Each change is written to the audit log by django-auditlog (EvidenceSubmission is tracked, and
the request's user and address come from its middleware).
"""

import datetime
import hashlib
import logging
import secrets
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from digitrack.dates import long_date
from trusts.models import Trust

from ..models import EvidenceSubmission, Requirement, ReviewState
from ..tasks import send_review_email
from ..validators import evidence_file_type, validate_valid_until
from .recompute import inputs_changed

logger = logging.getLogger(__name__)


def evidence_submit(
    *,
    trust: Trust,
    requirement: Requirement,
    upload: UploadedFile,
    summary: str,
    valid_until: datetime.date | None,
    submitted_by,
) -> EvidenceSubmission:
    """Check and store an uploaded file, then record it as pending review.

    The file is written only after every check has passed, and removed again if the row cannot
    be saved, so a refused or failed upload leaves nothing behind.
    """
    if not requirement.target.applies_to(trust.sector) or requirement.national_data_rule:
        raise ValidationError({"requirement": "Choose a requirement that this trust meets with evidence"})
    try:
        evidence_type = evidence_file_type(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    try:
        validate_valid_until(valid_until, uploaded_on=timezone.localdate())
    except ValidationError as error:
        raise ValidationError({"valid_until": error.error_list}) from None
    sha256 = _sha256(upload)
    _refuse_duplicate(trust=trust, requirement=requirement, sha256=sha256)

    submission = EvidenceSubmission(
        trust=trust,
        requirement=requirement,
        original_name=upload.name,
        size_bytes=upload.size,
        sha256=sha256,
        content_type=evidence_type.content_type,
        summary=summary,
        valid_until=valid_until,
        submitted_by=submitted_by,
        submitted_at=timezone.now(),
    )
    # A generated name: nothing about the stored path can be guessed from the upload.
    stored_name = f"{secrets.token_urlsafe(24)}{evidence_type.extensions[0]}"
    submission.file.save(stored_name, upload, save=False)
    try:
        with transaction.atomic():
            # Lock the trust: two uploads of one file can race past the check above. NO KEY UPDATE,
            # as any lock taken to queue writers: FOR UPDATE would also hold up the foreign-key
            # checks of other writers' commits, and one holding the generation row deadlocked.
            Trust.objects.select_for_update(no_key=True).get(pk=trust.pk)
            _refuse_duplicate(trust=trust, requirement=requirement, sha256=sha256)
            submission.full_clean()
            submission.save()
            # The requirement's reason turns from "evidence missing" to "pending review".
            # The trust page and the awaiting-review count show it too.
            inputs_changed(trust=trust, reason=f"evidence {submission.pk} submitted")
    except BaseException:
        submission.file.delete(save=False)
        raise
    return submission


def evidence_withdraw(*, submission: EvidenceSubmission) -> EvidenceSubmission:
    """Mark a pending submission withdrawn; it is kept, never deleted."""
    with transaction.atomic():
        locked = _locked(submission)
        if locked.state != ReviewState.SUBMITTED:
            raise ValidationError(
                f"Only evidence pending review can be withdrawn; this is {locked.get_state_display().lower()}"
            )
        locked.state = ReviewState.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["state", "withdrawn_at"])
        inputs_changed(trust=locked.trust, reason=f"evidence {locked.pk} withdrawn")
    return locked


def evidence_review(*, submission: EvidenceSubmission, reviewer, approve: bool, comment: str) -> EvidenceSubmission:
    """Approve or reject a pending submission, once; the submitter's email is queued after commit."""
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": "Enter why the evidence is rejected"})
    with transaction.atomic():
        locked = _locked(submission)
        if locked.state != ReviewState.SUBMITTED:
            raise ValidationError(
                f"This evidence cannot be reviewed: it is already {locked.get_state_display().lower()}"
            )
        locked.state = ReviewState.APPROVED if approve else ReviewState.REJECTED
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment
        locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
        inputs_changed(trust=locked.trust, reason=f"evidence {locked.pk} {locked.state}")
        transaction.on_commit(partial(_review_email_enqueue, locked.pk))
    return locked


def _locked(submission: EvidenceSubmission) -> EvidenceSubmission:
    # Lock the row: two reviewers (or a review and a withdrawal) can act on it at once.
    return (
        EvidenceSubmission.objects.select_for_update(of=("self",), no_key=True)
        .select_related("trust", "requirement", "submitted_by")
        .get(pk=submission.pk)
    )


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _refuse_duplicate(*, trust: Trust, requirement: Requirement, sha256: str) -> None:
    earlier = (
        EvidenceSubmission.objects.filter(trust=trust, requirement=requirement, sha256=sha256)
        .exclude(state=ReviewState.WITHDRAWN)
        .order_by("submitted_at")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "file": f"This file was already submitted for this requirement on "
                f"{long_date(earlier.submitted_at)} as {earlier.original_name} "
                f"(evidence {earlier.pk}, {earlier.get_state_display().lower()})"
            }
        )


def _review_email_enqueue(submission_id: int) -> None:
    try:
        send_review_email.delay(submission_id)
    except (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError) as error:
        # The review stands; resend_review_emails sends its email once the broker is back.
        logger.warning("Review email for evidence %s not queued (%s); it will be resent.", submission_id, error)
