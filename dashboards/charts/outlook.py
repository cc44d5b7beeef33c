"""Plotly figures for forecasts and stages, from plain values handed in; never queries. Bar and
scatter traces only (the cartesian plotly.js bundle draws them): the funnel is a bar chart."""

import datetime

import plotly.graph_objects as go

from digitrack.dates import CHART_MONTH, month_year, short_month_year
from milestones.forecast import ShareForecast

from .base import (
    FONT,
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    Chart,
    chart_from,
    chart_layout,
    count_dtick,
    figure_without_validation,
    share_layout,
    wrap_label,
)

HISTORY_COLOUR, FORECAST_COLOUR, BAND_COLOUR = "#005EB8", "#D55E00", "rgba(213, 94, 0, 0.18)"


def forecast_chart(
    chart_id: str,
    title: str,
    history: list[tuple[datetime.date, float]],
    projection: ShareForecast | None,
    deadline: datetime.date,
    summary: str,
) -> Chart:
    """The share met at each month end, then (if shown) the projection with its 80% band and the deadline."""
    figure = figure_without_validation(share_layout(360))
    figure.add_trace(
        go.Scatter(
            _validate=False,
            name="Month-end history",
            x=[month.isoformat() for month, _ in history],
            y=[round(100 * share, 1) for _, share in history],
            mode="lines",
            line={"color": HISTORY_COLOUR, "width": 2},
            hovertemplate=f"%{{x|{CHART_MONTH}}}: %{{y:.1f}}% met<extra></extra>",
        )
    )
    if projection is not None and projection.points:
        months = [projection.last_month.isoformat(), *[point.month.isoformat() for point in projection.points]]
        start = round(100 * projection.last_share, 1)
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name="80% band",
                x=[*months, *reversed(months)],
                y=[
                    start,
                    *[round(100 * point.high, 1) for point in projection.points],
                    *[round(100 * point.low, 1) for point in reversed(projection.points)],
                    start,
                ],
                fill="toself",
                fillcolor=BAND_COLOUR,
                line={"width": 0},
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name="At the current pace",
                x=months,
                y=[start, *[round(100 * point.share, 1) for point in projection.points]],
                mode="lines",
                line={"color": FORECAST_COLOUR, "dash": "dash", "width": 2},
                hovertemplate=f"%{{x|{CHART_MONTH}}}: %{{y:.1f}}% projected<extra></extra>",
            )
        )
    figure.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=deadline.isoformat(),
        x1=deadline.isoformat(),
        y0=0,
        y1=1,
        line={"color": "#212b32", "dash": "dot", "width": 1},
    )
    figure.add_annotation(
        x=deadline.isoformat(),
        y=1,
        xref="x",
        yref="paper",
        text=f"Deadline {short_month_year(deadline)}",
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font={**FONT, "size": 12},
    )
    return chart_from(chart_id, figure, f"{title}. {summary}", has_data=bool(history))


def stage_funnel_chart(chart_id: str, steps: list[tuple[str, int]], when: str) -> Chart:
    """Trusts at or beyond each stage, lowest stage on top: bars centred on a common axis, so the
    narrowing reads as a funnel."""
    largest = max((count for _, count in steps), default=0)
    labels = [wrap_label(label, 16) for label, _ in steps]
    counts = [count for _, count in steps]
    figure = figure_without_validation(
        chart_layout(
            height=max(240, 56 * len(steps) + 80),
            barmode="relative",
            showlegend=False,
            xaxis={"visible": False, "range": [-largest * 0.55 - 1, largest * 0.55 + 1]},
            yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 12}},
        )
    )
    for half in (-1, 1):
        figure.add_trace(
            go.Bar(
                _validate=False,
                y=labels,
                x=[half * count / 2 for count in counts],
                orientation="h",
                marker={"color": SERIES_COLOURS[0], "line": {"color": "#ffffff", "width": 1}},
                text=[count if half == 1 else "" for count in counts],
                textposition="inside",
                insidetextanchor="start",
                textfont={"color": "#ffffff"},
                hovertemplate="%{y}: " + "%{customdata} trusts<extra></extra>",
                customdata=counts,
            )
        )
    if not steps or not largest:
        return chart_from(chart_id, figure, f"No trust had reached a stage {when}.", has_data=False)
    parts = [f"{label}: {count}" for label, count in steps]
    return chart_from(chart_id, figure, f"Trusts at or beyond each stage {when}. " + "; ".join(parts) + ".")


def stages_over_time_chart(chart_id: str, months: list[datetime.date], series: list[tuple[str, list[int]]]) -> Chart:
    """Trusts at each stage at each month end, stacked (the lowest stage at the bottom)."""
    largest = max((sum(values) for values in zip(*[counts for _, counts in series], strict=False)), default=0)
    figure = figure_without_validation(
        chart_layout(
            height=380,
            yaxis={
                "title": {"text": "Trusts"},
                "gridcolor": "#d8dde0",
                "automargin": True,
                "rangemode": "tozero",
                "dtick": count_dtick(largest),
            },
            xaxis={"type": "date", "automargin": True, "gridcolor": "#eef0f1"},
        )
    )
    for index, (label, counts) in enumerate(series):
        figure.add_trace(
            go.Scatter(
                _validate=False,
                name=label,
                x=[month.isoformat() for month in months],
                y=counts,
                mode="lines",
                stackgroup="stages",
                line={"color": SERIES_COLOURS[index % 6], "dash": SERIES_DASHES[index % 6], "width": 1},
                marker={"symbol": SERIES_SYMBOLS[index % 6]},
                hovertemplate=f"{label}<br>%{{x|{CHART_MONTH}}}: %{{y}} trusts<extra></extra>",
            )
        )
    if not months:
        return chart_from(chart_id, figure, "No month-end history has been recorded yet.", has_data=False)
    latest = "; ".join(f"{label}: {counts[-1]}" for label, counts in series)
    summary = (
        f"Trusts at each stage, month by month, {month_year(months[0])} to {month_year(months[-1])}. "
        f"At {month_year(months[-1])}: {latest}."
    )
    return chart_from(chart_id, figure, summary)
