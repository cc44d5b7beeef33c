"""Reads for the dashboards: aggregates by GROUP BY, a fixed number of queries whatever the
number of trusts, cached under the dashboard cache generation (dashboards.cache) that every write
changing them bumps. One module per page, the parts they share in common."""

from ..selectors.common import (
    Headline,
    TargetInfo,
    icb_choices,
    statuses_computed_at,
    submissions_awaiting_review,
)
from ..selectors.national import NationalDashboard, national_dashboard
from ..selectors.region import RegionDashboard, TrustAttention, region_dashboard
from ..selectors.trust import TrustDashboard, TrustHistory, trust_dashboard, trust_history, trust_lineage

__all__ = [
    "Headline",
    "NationalDashboard",
    "RegionDashboard",
    "TargetInfo",
    "TrustAttention",
    "TrustDashboard",
    "TrustHistory",
    "icb_choices",
    "national_dashboard",
    "region_dashboard",
    "statuses_computed_at",
    "submissions_awaiting_review",
    "trust_dashboard",
    "trust_history",
    "trust_lineage",
]
