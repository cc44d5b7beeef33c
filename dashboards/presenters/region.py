"""A region's page: its tables, the ICB summary and the heatmap."""

from dataclasses import replace

from django.urls import reverse
from markupsafe import escape

from digitrack.tables import Link, Table, table_params
from milestones.labels import long_date, short_icb_name, short_trust_name, status_label
from milestones.models import STATUS_ORDER, Status
from trusts.models import Region

from .. import charts
from ..filters import DashboardFilters
from ..presenters.dspt import dspt_block, dspt_shares_table, dspt_table
from ..presenters.tables import count_columns, headline_table
from ..presenters.trust_list import trust_list_url
from ..selectors import RegionDashboard, TargetInfo
from ..selectors.dspt import DsptCount, DsptShare


def icb_table(dashboard: RegionDashboard) -> Table:
    titles = {target.id: target.title for target in dashboard.targets}
    rows = [
        [icb_name, titles.get(target_id, ""), *[counts.get(status, 0) for status in STATUS_ORDER]]
        for (_, icb_name, target_id), counts in dashboard.by_icb.items()
    ]
    head = ["ICB", "Target", *count_columns()]
    return Table("icbs", "Trusts by status in each integrated care board", head, rows, frozenset(range(2, len(head))))


def icb_summary(dashboard: RegionDashboard, filters: DashboardFilters) -> dict:
    """The ICB breakdown for the page, one row per ICB and a column per target ("2 of 5 met,
    3 overdue"), each count a link to the trusts it counts; the CSV (icb_table) has every status count."""
    targets = dashboard.targets
    by_icb: dict[tuple[str, str], dict[int, dict[str, int]]] = {}
    for (icb_code, icb_name, target_id), counts in dashboard.by_icb.items():
        by_icb.setdefault((icb_code, icb_name), {})[target_id] = counts
    rows = []
    for (icb_code, icb_name), per_target in by_icb.items():
        cells = [{"text": short_icb_name(icb_name)}]
        scope = replace(filters, icb=icb_code) if icb_code else filters
        for target in targets:
            counts = per_target.get(target.id, {})

            def link(text: str, status: str, target: TargetInfo = target, scope: DashboardFilters = scope) -> str:
                href = trust_list_url(scope, region=dashboard.region_code, target=target.code, status=status)
                return f'<a class="nhsuk-link" href="{escape(href)}">{escape(text)}</a>'

            applicable = sum(counts.values()) - counts.get(Status.NOT_APPLICABLE, 0)
            parts = [f"{link(str(counts.get(Status.MET, 0)), Status.MET)} of {applicable} met"] if applicable else []
            parts += [
                link(f"{counts[status]} {status_label(status).lower()}", status)
                for status in (Status.OVERDUE, Status.AT_RISK)
                if counts.get(status)
            ]
            cells.append({"html": ", ".join(parts) if parts else "None applicable"})
        rows.append(cells)
    return {
        "caption": {
            "text": "Trusts meeting each target in each integrated care board",
            "classes": "nhsuk-u-visually-hidden",
        },
        "head": [{"text": "ICB"}, *[{"text": target.title} for target in targets]],
        "rows": rows,
        "responsive": True,
    }


def heatmap_links(dashboard: RegionDashboard, filters: DashboardFilters) -> list[list[str]]:
    """For each trust and target, the trust list of the region's trusts in the same status on that
    target (a heatmap cell's drill-down), or "" where there is no status."""
    rows = []
    for code, _, _ in dashboard.trusts:
        row = []
        for target in dashboard.targets:
            status = (dashboard.cells.get((code, target.id)) or (None,))[0]
            row.append(
                trust_list_url(filters, region=dashboard.region_code, target=target.code, status=status)
                if status
                else ""
            )
        rows.append(row)
    return rows


def heatmap_table(dashboard: RegionDashboard, filters: DashboardFilters) -> Table:
    rows, links = [], []
    for code, name, icb in dashboard.trusts:
        cells = [status_label((dashboard.cells.get((code, target.id)) or (None,))[0]) for target in dashboard.targets]
        rows.append([name, code, icb, *cells])
        links.append(reverse("dashboards:trust", args=[code]))
    cell_links = [
        {3 + column: href for column, href in enumerate(row) if href} for row in heatmap_links(dashboard, filters)
    ]
    return Table(
        "trusts",
        "Status of each trust against each target",
        ["Trust", "ODS code", "ICB", *[target.title for target in dashboard.targets]],
        rows,
        links=links,
        cell_links=cell_links,
    )


# What the region page lists by target: the trusts past their deadline and those whose data lapsed.
LAGGING = (Status.OVERDUE, Status.NO_CURRENT_DATA)


def lagging_by_target(dashboard: RegionDashboard, filters: DashboardFilters) -> list[dict]:
    """Per target, the region's trusts overdue or with no current data: counts linking to the
    trust list, and the trusts with their status and reason."""
    blocks = []
    for target in dashboard.targets:
        trusts = [
            {"ods_code": code, "name": name, "status": cell[0], "reason": cell[1]}
            for code, name, _ in dashboard.trusts
            if (cell := dashboard.cells.get((code, target.id))) and cell[0] in LAGGING
        ]
        counts = [
            {
                "status": status,
                "count": sum(1 for trust in trusts if trust["status"] == status),
                "href": trust_list_url(filters, region=dashboard.region_code, target=target.code, status=status),
            }
            for status in LAGGING
        ]
        blocks.append({"target": target, "counts": counts, "trusts": trusts})
    return blocks


def lagging_table(blocks: list[dict]) -> dict:
    """The counts of lagging_by_target as the page's table, each count a link to the trusts it counts."""
    rows = [
        [block["target"].title]
        + [
            Link(
                str(item["count"]),
                item["href"],
                f"{status_label(item['status']).lower()} on {block['target'].title.lower()}",
            )
            if item["count"]
            else 0
            for item in block["counts"]
        ]
        for block in blocks
    ]
    head = ["Target", *(status_label(status) for status in LAGGING)]
    table = Table("lagging", "Trusts overdue or with no current data on each target", head, rows, frozenset({1, 2}))
    return {**table_params(table, caption_hidden=True), "attributes": {"id": "lagging-table"}}


def attention_table(dashboard: RegionDashboard) -> Table:
    rows, links = [], []
    for code, name, icb, target, status, reason in dashboard.needs_attention:
        rows.append([name, code, icb, target.title, status_label(status), reason])
        links.append(reverse("dashboards:trust", args=[code]))
    return Table(
        "attention",
        "Trusts overdue or at risk",
        ["Trust", "ODS code", "ICB", "Target", "Status", "Reason"],
        rows,
        links=links,
    )


def region_tables(
    dashboard: RegionDashboard, dspt_counts: list[DsptCount], dspt_shares: list, filters: DashboardFilters
) -> dict[str, Table]:
    def count_link(target: str, status: str) -> str:
        return trust_list_url(filters, region=dashboard.region_code, target=target, status=status)

    tables = [
        headline_table(dashboard.headlines, count_link),
        heatmap_table(dashboard, filters),
        icb_table(dashboard),
        attention_table(dashboard),
        dspt_table(dspt_counts, "ICB", "Published DSPT statuses by integrated care board"),
        dspt_shares_table(dspt_shares),
    ]
    return {table.name: table for table in tables}


def region_heatmap(region: Region, dashboard: RegionDashboard, filters: DashboardFilters) -> charts.Chart:
    """The region's trusts (grouped by ICB) against the targets; a cell opens the trust list."""
    return charts.status_heatmap_chart(
        "heatmap",
        f"{region.name} trusts",
        [(short_icb_name(icb), short_trust_name(name)) for _, name, icb in dashboard.trusts],
        [target.title for target in dashboard.targets],
        [
            [(dashboard.cells.get((code, target.id)) or (None,))[0] for target in dashboard.targets]
            for code, _, _ in dashboard.trusts
        ],
        links=heatmap_links(dashboard, filters),
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
    tables = region_tables(dashboard, dspt_counts, dspt_shares, filters)
    lagging = lagging_by_target(dashboard, filters)
    return {
        "filters": filters,
        "region": region,
        "dashboard": dashboard,
        # The page shows attention and ICBs shorter (one row per trust, icb_summary); the CSVs have it all.
        "tables": {name: table_params(table) for name, table in tables.items() if name not in ("attention", "icbs")},
        "icb_summary": icb_summary(dashboard, filters),
        "lagging": lagging,
        "lagging_table": lagging_table(lagging),
        "count_url": lambda target, status: trust_list_url(
            filters, region=dashboard.region_code, target=target, status=status
        ),
        "heatmap": region_heatmap(region, dashboard, filters),
        "icb_note": icb_grouping_note(filters, dashboard),
        "dspt": dspt_block(tables, dspt_counts, dspt_shares, "ICB", short_icb_name),
    }
