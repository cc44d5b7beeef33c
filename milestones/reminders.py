"""Which reminders are due on a day: a pure function of plain facts and the date, like the
compliance rules (no ORM, no clock, no Celery). The services record what it returns in the
reminder outbox under a key per recipient, kind, subject and threshold, so each is sent once
however often, and however late, the beat task runs.

A threshold is due from the day it is reached until the next, more urgent one is: evidence that
expires in 45 days is due its 60-day reminder, so a day the beat task missed (Redis down) is
caught up the next day, and one that runs for the first time with 20 days to go sends the 30-day
reminder only, never a backlog of the earlier ones.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .models.evidence import EvidenceState

# Days before a piece of evidence lapses, and before a target's deadline.
EXPIRY_THRESHOLDS = (60, 30, 7)
DEADLINE_THRESHOLDS = (90, 30, 7)
# Pending reviews older than this are listed in the weekly digest.
REVIEW_OVERDUE_DAYS = 10


class ReminderKind(StrEnum):
    """Each kind a person can opt out of on their reminder settings page."""

    MISSING = "missing"
    REJECTED = "rejected"
    EXPIRING = "expiring"
    DEADLINE = "deadline"
    DIGEST = "digest"


KIND_LABELS = {
    ReminderKind.MISSING: "Evidence still missing as a deadline nears (90, 30 and 7 days before)",
    ReminderKind.REJECTED: "Evidence rejected and not yet replaced as a deadline nears (90, 30 and 7 days before)",
    ReminderKind.EXPIRING: "Approved evidence about to lapse (60, 30 and 7 days before)",
    ReminderKind.DEADLINE: "A target's deadline for your trust, not yet met (90, 30 and 7 days before)",
    ReminderKind.DIGEST: "A weekly digest for each region and ICB you follow, in a week when something happened",
}
CIO_KINDS = (ReminderKind.MISSING, ReminderKind.REJECTED, ReminderKind.EXPIRING, ReminderKind.DEADLINE)


@dataclass(frozen=True)
class Recipient:
    user_id: int
    opted_out: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RequirementFacts:
    """One trust's evidence for one requirement: its state and, while approved, the day the
    longest-lasting approval lapses after (None when it does not lapse)."""

    trust_code: str
    requirement_id: int
    target_id: int
    state: str
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class TargetFacts:
    """One trust against one target that applies to it: the deadline and whether it is met."""

    trust_code: str
    target_id: int
    deadline: datetime.date
    met: bool


@dataclass(frozen=True)
class Follow:
    """A person following a region or an ICB ("region" or "icb", and its code)."""

    user_id: int
    scope: str
    code: str


@dataclass(frozen=True)
class DueReminder:
    user_id: int
    kind: ReminderKind
    # What it is about, as plain parts: ("RCB", "requirement", "12") or ("region", "Y56").
    subject: tuple[str, ...]
    threshold: str
    days_left: int | None = None

    @property
    def key(self) -> str:
        """The outbox key: one row, and so one message, per recipient, kind, subject and threshold."""
        return f"{self.user_id}:{self.kind}:{'/'.join(self.subject)}:{self.threshold}"


def threshold_reached(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The most urgent threshold reached with `days_left` to go (None before the first is reached,
    and once the day itself has passed)."""
    if days_left < 0:
        return None
    reached = [threshold for threshold in thresholds if days_left <= threshold]
    return min(reached) if reached else None


def digest_week(today: datetime.date) -> str:
    """The ISO week a digest sent on `today` belongs to, such as "2026-W48": one digest a week."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def digest_days(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The week a digest sent on `today` reports: Monday to Sunday of the week before today's,
    whichever day it goes out, so no two digests report the same day and a week's news goes once."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - datetime.timedelta(days=7), this_monday - datetime.timedelta(days=1)


def reminders_due(
    *,
    today: datetime.date,
    requirements: Iterable[RequirementFacts],
    targets: Iterable[TargetFacts],
    cios: Mapping[str, Sequence[Recipient]],
    staff: Sequence[Recipient] = (),
    follows: Iterable[Follow] = (),
) -> list[DueReminder]:
    """Every reminder due on `today`, for each recipient who has not opted out of its kind.

    CIOs of a trust (`cios` by trust code) hear about: each requirement still missing or rejected
    at 90, 30 and 7 days before its target's deadline; each approval lapsing in 60, 30 and 7 days;
    each target not yet met at 90, 30 and 7 days before its deadline. Programme staff (`staff`)
    get one digest a week for each region or ICB they follow, of the week before (digest_days;
    recorded only for a week with something to report: milestones.services.reminders.reminders_record).
    """
    deadlines = {(fact.trust_code, fact.target_id): fact for fact in targets}
    due: list[DueReminder] = []

    def add(recipients: Sequence[Recipient], kind: ReminderKind, subject, threshold, days_left=None) -> None:
        due.extend(
            DueReminder(recipient.user_id, kind, subject, str(threshold), days_left)
            for recipient in recipients
            if kind not in recipient.opted_out
        )

    for fact in requirements:
        recipients = cios.get(fact.trust_code, ())
        target = deadlines.get((fact.trust_code, fact.target_id))
        if fact.state in EvidenceState.needing_upload() and target and not target.met:
            days_left = (target.deadline - today).days
            threshold = threshold_reached(days_left, DEADLINE_THRESHOLDS)
            if threshold is not None:
                kind = ReminderKind.REJECTED if fact.state == EvidenceState.REJECTED else ReminderKind.MISSING
                add(recipients, kind, (fact.trust_code, "requirement", str(fact.requirement_id)), threshold, days_left)
        if fact.valid_until is not None and fact.state == EvidenceState.APPROVED:
            days_left = (fact.valid_until - today).days
            threshold = threshold_reached(days_left, EXPIRY_THRESHOLDS)
            if threshold is not None:
                # The lapse date is part of the subject: renewed evidence starts its own reminders.
                subject = (fact.trust_code, "requirement", str(fact.requirement_id), fact.valid_until.isoformat())
                add(recipients, ReminderKind.EXPIRING, subject, threshold, days_left)

    for target in deadlines.values():
        if target.met:
            continue
        days_left = (target.deadline - today).days
        threshold = threshold_reached(days_left, DEADLINE_THRESHOLDS)
        if threshold is not None:
            subject = (target.trust_code, "target", str(target.target_id))
            add(cios.get(target.trust_code, ()), ReminderKind.DEADLINE, subject, threshold, days_left)

    staff_by_id = {recipient.user_id: recipient for recipient in staff}
    week = digest_week(today)
    for follow in follows:
        if follow.user_id in staff_by_id:
            add([staff_by_id[follow.user_id]], ReminderKind.DIGEST, (follow.scope, follow.code), week)
    return due
