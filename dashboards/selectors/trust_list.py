"""The trust list behind every count on the dashboards: the statuses in force for the same filters
(statuses_in_force), narrowed to a region, a target and a status, one row per trust and target."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from milestones.models import STATUS_ORDER, Target
from trusts.models import Region, Trust, icb_display_name
from trusts.selectors import icb_name_on

from ..filters import TrustListFilters
from ..selectors.common import statuses_in_force
from ..selectors.provenance import demo_evidence_in_view

# The columns each sort order sorts on, then trust name and target for a stable order.
_SORT_FIELDS = {
    "trust": ["trust__name"],
    "code": ["trust__ods_code"],
    "region": ["trust__region__name"],
    "icb": ["icb_name_then"],
    "target": ["target__display_order"],
    "status": ["status_rank"],
}


@dataclass(frozen=True)
class TrustListRow:
    ods_code: str
    name: str
    region: str
    icb: str
    sector: str
    target: str
    status: str
    reason: str
    # As-at date of the published data behind the status.
    data_as_at: datetime.date | None = None


@dataclass
class TrustList:
    rows: QuerySet  # of dicts, unread: the view reads one page of them (as_row makes each a TrustListRow)
    includes_demo: bool  # demo evidence counts in these statuses: the page and CSV say so


def _status_rank() -> Case:
    """The statuses in their display order (best first), whatever statuses there are."""
    return Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


def trust_list(filters: TrustListFilters) -> TrustList:
    """The status rows for the filters, sorted; current ones carry their reason."""
    extra = Q()
    if filters.region:
        extra &= Q(trust__region__code=filters.region)
    if filters.target:
        extra &= Q(target__code=filters.target)
    if filters.status:
        extra &= Q(status=filters.status)
    statuses = statuses_in_force(filters.dashboard, extra)
    # As of a day, each trust's ICB is the one it was in then (the 42 ICBs before April 2026).
    as_of = filters.dashboard.as_of
    statuses = statuses.annotate(icb_name_then=icb_name_on(as_of) if as_of else F("trust__icb__name"))
    column = filters.sort.removeprefix("-")
    order = [f"{'-' if filters.sort.startswith('-') else ''}{name}" for name in _SORT_FIELDS[column]]
    fields = [
        "trust__ods_code",
        "trust__name",
        "trust__region__name",
        "icb_name_then",
        "trust__sector",
        "target__title",
        "status",
        "reason",
        "data_as_at",
    ]
    rows = (
        statuses.annotate(status_rank=_status_rank())
        .order_by(*order, "trust__name", "target__display_order")
        .values(*fields)
    )
    region = Region.objects.filter(code=filters.region).first() if filters.region else None
    includes_demo = demo_evidence_in_view(filters.dashboard, today=filters.dashboard.open_on, region=region)
    return TrustList(rows=rows, includes_demo=includes_demo)


def as_row(values: dict) -> TrustListRow:
    """One row as the page shows it."""
    return TrustListRow(
        ods_code=values["trust__ods_code"],
        name=Trust(name=values["trust__name"]).display_name,
        region=values["trust__region__name"],
        icb=icb_display_name(values["icb_name_then"]),
        sector=values["trust__sector"],
        target=values["target__title"],
        status=values["status"],
        reason=values["reason"],
        data_as_at=values["data_as_at"],
    )


def trust_list_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(code, name) of the regions and of the targets, for the trust list's filters (two queries)."""
    return list(Region.objects.values_list("code", "name")), list(Target.objects.values_list("code", "title"))
