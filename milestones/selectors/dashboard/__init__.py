"""Reads for the dashboards: aggregates by GROUP BY, a fixed number of queries whatever the
number of trusts, cached under the dashboard cache generation (milestones.cache) that every write
changing them bumps. One module per page, the parts they share in common."""

from .common import Headline, TargetInfo, icb_choices, statuses_computed_at, submissions_awaiting_review
from .national import NationalDashboard, national_dashboard
from .region import RegionDashboard, TrustAttention, region_dashboard
from .trust import TrustDashboard, TrustHistory, evidence_state, trust_dashboard, trust_history, trust_lineage

__all__ = [
    "Headline",
    "NationalDashboard",
    "RegionDashboard",
    "TargetInfo",
    "TrustAttention",
    "TrustDashboard",
    "TrustHistory",
    "evidence_state",
    "icb_choices",
    "national_dashboard",
    "region_dashboard",
    "statuses_computed_at",
    "submissions_awaiting_review",
    "trust_dashboard",
    "trust_history",
    "trust_lineage",
]
