"""What the status rules are given: a target with its requirements and deadline history, a trust,
its approvals and pending uploads, as plain values (loaded from the database by the compliance
services, or built by hand in tests)."""

import datetime
from dataclasses import dataclass

from .national import ONE_DAY, Basis


@dataclass(frozen=True)
class DeadlineRevision:
    revised_on: datetime.date
    old_deadline: datetime.date
    new_deadline: datetime.date


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
