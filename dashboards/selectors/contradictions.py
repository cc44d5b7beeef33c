"""Reads behind the contradictions page: every open trust's published records and cyber evidence
reviews, and per target the trusts met and the bases of its counting requirements. A fixed number
of queries, whatever the number of trusts."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from milestones import contradictions
from milestones.models import (
    DEMO_SUMMARY_PREFIX,
    ComplianceStatus,
    DsptSubmissionDeadline,
    EvidenceSubmission,
    NationalDataRule,
    Requirement,
    ReviewState,
    Status,
)
from milestones.selectors.sources import source_records_for
from trusts.models import Region, Trust

from ..selectors.common import TargetInfo, target_infos


@dataclass(frozen=True)
class TrustContradiction:
    ods_code: str
    name: str
    region: str
    icb: str
    contradiction: contradictions.Contradiction


def _open_trusts(region: Region | None):
    trusts = (
        Trust.objects.filter(closed_on__isnull=True).select_related("region", "icb").order_by("region__name", "name")
    )
    return trusts.filter(region=region) if region is not None else trusts


def cyber_reviews(trust_ids) -> dict[int, list[contradictions.Review]]:
    """The reviews of each trust's own uploads for a target met by its DSPT status (the board
    cyber plan, patching): what the programme checked beside the self-assessment."""
    dspt_target = Exists(
        Requirement.objects.filter(
            target=OuterRef("requirement__target"), national_data_rule=NationalDataRule.DSPT_MET_OR_EXCEEDED
        )
    )
    reviews: dict[int, list[contradictions.Review]] = defaultdict(list)
    for trust_id, title, state, reviewed_at, comment, summary in (
        EvidenceSubmission.objects.filter(
            dspt_target,
            trust_id__in=trust_ids,
            requirement__national_data_rule=NationalDataRule.NONE,
            state__in=[ReviewState.APPROVED, ReviewState.REJECTED],
            reviewed_at__isnull=False,
        )
        .order_by("reviewed_at")
        .values_list("trust_id", "requirement__title", "state", "reviewed_at", "review_comment", "summary")
    ):
        reviews[trust_id].append(
            contradictions.Review(
                title,
                timezone.localdate(reviewed_at),
                state == ReviewState.APPROVED,
                comment,
                demo=summary.startswith(DEMO_SUMMARY_PREFIX),
            )
        )
    return reviews


def trust_contradictions(region: Region | None = None) -> list[TrustContradiction]:
    """Every contradiction about the open trusts (of a region), by region and trust name."""
    trusts = list(_open_trusts(region))
    ids = [trust.pk for trust in trusts]
    records = source_records_for(ids)
    reviews = cyber_reviews(ids)
    deadlines = dict(DsptSubmissionDeadline.objects.values_list("year", "deadline"))
    found = []
    for trust in trusts:
        for contradiction in contradictions.contradictions_for(
            records.get(trust.pk, []), reviews.get(trust.pk, []), deadlines
        ):
            found.append(
                TrustContradiction(
                    trust.ods_code,
                    trust.display_name,
                    trust.region.name,
                    trust.icb.display_name if trust.icb else "",
                    contradiction,
                )
            )
    return found


def assurance_by_target(
    region: Region | None = None, *, today: datetime.date
) -> list[tuple[TargetInfo, contradictions.AssuranceMix]]:
    """Per target: what its met trusts' "met" rests on, from its requirements counting today."""
    counting = Q(optional=False) & (Q(applies_from__isnull=True) | Q(applies_from__lte=today))
    counting &= Q(retired_on__isnull=True) | Q(retired_on__gt=today)
    rules: dict[int, list[str]] = defaultdict(list)
    for target_id, rule in Requirement.objects.filter(counting).values_list("target_id", "national_data_rule"):
        rules[target_id].append(rule)
    met = ComplianceStatus.objects.filter(status=Status.MET, trust__closed_on__isnull=True)
    if region is not None:
        met = met.filter(trust__region=region)
    met_counts: dict[int, int] = defaultdict(int)
    for target_id in met.values_list("target_id", flat=True):
        met_counts[target_id] += 1
    return [
        (target, contradictions.assurance_mix(rules[target.id], met_counts[target.id])) for target in target_infos()
    ]
