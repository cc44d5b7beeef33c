"""Plotly figures for the dashboards, from plain values handed in; never queries. The status charts
(status), the DSPT chart (dspt), forecasts and stages (outlook), on what they share (base); styles
turns plotly.js's global style rules into a stylesheet."""

from .base import Chart
from .dspt import dspt_by_group_chart
from .outlook import forecast_chart, stage_funnel_chart, stages_over_time_chart
from .status import (
    deadline_revisions_chart,
    met_trend_chart,
    status_by_group_chart,
    status_heatmap_chart,
    trust_timeline_chart,
)

__all__ = [
    "Chart",
    "deadline_revisions_chart",
    "dspt_by_group_chart",
    "forecast_chart",
    "met_trend_chart",
    "stage_funnel_chart",
    "stages_over_time_chart",
    "status_by_group_chart",
    "status_heatmap_chart",
    "trust_timeline_chart",
]
