"""The national overview's aggregates: headlines, status by region, the monthly trend, deadline revisions."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from milestones.models import ComplianceSnapshot, RequirementRevision, Status, TargetRevision
from trusts.models import Region

from ..cache import DashboardCache, content_cached
from ..filters import DashboardFilters
from ..selectors.common import Headline, TargetInfo, add_count, headlines_for, statuses_in_force, target_infos
from ..selectors.provenance import demo_evidence_in_view, target_notes


@dataclass
class NationalDashboard:
    targets: list[TargetInfo]
    headlines: list[Headline]
    # (target id, region code, region name) -> {status: count}
    by_region: dict[tuple[int, str, str], dict[str, int]]
    # target id -> [(month end, met, applicable)]
    trend: dict[int, list[tuple[datetime.date, int, int]]]
    # target id -> [(announced on, old deadline, new deadline, reason)]
    revisions: dict[int, list[tuple[datetime.date, datetime.date, datetime.date, str]]]
    regions: list[tuple[str, str]]
    # Whether approved demo evidence counts towards any figure on the page.
    includes_demo: bool = False
    # target id -> [(applies from, change, requirement title, reason)], oldest first
    requirement_changes: dict[int, list[tuple[datetime.date, str, str, str]]] = field(default_factory=dict)


def national_dashboard(filters: DashboardFilters, *, cache: DashboardCache) -> NationalDashboard:
    return cache.get_or_compute("national", filters.cache_key, lambda: _national_dashboard(filters, cache))


def national_trend(
    filters: DashboardFilters, *, cache: DashboardCache
) -> dict[int, list[tuple[datetime.date, int, int]]]:
    """Each target's month ends: (month end, met, applicable). Five years of snapshots for every
    trust (at tenfold scale 650,000 rows, 140 ms to count), so it is counted again only when a
    snapshot or what statuses are computed from (the register among it) changes, not at every
    recompute."""
    key = f"{cache.inputs}:{cache.snapshots}:{filters.cache_key}"
    return content_cached("national-trend", key, lambda: _national_trend(filters))


def _national_trend(filters: DashboardFilters) -> dict[int, list[tuple[datetime.date, int, int]]]:
    snapshots = ComplianceSnapshot.objects.filter(filters.trust_q("trust__"))
    if filters.as_of:
        snapshots = snapshots.filter(as_of__lte=filters.as_of)
    trend: dict[int, list] = defaultdict(list)
    monthly = (
        snapshots.values("target_id", "as_of")
        .annotate(
            met=Count("id", filter=Q(status=Status.MET)),
            applicable=Count("id", filter=~Q(status=Status.NOT_APPLICABLE)),
        )
        .order_by("as_of")
    )
    for row in monthly:
        trend[row["target_id"]].append((row["as_of"], row["met"], row["applicable"]))
    return dict(trend)


def _national_dashboard(filters: DashboardFilters, cache: DashboardCache) -> NationalDashboard:
    targets = target_infos()
    statuses = statuses_in_force(filters)
    by_region: dict = {}
    per_target: dict = {}
    grouped = statuses.values("target_id", "trust__region__code", "trust__region__name", "status").annotate(
        n=Count("id")
    )
    for row in grouped:
        key = (row["target_id"], row["trust__region__code"], row["trust__region__name"])
        add_count(by_region, key, row["status"], row["n"])
        add_count(per_target, row["target_id"], row["status"], row["n"])

    trend = national_trend(filters, cache=cache)

    revisions: dict[int, list] = defaultdict(list)
    for row in TargetRevision.objects.values_list("target_id", "revised_on", "old_deadline", "new_deadline", "reason"):
        revisions[row[0]].append(row[1:])

    requirement_changes: dict[int, list] = defaultdict(list)
    for revision in RequirementRevision.objects.select_related("requirement").order_by("applies_from", "id"):
        requirement_changes[revision.requirement.target_id].append(
            (revision.applies_from, revision.get_change_display(), revision.requirement.title, revision.reason)
        )

    today = timezone.localdate()
    return NationalDashboard(
        targets=targets,
        headlines=headlines_for(targets, per_target, target_notes(targets, filters, today=today)),
        by_region=by_region,
        trend=dict(trend),
        revisions=dict(revisions),
        regions=list(Region.objects.values_list("code", "name")),
        includes_demo=demo_evidence_in_view(filters, today=today),
        requirement_changes=dict(requirement_changes),
    )
