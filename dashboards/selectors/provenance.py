"""Where each target's figures come from and how old they are: the published snapshots behind its
national-data requirements, whether demo evidence is among them, and, once its deadline has
passed, how many trusts met it by then (and late) beside how many meet it now."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from milestones import rules
from milestones.models import (
    DEMO_SUMMARY_PREFIX,
    EvidenceSubmission,
    Requirement,
    ReviewState,
    SourceSnapshot,
    Status,
)
from trusts.models import Region

from ..filters import DashboardFilters
from ..selectors.common import TargetInfo, statuses_in_force


@dataclass(frozen=True)
class SourceNote:
    """The latest snapshot of a published source on the day: "DSPT 2022-23", as at 16 November 2023."""

    source: str
    label: str
    as_at: datetime.date


@dataclass(frozen=True)
class PastDeadline:
    """For a target whose deadline had passed on the day: trusts that met it by that deadline,
    those meeting it since but late, and those meeting it on the latest data of the day."""

    deadline: datetime.date
    met_by_deadline: int
    met_late: int
    meeting_now: int
    applicable: int


@dataclass(frozen=True)
class TargetNote:
    sources: tuple[SourceNote, ...] = ()
    includes_demo: bool = False
    past_deadline: PastDeadline | None = None

    @property
    def data_as_at(self) -> datetime.date | None:
        """The oldest of the snapshots behind the target: how old its national figures are."""
        return min((note.as_at for note in self.sources), default=None)


def target_notes(
    targets: list[TargetInfo],
    filters: DashboardFilters,
    *,
    today: datetime.date,
    region: Region | None = None,
) -> dict[int, TargetNote]:
    """Per target id, its note for the trusts in the filters (and region) on the filters' day."""
    day = filters.as_of or today
    where = filters.trust_q("trust__") & (Q(trust__region=region) if region else Q())
    sources = _sources_by_target(day)
    demo = set(
        EvidenceSubmission.objects.filter(
            where,
            state=ReviewState.APPROVED,
            summary__startswith=DEMO_SUMMARY_PREFIX,
            requirement__optional=False,
            reviewed_at__date__lte=day,
        )
        .values_list("requirement__target_id", flat=True)
        .distinct()
    )
    past = _past_deadlines(targets, filters, Q(trust__region=region) if region else Q(), day)
    return {
        target.id: TargetNote(
            sources=sources.get(target.id, ()), includes_demo=target.id in demo, past_deadline=past.get(target.id)
        )
        for target in targets
    }


def demo_evidence_in_view(filters: DashboardFilters, *, today: datetime.date, region: Region | None = None) -> bool:
    """Whether any approved demo evidence counts towards the figures in view (optional evidence never does)."""
    where = filters.trust_q("trust__") & (Q(trust__region=region) if region else Q())
    return EvidenceSubmission.objects.filter(
        where,
        state=ReviewState.APPROVED,
        summary__startswith=DEMO_SUMMARY_PREFIX,
        requirement__optional=False,
        reviewed_at__date__lte=filters.as_of or today,
    ).exists()


def _sources_by_target(day: datetime.date) -> dict[int, tuple[SourceNote, ...]]:
    """The latest snapshot on or before `day` of each source each target's counted national
    requirements read. Two queries."""
    latest: dict[str, SourceNote] = {}
    for snapshot in SourceSnapshot.objects.filter(as_at__lte=day).order_by("source", "-as_at", "-imported_at"):
        if snapshot.source not in latest:
            label = " ".join(filter(None, [rules.SOURCE_NAMES[snapshot.source], snapshot.edition]))
            latest[snapshot.source] = SourceNote(snapshot.source, label, snapshot.as_at)
    requirements = Requirement.objects.exclude(national_data_rule="").filter(
        Q(applies_from__isnull=True) | Q(applies_from__lte=day),
        Q(retired_on__isnull=True) | Q(retired_on__gt=day),
        optional=False,
    )
    by_target: dict[int, list[SourceNote]] = {}
    for target_id, rule in requirements.values_list("target_id", "national_data_rule"):
        for source in rules.RULE_SOURCES.get(rule, ()):
            note = latest.get(source)
            if note and note not in by_target.setdefault(target_id, []):
                by_target[target_id].append(note)
    return {target_id: tuple(notes) for target_id, notes in by_target.items()}


def _past_deadlines(
    targets: list[TargetInfo], filters: DashboardFilters, region: Q, day: datetime.date
) -> dict[int, PastDeadline]:
    passed = {target.id: target.deadline_on(day) for target in targets if target.deadline_on(day) < day}
    if not passed:
        return {}
    # The current statuses, or those on the past day: both keep met by the deadline and met late.
    counts = (
        statuses_in_force(filters, region & Q(target_id__in=passed))
        .values("target_id")
        .annotate(
            by_deadline=Count("id", filter=Q(met_by_deadline=True)),
            late=Count("id", filter=Q(status=Status.MET, met_on_time=False)),
            now=Count("id", filter=Q(status=Status.MET)),
            applicable=Count("id", filter=~Q(status=Status.NOT_APPLICABLE)),
        )
    )
    return {
        row["target_id"]: PastDeadline(
            passed[row["target_id"]], row["by_deadline"], row["late"], row["now"], row["applicable"]
        )
        for row in counts
    }
