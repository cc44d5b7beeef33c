"""Compliance rules: a trust's status against a target on a date, from plain facts.

No ORM, no clock, no Celery: the date is passed in, so the same function answers
"what is the status today?" and "what was it on 1 April 2023?".
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

ONE_DAY = datetime.timedelta(days=1)


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


# National data rules a requirement can rest on (mirrored by milestones.models.NationalDataRule).
DSPT_MET_OR_EXCEEDED = "dspt_met_or_exceeded"
EPR_IN_USE = "epr_in_use"
MDF_CORE_CAPABILITIES = "mdf_core_capabilities"
DMA_PILLAR_AT_LEAST = "dma_pillar_at_least"
DSPT_MEETING_STATUSES = frozenset({"met", "exceeded"})
MDF_MEETS_CORE = "already meets the core capabilities in the mdf"
# Inferred, not published: the programme never published what its groups mean, but all 16
# Group 0 trusts of May 2023 are "No EPR" in the supplier list of October 2024, while 8 of the
# 11 Group 1 trusts name a supplier by then. So Group 0 is read as "no EPR", any other group as one.
EPR_GROUP_NONE = "group 0"
EPR_SUPPLIER_NONE_PREFIX = "no epr"

# The sources each rule reads, and the words for them in reasons ("latest DSPT published 2022-23").
RULE_SOURCES: dict[str, tuple[str, ...]] = {
    DSPT_MET_OR_EXCEEDED: ("dspt",),
    EPR_IN_USE: ("epr_status", "epr_supplier"),
    MDF_CORE_CAPABILITIES: ("epr_status",),
    DMA_PILLAR_AT_LEAST: ("dma",),
}
SOURCE_NAMES = {
    "dspt": "DSPT",
    "epr_status": "Frontline Digitisation EPR status",
    "epr_supplier": "EPR supplier list",
    "dma": "Digital Maturity Assessment",
}


@dataclass(frozen=True)
class DeadlineRevision:
    revised_on: datetime.date
    old_deadline: datetime.date
    new_deadline: datetime.date


@dataclass(frozen=True)
class Basis:
    """What a requirement rests on: uploaded evidence (no rule) or a national data rule."""

    rule: str = ""
    dma_pillar: str = ""
    dma_threshold: float | None = None


@dataclass(frozen=True)
class Rebinding:
    """From `applies_from`, the requirement rests on a new basis; before it, on `old`."""

    applies_from: datetime.date
    old: Basis


@dataclass(frozen=True)
class RequirementFacts:
    """A requirement. It counts from `applies_from` (always, without one) until the day before
    `retired_on`; an optional one is listed but never counts towards the target's status."""

    id: int
    title: str
    national_data_rule: str = ""
    dma_pillar: str = ""
    dma_threshold: float | None = None
    optional: bool = False
    applies_from: datetime.date | None = None
    retired_on: datetime.date | None = None
    rebindings: tuple[Rebinding, ...] = ()

    @property
    def basis(self) -> Basis:
        return Basis(self.national_data_rule, self.dma_pillar, self.dma_threshold)

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.applies_from is None or self.applies_from <= day) and (
            self.retired_on is None or day < self.retired_on
        )

    def counts_on(self, day: datetime.date) -> bool:
        return not self.optional and self.in_force_on(day)

    def basis_on(self, day: datetime.date) -> Basis:
        """The basis in force on a day, from the rebinding history (the current one without it)."""
        for rebinding in sorted(self.rebindings, key=lambda r: r.applies_from):
            if day < rebinding.applies_from:
                return rebinding.old
        return self.basis

    def bases(self) -> list[tuple[datetime.date | None, datetime.date | None, Basis]]:
        """(first day, last day, basis) for each stretch of its history; None: open-ended."""
        stretches, start = [], None
        for rebinding in sorted(self.rebindings, key=lambda r: r.applies_from):
            stretches.append((start, rebinding.applies_from - ONE_DAY, rebinding.old))
            start = rebinding.applies_from
        return [*stretches, (start, None, self.basis)]


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
    submission_id: int | None = None


@dataclass(frozen=True)
class PendingUpload:
    """A submission waiting for review from `submitted_on` until the day it was decided or withdrawn."""

    requirement_id: int
    submitted_on: datetime.date
    closed_on: datetime.date | None = None
    submission_id: int | None = None


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
    dma_overall: float | None = None  # DMA overall score over the domains comparable between years


@dataclass(frozen=True)
class NationalFacts:
    """Published national data about one trust, for requirements met by national data."""

    dspt_assessments: tuple[DsptAssessmentFacts, ...] = ()
    dspt_deadlines: Mapping[str, datetime.date] = field(default_factory=dict)
    records: tuple[SourceRecord, ...] = ()


@dataclass(frozen=True)
class Span:
    """The days (first and last, inclusive; None: open-ended) on which one published record decides a requirement."""

    start: datetime.date
    end: datetime.date | None
    met: bool
    record: SourceRecord


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
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust not open until {_day(trust.opened_on)}")
    if trust.closed_on and as_of > trust.closed_on:
        return Result(Status.NOT_APPLICABLE, 0, total, f"Trust closed on {_day(trust.closed_on)}")

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
            f"All {total} requirements met since {_day(met_on)}, {'on time' if on_time else 'late'}",
            met_on,
            on_time,
            **shown,
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
            note = f"{requirement.title}: {_unmet_national_note(basis, record)}"
            return RequirementStatus(requirement.id, RequirementState.UNMET, counts, note, record)
        earlier = [span.record for span in spans if span.start <= as_of]
        note = _no_data_note(basis, max(earlier, key=lambda r: r.as_at) if earlier else None)
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
        f"{requirement.title}: evidence expired {_day(max(ended))}"
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


def national_spans(basis: Basis, national: NationalFacts) -> list[Span]:
    """Where each published record decides a requirement resting on a national data rule.

    DSPT: an edition is in force from its publication date (without one, from that edition's
    submission deadline) until the next edition's submission deadline has passed (see
    dspt_spans). EPR status, supplier and DMA: a trust's row is in force from its snapshot's
    as-at date until a later snapshot of those sources has a row for the trust.
    """
    if basis.rule == DSPT_MET_OR_EXCEEDED:
        return dspt_spans(national)
    if basis.rule == EPR_IN_USE:
        return _chained(national.records, _epr_in_use)
    if basis.rule == MDF_CORE_CAPABILITIES:
        return _chained(national.records, _mdf_core)
    if basis.rule == DMA_PILLAR_AT_LEAST:
        return _chained(national.records, lambda record: _dma_at_least(record, basis))
    return []


def epr_in_use(record: SourceRecord) -> bool | None:
    """Whether a record says the trust has an EPR in use; None if it says nothing about it.

    Frontline Digitisation: any group but Group 0 (inferred: see EPR_GROUP_NONE). Supplier
    list: any named supplier but "No EPR - in process of getting one".
    """
    return _epr_in_use(record)


def _epr_in_use(record: SourceRecord) -> bool | None:
    if record.source == SourceKind.EPR_STATUS and record.epr_group.strip():
        return record.epr_group.strip().casefold() != EPR_GROUP_NONE
    if record.source == SourceKind.EPR_SUPPLIER and record.supplier.strip():
        return not record.supplier.strip().casefold().startswith(EPR_SUPPLIER_NONE_PREFIX)
    return None


def _mdf_core(record: SourceRecord) -> bool | None:
    if record.source == SourceKind.EPR_STATUS and record.epr_status.strip():
        return record.epr_status.strip().casefold() == MDF_MEETS_CORE
    return None


def _dma_at_least(record: SourceRecord, basis: Basis) -> bool | None:
    if record.source != SourceKind.DMA or basis.dma_threshold is None:
        return None
    score = dma_score(record, basis.dma_pillar)
    return None if score is None else score >= basis.dma_threshold


def dma_score(record: SourceRecord, pillar: str) -> float | None:
    """A pillar's score in a DMA record, the pillar named in any case ("Well led", "Well Led")."""
    wanted = pillar.strip().casefold()
    return next((score for name, score in record.dma_pillars.items() if name.casefold() == wanted), None)


def _chained(records: Iterable[SourceRecord], verdict) -> list[Span]:
    """Each record that says something is in force until the next one that does: the later snapshot wins."""
    said = sorted(
        ((record, met) for record in records if (met := verdict(record)) is not None),
        key=lambda pair: (pair[0].as_at, pair[0].snapshot_id),
    )
    spans = []
    for index, (record, met) in enumerate(said):
        later = [r.as_at for r, _ in said[index + 1 :] if r.as_at > record.as_at]
        spans.append(Span(record.as_at, min(later) - ONE_DAY if later else None, met, record))
    return spans


def dspt_spans(national: NationalFacts) -> list[Span]:
    """Where each published DSPT status is in force, met (Standards Met or Exceeded) or not.

    In force from its publication date (without one, from that edition's submission deadline)
    until the next edition's submission deadline has passed. Past the end of the deadline table
    (the next edition's deadline not in it) it lapses a year after its own deadline (without one,
    a year after its publication): the toolkit is annual, and an assessment must not stay
    current forever because a row is missing. An assessment with neither a publication date
    nor a known deadline counts for nothing.
    """
    records = [r for r in national.records if r.source == SourceKind.DSPT and r.edition]
    known = {r.edition for r in records}
    for assessment in national.dspt_assessments:
        if assessment.year in known:
            continue
        as_at = assessment.published_on or national.dspt_deadlines.get(assessment.year)
        if as_at is None:
            continue
        records.append(
            SourceRecord(
                SourceKind.DSPT,
                as_at,
                0,
                edition=assessment.year,
                dspt_status=assessment.status,
                published_on=assessment.published_on,
            )
        )
    spans = []
    for record in records:
        own_deadline = national.dspt_deadlines.get(record.edition)
        start = record.published_on or own_deadline
        if start is None:
            continue
        end = national.dspt_deadlines.get(next_dspt_year(record.edition)) or _one_year_after(own_deadline or start)
        if end < start:
            continue
        spans.append(Span(start, end, record.dspt_status in DSPT_MEETING_STATUSES, record))
    return spans


def dspt_periods(national: NationalFacts) -> list[Period]:
    """Periods a published DSPT status of Standards Met or Exceeded is in force (see dspt_spans)."""
    return [(span.start, span.end) for span in dspt_spans(national) if span.met]


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


def _clip(periods: Iterable[Period], first: datetime.date | None, last: datetime.date | None) -> list[Period]:
    clipped = []
    for start, end in periods:
        start = max(start, first) if first else start
        end = last if end is None else (min(end, last) if last else end)
        if end is None or start <= end:
            clipped.append((start, end))
    return clipped


def source_label(record: SourceRecord) -> str:
    """ "DSPT 2022-23", "EPR supplier list of 1 Oct 2024": a record's snapshot, in words."""
    name = SOURCE_NAMES.get(record.source, str(record.source))
    if record.source == SourceKind.DSPT and record.edition:
        return f"DSPT {record.edition}"
    if record.edition:
        return f"{name} {record.edition}"
    return f"{name} of {_day(record.as_at)}"


def _unmet_national_note(basis: Basis, record: SourceRecord) -> str:
    if basis.rule == DSPT_MET_OR_EXCEEDED:
        return f"DSPT {record.edition} status not Standards Met or Exceeded"
    if basis.rule == EPR_IN_USE:
        said = record.epr_group if record.source == SourceKind.EPR_STATUS else record.supplier
        return f"no EPR in use ({source_label(record)}: {said})"
    if basis.rule == MDF_CORE_CAPABILITIES:
        return f"not yet meeting the MDF core capabilities ({source_label(record)}: {record.epr_status})"
    if basis.rule == DMA_PILLAR_AT_LEAST:
        score = dma_score(record, basis.dma_pillar)
        return f"DMA {basis.dma_pillar} {score:g} below {basis.dma_threshold:g} ({source_label(record)})"
    return "not met"


def _no_data_note(basis: Basis, latest: SourceRecord | None) -> str:
    names = " or ".join(SOURCE_NAMES[source] for source in RULE_SOURCES.get(basis.rule, ()))
    if latest is None:
        return f"no published {names} data for this trust"
    if latest.source == SourceKind.DSPT:
        return f"latest DSPT published {latest.edition}"
    return f"latest {source_label(latest)}"


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
