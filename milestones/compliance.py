"""Compliance rules: a trust's status against a target on a date, from plain facts.

No ORM, no clock, no Celery: the date is passed in, so the same function answers
"what is the status today?" and "what was it on 1 April 2023?".
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

ONE_DAY = datetime.timedelta(days=1)


class Status(StrEnum):
    """Mirrors milestones.models.Status (a test keeps them equal)."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"


# Worst to best among the statuses of a trust the target applies to.
STATUS_RANK = {Status.OVERDUE: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.MET: 3}

DSPT_MET_OR_EXCEEDED = "dspt_met_or_exceeded"
DSPT_MEETING_STATUSES = frozenset({"met", "exceeded"})


@dataclass(frozen=True)
class DeadlineRevision:
    revised_on: datetime.date
    old_deadline: datetime.date
    new_deadline: datetime.date


@dataclass(frozen=True)
class RequirementFacts:
    id: int
    title: str
    national_data_rule: str = ""


@dataclass(frozen=True)
class TargetFacts:
    start_date: datetime.date
    deadline: datetime.date
    sectors: frozenset[str]
    requirements: tuple[RequirementFacts, ...]
    revisions: tuple[DeadlineRevision, ...] = ()

    def deadline_on(self, day: datetime.date) -> datetime.date:
        """The deadline in force on a day, from the revision history (the current one without it)."""
        if not self.revisions:
            return self.deadline
        in_force = self.revisions[0].old_deadline
        for revision in sorted(self.revisions, key=lambda r: r.revised_on):
            if revision.revised_on > day:
                break
            in_force = revision.new_deadline
        return in_force


@dataclass(frozen=True)
class TrustFacts:
    sector: str
    opened_on: datetime.date
    closed_on: datetime.date | None = None


@dataclass(frozen=True)
class Approval:
    """An approved submission: counts from the day it was approved to the day it stops being valid."""

    requirement_id: int
    approved_on: datetime.date
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class DsptAssessmentFacts:
    year: str  # "2020-21"
    status: str  # a DsptStatus value: exceeded, met, approaching, not_met, not_published
    published_on: datetime.date | None = None


class SourceKind(StrEnum):
    """The published national data sources (mirrored by milestones.models.Source)."""

    DSPT = "dspt"
    EPR_STATUS = "epr_status"  # Frontline Digitisation programme: EPR group and status per trust
    EPR_SUPPLIER = "epr_supplier"  # each trust's primary EPR supplier
    DMA = "dma"  # Digital Maturity Assessment pillar scores


@dataclass(frozen=True)
class SourceRecord:
    """One trust's row in one published snapshot, as published: the rules interpret it."""

    source: SourceKind
    as_at: datetime.date  # the day the snapshot reflects
    snapshot_id: int
    edition: str = ""  # DSPT "2022-23", DMA "2025"
    dspt_status: str = ""  # a DsptStatus value, normalised by the importer
    published_on: datetime.date | None = None
    epr_group: str = ""  # "Group 0" ... as published
    epr_status: str = ""  # Current_EPR_Status as published
    supplier: str = ""  # Supplier (Primary EPR) as published
    dma_pillars: Mapping[str, float] = field(default_factory=dict)  # pillar name: score, mean over care settings


@dataclass(frozen=True)
class NationalFacts:
    """Published national data about one trust, for requirements met by national data."""

    dspt_assessments: tuple[DsptAssessmentFacts, ...] = ()
    dspt_deadlines: Mapping[str, datetime.date] = field(default_factory=dict)
    records: tuple[SourceRecord, ...] = ()


@dataclass(frozen=True)
class Result:
    status: Status
    requirements_met: int
    requirements_total: int
    reason: str
    met_on: datetime.date | None = None
    met_on_time: bool | None = None


# A period during which a requirement is met: first and last day, inclusive (None: open-ended).
Period = tuple[datetime.date, datetime.date | None]


def status_for(
    *,
    target: TargetFacts,
    trust: TrustFacts,
    approvals: Iterable[Approval],
    national: NationalFacts,
    as_of: datetime.date,
    at_risk_days: int,
) -> Result:
    """The trust's status against the target on `as_of`, with a short reason.

    `approvals` may include any of the trust's approvals: those of other targets' requirements
    and those approved after `as_of` are ignored.
    """
    total = len(target.requirements)
    if trust.sector not in target.sectors:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Does not apply to {_sector_label(trust.sector)} trusts")
    if as_of < trust.opened_on:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust not open until {_day(trust.opened_on)}")
    if trust.closed_on and as_of > trust.closed_on:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust closed on {_day(trust.closed_on)}")

    approvals_by_requirement: dict[int, list[Approval]] = {}
    for approval in approvals:
        approvals_by_requirement.setdefault(approval.requirement_id, []).append(approval)

    met_since: list[datetime.date] = []
    notes: list[str] = []
    for requirement in target.requirements:
        periods = requirement_periods(requirement, approvals_by_requirement.get(requirement.id, ()), national)
        since = met_since_on(periods, as_of)
        if since is not None:
            met_since.append(since)
        else:
            notes.append(_unmet_note(requirement, periods, as_of))

    met = len(met_since)
    deadline = target.deadline_on(as_of)
    counted = f"{met} of {total} requirements met" if total else "No requirements set yet"
    if total and met == total:
        met_on = max(met_since)
        on_time = met_on <= target.deadline_on(met_on)
        return Result(
            Status.MET,
            met,
            total,
            f"All {total} requirements met since {_day(met_on)}, {'on time' if on_time else 'late'}",
            met_on,
            on_time,
        )

    days_left = (deadline - as_of).days
    if days_left < 0:
        status, when = Status.OVERDUE, f"deadline {_day(deadline)} passed {_days(-days_left)} ago"
    else:
        window = (deadline - target.start_date).days
        elapsed_share = min(max((as_of - target.start_date).days / window, 0.0), 1.0) if window > 0 else 1.0
        behind = (met / total if total else 0.0) < elapsed_share
        status = Status.AT_RISK if behind or days_left < at_risk_days else Status.ON_TRACK
        when = "deadline is today" if days_left == 0 else f"{_days(days_left)} left"
    return Result(status, met, total, "; ".join([counted, *_first(notes, 2), when]))


def requirement_periods(
    requirement: RequirementFacts, approvals: Sequence[Approval], national: NationalFacts
) -> list[Period]:
    """The periods during which a requirement is met, from its approvals or from national data."""
    if requirement.national_data_rule == DSPT_MET_OR_EXCEEDED:
        return dspt_periods(national)
    return [(a.approved_on, a.valid_until) for a in approvals if a.requirement_id == requirement.id]


def dspt_periods(national: NationalFacts) -> list[Period]:
    """Periods a published DSPT status of Standards Met or Exceeded is in force.

    In force from its publication date (without one, from that year's submission deadline)
    until the next year's submission deadline has passed. Past the end of the deadline table
    (the next year's deadline not in it) it lapses a year after its own deadline (without one,
    a year after its publication): the toolkit is annual, and an assessment must not stay
    current forever because a row is missing. An assessment with neither a publication date
    nor a known deadline counts for nothing.
    """
    periods: list[Period] = []
    for assessment in national.dspt_assessments:
        if assessment.status not in DSPT_MEETING_STATUSES:
            continue
        own_deadline = national.dspt_deadlines.get(assessment.year)
        start = assessment.published_on or own_deadline
        if start is None:
            continue
        end = national.dspt_deadlines.get(next_dspt_year(assessment.year)) or _one_year_after(own_deadline or start)
        periods.append((start, end))
    return periods


def next_dspt_year(year: str) -> str:
    """The assessment year after "2020-21": "2021-22"."""
    first = int(year[:4]) + 1
    return f"{first}-{(first + 1) % 100:02d}"


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


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _unmet_note(requirement: RequirementFacts, periods: Sequence[Period], as_of: datetime.date) -> str:
    if requirement.national_data_rule == DSPT_MET_OR_EXCEEDED:
        return f"{requirement.title}: no published DSPT status of Standards Met or Exceeded in force"
    ended = [end for start, end in periods if start <= as_of and end is not None and end < as_of]
    if ended:
        return f"{requirement.title}: evidence expired {_day(max(ended))}"
    return f"{requirement.title}: evidence missing"


def _first(notes: list[str], count: int) -> list[str]:
    if len(notes) <= count:
        return notes
    return [*notes[:count], f"{len(notes) - count} more open"]


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _sector_label(sector: str) -> str:
    return sector.replace("_", " ")
