"""Forecast and stage pages, and the trust page's expected dates and stages reached: the tables,
charts and sentences made from the selectors' plain results and the pure rules."""

import datetime
from dataclasses import dataclass

from digitrack.dates import month_year
from digitrack.tables import Table, table_params
from milestones import forecast, stages
from milestones.labels import long_date, status_label
from milestones.models import Status

from .. import charts
from ..selectors import TargetInfo
from ..selectors.outlook import StageSetup, TrustTargetOutlook

# The projection runs this far to find when 95% is reached; the chart shows the useful part of it.
FORECAST_MONTHS = 60
GOAL = 0.95
NO_STAGE = "No target met yet"
# Past this, a date from a trust's own pace says only that it is far off.
OWN_PACE_YEARS = 20


@dataclass
class ForecastBlock:
    target: TargetInfo
    chart: object
    sentence: str
    verdict: forecast.Verdict
    backtest: dict  # table params
    backtest_table: Table
    history_span: str = ""  # "January 2019 to November 2026"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def forecast_sentence(projection: forecast.ShareForecast, deadline: datetime.date) -> str:
    """ "At the current pace 71% by 31 March 2026 (80% band 65% to 77%); 95% by June 2027." """
    parts = []
    at_deadline = projection.on(deadline) if deadline > projection.last_month else None
    if at_deadline is not None:
        parts.append(
            f"{_pct(at_deadline.share)} by {long_date(deadline)} (80% band {_pct(at_deadline.low)} to {_pct(at_deadline.high)})"
        )
    else:
        year_on = projection.points[min(11, len(projection.points) - 1)]
        parts.append(
            f"{_pct(year_on.share)} by {month_year(year_on.month)} (80% band {_pct(year_on.low)} to {_pct(year_on.high)})"
        )
    if projection.last_share >= GOAL:
        parts.append(f"already {_pct(projection.last_share)} at {month_year(projection.last_month)}")
    else:
        reaching = projection.first_reaching(GOAL)
        parts.append(f"95% by {month_year(reaching.month)}" if reaching else "not 95% within five years at this pace")
    return "At the current pace " + "; ".join(parts) + "."


def backtest_table(target: TargetInfo, results: list[forecast.BacktestResult]) -> Table:
    rows = [
        [
            f"{result.horizon} months",
            result.cuts,
            "" if result.model_error is None else f"{result.model_error:.1f}",
            "" if result.naive_error is None else f"{result.naive_error:.1f}",
            "yes" if result.beats_naive else "no",
        ]
        for result in results
    ]
    return Table(
        f"backtest-{target.code}",
        f"How close past forecasts came: {target.title}",
        [
            "Forecast ahead",
            "Past months tested",
            "Forecast error (points)",
            "'No change' error (points)",
            "No worse than no change",
        ],
        rows,
        frozenset({1, 2, 3}),
    )


def forecast_block(
    target: TargetInfo, history: list[tuple[datetime.date, int, int]], chart_prefix: str
) -> ForecastBlock:
    """One target's forecast: shown only if its backtest beat "no change"; otherwise the history and why not."""
    series = [(month, met / applicable) for month, met, applicable in history if applicable]
    results = forecast.backtest([share for _, share in series])
    verdict = forecast.forecast_verdict(results, shares=[share for _, share in series])
    projection = forecast.share_forecast(series, months_ahead=FORECAST_MONTHS) if verdict.shown else None
    if projection is not None:
        sentence = forecast_sentence(projection, target.deadline)
        shown_until = max(
            target.deadline,
            (projection.first_reaching(GOAL) or projection.points[11]).month,
            projection.points[11].month,
        )
        projection = forecast.ShareForecast(
            projection.last_month,
            projection.last_share,
            projection.pace,
            tuple(point for point in projection.points if point.month <= shown_until),
        )
    elif series:
        sentence = f"{_pct(series[-1][1])} met at {month_year(series[-1][0])}. {verdict.reason}"
        if verdict.reason.startswith("The share has been"):
            sentence = verdict.reason
    else:
        sentence = "No month-end history has been recorded yet."
    chart = charts.forecast_chart(
        f"{chart_prefix}-{target.code}", target.title, series, projection, target.deadline, sentence
    )
    table = backtest_table(target, results)
    span = f"{month_year(series[0][0])} to {month_year(series[-1][0])}" if series else ""
    return ForecastBlock(target, chart, sentence, verdict, table_params(table), table, span)


def forecast_blocks(
    targets: list[TargetInfo], history: dict[int, list[tuple[datetime.date, int, int]]], chart_prefix: str
) -> list[ForecastBlock]:
    return [forecast_block(target, history.get(target.id, []), chart_prefix) for target in targets]


def _ranked(setup: StageSetup) -> list[int]:
    return stages.ladder(setup.prerequisites, [target.id for target in setup.targets])


def stage_counts(
    setup: StageSetup, months: dict[datetime.date, dict[int, set[int]]]
) -> tuple[list[int], list[datetime.date], dict[int | None, list[int]]]:
    """(ranked target ids, months, stage -> trusts at that stage each month; None: no stage)."""
    ranked = _ranked(setup)
    ordered = sorted(months)
    counts: dict[int | None, list[int]] = {stage: [0] * len(ordered) for stage in [None, *ranked]}
    for index, month in enumerate(ordered):
        for met in months[month].values():
            counts[stages.stage_for(met, setup.prerequisites, ranked)][index] += 1
    return ranked, ordered, counts


def stages_body(setup: StageSetup, months: dict[datetime.date, dict[int, set[int]]], scope: str) -> dict:
    """The stage page: a funnel at the latest month end, stages over time, and their tables."""
    ranked, ordered, counts = stage_counts(setup, months)
    titles = {target.id: target.title for target in setup.targets}
    needs = {
        target.id: [
            titles[needed] for needed in ranked if needed in stages.all_prerequisites(setup.prerequisites, target.id)
        ]
        for target in setup.targets
    }
    latest = len(ordered) - 1
    when = f"at {month_year(ordered[latest])}" if ordered else "yet"
    beyond = []
    for position, stage in enumerate(ranked):
        beyond.append((titles[stage], sum(counts[higher][latest] for higher in ranked[position:]) if ordered else 0))
    total = sum(counts[stage][latest] for stage in counts) if ordered else 0
    funnel_steps = [("Any trust", total), *beyond]
    funnel = charts.stage_funnel_chart(f"stage-funnel-{scope}", funnel_steps, when)
    funnel_table = Table(
        "stage-funnel",
        f"Trusts at each stage {when}",
        ["Stage", "Needs first", "Trusts at this stage", "Trusts at or beyond it"],
        [[NO_STAGE, "", counts[None][latest] if ordered else 0, total]]
        + [
            [titles[stage], ", ".join(needs[stage]) or "nothing", counts[stage][latest] if ordered else 0, at_or_beyond]
            for stage, (_, at_or_beyond) in zip(ranked, beyond, strict=True)
        ],
        frozenset({2, 3}),
    )
    series = [(NO_STAGE, counts[None]), *[(titles[stage], counts[stage]) for stage in ranked]]
    over_time = charts.stages_over_time_chart(f"stages-over-time-{scope}", ordered, series)
    over_time_table = Table(
        "stages-over-time",
        "Trusts at each stage at each month end",
        ["Month end", *[label for label, _ in series]],
        [[month, *[values[index] for _, values in series]] for index, month in enumerate(ordered)],
        frozenset(range(1, len(series) + 1)),
    )
    return {
        "latest": ordered[latest] if ordered else None,
        "ladder": [(titles[stage], needs[stage]) for stage in ranked],
        "funnel": funnel,
        "funnel_table": funnel_table,
        "over_time": over_time,
        "over_time_table": over_time_table,
    }


def stage_tables(body: dict) -> dict[str, Table]:
    return {"stage-funnel": body["funnel_table"], "stages-over-time": body["over_time_table"]}


def trust_stage_timeline(
    setup: StageSetup, months: dict[datetime.date, dict[int, set[int]]], trust_id: int
) -> list[dict]:
    """The stages one trust reached and lost, oldest first: month, stage reached (or "none")."""
    ranked = _ranked(setup)
    titles = {target.id: target.title for target in setup.targets}
    history = [(month, met.get(trust_id, set())) for month, met in sorted(months.items()) if trust_id in met]
    entries = []
    for month, before, after in stages.stage_changes(history, setup.prerequisites, ranked):
        up = after is not None and (before is None or ranked.index(after) > ranked.index(before))
        stage = titles[after] if after is not None else NO_STAGE
        text = f"Reached {stage}" if up else f"Fell back to {stage}"
        if before is not None:
            text += f" (from {titles[before]})"
        entries.append({"month": month, "text": text, "up": up})
    return entries


def trust_outlook_body(
    setup: StageSetup,
    months: dict[datetime.date, dict[int, set[int]]],
    outlook: list[TrustTargetOutlook],
    trust_id: int,
    today: datetime.date,
) -> dict:
    return {
        "stages": trust_stage_timeline(setup, months, trust_id),
        "outlook": table_params(trust_outlook_table(outlook, today)),
    }


def trust_outlook_table(outlook: list[TrustTargetOutlook], today: datetime.date) -> Table:
    """Per target: the trust's status, when it may meet it at its own pace, and judging by its peers."""
    rows = []
    for item in outlook:
        if item.status in (None, Status.NOT_APPLICABLE):
            continue
        if item.status == Status.MET:
            met = status_label(Status.MET)
            own = peers = f"{met} since {long_date(item.met_on)}" if item.met_on else met
        else:
            own_date = forecast.own_pace_date(
                met=item.requirements_met, total=item.requirements_total, started_on=item.started_on, as_of=today
            )
            if own_date is None:
                own = "no progress yet to go on"
            elif own_date.year - today.year > OWN_PACE_YEARS:
                own = f"more than {OWN_PACE_YEARS} years away at this pace"
            else:
                own = f"around {month_year(own_date)}"
            estimate = forecast.peer_expected_date(peers=item.peers, started_on=item.started_on, as_of=today)
            if estimate.expected_on:
                peers = f"around {month_year(estimate.expected_on)} ({estimate.met} of {estimate.peers} {item.peer_group} met it)"
            else:
                peers = f"not known: fewer than half of the {item.peer_group} still without it at this point went on to meet it ({estimate.met} of {estimate.peers} met it)"
        rows.append([item.target.title, status_label(item.status), own, peers])
    return Table(
        "outlook",
        "When this trust may meet each target",
        ["Target", "Status", "At its own pace", "Judging by similar trusts"],
        rows,
    )
