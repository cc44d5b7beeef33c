"""Plotly figures for the dashboards, built from plain rows handed in; never queries.

Every chart comes with a summary sentence made from the same numbers (the page shows it to
screen readers, and the numbers again as a table). Statuses use the Okabe-Ito colour-blind-safe
palette and are never told by colour alone: bars carry a pattern and a legend label, heatmap cells
their status as text.
"""

import datetime
import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
from markupsafe import Markup

from milestones.labels import STATUS_LABELS
from milestones.models import STATUS_ORDER, DsptStatus, Status
from milestones.rules import DSPT_MEETING_STATUSES

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency; black text reads on each.
STATUS_COLOURS = {
    Status.MET: "#009E73",
    Status.ON_TRACK: "#56B4E9",
    Status.AT_RISK: "#E69F00",
    Status.OVERDUE: "#D55E00",
    Status.NO_CURRENT_DATA: "#CC79A7",
    Status.NOT_APPLICABLE: "#BBBBBB",
    None: "#FFFFFF",
}
STATUS_PATTERNS = {
    Status.MET: "",
    Status.ON_TRACK: "/",
    Status.AT_RISK: ".",
    Status.OVERDUE: "x",
    Status.NO_CURRENT_DATA: "\\",
    Status.NOT_APPLICABLE: "-",
}
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
SERIES_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SERIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x"]
FONT = {"family": "Frutiger W01, Arial, sans-serif", "size": 14, "color": "#212b32"}


@dataclass(frozen=True)
class Chart:
    """A figure ready for the page: its element id, JSON, and the sentence that describes it."""

    id: str
    figure_json: str
    summary: str
    has_data: bool = True

    @property
    def script_json(self) -> Markup:
        """The JSON, safe inside <script type="application/json"> (no "</script>" can close it)."""
        escaped = self.figure_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(escaped)


def _memoized(build: Callable[..., Chart]) -> Callable[..., Chart]:
    """A chart function memoized in each process on its arguments (plain values, so their pickle is
    the key): after the cache generation moves on, the charts whose numbers did not change come from
    here instead of plotly, which builds them at about a third of a cold page's time."""

    @functools.lru_cache(maxsize=64)
    def built(arguments: bytes) -> Chart:
        args, kwargs = pickle.loads(arguments)
        return build(*args, **kwargs)

    @functools.wraps(build)
    def chart(*args, **kwargs) -> Chart:
        return built(pickle.dumps((args, kwargs)))

    return chart


def _layout(**overrides) -> dict:
    layout = {
        # Plotly's "none" template as plotly.py resolves it (validation, which would, is skipped).
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "font": FONT,
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8, "pad": 4},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
        "hoverlabel": {"font": FONT, "bgcolor": "#ffffff"},
    }
    layout.update(overrides)
    return layout


def _figure(layout: dict) -> go.Figure:
    """A figure built without plotly's property validation (a third of a cold page's chart time):
    the tests validate every figure the pages draw (test_dashboard_charts, test_dashboard_pages)."""
    return go.Figure(layout=layout, _validate=False)


def _chart(chart_id: str, figure: go.Figure, summary: str, has_data: bool = True) -> Chart:
    return Chart(chart_id, figure.to_json(validate=False, pretty=False, engine="json"), summary, has_data)


def _wrap(label: str, width: int = 14) -> str:
    """Break a long axis label over lines so the plot keeps its width on a phone."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _count_dtick(largest: int) -> int:
    """Whole-number ticks on a count axis (no "0.5 trusts")."""
    return max(1, -(-largest // 8))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@_memoized
def status_by_group_chart(
    chart_id: str,
    title: str,
    groups: list[tuple[str, dict[str, int]]],
    group_noun: str = "region",
    links: list[dict[str, str]] | None = None,
) -> Chart:
    """A horizontal stacked bar per group (region or ICB) of how many trusts are in each status;
    `links`, per group and status, are the addresses a bar opens when clicked (static/js/charts.js)."""
    names = [_wrap(name) for name, _ in groups]
    largest = max((sum(group.values()) for _, group in groups), default=0)
    figure = _figure(
        _layout(
            barmode="stack",
            height=max(240, 44 * len(groups) + 130),
            xaxis={
                "title": {"text": "Trusts"},
                "automargin": True,
                "gridcolor": "#d8dde0",
                "rangemode": "tozero",
                "dtick": _count_dtick(largest),
            },
            yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 12}},
        )
    )
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
        return _chart(chart_id, figure, f"No trust has a status for {title.lower()} yet.", has_data=False)
    summary = f"{title}: {met} of {_plural(applicable, 'applicable trust')} have met it across {_plural(len(groups), group_noun)}."
    if most_behind and most_behind[1].get(Status.OVERDUE, 0):
        summary += f" Most overdue: {most_behind[0]} ({most_behind[1][Status.OVERDUE]})."
    return _chart(chart_id, figure, summary)


@_memoized
def met_trend_chart(chart_id: str, series: list[tuple[str, list[tuple[datetime.date, int, int]]]]) -> Chart:
    """The percentage of applicable trusts meeting each target at each month end."""
    figure = _figure(
        _layout(
            height=380,
            yaxis={
                "title": {"text": "Trusts meeting the target (%)"},
                "range": [0, 100],
                "ticksuffix": "%",
                "gridcolor": "#d8dde0",
                "automargin": True,
            },
            xaxis={"type": "date", "automargin": True, "gridcolor": "#eef0f1"},
        )
    )
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
                hovertemplate=f"{title}<br>%{{x|%B %Y}}: %{{y:.1f}}%<extra></extra>",
            )
        )
        known = [(month, share) for (month, _, _), share in zip(points, shares, strict=False) if share is not None]
        if known:
            (first_month, first), (last_month, last) = known[0], known[-1]
            sentences.append(f"{title}: {first:.0f}% met at {first_month:%B %Y}, {last:.0f}% at {last_month:%B %Y}.")
    summary = " ".join(sentences) or "No month-end history has been recorded yet."
    return _chart(chart_id, figure, f"Trusts meeting each target, month by month. {summary}", has_data=bool(sentences))


@_memoized
def deadline_revisions_chart(
    chart_id: str, targets: list[tuple[str, datetime.date, list[tuple[datetime.date, datetime.date, datetime.date]]]]
) -> Chart:
    """Each target's deadline in force over time, stepping at each announced revision.
    targets: (title, start date, [(announced on, old deadline, new deadline)])."""
    figure = _figure(
        _layout(
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
                text=[f"{deadline:%b %Y}" for _, deadline in points],
                # The first label reads rightwards, the others leftwards, so none runs off the plot's edge.
                textposition=["top right", *["top left"] * (len(points) - 1)],
                cliponaxis=False,
                hovertemplate="Announced %{x|%d %B %Y}: deadline %{y|%B %Y}<extra></extra>",
            )
        )
        deadlines = " to ".join(f"{deadline:%B %Y}" for _, deadline in points)
        sentences.append(f"{title}: the deadline moved {_plural(len(revisions), 'time')}, {deadlines}.")
    if announced_days:
        # A margin either side of the first and last announcement, for the markers and their labels.
        first, last = min(announced_days), max(announced_days)
        padding = datetime.timedelta(days=max(120, (last - first).days // 12))
        figure.update_xaxes(range=[(first - padding).isoformat(), (last + padding).isoformat()])
    summary = " ".join(sentences) or "No deadline has been revised."
    return _chart(chart_id, figure, summary, has_data=bool(sentences))


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


@_memoized
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
    icb_labels = [_wrap(icb, 16) for icb, _ in rows]
    name_labels = [_wrap(name, 30) for _, name in rows]
    column_labels = [_wrap(column, 12) for column in columns]
    # On a phone (static/js/charts.js) the ICB level goes (the table below has it), names wrap
    # narrower and cells say "N/A", so the grid fits the screen instead of scrolling sideways.
    phone_names = [_wrap(name, 15) for _, name in rows]
    phone_columns = [_wrap(column, 8) for column in columns]
    phone = {
        "y": phone_names,
        "x": phone_columns,
        "text": [
            [PHONE_STATUS_LABELS.get(status, STATUS_LABELS.get(status, status)) for status in row] for row in statuses
        ],
        "height": _heatmap_height([], phone_names, phone_columns),
        "font_size": 10,
    }
    figure = _figure(
        _layout(
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
        f"{title}: {_plural(len(rows), 'trust')} against {_plural(len(columns), 'target')}; "
        f"{met} met and {overdue} overdue."
    )
    return _chart(chart_id, figure, summary, has_data=bool(rows))


@_memoized
def trust_timeline_chart(chart_id: str, series: list[tuple[str, list[tuple[datetime.date, str]]]]) -> Chart:
    """One trust's status against each target at each month end, as steps between statuses."""
    levels = [STATUS_LABELS[status] for status in reversed(STATUS_ORDER)]
    figure = _figure(
        _layout(
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
                hovertemplate=f"{title}<br>%{{x|%B %Y}}: %{{y}}<extra></extra>",
            )
        )
        last_month, last_status = points[-1]
        sentences.append(f"{title}: {STATUS_LABELS.get(last_status, last_status).lower()} at {last_month:%B %Y}.")
    summary = " ".join(sentences) or "No month-end history has been recorded yet for this trust."
    return _chart(chart_id, figure, f"Status over time. {summary}", has_data=bool(sentences))


DSPT_STYLES = {  # the status palette and patterns, best to worst
    DsptStatus.STANDARDS_EXCEEDED: ("#009E73", ""),
    DsptStatus.STANDARDS_MET: ("#56B4E9", "/"),
    DsptStatus.APPROACHING_STANDARDS: ("#E69F00", "."),
    DsptStatus.NOT_FULLY_MET_PLAN_AGREED: ("#CC79A7", "\\"),  # the 2018-19 and 2019-20 wordings
    DsptStatus.ENTRY_LEVEL: ("#F0E442", "+"),
    DsptStatus.STANDARDS_NOT_MET: ("#D55E00", "x"),
    DsptStatus.NOT_PUBLISHED: ("#BBBBBB", "-"),
}
DSPT_OLDER_WORDINGS = frozenset({DsptStatus.NOT_FULLY_MET_PLAN_AGREED, DsptStatus.ENTRY_LEVEL})


@_memoized
def dspt_by_group_chart(
    chart_id: str,
    counts: list[tuple[str, str, str, int]],
    shares: list[tuple[str, float | None]],
    group_noun: str = "region",
) -> Chart:
    """Published DSPT statuses per group (region or ICB) and assessment year, stacked. counts:
    (year, group, status, trusts); shares: (when, % of open trusts at Standards Met or Exceeded)."""
    groups = sorted({(group, year) for year, group, _, _ in counts})
    index = {key: position for position, key in enumerate(groups)}
    largest: dict = {}
    for year, group, _, trusts in counts:
        largest[(group, year)] = largest.get((group, year), 0) + trusts
    figure = _figure(
        _layout(
            barmode="stack",
            height=max(260, 26 * len(groups) + 140),
            xaxis={
                "title": {"text": "Trusts"},
                "automargin": True,
                "gridcolor": "#d8dde0",
                "rangemode": "tozero",
                "dtick": _count_dtick(max(largest.values(), default=0)),
            },
            yaxis={"automargin": True, "autorange": "reversed", "type": "multicategory", "tickfont": {"size": 12}},
        )
    )
    for status, (colour, pattern) in DSPT_STYLES.items():
        values = [0] * len(groups)
        for year, group, row_status, trusts in counts:
            if row_status == status:
                values[index[(group, year)]] += trusts
        if status in DSPT_OLDER_WORDINGS and not any(values):
            continue  # the 2018-19 and 2019-20 wordings: in the legend only where a year has them
        figure.add_trace(
            go.Bar(
                _validate=False,
                name=status.label,
                y=[[_wrap(group) for group, _ in groups], [year for _, year in groups]],
                x=values,
                orientation="h",
                marker={
                    "color": colour,
                    "line": {"color": "#ffffff", "width": 1},
                    "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#000000", "fgopacity": 0.35},
                },
                hovertemplate=f"%{{y}}: %{{x}} {status.label}<extra></extra>",
            )
        )
    if not counts:
        return _chart(chart_id, figure, "No trust in this view has a published DSPT status yet.", has_data=False)
    by_year: dict = {}
    for year, _, status, trusts in counts:
        meeting, total = by_year.get(year, (0, 0))
        meets = status in DSPT_MEETING_STATUSES
        by_year[year] = (meeting + (trusts if meets else 0), total + trusts)
    sentences = [
        f"{year}: {meeting} of {_plural(total, 'trust')} published Standards Met or Exceeded."
        for year, (meeting, total) in sorted(by_year.items())
    ]
    sentences += [
        f"{share:.0f}% of open trusts had Standards Met or Exceeded {when}."
        for when, share in shares
        if share is not None
    ]
    summary = f"Published DSPT statuses by {group_noun} and year. " + " ".join(sentences)
    return _chart(chart_id, figure, summary)
