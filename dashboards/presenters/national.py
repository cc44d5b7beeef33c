"""The national overview: its tables and charts."""

from dataclasses import replace

from django.urls import reverse

from digitrack.tables import Table, table_params
from milestones.labels import percent
from milestones.models import STATUS_ORDER, Status

from .. import charts
from ..filters import DashboardFilters
from ..presenters.dspt import dspt_block, dspt_shares_table, dspt_table
from ..presenters.tables import count_columns, headline_table
from ..presenters.trust_list import trust_list_url
from ..selectors import NationalDashboard
from ..selectors.dspt import DsptCount, DsptShare


def by_region_table(dashboard: NationalDashboard, filters: DashboardFilters, target_id: int | None = None) -> Table:
    """Trusts by status in each region and target, each count linking to the trusts it counts."""
    titles = {target.id: target.title for target in dashboard.targets}
    rows, cell_links = [], []
    first = 2 if target_id is None else 1  # under one target's chart the target column says nothing
    for target in dashboard.targets:
        if target_id is not None and target.id != target_id:
            continue
        for code, name in dashboard.regions:
            counts = dashboard.by_region.get((target.id, code, name), {})
            rows.append([titles[target.id], name, *[counts.get(status, 0) for status in STATUS_ORDER]][2 - first :])
            cell_links.append(
                {
                    first + position: trust_list_url(filters, region=code, target=target.code, status=status)
                    for position, status in enumerate(STATUS_ORDER)
                }
            )
    head = ["Target", "Region", *count_columns()][2 - first :]
    caption = "Trusts by status in each region" + (f": {titles[target_id]}" if target_id is not None else "")
    return Table("by-region", caption, head, rows, frozenset(range(first, len(head))), [], cell_links)


def overdue_by_region_table(dashboard: NationalDashboard, filters: DashboardFilters) -> dict:
    """The regions against the targets, each cell the trusts overdue, linking to them: the
    officer's question ("which trusts in the North West are overdue?") one click away."""
    rows = []
    for code, name in dashboard.regions:
        cells = [
            {"text": name, "href": reverse("dashboards:region", args=[code]) + replace(filters, icb="").query_string}
        ]
        for target in dashboard.targets:
            overdue = dashboard.by_region.get((target.id, code, name), {}).get(Status.OVERDUE, 0)
            cells.append(
                {
                    "text": str(overdue),
                    "format": "numeric",
                    "href": trust_list_url(filters, region=code, target=target.code, status=Status.OVERDUE),
                    "visuallyHiddenText": f"overdue on {target.title.lower()} in {name}",
                }
            )
        rows.append(cells)
    return {
        "caption": {"text": "Trusts overdue on each target, by region", "size": "s"},
        "head": [{"text": "Region"}, *[{"text": target.title, "format": "numeric"} for target in dashboard.targets]],
        "rows": rows,
        "responsive": True,
        "attributes": {"id": "regions"},
    }


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


def requirement_changes_table(dashboard: NationalDashboard) -> Table:
    """Requirements added, re-bound, made optional or retired, beside the deadline revisions:
    each from a day, with its reason; statuses before that day did not change."""
    rows = [
        [target.title, applies_from, change, title, reason]
        for target in dashboard.targets
        for applies_from, change, title, reason in dashboard.requirement_changes.get(target.id, [])
    ]
    return Table(
        "requirement-changes",
        "Changes to the targets' requirements",
        ["Target", "Applies from", "Change", "Requirement", "Reason"],
        rows,
    )


def national_tables(
    dashboard: NationalDashboard, dspt_counts: list[DsptCount], dspt_shares: list, filters: DashboardFilters
) -> dict[str, Table]:
    def count_link(target: str, status: str) -> str:
        return trust_list_url(filters, target=target, status=status)

    tables = [
        headline_table(dashboard.headlines, count_link),
        by_region_table(dashboard, filters),
        trend_table(dashboard),
        revisions_table(dashboard),
        requirement_changes_table(dashboard),
        dspt_table(dspt_counts),
        dspt_shares_table(dspt_shares),
    ]
    return {table.name: table for table in tables}


def national_charts(
    dashboard: NationalDashboard, tables: dict[str, Table], filters: DashboardFilters
) -> list[tuple[str, charts.Chart, dict, str]]:
    """(heading, chart, table params, CSV table name) for each chart of the national page."""
    blocks = []
    for target in dashboard.targets:
        groups = [(name, dashboard.by_region.get((target.id, code, name), {})) for code, name in dashboard.regions]
        links = [
            {status: trust_list_url(filters, region=code, target=target.code, status=status) for status in STATUS_ORDER}
            for code, _ in dashboard.regions
        ]
        chart = charts.status_by_group_chart(f"regions-{target.code}", target.title, groups, links=links)
        table = by_region_table(dashboard, filters, target.id)
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
    tables = national_tables(dashboard, dspt_counts, dspt_shares, filters)
    return {
        "filters": filters,
        "dashboard": dashboard,
        "headline_table": table_params(tables["headlines"]),
        "overdue_by_region": overdue_by_region_table(dashboard, filters),
        "count_url": lambda target, status: trust_list_url(filters, target=target, status=status),
        "chart_blocks": national_charts(dashboard, tables, filters),
        "requirement_changes": table_params(tables["requirement-changes"]),
        "dspt": dspt_block(tables, dspt_counts, dspt_shares, "region"),
    }
