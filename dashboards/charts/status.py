"""The status charts: statuses by group, the share met month by month, deadline revisions, the
status heatmap and a trust's timeline.

Every chart comes with a summary sentence made from the same numbers (the page shows it to
screen readers, and the numbers again as a table). Statuses use the Okabe-Ito colour-blind-safe
palette and are never told by colour alone: bars carry a pattern and a legend label, heatmap cells
their status as text.
"""

import datetime

import plotly.graph_objects as go

from digitrack.dates import CHART_DAY, CHART_MONTH, month_year, short_month_year
from milestones.labels import STATUS_LABELS
from milestones.models import STATUS_ORDER, Status

from .base import (
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    STATUS_COLOURS,
    STATUS_PATTERNS,
    Chart,
    chart_from,
    chart_layout,
    figure_without_validation,
    memoized,
    plural,
    share_layout,
    stacked_bars_layout,
    wrap_label,
)


@memoized
def status_by_group_chart(
    chart_id: str,
    title: str,
    groups: list[tuple[str, dict[str, int]]],
    group_noun: str = "region",
    links: list[dict[str, str]] | None = None,
) -> Chart:
    """A horizontal stacked bar per group (region or ICB) of how many trusts are in each status;
    `links`, per group and status, are the addresses a bar opens when clicked (static/js/charts.js)."""
    names = [wrap_label(name) for name, _ in groups]
    largest = max((sum(group.values()) for _, group in groups), default=0)
    figure = figure_without_validation(stacked_bars_layout(max(240, 44 * len(groups) + 130), largest, {}))
    for status in STATUS_ORDER:
        counts = [group.get(status, 0) for _, group in groups]
        figure.add_trace(
            go.Bar(
                _validate=False,
                name=STATUS_LABELS[status],
                y=names,
                x=counts,
                orientation="h",
                text=[count or "" for count in counts],
                customdata=[group_links.get(status, "") for group_links in links] if links else None,
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#000000"},
                marker={
                    "color": STATUS_COLOURS[status],
                    "line": {"color": "#ffffff", "width": 1},
                    "pattern": {
                        "shape": STATUS_PATTERNS[status],
                        "fillmode": "overlay",
                        "fgcolor": "#000000",
                        "fgopacity": 0.35,
                        "size": 8,
                    },
                },
                hovertemplate=f"%{{y}}: %{{x}} {STATUS_LABELS[status].lower()}<extra></extra>",
            )
        )
    met = sum(group.get(Status.MET, 0) for _, group in groups)
    applicable = sum(sum(group.values()) - group.get(Status.NOT_APPLICABLE, 0) for _, group in groups)
    most_behind = max(groups, key=lambda item: item[1].get(Status.OVERDUE, 0), default=None)
    if not largest:
        return chart_from(chart_id, figure, f"No trust has a status for {title.lower()} yet.", has_data=False)
    summary = f"{title}: {met} of {plural(applicable, 'applicable trust')} have met it across {plural(len(groups), group_noun)}."
    if most_behind and most_behind[1].get(Status.OVERDUE, 0):
        summary += f" Most overdue: {most_behind[0]} ({most_behind[1][Status.OVERDUE]})."
    return chart_from(chart_id, figure, summary)


@memoized
def met_trend_chart(chart_id: str, series: list[tuple[str, list[tuple[datetime.date, int, int]]]]) -> Chart:
    """The percentage of applicable trusts meeting each target at each month end."""
    figure = figure_without_validation(share_layout(380))
    sentences = []
    for index, (title, points) in enumerate(series):
        shares = [round(100 * met / applicable, 1) if applicable else None for _, met, applicable in points]
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name=title,
                x=[month.isoformat() for month, _, _ in points],
                y=shares,
                mode="lines+markers",
                line={"color": SERIES_COLOURS[index % 6], "dash": SERIES_DASHES[index % 6], "width": 2},
                marker={"symbol": SERIES_SYMBOLS[index % 6], "size": 5},
                hovertemplate=f"{title}<br>%{{x|{CHART_MONTH}}}: %{{y:.1f}}%<extra></extra>",
            )
        )
        known = [(month, share) for (month, _, _), share in zip(points, shares, strict=False) if share is not None]
        if known:
            (first_month, first), (last_month, last) = known[0], known[-1]
            sentences.append(
                f"{title}: {first:.0f}% met at {month_year(first_month)}, {last:.0f}% at {month_year(last_month)}."
            )
    summary = " ".join(sentences) or "No month-end history has been recorded yet."
    return chart_from(
        chart_id, figure, f"Trusts meeting each target, month by month. {summary}", has_data=bool(sentences)
    )


@memoized
def deadline_revisions_chart(
    chart_id: str, targets: list[tuple[str, datetime.date, list[tuple[datetime.date, datetime.date, datetime.date]]]]
) -> Chart:
    """Each target's deadline in force over time, stepping at each announced revision.
    targets: (title, start date, [(announced on, old deadline, new deadline)])."""
    figure = figure_without_validation(
        chart_layout(
            height=360,
            xaxis={"type": "date", "title": {"text": "Announced"}, "automargin": True, "gridcolor": "#eef0f1"},
            yaxis={"type": "date", "title": {"text": "Deadline in force"}, "automargin": True, "gridcolor": "#d8dde0"},
        )
    )
    sentences, announced_days = [], []
    for index, (title, start, revisions) in enumerate(targets):
        if not revisions:
            continue
        points = [(start, revisions[0][1])] + [(announced, new) for announced, _, new in revisions]
        announced_days += [announced for announced, _ in points]
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name=title,
                x=[announced.isoformat() for announced, _ in points],
                y=[deadline.isoformat() for _, deadline in points],
                mode="lines+markers+text",
                line={"shape": "hv", "color": SERIES_COLOURS[index % 6], "width": 2},
                marker={"symbol": SERIES_SYMBOLS[index % 6], "size": 8},
                text=[short_month_year(deadline) for _, deadline in points],
                # The first label reads rightwards, the others leftwards, so none runs off the plot's edge.
                textposition=["top right", *["top left"] * (len(points) - 1)],
                cliponaxis=False,
                hovertemplate=f"Announced %{{x|{CHART_DAY}}}: deadline %{{y|{CHART_MONTH}}}<extra></extra>",
            )
        )
        deadlines = " to ".join(month_year(deadline) for _, deadline in points)
        sentences.append(f"{title}: the deadline moved {plural(len(revisions), 'time')}, {deadlines}.")
    if announced_days:
        # A margin either side of the first and last announcement, for the markers and their labels.
        first, last = min(announced_days), max(announced_days)
        padding = datetime.timedelta(days=max(120, (last - first).days // 12))
        figure.update_xaxes(range=[(first - padding).isoformat(), (last + padding).isoformat()])
    summary = " ".join(sentences) or "No deadline has been revised."
    return chart_from(chart_id, figure, summary, has_data=bool(sentences))


# Short enough for a phone's narrow cells (two words wrap onto two lines).
PHONE_STATUS_LABELS = {Status.NOT_APPLICABLE: "N/A", Status.NO_CURRENT_DATA: "No<br>data", None: "None"}
HEATMAP_FONT_SIZE = 12
HEATMAP_LINE_PX = 15  # one line of 12 px text


def _lines(label: str) -> int:
    return label.count("<br>") + 1


def _heatmap_height(icb_labels: list[str], name_labels: list[str], column_labels: list[str]) -> int:
    """Rows share one height, so every row is as tall as the tallest label needs: the longest
    trust name, or an ICB name on a group with fewer rows than its lines. Columns' labels on top."""
    if not name_labels:
        return 240
    group_rows: dict[str, int] = {}
    for icb in icb_labels:
        group_rows[icb] = group_rows.get(icb, 0) + 1
    lines = max(
        max(_lines(name) for name in name_labels),
        max((-(-_lines(icb) // count) for icb, count in group_rows.items()), default=1),
    )
    row_px = max(28, HEATMAP_LINE_PX * lines + 10)
    header_px = HEATMAP_LINE_PX * max(_lines(column) for column in column_labels) + 40 if column_labels else 40
    return row_px * len(name_labels) + header_px


@memoized
def status_heatmap_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, str]],
    columns: list[str],
    statuses: list[list[str | None]],
    links: list[list[str]] | None = None,
) -> Chart:
    """Trusts (rows, as (ICB, trust name), grouped by ICB) against targets (columns): the cell
    colour and its text both give the status. `links`, the same shape as `statuses`, are the
    addresses a cell opens when clicked (static/js/charts.js); the table below has them as links."""
    index = {status: position for position, status in enumerate([*STATUS_ORDER, None])}
    steps = len(index)
    colorscale = []
    for status, position in index.items():
        colorscale += [[position / steps, STATUS_COLOURS[status]], [(position + 1) / steps, STATUS_COLOURS[status]]]
    icb_labels = [wrap_label(icb, 16) for icb, _ in rows]
    name_labels = [wrap_label(name, 30) for _, name in rows]
    column_labels = [wrap_label(column, 12) for column in columns]
    # On a phone (static/js/charts.js) the ICB level goes (the table below has it), names wrap
    # narrower and cells say "N/A", so the grid fits the screen instead of scrolling sideways.
    phone_names = [wrap_label(name, 15) for _, name in rows]
    phone_columns = [wrap_label(column, 8) for column in columns]
    phone = {
        "y": phone_names,
        "x": phone_columns,
        "text": [
            [PHONE_STATUS_LABELS.get(status, STATUS_LABELS.get(status, status)) for status in row] for row in statuses
        ],
        "height": _heatmap_height([], phone_names, phone_columns),
        "font_size": 10,
    }
    figure = figure_without_validation(
        chart_layout(
            height=_heatmap_height(icb_labels, name_labels, column_labels),
            meta={"phone": phone},
            xaxis={"side": "top", "automargin": True, "tickangle": 0, "tickfont": {"size": HEATMAP_FONT_SIZE}},
            yaxis={
                "automargin": True,
                "autorange": "reversed",
                "type": "multicategory" if rows else "category",
                "tickfont": {"size": HEATMAP_FONT_SIZE},
            },
        )
    )
    figure.add_trace(
        go.Heatmap(
            _validate=False,
            x=column_labels,
            y=[icb_labels, name_labels] if rows else [],
            z=[[index[status] for status in row] for row in statuses],
            text=[[STATUS_LABELS.get(status, status) for status in row] for row in statuses],
            texttemplate="%{text}",
            textfont={"color": "#000000", "size": 12},
            colorscale=colorscale,
            zmin=-0.5,
            zmax=steps - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=links,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    overdue = sum(row.count(Status.OVERDUE) for row in statuses)
    met = sum(row.count(Status.MET) for row in statuses)
    summary = (
        f"{title}: {plural(len(rows), 'trust')} against {plural(len(columns), 'target')}; "
        f"{met} met and {overdue} overdue."
    )
    return chart_from(chart_id, figure, summary, has_data=bool(rows))


@memoized
def trust_timeline_chart(chart_id: str, series: list[tuple[str, list[tuple[datetime.date, str]]]]) -> Chart:
    """One trust's status against each target at each month end, as steps between statuses."""
    levels = [STATUS_LABELS[status] for status in reversed(STATUS_ORDER)]
    figure = figure_without_validation(
        chart_layout(
            height=360,
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": levels,
                "range": [-0.5, len(levels) - 0.5],
                "automargin": True,
                "gridcolor": "#d8dde0",
            },
            xaxis={"type": "date", "automargin": True, "gridcolor": "#eef0f1"},
        )
    )
    sentences = []
    for position, (title, points) in enumerate(series):
        if not points:
            continue
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name=title,
                x=[month.isoformat() for month, _ in points],
                y=[STATUS_LABELS.get(status, status) for _, status in points],
                mode="lines+markers",
                line={"shape": "hv", "color": SERIES_COLOURS[position % 6], "dash": SERIES_DASHES[position % 6]},
                marker={"symbol": SERIES_SYMBOLS[position % 6], "size": 6},
                hovertemplate=f"{title}<br>%{{x|{CHART_MONTH}}}: %{{y}}<extra></extra>",
            )
        )
        last_month, last_status = points[-1]
        sentences.append(f"{title}: {STATUS_LABELS.get(last_status, last_status).lower()} at {month_year(last_month)}.")
    summary = " ".join(sentences) or "No month-end history has been recorded yet for this trust."
    return chart_from(chart_id, figure, f"Status over time. {summary}", has_data=bool(sentences))
