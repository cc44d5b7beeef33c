"""The national overview: its tables and charts."""

from dataclasses import replace

from .. import charts
from ..filters import DashboardFilters
from ..models import STATUS_ORDER
from ..selectors.dashboard import NationalDashboard
from ..selectors.dspt import DsptCount, DsptShare
from .dspt import dspt_block, dspt_shares_table, dspt_table
from .labels import percent
from .tables import Table, count_columns, headline_table, table_params


def by_region_table(dashboard: NationalDashboard, target_id: int | None = None) -> Table:
    titles = {target.id: target.title for target in dashboard.targets}
    rows, links = [], []
    for target in dashboard.targets:
        if target_id is not None and target.id != target_id:
            continue
        for code, name in dashboard.regions:
            counts = dashboard.by_region.get((target.id, code, name), {})
            rows.append([titles[target.id], name, *[counts.get(status, 0) for status in STATUS_ORDER]])
            links.append(None)
    head = ["Target", "Region", *count_columns()]
    table = Table("by-region", "Trusts by status in each region", head, rows, frozenset(range(2, len(head))), links)
    if target_id is not None:
        # Under one target's chart the target column says nothing: drop it.
        table.head = head[1:]
        table.rows = [row[1:] for row in rows]
        table.numeric = frozenset(range(1, len(head) - 1))
        table.caption = f"Trusts by status in each region: {titles[target_id]}"
    return table


def trend_table(dashboard: NationalDashboard) -> Table:
    """One row per month end, one column per target: the share of applicable trusts that met it."""
    shares: dict = {}
    for target in dashboard.targets:
        for month, met, applicable in dashboard.trend.get(target.id, []):
            shares.setdefault(month, {})[target.id] = percent(100 * met / applicable if applicable else None)
    rows = [[month, *[shares[month].get(target.id, "") for target in dashboard.targets]] for month in sorted(shares)]
    return Table(
        "trend",
        "Share of applicable trusts meeting each target at each month end",
        ["Month end", *[f"{target.title} (% met)" for target in dashboard.targets]],
        rows,
        frozenset(range(1, len(dashboard.targets) + 1)),
    )


def revisions_table(dashboard: NationalDashboard) -> Table:
    rows = []
    for target in dashboard.targets:
        for revised_on, old, new, reason in dashboard.revisions.get(target.id, []):
            rows.append([target.title, revised_on, old, new, reason])
    return Table(
        "revisions",
        "Changes to the targets' deadlines",
        ["Target", "Announced", "Deadline before", "Deadline after", "Reason"],
        rows,
    )


def national_tables(dashboard: NationalDashboard, dspt_counts: list[DsptCount], dspt_shares: list) -> dict[str, Table]:
    tables = [
        headline_table(dashboard.headlines),
        by_region_table(dashboard),
        trend_table(dashboard),
        revisions_table(dashboard),
        dspt_table(dspt_counts),
        dspt_shares_table(dspt_shares),
    ]
    return {table.name: table for table in tables}


def national_charts(
    dashboard: NationalDashboard, tables: dict[str, Table]
) -> list[tuple[str, charts.Chart, dict, str]]:
    """(heading, chart, table params, CSV table name) for each chart of the national page."""
    blocks = []
    for target in dashboard.targets:
        groups = [(name, dashboard.by_region.get((target.id, code, name), {})) for code, name in dashboard.regions]
        chart = charts.status_by_group_chart(f"regions-{target.code}", target.title, groups)
        table = by_region_table(dashboard, target.id)
        blocks.append((f"{target.title}: status by region", chart, table_params(table), "by-region"))
    series = [(target.title, dashboard.trend.get(target.id, [])) for target in dashboard.targets]
    blocks.append(
        (
            "Trusts meeting each target, month by month",
            charts.met_trend_chart("trend", series),
            table_params(tables["trend"]),
            "trend",
        )
    )
    revisions = [
        (target.title, target.start_date, [row[:3] for row in dashboard.revisions.get(target.id, [])])
        for target in dashboard.targets
    ]
    blocks.append(
        (
            "How the deadlines moved",
            charts.deadline_revisions_chart("revisions", revisions),
            table_params(tables["revisions"]),
            "revisions",
        )
    )
    return blocks


def national_body(
    filters: DashboardFilters,
    dashboard: NationalDashboard,
    dspt_counts: list[DsptCount],
    dspt_shares: list[tuple[str, DsptShare]],
) -> dict:
    """What the national page shows below its filters (rendered once per cache generation)."""
    tables = national_tables(dashboard, dspt_counts, dspt_shares)
    return {
        "filters": filters,
        "dashboard": dashboard,
        "headline_table": table_params(tables["headlines"]),
        "chart_blocks": national_charts(dashboard, tables),
        "dspt": dspt_block(tables, dspt_counts, dspt_shares, "region"),
        "region_query": replace(filters, icb="").query_string,
    }
