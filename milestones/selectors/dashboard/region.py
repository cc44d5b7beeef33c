"""A region's aggregates: headlines, counts by ICB, each trust's status and reason, who needs attention."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from trusts.models import IntegratedCareBoard, Region, Trust

from ...cache import DashboardCache
from ...filters import DashboardFilters
from ...models import Status
from .common import Headline, TargetInfo, add_count, headlines_for, statuses_in_force, target_infos

NEEDS_ATTENTION = (Status.OVERDUE, Status.AT_RISK)


@dataclass(frozen=True)
class TrustAttention:
    """One trust that needs attention: the targets it is overdue on and those it is at risk on,
    and why, as (target, status, reason), overdue first."""

    ods_code: str
    name: str
    icb: str
    overdue: list[TargetInfo]
    at_risk: list[TargetInfo]
    reasons: list[tuple[TargetInfo, str, str]]


@dataclass
class RegionDashboard:
    region_code: str
    region_name: str
    targets: list[TargetInfo]
    headlines: list[Headline]
    # (icb code, icb name, target id) -> {status: count}
    by_icb: dict[tuple[str, str, int], dict[str, int]]
    # (ods code, display name, icb name), ordered by ICB then name
    trusts: list[tuple[str, str, str]]
    # (ods code, target id) -> (status, reason)
    cells: dict[tuple[str, int], tuple[str, str]]
    snapshot_date: datetime.date | None

    @property
    def attention_by_trust(self) -> list["TrustAttention"]:
        """The trusts overdue or at risk on any target, one each, the most targets overdue first
        (then the most at risk, then by ICB and name)."""
        rows = []
        for code, name, icb in self.trusts:
            by_status = {status: [] for status in NEEDS_ATTENTION}
            for target in self.targets:
                cell = self.cells.get((code, target.id))
                if cell and cell[0] in by_status:
                    by_status[cell[0]].append((target, *cell))
            if any(by_status.values()):
                overdue, at_risk = by_status[Status.OVERDUE], by_status[Status.AT_RISK]
                rows.append(
                    TrustAttention(
                        code, name, icb, [row[0] for row in overdue], [row[0] for row in at_risk], overdue + at_risk
                    )
                )
        return sorted(rows, key=lambda row: (-len(row.overdue), -len(row.at_risk), row.icb, row.name))

    @property
    def needs_attention(self) -> list[tuple[str, str, str, TargetInfo, str, str]]:
        """Overdue then at-risk, one per trust and target (trust code, name, ICB, target, status, reason)."""
        rows = []
        for status in NEEDS_ATTENTION:
            for code, name, icb in self.trusts:
                for target in self.targets:
                    cell = self.cells.get((code, target.id))
                    if cell and cell[0] == status:
                        rows.append((code, name, icb, target, status, cell[1]))
        return rows


def region_dashboard(region: Region, filters: DashboardFilters, *, cache: DashboardCache) -> RegionDashboard:
    return cache.get_or_compute(f"region-{region.code}", filters.cache_key, lambda: _region_dashboard(region, filters))


def _region_dashboard(region: Region, filters: DashboardFilters) -> RegionDashboard:
    targets = target_infos()
    statuses, snapshot_date = statuses_in_force(filters, Q(trust__region=region))
    by_icb: dict = {}
    per_target: dict = {}
    grouped = statuses.values("target_id", "trust__icb__code", "trust__icb__name", "status").annotate(n=Count("id"))
    for row in grouped:
        icb_name = (
            IntegratedCareBoard(name=row["trust__icb__name"]).display_name if row["trust__icb__code"] else "No ICB"
        )
        key = (row["trust__icb__code"] or "", icb_name, row["target_id"])
        add_count(by_icb, key, row["status"], row["n"])
        add_count(per_target, row["target_id"], row["status"], row["n"])

    trusts = [
        (trust.ods_code, trust.display_name, trust.icb.display_name if trust.icb else "No ICB")
        for trust in Trust.objects.filter(filters.trust_q(), filters.open_q(), region=region)
        .select_related("icb")
        .order_by("icb__name", "name")
        .only("ods_code", "name", "icb__name")
    ]
    if filters.as_of is None:
        rows = statuses.values_list("trust__ods_code", "target_id", "status", "reason")
        cells = {(code, target_id): (status, reason) for code, target_id, status, reason in rows}
    else:
        # With no snapshot on or before as_of there are no rows (the page says none was recorded).
        note = f"Status at the month end of {snapshot_date:%d %B %Y}." if snapshot_date else ""
        rows = statuses.values_list("trust__ods_code", "target_id", "status")
        cells = {(code, target_id): (status, note) for code, target_id, status in rows}

    return RegionDashboard(
        region_code=region.code,
        region_name=region.name,
        targets=targets,
        headlines=headlines_for(targets, per_target),
        by_icb={key: by_icb[key] for key in sorted(by_icb, key=lambda key: (key[1], key[2]))},
        trusts=trusts,
        cells=cells,
        snapshot_date=snapshot_date,
    )
