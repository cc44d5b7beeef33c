"""What the dashboard pages share: the targets, the statuses in force for the filters, headlines,
when the statuses were computed, the ICB filter's choices."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from digitrack.dates import month_year
from milestones.models import (
    ComplianceStatus,
    DayStatus,
    EvidenceSubmission,
    NationalDataRule,
    Requirement,
    ReviewState,
    Status,
    Target,
    TargetRevision,
)
from milestones.rules import DeadlineRevision, TargetFacts
from trusts.models import IntegratedCareBoard, Region, Trust, TrustIcbMembership

from ..cache import DashboardCache, page_memo
from ..filters import DashboardFilters

if TYPE_CHECKING:
    from ..selectors.provenance import TargetNote


@dataclass(frozen=True)
class TargetInfo:
    id: int
    code: str
    title: str
    start_date: datetime.date
    deadline: datetime.date
    # Met through published DSPT statuses (the cyber target): its deadline is the DSPT views' "then".
    met_by_dspt: bool = False
    # The deadline's revisions, oldest first: (announced on, old deadline, new deadline).
    revisions: tuple[tuple[datetime.date, datetime.date, datetime.date], ...] = ()

    @property
    def first_deadline(self) -> datetime.date:
        """The deadline as first set, before any revision."""
        return self.revisions[0][1] if self.revisions else self.deadline

    def revisions_by(self, day: datetime.date) -> int:
        """How many times the deadline had moved by `day`."""
        return sum(1 for revised_on, _, _ in self.revisions if revised_on <= day)

    def deadline_on(self, day: datetime.date) -> datetime.date:
        """The deadline in force on `day`, as the compliance rules read it."""
        revisions = tuple(DeadlineRevision(*revision) for revision in self.revisions)
        facts = TargetFacts(
            start_date=self.start_date,
            deadline=self.deadline,
            sectors=frozenset(),
            requirements=(),
            revisions=revisions,
        )
        return facts.deadline_on(day)


@dataclass
class Headline:
    """How many trusts are in each status for one target."""

    target: TargetInfo
    counts: dict[str, int]
    # Where its figures come from and how old they are (provenance.TargetNote).
    note: "TargetNote | None" = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        return self.total - self.counts.get(Status.NOT_APPLICABLE, 0)

    def percent(self, status: str) -> float | None:
        """Share of applicable trusts in this status (None when no trust is applicable)."""
        if status == Status.NOT_APPLICABLE or not self.applicable:
            return None
        return 100 * self.counts.get(status, 0) / self.applicable


def target_infos() -> list[TargetInfo]:
    """Every target, in display order (two queries, once for a whole page)."""
    return page_memo("target_infos", _target_infos)


def _target_infos() -> list[TargetInfo]:
    met_by_dspt = Exists(
        Requirement.objects.filter(target=OuterRef("pk"), national_data_rule=NationalDataRule.DSPT_MET_OR_EXCEEDED)
    )
    rows = Target.objects.annotate(met_by_dspt=met_by_dspt).values_list(
        "id", "code", "title", "start_date", "deadline", "met_by_dspt"
    )
    revisions: dict[int, list] = {}
    for target_id, *revision in TargetRevision.objects.order_by("revised_on", "id").values_list(
        "target_id", "revised_on", "old_deadline", "new_deadline"
    ):
        revisions.setdefault(target_id, []).append(tuple(revision))
    return [TargetInfo(*row, revisions=tuple(revisions.get(row[0], ()))) for row in rows]


def statuses_in_force(filters: DashboardFilters, extra: Q = Q()) -> QuerySet:
    """The statuses in force for the filters, of the trusts open on the filters' day: current ones,
    or those on the exact day when as_of is set (stored by services.day_statuses.day_statuses_ensure,
    which the view calls first; the latest inputs generation stored for the day). Both querysets have
    trust, target, status, reason and data_as_at fields."""
    where = filters.trust_q("trust__") & filters.open_q("trust__") & extra
    if filters.as_of is None:
        return ComplianceStatus.objects.filter(where)
    latest = DayStatus.objects.filter(as_of=filters.as_of).order_by("-inputs").values("inputs")[:1]
    return DayStatus.objects.filter(where, as_of=filters.as_of, inputs=Subquery(latest))


def statuses_computed_at(filters: DashboardFilters, region: Region | None = None) -> datetime.datetime | None:
    """When the current statuses in view were last computed (None for a past day). One query;
    every recompute bumps the cache generation, as it moves this even when no status changes."""
    if filters.as_of is not None:
        return None
    statuses = statuses_in_force(filters, Q(trust__region=region) if region else Q())
    return statuses.aggregate(latest=Max("computed_at"))["latest"]


def headlines_for(
    targets: list[TargetInfo], counts: dict[int, dict[str, int]], notes: "dict[int, TargetNote] | None" = None
) -> list[Headline]:
    notes = notes or {}
    return [Headline(target=target, counts=counts.get(target.id, {}), note=notes.get(target.id)) for target in targets]


def add_count(totals: dict, key, status: str, n: int) -> None:
    totals.setdefault(key, {})
    totals[key][status] = totals[key].get(status, 0) + n


def icb_choices(region: Region | None = None, *, cache: DashboardCache) -> list[tuple[str, str]]:
    """(code, name) of the ICBs to filter by, within a region if given: those that hold or held
    trusts (the 42 replaced in 2026 hold some as of a day before then; the filter then reads the ICB
    a trust was in on that day)."""

    def compute():
        holds_trusts = Exists(Trust.objects.filter(icb=OuterRef("pk"))) | Exists(
            TrustIcbMembership.objects.filter(icb=OuterRef("pk"))
        )
        icbs = IntegratedCareBoard.objects.filter(holds_trusts).order_by("name")
        if region is not None:
            icbs = icbs.filter(region=region)
        return [
            (icb.code, icb.display_name + ("" if icb.is_open else f" (to {month_year(icb.closed_on)})"))
            for icb in icbs.only("code", "name", "closed_on")
        ]

    return cache.get_or_compute("icbs", region.code if region else "all", compute)


def submissions_awaiting_review(filters: DashboardFilters) -> int:
    """Not cached: a new upload does not change any status, so it does not bump the generation."""
    return EvidenceSubmission.objects.filter(filters.trust_q("trust__"), state=ReviewState.SUBMITTED).count()
