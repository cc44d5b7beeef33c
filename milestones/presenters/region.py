"""A region's page: its tables, the ICB summary and the heatmap."""

from django.urls import reverse

from trusts.models import Region

from .. import charts
from ..filters import DashboardFilters
from ..models import STATUS_ORDER, Status
from ..selectors.dashboard import RegionDashboard
from ..selectors.dspt import DsptCount, DsptShare
from .dspt import dspt_block, dspt_shares_table, dspt_table
from .labels import long_date, short_icb_name, short_target_name, short_trust_name, status_label
from .tables import Table, count_columns, headline_table, table_params


def icb_table(dashboard: RegionDashboard) -> Table:
    titles = {target.id: target.title for target in dashboard.targets}
    rows = [
        [icb_name, titles.get(target_id, ""), *[counts.get(status, 0) for status in STATUS_ORDER]]
        for (_, icb_name, target_id), counts in dashboard.by_icb.items()
    ]
    head = ["ICB", "Target", *count_columns()]
    return Table("icbs", "Trusts by status in each integrated care board", head, rows, frozenset(range(2, len(head))))


def icb_summary(dashboard: RegionDashboard) -> dict:
    """The ICB breakdown for the page, one row per ICB and a column per target ("2 of 5 met,
    3 overdue"); the CSV (icb_table) has every status count."""
    targets = dashboard.targets
    by_icb: dict[str, dict[int, dict[str, int]]] = {}
    for (_, icb_name, target_id), counts in dashboard.by_icb.items():
        by_icb.setdefault(icb_name, {})[target_id] = counts
    rows = []
    for icb_name, per_target in by_icb.items():
        cells = [{"text": short_icb_name(icb_name)}]
        for target in targets:
            counts = per_target.get(target.id, {})
            applicable = sum(counts.values()) - counts.get(Status.NOT_APPLICABLE, 0)
            parts = [f"{counts.get(Status.MET, 0)} of {applicable} met"] if applicable else ["None applicable"]
            parts += [
                f"{counts[status]} {status_label(status).lower()}"
                for status in (Status.OVERDUE, Status.AT_RISK)
                if counts.get(status)
            ]
            cells.append({"text": ", ".join(parts)})
        rows.append(cells)
    return {
        "caption": {
            "text": "Trusts meeting each target in each integrated care board",
            "classes": "nhsuk-u-visually-hidden",
        },
        "head": [{"text": "ICB"}, *[{"text": short_target_name(target.code)} for target in targets]],
        "rows": rows,
        "responsive": True,
    }


def heatmap_table(dashboard: RegionDashboard) -> Table:
    rows, links = [], []
    for code, name, icb in dashboard.trusts:
        cells = [status_label((dashboard.cells.get((code, target.id)) or (None,))[0]) for target in dashboard.targets]
        rows.append([name, code, icb, *cells])
        links.append(reverse("milestones:trust", args=[code]))
    return Table(
        "trusts",
        "Status of each trust against each target",
        ["Trust", "ODS code", "ICB", *[target.title for target in dashboard.targets]],
        rows,
        links=links,
    )


def attention_table(dashboard: RegionDashboard) -> Table:
    rows, links = [], []
    for code, name, icb, target, status, reason in dashboard.needs_attention:
        rows.append([name, code, icb, target.title, status_label(status), reason])
        links.append(reverse("milestones:trust", args=[code]))
    return Table(
        "attention",
        "Trusts overdue or at risk",
        ["Trust", "ODS code", "ICB", "Target", "Status", "Reason"],
        rows,
        links=links,
    )


def region_tables(dashboard: RegionDashboard, dspt_counts: list[DsptCount], dspt_shares: list) -> dict[str, Table]:
    tables = [
        headline_table(dashboard.headlines),
        heatmap_table(dashboard),
        icb_table(dashboard),
        attention_table(dashboard),
        dspt_table(dspt_counts, "ICB", "Published DSPT statuses by integrated care board"),
        dspt_shares_table(dspt_shares),
    ]
    return {table.name: table for table in tables}


def region_heatmap(region: Region, dashboard: RegionDashboard) -> charts.Chart:
    """The region's trusts (grouped by ICB) against the targets."""
    return charts.status_heatmap_chart(
        "heatmap",
        f"{region.name} trusts",
        [(short_icb_name(icb), short_trust_name(name)) for _, name, icb in dashboard.trusts],
        [short_target_name(target.code) for target in dashboard.targets],
        [
            [(dashboard.cells.get((code, target.id)) or (None,))[0] for target in dashboard.targets]
            for code, _, _ in dashboard.trusts
        ],
    )


def icb_grouping_note(filters: DashboardFilters, dashboard: RegionDashboard) -> dict | None:
    """As of a day, which ICBs the trusts are grouped by, and the trusts whose ICB then is not known."""
    if filters.as_of is None:
        return None
    day = long_date(filters.as_of)
    if not dashboard.icbs_in_force:
        text = f"There were no ICBs on {day}: they were established on 1 July 2022. Trusts are listed without one."
    else:
        text = (
            f"Trusts are grouped by the {dashboard.icbs_in_force} integrated care boards in force on {day}, "
            "as NHS England's trust list of June 2023 and the ODS register and successor files place them. "
            "A trust that had merged by then shows as the trust it merged into."
        )
    return {"text": text, "not_known": dashboard.icb_not_known if dashboard.icbs_in_force else []}


def region_body(
    region: Region,
    filters: DashboardFilters,
    dashboard: RegionDashboard,
    dspt_counts: list[DsptCount],
    dspt_shares: list[tuple[str, DsptShare]],
) -> dict:
    """What the regional page shows below its filters (rendered once per cache generation)."""
    tables = region_tables(dashboard, dspt_counts, dspt_shares)
    return {
        "filters": filters,
        "region": region,
        "dashboard": dashboard,
        # The page shows attention and ICBs shorter (one row per trust, icb_summary); the CSVs have it all.
        "tables": {name: table_params(table) for name, table in tables.items() if name not in ("attention", "icbs")},
        "heatmap": region_heatmap(region, dashboard),
        "icb_note": icb_grouping_note(filters, dashboard),
        "dspt": dspt_block(tables, dspt_counts, dspt_shares, "ICB", short_icb_name),
    }
