"""A trust CIO's home page: for each of their trusts, the requirements that need evidence (missing,
rejected, expired or expiring soon), those waiting for review, and the trust's current statuses.
Never cached: an upload changes it without changing any status."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from milestones.models import ComplianceStatus, EvidenceState, EvidenceSubmission, Requirement, ReviewState
from trusts.models import Trust

# A CIO's to-do lists an approval this close to its expiry, so a new one can be reviewed in time.
EXPIRING_WITHIN = datetime.timedelta(days=60)
# Why a requirement is on a CIO's to-do (or waiting), in the order the list shows them: its evidence
# state, or approved evidence close to expiry.
TODO_MISSING, TODO_REJECTED, TODO_EXPIRED, TODO_EXPIRING, TODO_PENDING = (
    EvidenceState.MISSING,
    EvidenceState.REJECTED,
    EvidenceState.EXPIRED,
    "expiring",
    EvidenceState.PENDING,
)


@dataclass(frozen=True)
class TodoItem:
    """One requirement of one trust that needs evidence, or whose evidence awaits review."""

    trust: Trust
    requirement: Requirement
    state: str  # one of the TODO_* values
    day: datetime.date | None  # expired or expires on; the latest rejection or upload
    comment: str = ""  # the reviewer's comment on a rejection
    submission_id: int | None = None  # the pending or rejected submission


def evidence_todo(trusts: QuerySet[Trust], *, today: datetime.date) -> list[TodoItem]:
    """Every requirement of these trusts met by uploaded evidence whose evidence is missing,
    rejected, expired or expiring within 60 days, and those pending review, by trust then
    requirement. Three queries whatever the number of trusts."""
    trusts = list(trusts.order_by("name"))
    requirements = list(
        Requirement.objects.filter(national_data_rule="")
        .select_related("target")
        .order_by("target__display_order", "target__code", "display_order", "code")
    )
    latest: dict[tuple[int, int], dict[str, EvidenceSubmission]] = {}
    submissions = (
        EvidenceSubmission.objects.filter(trust__in=trusts, requirement__in=requirements)
        .exclude(state=ReviewState.WITHDRAWN)
        .order_by("submitted_at", "id")
        .only(
            "id", "trust_id", "requirement_id", "state", "valid_until", "submitted_at", "reviewed_at", "review_comment"
        )
    )
    for submission in submissions:
        by_state = latest.setdefault((submission.trust_id, submission.requirement_id), {})
        if submission.state == ReviewState.APPROVED:
            # The approval that lasts longest counts; no expiry lasts for ever.
            held = by_state.get(ReviewState.APPROVED)
            if held is None or (
                held.valid_until is not None and (submission.valid_until or datetime.date.max) >= held.valid_until
            ):
                by_state[ReviewState.APPROVED] = submission
        else:
            by_state[submission.state] = submission  # the latest of each state
    items = []
    for trust in trusts:
        for requirement in requirements:
            if not requirement.target.applies_to(trust.sector):
                continue
            item = _todo_item(trust, requirement, latest.get((trust.pk, requirement.pk), {}), today)
            if item is not None:
                items.append(item)
    return items


def _todo_item(trust, requirement, by_state: dict, today: datetime.date) -> TodoItem | None:
    approved, pending, rejected = (
        by_state.get(state) for state in (ReviewState.APPROVED, ReviewState.SUBMITTED, ReviewState.REJECTED)
    )
    if pending is not None:
        return TodoItem(trust, requirement, TODO_PENDING, timezone.localdate(pending.submitted_at), "", pending.pk)
    if approved is not None:
        until = approved.valid_until
        if until is None or until > today + EXPIRING_WITHIN:
            return None
        state = TODO_EXPIRED if until < today else TODO_EXPIRING
        return TodoItem(trust, requirement, state, until, "", approved.pk)
    if rejected is not None:
        day = timezone.localdate(rejected.reviewed_at) if rejected.reviewed_at else None
        return TodoItem(trust, requirement, TODO_REJECTED, day, rejected.review_comment, rejected.pk)
    return TodoItem(trust, requirement, TODO_MISSING, None)


def current_statuses(trusts: QuerySet[Trust]) -> dict[int, list[tuple[str, str]]]:
    """Each trust's current (target title, status), in the targets' order (one query)."""
    statuses: dict[int, list[tuple[str, str]]] = {}
    rows = (
        ComplianceStatus.objects.filter(trust__in=trusts)
        .order_by("target__display_order", "target__code")
        .values_list("trust_id", "target__title", "status")
    )
    for trust_id, title, status in rows:
        statuses.setdefault(trust_id, []).append((title, status))
    return statuses
