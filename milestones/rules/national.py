"""What published national data says about a requirement, and for how long it is in force.

A trust's rows in published snapshots (DSPT, Frontline Digitisation EPR status, EPR supplier list,
DMA) come in as plain records; spans of days on which each decides a requirement come out. Pure,
like the status rules in milestones.rules.status: no ORM, no clock.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from digitrack.dates import short_date

ONE_DAY = datetime.timedelta(days=1)
# A period during which a requirement is met: first and last day, inclusive (None: open-ended).
Period = tuple[datetime.date, datetime.date | None]


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
class Basis:
    """What a requirement rests on: uploaded evidence (no rule) or a national data rule."""

    rule: str = ""
    dma_pillar: str = ""
    dma_threshold: float | None = None


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
        return _chained(national.records, epr_in_use)
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


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def source_label(record: SourceRecord) -> str:
    """ "DSPT 2022-23", "EPR supplier list of 1 Oct 2024": a record's snapshot, in words."""
    name = SOURCE_NAMES.get(record.source, str(record.source))
    if record.source == SourceKind.DSPT and record.edition:
        return f"DSPT {record.edition}"
    if record.edition:
        return f"{name} {record.edition}"
    return f"{name} of {short_date(record.as_at)}"


def unmet_note(basis: Basis, record: SourceRecord) -> str:
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


def no_data_note(basis: Basis, latest: SourceRecord | None) -> str:
    names = " or ".join(SOURCE_NAMES[source] for source in RULE_SOURCES.get(basis.rule, ()))
    if latest is None:
        return f"no published {names} data for this trust"
    if latest.source == SourceKind.DSPT:
        return f"latest DSPT published {latest.edition}"
    return f"latest {source_label(latest)}"
