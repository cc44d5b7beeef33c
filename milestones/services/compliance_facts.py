"""The facts the compliance rules need about a batch of trusts and targets, read in a constant number
of queries whatever the batch's size, and the rules applied to them: what the compliance services
(milestones.services.compliance) compute, store or backfill."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from trusts.models import Trust

from .. import rules
from ..models import (
    DsptAssessment,
    DsptSubmissionDeadline,
    EvidenceSubmission,
    Requirement,
    RequirementChange,
    ReviewState,
    Target,
)
from ..selectors.sources import source_records_for


@dataclass(frozen=True)
class Facts:
    trusts: dict[int, rules.TrustFacts]
    targets: dict[int, rules.TargetFacts]
    approvals: dict[int, list[rules.Approval]]
    pending: dict[int, list[rules.PendingUpload]]
    national: dict[int, rules.NationalFacts]

    def status(self, trust_id: int, target_id: int, as_of: datetime.date) -> rules.Result:
        """The rules' result for one trust against one target on `as_of`."""
        return rules.status_for(
            target=self.targets[target_id],
            trust=self.trusts[trust_id],
            approvals=self.approvals.get(trust_id, ()),
            national=self.national[trust_id],
            as_of=as_of,
            at_risk_days=settings.COMPLIANCE_AT_RISK_DAYS,
            pending=self.pending.get(trust_id, ()),
        )


def facts_load(*, trusts: Sequence[Trust], target_ids: Sequence[int]) -> Facts:
    """Everything the rules need about these trusts and targets, in a constant number of queries."""
    trust_ids = [trust.pk for trust in trusts]
    targets = Target.objects.filter(pk__in=target_ids).prefetch_related("requirements__revisions", "revisions")
    target_facts = {
        target.pk: rules.TargetFacts(
            start_date=target.start_date,
            deadline=target.deadline,
            sectors=frozenset(target.sectors),
            requirements=tuple(requirement_facts(r) for r in target.requirements.all()),
            revisions=tuple(
                rules.DeadlineRevision(r.revised_on, r.old_deadline, r.new_deadline) for r in target.revisions.all()
            ),
        )
        for target in targets
    }
    approvals: dict[int, list[rules.Approval]] = defaultdict(list)
    pending: dict[int, list[rules.PendingUpload]] = defaultdict(list)
    # Only submissions pending review can be withdrawn (evidence_withdraw), so an approval stands.
    # Days in the local time zone, converted by PostgreSQL: in Python it was most of the load's time.
    evidence = (
        EvidenceSubmission.objects.filter(trust_id__in=trust_ids, requirement__target_id__in=target_ids)
        .annotate(
            submitted_on=TruncDate("submitted_at"),
            reviewed_on=TruncDate("reviewed_at"),
            decided_on=TruncDate(Coalesce("reviewed_at", "withdrawn_at")),
        )
        .values_list(
            "pk", "trust_id", "requirement_id", "state", "submitted_on", "reviewed_on", "decided_on", "valid_until"
        )
    )
    today = timezone.localdate()
    for pk, trust_id, requirement_id, state, submitted_on, reviewed_on, decided_on, valid_until in evidence:
        pending[trust_id].append(rules.PendingUpload(requirement_id, submitted_on, decided_on, pk))
        if state == ReviewState.APPROVED:
            # An approval without a review time (none is made so) counts from today, as it always has.
            approvals[trust_id].append(rules.Approval(requirement_id, reviewed_on or today, valid_until, pk))
    deadlines = dict(DsptSubmissionDeadline.objects.values_list("year", "deadline"))
    assessments: dict[int, list[rules.DsptAssessmentFacts]] = defaultdict(list)
    for trust_id, year, status, published_on in DsptAssessment.objects.filter(trust_id__in=trust_ids).values_list(
        "trust_id", "year", "status", "published_on"
    ):
        assessments[trust_id].append(rules.DsptAssessmentFacts(year, status, published_on))
    records = source_records_for(trust_ids)
    return Facts(
        trusts={trust.pk: rules.TrustFacts(trust.sector, trust.opened_on, trust.closed_on) for trust in trusts},
        targets=target_facts,
        approvals=approvals,
        pending=pending,
        national={
            trust_id: rules.NationalFacts(
                tuple(assessments.get(trust_id, ())), deadlines, tuple(records.get(trust_id, ()))
            )
            for trust_id in trust_ids
        },
    )


def requirement_facts(requirement: Requirement) -> rules.RequirementFacts:
    """A requirement as the rules see it, with the bases it rested on before each re-binding
    (its revisions must be prefetched)."""
    return rules.RequirementFacts(
        id=requirement.pk,
        title=requirement.title,
        national_data_rule=requirement.national_data_rule,
        dma_pillar=requirement.dma_pillar,
        dma_threshold=None if requirement.dma_threshold is None else float(requirement.dma_threshold),
        optional=requirement.optional,
        applies_from=requirement.applies_from,
        retired_on=requirement.retired_on,
        rebindings=tuple(
            rules.Rebinding(revision.applies_from, rules.Basis(**revision.old_basis))
            for revision in requirement.revisions.all()
            if revision.change == RequirementChange.REBOUND
        ),
    )
