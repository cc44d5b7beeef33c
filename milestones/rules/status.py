"""Compliance rules: a trust's status against a target on a date, from plain facts.

No ORM, no clock, no Celery: the date is passed in, so the same function answers
"what is the status today?" and "what was it on 1 April 2023?". The facts it is given are
milestones.rules.facts; what published national data says, and when, milestones.rules.national.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from digitrack.dates import short_date

from .facts import Approval, PendingUpload, RequirementFacts, TargetFacts, TrustFacts
from .national import (
    ONE_DAY,
    NationalFacts,
    Period,
    SourceRecord,
    national_spans,
    no_data_note,
    unmet_note,
)


class Status(StrEnum):
    """Mirrors milestones.models.Status (a test keeps them equal)."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    NO_CURRENT_DATA = "no_current_data"
    NOT_APPLICABLE = "not_applicable"


# Worst to best among the statuses of a trust the target applies to. No current data sits apart:
# it says nothing about how far the trust is, so it ranks with neither success nor failure.
STATUS_RANK = {Status.OVERDUE: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.MET: 3}


class RequirementState(StrEnum):
    """Where one requirement stands for a trust on a day."""

    MET = "met"
    UNMET = "unmet"
    NO_CURRENT_DATA = "no_current_data"  # its national data is not in force: neither met nor unmet
    PENDING = "pending"  # not met, and an upload waits for review


@dataclass(frozen=True)
class RequirementStatus:
    """One requirement on a day: its state, a short note, and what it rests on (a published
    record, or the approved or pending upload)."""

    requirement_id: int
    state: RequirementState
    counts: bool
    note: str = ""
    record: SourceRecord | None = None
    submission_id: int | None = None


@dataclass(frozen=True)
class Result:
    status: Status
    requirements_met: int
    requirements_total: int
    reason: str
    met_on: datetime.date | None = None
    met_on_time: bool | None = None
    # Once the deadline in force has passed: whether the target was met on that deadline.
    met_by_deadline: bool | None = None
    # The as-at date of the oldest published snapshot behind the counted requirements (None: none used).
    data_as_at: datetime.date | None = None
    requirements: tuple[RequirementStatus, ...] = ()


def status_for(
    *,
    target: TargetFacts,
    trust: TrustFacts,
    approvals: Iterable[Approval],
    national: NationalFacts,
    as_of: datetime.date,
    at_risk_days: int,
    pending: Iterable[PendingUpload] = (),
) -> Result:
    """The trust's status against the target on `as_of`, with a short reason.

    `approvals` may include any of the trust's approvals: those of other targets' requirements
    and those approved after `as_of` are ignored. Only requirements in force on `as_of` count,
    so adding one from a later day changes no earlier status. A counted requirement whose
    national data is not in force makes the status "no current data", never "overdue".
    """
    approvals = tuple(approvals)
    pending = tuple(pending)
    result = _status_on(target, trust, approvals, national, as_of, at_risk_days, pending)
    deadline = target.deadline_on(as_of)
    if result.status == Status.NOT_APPLICABLE or deadline >= as_of:
        return result
    return replace(result, met_by_deadline=_met_on(target, trust, approvals, national, deadline))


def _met_on(
    target: TargetFacts, trust: TrustFacts, approvals: Sequence[Approval], national: NationalFacts, day: datetime.date
) -> bool:
    """Whether the target was met on `day`: what _status_on says, without its reasons (it runs for every status)."""
    if trust.sector not in target.sectors or day < trust.opened_on or (trust.closed_on and day > trust.closed_on):
        return False
    counted = [r for r in target.requirements if r.counts_on(day)]
    return bool(counted) and all(
        requirement_status(r, approvals, national, day).state == RequirementState.MET for r in counted
    )


def _status_on(
    target: TargetFacts,
    trust: TrustFacts,
    approvals: Sequence[Approval],
    national: NationalFacts,
    as_of: datetime.date,
    at_risk_days: int,
    pending: Sequence[PendingUpload],
) -> Result:
    in_force = [r for r in target.requirements if r.in_force_on(as_of)]
    total = sum(1 for r in in_force if not r.optional)
    if trust.sector not in target.sectors:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Does not apply to {_sector_label(trust.sector)} trusts")
    if as_of < trust.opened_on:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust not open until {short_date(trust.opened_on)}")
    if trust.closed_on and as_of > trust.closed_on:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust closed on {short_date(trust.closed_on)}")

    met_since: list[datetime.date] = []
    notes: list[str] = []
    no_data: list[str] = []
    statuses: list[RequirementStatus] = []
    as_ats: list[datetime.date] = []
    for requirement in in_force:
        state = requirement_status(requirement, approvals, national, as_of, pending)
        statuses.append(state)
        if not state.counts:
            continue
        if state.record is not None:
            as_ats.append(state.record.as_at)
        if state.state == RequirementState.MET:
            since = met_since_on(requirement_periods(requirement, approvals, national), as_of)
            met_since.append(since or as_of)
        elif state.state == RequirementState.NO_CURRENT_DATA:
            no_data.append(state.note)
        else:
            notes.append(state.note)

    met = len(met_since)
    data_as_at = min(as_ats) if as_ats else None
    shown = {"data_as_at": data_as_at, "requirements": tuple(statuses)}
    if no_data:
        reason = "; ".join(["No current data: " + "; ".join(_first(no_data, 2)), *_first(notes, 1)])
        return Result(Status.NO_CURRENT_DATA, met, total, reason, **shown)
    deadline = target.deadline_on(as_of)
    counted = f"{met} of {total} requirements met" if total else "No requirements set yet"
    if total and met == total:
        met_on = max(met_since)
        on_time = met_on <= target.deadline_on(met_on)
        return Result(
            Status.MET,
            met,
            total,
            f"All {total} requirements met since {short_date(met_on)}, {'on time' if on_time else 'late'}",
            met_on,
            on_time,
            **shown,
        )

    days_left = (deadline - as_of).days
    if days_left < 0:
        status, when = Status.OVERDUE, f"deadline {short_date(deadline)} passed {_days(-days_left)} ago"
    else:
        window = (deadline - target.start_date).days
        elapsed_share = min(max((as_of - target.start_date).days / window, 0.0), 1.0) if window > 0 else 1.0
        behind = (met / total if total else 0.0) < elapsed_share
        status = Status.AT_RISK if behind or days_left < at_risk_days else Status.ON_TRACK
        when = "deadline is today" if days_left == 0 else f"{_days(days_left)} left"
    return Result(status, met, total, "; ".join([counted, *_first(notes, 2), when]), **shown)


def requirement_status(
    requirement: RequirementFacts,
    approvals: Sequence[Approval],
    national: NationalFacts,
    as_of: datetime.date,
    pending: Sequence[PendingUpload] = (),
) -> RequirementStatus:
    """Where one requirement stands on `as_of`, under the basis in force that day."""
    counts = requirement.counts_on(as_of)
    basis = requirement.basis_on(as_of)
    if basis.rule:
        spans = national_spans(basis, national)
        covering = [span for span in spans if span.start <= as_of and (span.end is None or as_of <= span.end)]
        meeting = [span for span in covering if span.met]
        if meeting:
            record = max(meeting, key=lambda s: s.start).record
            return RequirementStatus(requirement.id, RequirementState.MET, counts, "", record)
        if covering:
            record = max(covering, key=lambda s: s.start).record
            note = f"{requirement.title}: {unmet_note(basis, record)}"
            return RequirementStatus(requirement.id, RequirementState.UNMET, counts, note, record)
        earlier = [span.record for span in spans if span.start <= as_of]
        note = no_data_note(basis, max(earlier, key=lambda r: r.as_at) if earlier else None)
        return RequirementStatus(requirement.id, RequirementState.NO_CURRENT_DATA, counts, note)

    own = [a for a in approvals if a.requirement_id == requirement.id]
    current = [a for a in own if a.approved_on <= as_of and (a.valid_until is None or as_of <= a.valid_until)]
    if current:
        latest = max(current, key=lambda a: a.approved_on)
        return RequirementStatus(requirement.id, RequirementState.MET, counts, "", submission_id=latest.submission_id)
    waiting = [
        p
        for p in pending
        if p.requirement_id == requirement.id
        and p.submitted_on <= as_of
        and (p.closed_on is None or as_of < p.closed_on)
    ]
    if waiting:
        upload = max(waiting, key=lambda p: p.submitted_on)
        note = f"{requirement.title}: pending review"
        return RequirementStatus(
            requirement.id, RequirementState.PENDING, counts, note, submission_id=upload.submission_id
        )
    ended = [a.valid_until for a in own if a.approved_on <= as_of and a.valid_until is not None]
    note = (
        f"{requirement.title}: evidence expired {short_date(max(ended))}"
        if ended
        else f"{requirement.title}: evidence missing"
    )
    return RequirementStatus(requirement.id, RequirementState.UNMET, counts, note)


def requirement_periods(
    requirement: RequirementFacts, approvals: Sequence[Approval], national: NationalFacts
) -> list[Period]:
    """The periods during which a requirement is met, from its approvals or from national data,
    each basis of its history judging the days it was in force."""
    periods: list[Period] = []
    for first, last, basis in requirement.bases():
        if basis.rule:
            own = [(span.start, span.end) for span in national_spans(basis, national) if span.met]
        else:
            own = [(a.approved_on, a.valid_until) for a in approvals if a.requirement_id == requirement.id]
        periods.extend(_clip(own, first, last))
    return periods


def met_since_on(periods: Iterable[Period], as_of: datetime.date) -> datetime.date | None:
    """The first day of the unbroken run of met periods that covers `as_of`, or None if none does."""
    run_start: datetime.date | None = None
    run_end: datetime.date | None = None
    for start, end in sorted((p for p in periods if p[0] <= as_of), key=lambda p: p[0]):
        if end is not None and end < start:
            continue
        if run_start is not None and (run_end is None or start <= run_end + ONE_DAY):
            run_end = None if run_end is None or end is None else max(run_end, end)
        else:
            run_start, run_end = start, end
    if run_start is not None and (run_end is None or run_end >= as_of):
        return run_start
    return None


def month_ends(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Every month's last day from the month of `since` to `until` inclusive."""
    days = []
    day = month_end(since)
    while day <= until:
        days.append(day)
        day = month_end(day + ONE_DAY)
    return days


def month_end(day: datetime.date) -> datetime.date:
    first_of_next = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next - ONE_DAY


def _clip(periods: Iterable[Period], first: datetime.date | None, last: datetime.date | None) -> list[Period]:
    clipped = []
    for start, end in periods:
        start = max(start, first) if first else start
        end = last if end is None else (min(end, last) if last else end)
        if end is None or start <= end:
            clipped.append((start, end))
    return clipped


def _first(notes: list[str], count: int) -> list[str]:
    if len(notes) <= count:
        return notes
    return [*notes[:count], f"{len(notes) - count} more open"]


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _sector_label(sector: str) -> str:
    return sector.replace("_", " ")
