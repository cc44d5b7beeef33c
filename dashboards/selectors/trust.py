"""One trust's page: its status and evidence state per target, month-end history, recent changes, lineage."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from milestones import rules
from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    EvidenceState,
    EvidenceSubmission,
    Requirement,
    ReviewState,
    Target,
)
from milestones.models.evidence import evidence_state
from milestones.services.compliance import statuses_compute
from trusts.models import Trust

from ..selectors.common import TargetInfo, target_infos


@dataclass
class RequirementState:
    code: str
    title: str
    state: str  # one of EVIDENCE_STATES, or NATIONAL_STATES' values for one met by national data
    national_data_rule: str
    id: int = 0  # for the upload link of a requirement met by evidence
    optional: bool = False  # listed, but never changes the national status
    note: str = ""  # for one met by national data: what the published data says, and how old it is


@dataclass
class TrustTargetStatus:
    target: TargetInfo
    status: str | None
    reason: str
    requirements_met: int
    requirements_total: int
    computed_at: datetime.datetime | None
    changed_at: datetime.datetime | None
    requirements: list[RequirementState] = field(default_factory=list)


@dataclass
class TrustHistory:
    # target id -> [(month end, status)]
    timeline: dict[int, list[tuple[datetime.date, str]]]
    # (changed at, target title, old status, new status, reason), newest first
    changes: list[tuple[datetime.datetime, str, str, str, str]]


@dataclass
class TrustLineage:
    """The trusts a closed trust's work passed to (several if it was split), and the closed trusts
    whose work passed to this one."""

    successors: list[Trust]
    predecessors: list[Trust]


@dataclass
class TrustDashboard:
    targets: list[TrustTargetStatus]
    recent_evidence: list[dict]
    computed_at: datetime.datetime | None


# A requirement met by national data, as the rules judge it today.
NATIONAL_STATES = {
    rules.RequirementState.MET: EvidenceState.NATIONAL_DATA,
    rules.RequirementState.UNMET: EvidenceState.NATIONAL_UNMET,
    rules.RequirementState.NO_CURRENT_DATA: EvidenceState.NO_CURRENT_DATA,
}


def trust_dashboard(trust: Trust, *, today: datetime.date) -> TrustDashboard:
    """Everything the trust page shows, in a fixed number of queries (evidence writes bump the cache
    generation, so the page is cached whole)."""
    targets = target_infos()
    statuses = {
        row.target_id: row
        for row in ComplianceStatus.objects.filter(trust=trust).only(
            "target_id", "status", "reason", "requirements_met", "requirements_total", "computed_at", "changed_at"
        )
    }
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    evidence_counts = {
        row["requirement_id"]: row
        for row in EvidenceSubmission.objects.filter(trust=trust)
        .values("requirement_id")
        .annotate(
            approved_valid=Count("id", filter=Q(state=ReviewState.APPROVED) & valid),
            approved_expired=Count("id", filter=Q(state=ReviewState.APPROVED) & ~valid),
            pending=Count("id", filter=Q(state=ReviewState.SUBMITTED)),
            rejected=Count("id", filter=Q(state=ReviewState.REJECTED)),
        )
    }
    national = {
        state.requirement_id: state
        for computed in statuses_compute(trusts=[trust], targets=Target.objects.all(), as_of=today)
        for state in computed.result.requirements
    }
    requirements = defaultdict(list)
    in_force = (Q(applies_from__isnull=True) | Q(applies_from__lte=today)) & (
        Q(retired_on__isnull=True) | Q(retired_on__gt=today)
    )
    for requirement in Requirement.objects.filter(in_force).only(
        "id", "target_id", "code", "title", "national_data_rule", "optional"
    ):
        counts = evidence_counts.get(requirement.id, {})
        note = ""
        if requirement.national_data_rule and requirement.id in national:
            judged = national[requirement.id]
            state, note = NATIONAL_STATES[judged.state], _national_note(judged)
        else:
            state = evidence_state(
                approved_valid=counts.get("approved_valid", 0),
                approved_expired=counts.get("approved_expired", 0),
                pending=counts.get("pending", 0),
                rejected=counts.get("rejected", 0),
            )
        requirements[requirement.target_id].append(
            RequirementState(
                requirement.code,
                requirement.title,
                state,
                requirement.national_data_rule,
                requirement.id,
                requirement.optional,
                note,
            )
        )

    rows = []
    for target in targets:
        status = statuses.get(target.id)
        rows.append(
            TrustTargetStatus(
                target=target,
                status=status.status if status else None,
                reason=status.reason if status else "Not computed yet.",
                requirements_met=status.requirements_met if status else 0,
                requirements_total=status.requirements_total if status else len(requirements[target.id]),
                computed_at=status.computed_at if status else None,
                changed_at=status.changed_at if status else None,
                requirements=requirements[target.id],
            )
        )

    recent_evidence = list(
        EvidenceSubmission.objects.filter(trust=trust)
        .order_by("-submitted_at", "-id")
        .values("id", "original_name", "requirement__title", "state", "submitted_at", "reviewed_at")[:10]
    )
    computed = [row.computed_at for row in rows if row.computed_at]
    return TrustDashboard(
        targets=rows,
        recent_evidence=recent_evidence,
        computed_at=max(computed) if computed else None,
    )


def trust_history(trust: Trust) -> TrustHistory:
    """The trust's month-end statuses and recent status changes (they change only with statuses,
    so the page caches them under the cache generation)."""
    timeline: dict[int, list] = defaultdict(list)
    for target_id, as_of, status in (
        ComplianceSnapshot.objects.filter(trust=trust).order_by("as_of").values_list("target_id", "as_of", "status")
    ):
        timeline[target_id].append((as_of, status))
    # Only changes of status: the rows that record progress within one status ("at risk" to "at
    # risk", 2 of 3 met) would read as non-changes in a list of changes.
    changes = list(
        ComplianceStatusChange.objects.filter(trust=trust)
        .exclude(old_status=F("new_status"))
        .order_by("-changed_at", "-id")
        .values_list("changed_at", "target__title", "old_status", "new_status", "reason")[:20]
    )
    return TrustHistory(timeline=dict(timeline), changes=changes)


def trust_lineage(trust: Trust, visible: QuerySet[Trust]) -> TrustLineage:
    """The successors and predecessors among the trusts the user may see (`visible`, from
    trusts_for_user), in one query."""
    succeeds_trust = Trust.successors.through.objects.filter(from_trust=trust, to_trust=OuterRef("pk"))
    related = list(
        visible.select_related(None)
        .filter(Q(predecessors=trust) | Q(successors=trust))
        .annotate(is_successor=Exists(succeeds_trust))
        .distinct()
        .order_by("closed_on", "name")
        .only("ods_code", "name", "opened_on", "closed_on")
    )
    return TrustLineage(
        successors=[other for other in related if other.is_successor],
        predecessors=[other for other in related if not other.is_successor],
    )


def _national_note(judged: rules.RequirementStatus) -> str:
    """ "Met on EPR supplier list of 1 Oct 2024", or why not: the published data behind a requirement."""
    if judged.state == rules.RequirementState.MET and judged.record is not None:
        return f"Met on the {rules.source_label(judged.record)}"
    if judged.state == rules.RequirementState.NO_CURRENT_DATA:
        return f"No current data: {judged.note}"
    return judged.note.partition(": ")[2] or judged.note
