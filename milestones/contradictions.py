"""Where published sources disagree about a trust, and what a target's "met" rests on.

Plain values in (rules.SourceRecord rows, review outcomes), small dataclasses out; no ORM,
no clock. Each contradiction names both facts and the day each reflects, so programme staff can
ask the trust which is right: a contradiction is a question, not a verdict.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .labels import dspt_label
from .rules import (
    DMA_PILLAR_AT_LEAST,
    DSPT_MEETING_STATUSES,
    DSPT_MET_OR_EXCEEDED,
    EPR_IN_USE,
    MDF_CORE_CAPABILITIES,
    SourceKind,
    SourceRecord,
    dma_score,
    epr_in_use,
    next_dspt_year,
)

SMART_FOUNDATIONS = "Ensure smart foundations"
SMART_FOUNDATIONS_HIGH = 4.0
SOURCE_LABELS = {
    SourceKind.DSPT: "DSPT",
    SourceKind.EPR_STATUS: "Frontline Digitisation report",
    SourceKind.EPR_SUPPLIER: "EPR supplier list",
    SourceKind.DMA: "Digital Maturity Assessment",
}


class Kind(StrEnum):
    EPR_LOST = "epr_lost"
    DMA_WITHOUT_EPR = "dma_without_epr"
    DSPT_MET_EVIDENCE_REJECTED = "dspt_met_evidence_rejected"


KIND_LABELS = {
    Kind.EPR_LOST: "An EPR, then none",
    Kind.DMA_WITHOUT_EPR: "Smart foundations scored high with no EPR",
    Kind.DSPT_MET_EVIDENCE_REJECTED: "DSPT standards met, own cyber evidence rejected",
}


@dataclass(frozen=True)
class Fact:
    source: str  # where it is said: "EPR supplier list", "Evidence review"
    on: datetime.date  # the day it reflects
    says: str


@dataclass(frozen=True)
class Contradiction:
    kind: Kind
    first: Fact  # the earlier fact (or the self-assessment)
    second: Fact


@dataclass(frozen=True)
class Review:
    """A programme review of one of the trust's own uploads."""

    requirement: str  # title
    reviewed_on: datetime.date
    approved: bool
    comment: str = ""
    demo: bool = False  # generated demo evidence (seed_demo): said wherever it shows


def _epr_words(record: SourceRecord) -> str:
    if record.source == SourceKind.EPR_STATUS:
        status = f", {record.epr_status}" if record.epr_status else ""
        return f"{record.epr_group}{status}"
    return f'Supplier "{record.supplier}"'


def _fact(record: SourceRecord, says: str) -> Fact:
    return Fact(SOURCE_LABELS[record.source], record.as_at, says)


def _epr_said(records: Iterable[SourceRecord]) -> list[tuple[SourceRecord, bool]]:
    """The records that say whether the trust has an EPR, oldest first, in a fixed order."""
    said = [(record, has) for record in records if (has := epr_in_use(record)) is not None]
    return sorted(said, key=lambda pair: (pair[0].as_at, pair[0].snapshot_id, _epr_words(pair[0])))


def epr_lost(records: Iterable[SourceRecord]) -> list[Contradiction]:
    """A record of one EPR source says the trust has no EPR while the latest earlier record of the
    other source said it had one (a group other than Group 0, or a named supplier). The reverse,
    none then one, is progress, not a contradiction."""
    said = _epr_said(records)
    found = []
    for later, has in said:
        if has:
            continue
        earlier = [
            record for record, had in said if had and record.source != later.source and record.as_at < later.as_at
        ]
        if earlier:
            first = earlier[-1]
            found.append(Contradiction(Kind.EPR_LOST, _fact(first, _epr_words(first)), _fact(later, _epr_words(later))))
    return found


def dma_without_epr(records: Iterable[SourceRecord]) -> list[Contradiction]:
    """A DMA "Ensure smart foundations" score of 4 or more while the latest EPR record (either
    source, on any day) says the trust has no EPR."""
    records = list(records)
    epr = _epr_said(records)
    if not epr or epr[-1][1]:
        return []
    latest = epr[-1][0]
    found = []
    for record in records:
        if record.source != SourceKind.DMA:
            continue
        score = dma_score(record, SMART_FOUNDATIONS)
        if score is not None and score >= SMART_FOUNDATIONS_HIGH:
            found.append(
                Contradiction(
                    Kind.DMA_WITHOUT_EPR,
                    _fact(record, f"{f'DMA {record.edition}'.strip()}: {SMART_FOUNDATIONS} {score:.1f} of 5"),
                    _fact(latest, _epr_words(latest)),
                )
            )
    return found


def dspt_met_evidence_rejected(
    records: Iterable[SourceRecord], reviews: Iterable[Review], deadlines: Mapping[str, datetime.date]
) -> list[Contradiction]:
    """A DSPT edition published as Standards Met or Exceeded while the trust's own cyber evidence
    was rejected, and not approved since, between the start of that assessment year (1 April) and
    the end of the status's time in force (the next edition's submission deadline)."""
    reviews = sorted(reviews, key=lambda review: review.reviewed_on)
    found = []
    for record in records:
        if record.source != SourceKind.DSPT or record.dspt_status not in DSPT_MEETING_STATUSES or not record.edition:
            continue
        year_start = datetime.date(int(record.edition[:4]), 4, 1)
        in_force_until = deadlines.get(next_dspt_year(record.edition)) or datetime.date(
            int(record.edition[:4]) + 2, 6, 30
        )
        latest: dict[str, Review] = {}
        for review in reviews:
            if year_start <= review.reviewed_on <= in_force_until:
                latest[review.requirement] = review
        for review in latest.values():
            if review.approved:
                continue
            status = dspt_label(record.dspt_status)
            comment = f': "{review.comment}"' if review.comment else ""
            found.append(
                Contradiction(
                    Kind.DSPT_MET_EVIDENCE_REJECTED,
                    Fact("DSPT", record.published_on or record.as_at, f"{record.edition}: {status}"),
                    Fact(
                        "Evidence review (demo data)" if review.demo else "Evidence review",
                        review.reviewed_on,
                        f"{review.requirement} rejected{comment}",
                    ),
                )
            )
    return found


def contradictions_for(
    records: Sequence[SourceRecord], reviews: Iterable[Review], deadlines: Mapping[str, datetime.date]
) -> list[Contradiction]:
    """Every contradiction between one trust's published records and its reviewed evidence."""
    return [*epr_lost(records), *dma_without_epr(records), *dspt_met_evidence_rejected(records, reviews, deadlines)]


class Basis(StrEnum):
    SELF_ASSESSED = "self_assessed"
    PROGRAMME_DATA = "programme_data"
    REVIEWED_EVIDENCE = "reviewed_evidence"


BASIS_LABELS = {
    Basis.SELF_ASSESSED: "Self-assessment (DSPT, DMA)",
    Basis.PROGRAMME_DATA: "Programme data (Frontline Digitisation report, EPR supplier list)",
    Basis.REVIEWED_EVIDENCE: "Evidence reviewed by the programme",
}
RULE_BASIS = {
    DSPT_MET_OR_EXCEEDED: Basis.SELF_ASSESSED,
    DMA_PILLAR_AT_LEAST: Basis.SELF_ASSESSED,
    EPR_IN_USE: Basis.PROGRAMME_DATA,
    MDF_CORE_CAPABILITIES: Basis.PROGRAMME_DATA,
    "": Basis.REVIEWED_EVIDENCE,
}


@dataclass(frozen=True)
class AssuranceMix:
    """What one target's "met" rests on: of the requirements its met trusts met, how many by each basis."""

    trusts_met: int
    requirements: Mapping[Basis, int]  # counting requirements of the target by basis
    met_by: Mapping[Basis, int]  # requirement-met facts behind the met trusts, by basis

    @property
    def total(self) -> int:
        return sum(self.met_by.values())

    def share(self, basis: Basis) -> float | None:
        return self.met_by.get(basis, 0) / self.total if self.total else None

    @property
    def wholly_self_assessed(self) -> bool:
        """Every requirement counting towards the target rests on a self-assessment."""
        return bool(self.requirements) and set(self.requirements) == {Basis.SELF_ASSESSED}


def assurance_mix(rules: Iterable[str], trusts_met: int) -> AssuranceMix:
    """From the national data rules of a target's counting requirements ("" for uploaded evidence)
    and how many trusts met it: a met trust met every counting requirement, each on its basis."""
    requirements: dict[Basis, int] = {}
    for rule in rules:
        basis = RULE_BASIS.get(rule, Basis.REVIEWED_EVIDENCE)
        requirements[basis] = requirements.get(basis, 0) + 1
    return AssuranceMix(trusts_met, requirements, {basis: count * trusts_met for basis, count in requirements.items()})
