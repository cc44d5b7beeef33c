"""A region's aggregates: headlines, counts by ICB, each trust's status and reason, who needs attention."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from milestones.models import Status
from trusts.models import NO_ICB, Region, Trust
from trusts.selectors import IcbOnDay, icbs_in_force_on, trust_icbs_on

from ..cache import DashboardCache
from ..filters import DashboardFilters
from ..selectors.common import Headline, TargetInfo, add_count, headlines_for, statuses_in_force, target_infos
from ..selectors.provenance import demo_evidence_in_view, target_notes

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
    # As of a day, trusts are grouped by the ICBs in force then: how many ICBs that is, and the
    # trusts whose ICB on that day no published file gives, with why ((ods code, name, why)).
    icbs_in_force: int | None = None
    icb_not_known: list[tuple[str, str, str]] = field(default_factory=list)
    # Whether approved demo evidence counts towards any figure on the page.
    includes_demo: bool = False

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
    statuses = statuses_in_force(filters, Q(trust__region=region))
    shown = Trust.objects.filter(filters.trust_q(), filters.open_q(), region=region)
    icbs = _icbs_of(shown, filters.as_of)
    by_icb: dict = {}
    per_target: dict = {}
    for row in statuses.values("trust_id", "target_id", "status").annotate(n=Count("id")):
        icb = icbs.get(row["trust_id"], _NO_ICB)
        add_count(by_icb, (icb.code, icb.name, row["target_id"]), row["status"], row["n"])
        add_count(per_target, row["target_id"], row["status"], row["n"])

    trusts = sorted(
        ((trust.pk, trust.ods_code, trust.display_name) for trust in shown.only("ods_code", "name")),
        key=lambda trust: (icbs[trust[0]].name, trust[2]),
    )
    rows = statuses.values_list("trust__ods_code", "target_id", "status", "reason")
    cells = {(code, target_id): (status, reason) for code, target_id, status, reason in rows}

    return RegionDashboard(
        region_code=region.code,
        region_name=region.name,
        targets=targets,
        headlines=headlines_for(
            targets, per_target, target_notes(targets, filters, today=timezone.localdate(), region=region)
        ),
        by_icb={key: by_icb[key] for key in sorted(by_icb, key=lambda key: (key[1], key[2]))},
        trusts=[(code, name, icbs[pk].name) for pk, code, name in trusts],
        cells=cells,
        icbs_in_force=icbs_in_force_on(filters.as_of).count() if filters.as_of else None,
        icb_not_known=[(code, name, icbs[pk].source) for pk, code, name in trusts if not icbs[pk].code]
        if filters.as_of
        else [],
        includes_demo=demo_evidence_in_view(filters, today=timezone.localdate(), region=region),
    )


_NO_ICB = IcbOnDay("", NO_ICB, "")


def _icbs_of(trusts, as_of: datetime.date | None) -> dict[int, IcbOnDay]:
    """Each trust's ICB: today the register's, as of a day the one it was in then."""
    if as_of is not None:
        return trust_icbs_on(as_of, trusts)
    return {
        trust.pk: IcbOnDay(trust.icb.code, trust.icb.display_name, "ODS trust register") if trust.icb else _NO_ICB
        for trust in trusts.select_related("icb").only("icb__code", "icb__name")
    }
