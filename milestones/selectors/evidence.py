"""Reads of evidence: for pages, always reached through the trusts a user may see, and for the
review-email resend."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from digitrack.logs import log_context_trust
from trusts.models import Region, Trust
from trusts.selectors import trusts_for_user

from ..models import EvidenceSubmission, Requirement, ReviewState, Target

# A review's email is sent again if it has not gone out this long after the review (its own
# task and that task's retries have had their chance by then), for this long at most.
REVIEW_EMAIL_RESEND_AFTER = datetime.timedelta(minutes=15)
REVIEW_EMAIL_RESEND_FOR = datetime.timedelta(days=3)


def evidence_for_user_or_404(user, pk: int) -> EvidenceSubmission:
    """The submission if it belongs to a trust the user may see; 404 otherwise, so ids cannot be probed."""
    submissions = EvidenceSubmission.objects.select_related(
        "trust", "requirement__target", "submitted_by", "reviewed_by"
    )
    try:
        submission = submissions.get(pk=pk, trust__in=trusts_for_user(user))
    except EvidenceSubmission.DoesNotExist:
        raise Http404("No such evidence.") from None
    log_context_trust(submission.trust.ods_code)
    return submission


def evidence_for_trust(trust: Trust) -> QuerySet[EvidenceSubmission]:
    """The trust's submissions, newest first."""
    return trust.evidence_submissions.select_related("requirement__target", "submitted_by", "reviewed_by").order_by(
        "-submitted_at", "-id"
    )


def requirements_for_trust(trust: Trust) -> list[Requirement]:
    """The requirements a trust meets by uploading evidence: those of targets for its sector."""
    requirements = (
        Requirement.objects.filter(national_data_rule="")
        .select_related("target")
        .order_by("target__display_order", "target__code", "display_order", "code")
    )
    # Targets hold their sectors as a JSON list; there are a handful, so filter here, portably.
    return [requirement for requirement in requirements if requirement.target.applies_to(trust.sector)]


@dataclass(frozen=True)
class ReviewQueue:
    submissions: QuerySet[EvidenceSubmission]
    total_pending: int


def review_queue(
    *, region: Region | None = None, target: Target | None = None, trust: Trust | None = None
) -> ReviewQueue:
    """Pending submissions, oldest first, narrowed by region, target and trust (not yet read: the
    view takes one page of them), with the number pending in all."""
    pending = EvidenceSubmission.objects.filter(state=ReviewState.SUBMITTED)
    shown = pending.select_related("trust__region", "requirement__target", "submitted_by").order_by(
        "submitted_at", "id"
    )
    if region is not None:
        shown = shown.filter(trust__region=region)
    if target is not None:
        shown = shown.filter(requirement__target=target)
    if trust is not None:
        shown = shown.filter(trust=trust)
    return ReviewQueue(submissions=shown, total_pending=pending.count())


def regions_with_pending() -> QuerySet[Region]:
    """Every region, each with `pending`: how many of its trusts' submissions await review."""
    return Region.objects.annotate(
        pending=Count(
            "trusts__evidence_submissions",
            filter=Q(trusts__evidence_submissions__state=ReviewState.SUBMITTED),
        )
    ).order_by("name")


def targets_with_pending() -> QuerySet[Target]:
    """Every target, each with `pending`: how many submissions for its requirements await review."""
    return Target.objects.annotate(
        pending=Count("requirements__submissions", filter=Q(requirements__submissions__state=ReviewState.SUBMITTED))
    ).order_by("display_order", "code")


def trusts_with_pending(*, also: str = "") -> QuerySet[Trust]:
    """The trusts with submissions awaiting review, each with `pending`: how many; and the trust
    coded `also` with none, so a queue filtered on it stays filtered once its last item is reviewed."""
    pending = Count("evidence_submissions", filter=Q(evidence_submissions__state=ReviewState.SUBMITTED))
    return Trust.objects.annotate(pending=pending).filter(Q(pending__gt=0) | Q(ods_code=also)).order_by("name")


def other_submissions(submission: EvidenceSubmission) -> QuerySet[EvidenceSubmission]:
    """The trust's other submissions for the same requirement, newest first: what a reviewer
    compares this one with (earlier ones, and any sent since)."""
    return (
        EvidenceSubmission.objects.filter(trust=submission.trust, requirement=submission.requirement)
        .exclude(pk=submission.pk)
        .select_related("reviewed_by")
        .order_by("-submitted_at", "-id")
    )


def review_emails_unsent(*, now: datetime.datetime) -> QuerySet[EvidenceSubmission]:
    """Reviews whose email should have gone out by now and has not, oldest first."""
    return (
        EvidenceSubmission.objects.filter(
            state__in=[ReviewState.APPROVED, ReviewState.REJECTED],
            review_emailed_at__isnull=True,
            reviewed_at__lte=now - REVIEW_EMAIL_RESEND_AFTER,
            reviewed_at__gt=now - REVIEW_EMAIL_RESEND_FOR,
        )
        .exclude(submitted_by__email="")
        .order_by("reviewed_at")
    )
