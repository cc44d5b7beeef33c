"""What every dashboard chart shares: the Chart a page draws, the palette, the layout, and the
per-process memo of built charts. Charts are built from plain rows handed in; never queries.

Every chart comes with a summary sentence made from the same numbers (the page shows it to
screen readers, and the numbers again as a table). Statuses use the Okabe-Ito colour-blind-safe
palette and are never told by colour alone: bars carry a pattern and a legend label, heatmap cells
their status as text.
"""

import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
from markupsafe import Markup

from milestones.models import Status

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


def memoized(build: Callable[..., Chart]) -> Callable[..., Chart]:
    """A chart function memoized in each process on its arguments (plain values, so their pickle is
    the key): after the cache generation moves on, the charts whose numbers did not change come from
    here instead of plotly, which builds them at about a third of a cold page's time."""

    @functools.lru_cache(maxsize=64)
    def built(arguments: bytes) -> Chart:
        args, kwargs = pickle.loads(arguments)
        return build(*args, **kwargs)

    @functools.wraps(build)
    def memoized_chart(*args, **kwargs) -> Chart:
        return built(pickle.dumps((args, kwargs)))

    return memoized_chart


def chart_layout(**overrides) -> dict:
    """The layout every chart starts from: the NHS font, white ground, legend on top; overrides win."""
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


def figure_without_validation(layout: dict) -> go.Figure:
    """A figure built without plotly's property validation (a third of a cold page's chart time):
    the tests validate every figure the pages draw (test_dashboard_charts, test_dashboard_pages)."""
    return go.Figure(layout=layout, _validate=False)


def chart_from(chart_id: str, figure: go.Figure, summary: str, has_data: bool = True) -> Chart:
    """The Chart a page draws from a built figure and its summary sentence."""
    return Chart(chart_id, figure.to_json(validate=False, pretty=False, engine="json"), summary, has_data)


def wrap_label(label: str, width: int = 14) -> str:
    """Break a long axis label over lines so the plot keeps its width on a phone."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def count_dtick(largest: int) -> int:
    """Whole-number ticks on a count axis (no "0.5 trusts")."""
    return max(1, -(-largest // 8))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def share_layout(height: int) -> dict:
    """A month-by-month chart of the share of trusts meeting a target, on a 0-100% axis."""
    return chart_layout(
        height=height,
        yaxis={
            "title": {"text": "Trusts meeting the target (%)"},
            "range": [0, 100],
            "ticksuffix": "%",
            "gridcolor": "#d8dde0",
            "automargin": True,
        },
        xaxis={"type": "date", "automargin": True, "gridcolor": "#eef0f1"},
    )


def stacked_bars_layout(height: int, largest: int, yaxis: dict) -> dict:
    """Horizontal bars stacked by status, one per group, on a whole-number count of trusts."""
    return chart_layout(
        barmode="stack",
        height=height,
        xaxis={
            "title": {"text": "Trusts"},
            "automargin": True,
            "gridcolor": "#d8dde0",
            "rangemode": "tozero",
            "dtick": count_dtick(largest),
        },
        yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 12}, **yaxis},
    )
