"""A region's page: its tables, the ICB summary and the heatmap."""

import functools
from dataclasses import replace

from django.urls import reverse
from markupsafe import escape

from digitrack.tables import Link, Noted, Table, Tag, TagGroups, table_params
from milestones.labels import long_date, short_icb_name, short_trust_name, status_label, status_tag
from milestones.models import STATUS_ORDER, Status
from trusts.models import Region

from .. import charts
from ..filters import DashboardFilters
from ..presenters.dspt import dspt_block, dspt_shares_table, dspt_table
from ..presenters.tables import count_columns, headline_table
from ..presenters.trust_list import trust_list_url
from ..selectors import RegionDashboard, TargetInfo
from ..selectors.dspt import DsptCount, DsptShare
from ..selectors.region import NEEDS_ATTENTION, TrustAttention

# The region page lists at most this many trusts in each of its lists (the heatmap and its table,
# the trusts overdue or at risk, each target's trusts overdue or with no current data), so that it
# does not grow with the number of trusts: more than any real region has (London, the largest, has
# 49 with its closed trusts), so only a far larger one is cut short, and a list cut short says so and
# links the trust list, which pages through every one.
REGION_LIST_LIMIT = 50
# (ods code, display name, icb name), as RegionDashboard.trusts
RegionTrust = tuple[str, str, str]


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


def heatmap_trusts(dashboard: RegionDashboard) -> list[RegionTrust]:
    """The trusts the page's heatmap shows: all of them, or in a region of more than
    REGION_LIST_LIMIT the ones with the most targets overdue, then at risk, then without current
    data; in the page's order either way (by ICB, then name)."""
    if len(dashboard.trusts) <= REGION_LIST_LIMIT:
        return dashboard.trusts

    def need(trust: RegionTrust) -> tuple[int, ...]:
        statuses = [(dashboard.cells.get((trust[0], target.id)) or (None,))[0] for target in dashboard.targets]
        return tuple(-statuses.count(status) for status in (*NEEDS_ATTENTION, Status.NO_CURRENT_DATA))

    chosen = {trust[0] for trust in sorted(dashboard.trusts, key=need)[:REGION_LIST_LIMIT]}
    return [trust for trust in dashboard.trusts if trust[0] in chosen]


def heatmap_links(dashboard: RegionDashboard, filters: DashboardFilters, trusts: list[RegionTrust]) -> list[list[str]]:
    """For each trust and target, the trust list of the region's trusts in the same status on that
    target (a heatmap cell's drill-down), or "" where there is no status."""
    # Made once for each target and status: a region's heatmap has a cell for every trust and target.
    link = functools.cache(
        lambda target, status: trust_list_url(filters, region=dashboard.region_code, target=target, status=status)
    )
    rows = []
    for code, _, _ in trusts:
        row = []
        for target in dashboard.targets:
            status = (dashboard.cells.get((code, target.id)) or (None,))[0]
            row.append(link(target.code, status) if status else "")
        rows.append(row)
    return rows


def heatmap_table(dashboard: RegionDashboard, filters: DashboardFilters, trusts: list[RegionTrust]) -> Table:
    rows, links = [], []
    for code, name, icb in trusts:
        cells = [status_label((dashboard.cells.get((code, target.id)) or (None,))[0]) for target in dashboard.targets]
        rows.append([name, code, icb, *cells])
        links.append(reverse("dashboards:trust", args=[code]))
    cell_links = [
        {3 + column: href for column, href in enumerate(row) if href}
        for row in heatmap_links(dashboard, filters, trusts)
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
    trust list, and the first REGION_LIST_LIMIT trusts with their status and reason."""
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
        blocks.append({"target": target, "counts": counts, "trusts": trusts[:REGION_LIST_LIMIT], "total": len(trusts)})
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


def _attention_row(row: TrustAttention) -> list:
    groups = []
    for status, targets in ((Status.OVERDUE, row.overdue), (Status.AT_RISK, row.at_risk)):
        if targets:
            tag = status_tag(status)
            groups.append((Tag(tag["text"], tag["colour"]), tuple(target.title for target in targets)))
    reasons = tuple(
        (f"{target.title}, {status_label(status).lower()}", reason) for target, status, reason in row.reasons
    )
    return [
        Noted(Link(row.name, reverse("dashboards:trust", args=[row.ods_code])), short_icb_name(row.icb)),
        TagGroups(tuple(groups), reasons, f"{row.name} is listed"),
    ]


def attention_shown(dashboard: RegionDashboard, filters: DashboardFilters) -> dict:
    """The trusts overdue or at risk as the page lists them: the first REGION_LIST_LIMIT (the most
    targets overdue first) as a table of a row per trust, how many there are, and the trust list of
    each status."""
    attention = dashboard.attention_by_trust
    shown = attention[:REGION_LIST_LIMIT]
    table = Table(
        "attention-shown",
        "Trusts overdue or at risk, the most targets overdue first",
        ["Trust and ICB", "Targets overdue or at risk"],
        [_attention_row(row) for row in shown],
    )
    return {
        "table": {**table_params(table, caption_hidden=True), "attributes": {"id": "attention-table"}},
        "trusts": shown,
        "total": len(attention),
        "lists": [
            {"status": status, "href": trust_list_url(filters, region=dashboard.region_code, status=status)}
            for status in NEEDS_ATTENTION
        ],
    }


def region_tables(
    dashboard: RegionDashboard,
    dspt_counts: list[DsptCount],
    dspt_shares: list,
    filters: DashboardFilters,
    trusts: list[RegionTrust] | None = None,
) -> dict[str, Table]:
    """The region's tables, as the CSVs have them; the heatmap's of `trusts` only if given (the page's)."""

    def count_link(target: str, status: str) -> str:
        return trust_list_url(filters, region=dashboard.region_code, target=target, status=status)

    tables = [
        headline_table(dashboard.headlines, count_link),
        heatmap_table(dashboard, filters, dashboard.trusts if trusts is None else trusts),
        icb_table(dashboard),
        attention_table(dashboard),
        dspt_table(dspt_counts, "ICB", "Published DSPT statuses by integrated care board"),
        dspt_shares_table(dspt_shares),
    ]
    return {table.name: table for table in tables}


def region_heatmap(
    region: Region, dashboard: RegionDashboard, filters: DashboardFilters, trusts: list[RegionTrust]
) -> charts.Chart:
    """The trusts (grouped by ICB) against the targets; a cell opens the trust list."""
    return charts.status_heatmap_chart(
        "heatmap",
        f"{region.name} trusts",
        [(short_icb_name(icb), short_trust_name(name)) for _, name, icb in trusts],
        [target.title for target in dashboard.targets],
        [
            [(dashboard.cells.get((code, target.id)) or (None,))[0] for target in dashboard.targets]
            for code, _, _ in trusts
        ],
        links=heatmap_links(dashboard, filters, trusts),
    )


def heatmap_shown(dashboard: RegionDashboard, filters: DashboardFilters, trusts: list[RegionTrust]) -> dict:
    """What the page says of the heatmap's trusts: how many, and when they are not all of them, the
    trust list of all of them."""
    total = len(dashboard.trusts)
    if len(trusts) == total:
        return {"summary": f"Show the chart of the {total} trusts", "all_href": None}
    return {
        "summary": f"Show the chart of the {len(trusts)} of {total} trusts with the most targets overdue or at risk",
        "shown": len(trusts),
        "total": total,
        "all_href": trust_list_url(filters, region=dashboard.region_code),
    }


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
    trusts = heatmap_trusts(dashboard)
    tables = region_tables(dashboard, dspt_counts, dspt_shares, filters, trusts)
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
        "heatmap": region_heatmap(region, dashboard, filters, trusts),
        "heatmap_shown": heatmap_shown(dashboard, filters, trusts),
        "attention": attention_shown(dashboard, filters),
        "icb_note": icb_grouping_note(filters, dashboard),
        "dspt": dspt_block(tables, dspt_counts, dspt_shares, "ICB", short_icb_name),
    }
