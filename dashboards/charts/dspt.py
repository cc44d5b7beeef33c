"""The DSPT chart: published statuses by year and group, in the status palette and patterns."""

import plotly.graph_objects as go

from milestones.labels import DSPT_MEETING_WORDS, DSPT_OLDER_WORDINGS, DSPT_STATUS_ORDER, dspt_label
from milestones.models import DsptStatus
from milestones.rules import DSPT_MEETING_STATUSES

from .base import (
    Chart,
    chart_from,
    figure_without_validation,
    memoized,
    plural,
    stacked_bars_layout,
    wrap_label,
)

DSPT_STYLES = {  # the status palette and patterns
    DsptStatus.STANDARDS_EXCEEDED: ("#009E73", ""),
    DsptStatus.STANDARDS_MET: ("#56B4E9", "/"),
    DsptStatus.APPROACHING_STANDARDS: ("#E69F00", "."),
    DsptStatus.NOT_FULLY_MET_PLAN_AGREED: ("#CC79A7", "\\"),  # the 2018-19 and 2019-20 wordings
    DsptStatus.ENTRY_LEVEL: ("#F0E442", "+"),
    DsptStatus.STANDARDS_NOT_MET: ("#D55E00", "x"),
    DsptStatus.NOT_PUBLISHED: ("#BBBBBB", "-"),
}


@memoized
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
    figure = figure_without_validation(
        stacked_bars_layout(
            max(260, 26 * len(groups) + 140), max(largest.values(), default=0), {"type": "multicategory"}
        )
    )
    for status in DSPT_STATUS_ORDER:
        colour, pattern = DSPT_STYLES[status]
        values = [0] * len(groups)
        for year, group, row_status, trusts in counts:
            if row_status == status:
                values[index[(group, year)]] += trusts
        if status in DSPT_OLDER_WORDINGS and not any(values):
            continue  # the 2018-19 and 2019-20 wordings: in the legend only where a year has them
        figure.add_trace(
            go.Bar(
                _validate=False,
                name=dspt_label(status),
                y=[[wrap_label(group) for group, _ in groups], [year for _, year in groups]],
                x=values,
                orientation="h",
                marker={
                    "color": colour,
                    "line": {"color": "#ffffff", "width": 1},
                    "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#000000", "fgopacity": 0.35},
                },
                hovertemplate=f"%{{y}}: %{{x}} {dspt_label(status)}<extra></extra>",
            )
        )
    if not counts:
        return chart_from(chart_id, figure, "No trust in this view has a published DSPT status yet.", has_data=False)
    by_year: dict = {}
    for year, _, status, trusts in counts:
        meeting, total = by_year.get(year, (0, 0))
        meets = status in DSPT_MEETING_STATUSES
        by_year[year] = (meeting + (trusts if meets else 0), total + trusts)
    sentences = [
        f"{year}: {meeting} of {plural(total, 'trust')} published {DSPT_MEETING_WORDS}."
        for year, (meeting, total) in sorted(by_year.items())
    ]
    sentences += [
        f"{share:.0f}% of open trusts had {DSPT_MEETING_WORDS} {when}." for when, share in shares if share is not None
    ]
    summary = f"Published DSPT statuses by {group_noun} and year. " + " ".join(sentences)
    return chart_from(chart_id, figure, summary)
