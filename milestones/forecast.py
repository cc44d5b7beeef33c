"""Forecasts: where the share of trusts meeting a target is heading, and when one trust may meet it.

Plain values in, small dataclasses out; no ORM, no clock (the last month and the day are passed in),
like the compliance rules.

- The share met is projected by a damped trend (Gardner and McKenzie's damped Holt method with fixed,
  stated parameters): the current level plus the recent monthly pace, the pace fading by DAMPING
  each month ahead, so a burst of progress is not extrapolated forever. The 80% band widens with
  the square root of the months ahead, from the method's own one-month-ahead errors.
- Each forecast is backtested on its own series: cut at every past month with enough history,
  forecast 6 and 12 months ahead, compare with what happened, and compare that error with the
  naive forecast "no change". A forecast worse than no change is not shown.
- A trust's expected date comes from its own pace (requirements met so far over the time taken)
  and from trusts like it: a Kaplan-Meier estimate of months-to-meet among its peers, the trusts
  not met yet counted as censored, read from where the trust stands now.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Smoothing of the level and of the pace, and how much of the pace carries to the next month.
LEVEL_WEIGHT = 0.5
PACE_WEIGHT = 0.3
DAMPING = 0.9
BAND_Z = 1.2816  # two-sided 80% of a normal distribution
HORIZONS = (6, 12)
MIN_HISTORY = 12  # months of history a backtest cut needs before it
MIN_CUTS = 3  # cuts per horizon before a backtest says anything
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Projection:
    month: datetime.date
    share: float  # 0..1
    low: float
    high: float


@dataclass(frozen=True)
class ShareForecast:
    last_month: datetime.date
    last_share: float
    pace: float  # share per month at the last month, before damping
    points: tuple[Projection, ...]  # one per month end after last_month

    def on(self, day: datetime.date) -> Projection | None:
        """The projection for the month end on or after `day` (None beyond the horizon or before it starts)."""
        for point in self.points:
            if point.month >= day:
                return point
        return None

    def first_reaching(self, share: float) -> Projection | None:
        """The first month whose central projection reaches `share`."""
        if self.last_share >= share:
            return None
        return next((point for point in self.points if point.share >= share), None)


@dataclass(frozen=True)
class BacktestResult:
    horizon: int  # months ahead
    cuts: int  # how many past forecasts were compared
    model_error: float | None  # mean absolute error, percentage points
    naive_error: float | None  # the same for "no change"

    @property
    def beats_naive(self) -> bool:
        return self.model_error is not None and self.naive_error is not None and self.model_error <= self.naive_error


@dataclass(frozen=True)
class Verdict:
    shown: bool
    reason: str


def month_ends_after(last: datetime.date, count: int) -> list[datetime.date]:
    """The `count` month ends after the month end `last`."""
    days, day = [], last
    for _ in range(count):
        first_of_next = (day + datetime.timedelta(days=1)).replace(day=1)
        day = (first_of_next + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        days.append(day)
    return days


def _fit(shares: Sequence[float]) -> tuple[float, float, float]:
    """Run the damped trend over the series: (level, pace, RMS of the one-month-ahead errors)."""
    level = shares[0]
    pace = shares[1] - shares[0] if len(shares) > 1 else 0.0
    squared, count = 0.0, 0
    for share in shares[1:]:
        predicted = level + DAMPING * pace
        squared += (share - predicted) ** 2
        count += 1
        new_level = LEVEL_WEIGHT * share + (1 - LEVEL_WEIGHT) * predicted
        pace = PACE_WEIGHT * (new_level - level) + (1 - PACE_WEIGHT) * DAMPING * pace
        level = new_level
    return level, pace, math.sqrt(squared / count) if count else 0.0


def damped_path(shares: Sequence[float], months_ahead: int) -> list[float]:
    """The central projection 1..months_ahead months after the last share, kept within 0..1."""
    if not shares:
        return []
    level, pace, _ = _fit(shares)
    path, carried, factor = [], 0.0, 1.0
    for _ in range(months_ahead):
        factor *= DAMPING
        carried += factor
        path.append(_clamp(level + carried * pace))
    return path


def share_forecast(history: Sequence[tuple[datetime.date, float]], *, months_ahead: int) -> ShareForecast | None:
    """Project the share met (history: month end, share 0..1, oldest first) `months_ahead` months on."""
    if not history:
        return None
    months = [month for month, _ in history]
    shares = [share for _, share in history]
    _, pace, error = _fit(shares)
    path = damped_path(shares, months_ahead)
    points = tuple(
        Projection(
            month,
            share,
            _clamp(share - BAND_Z * error * math.sqrt(ahead)),
            _clamp(share + BAND_Z * error * math.sqrt(ahead)),
        )
        for ahead, (month, share) in enumerate(
            zip(month_ends_after(months[-1], months_ahead), path, strict=True), start=1
        )
    )
    return ShareForecast(last_month=months[-1], last_share=shares[-1], pace=pace, points=points)


def backtest(
    shares: Sequence[float], *, horizons: Iterable[int] = HORIZONS, min_history: int = MIN_HISTORY
) -> list[BacktestResult]:
    """Cut the series after every month with `min_history` months behind it, forecast each horizon
    ahead, and compare with the share that followed; the same for "no change"."""
    results = []
    for horizon in horizons:
        model, naive = [], []
        for cut in range(min_history, len(shares) - horizon + 1):
            actual = shares[cut - 1 + horizon]
            model.append(abs(damped_path(shares[:cut], horizon)[-1] - actual))
            naive.append(abs(shares[cut - 1] - actual))
        results.append(
            BacktestResult(
                horizon=horizon,
                cuts=len(model),
                model_error=100 * sum(model) / len(model) if model else None,
                naive_error=100 * sum(naive) / len(naive) if naive else None,
            )
        )
    return results


def forecast_verdict(
    results: Sequence[BacktestResult], *, shares: Sequence[float] = (), min_cuts: int = MIN_CUTS
) -> Verdict:
    """Whether a forecast may be shown: only if, at every horizon tested, its past forecasts were
    at least as close as "no change" was, over at least `min_cuts` past months. A history that
    never moved (`shares` all equal) has no pace to project: its forecast is no change, said as such."""
    if shares and max(shares) == min(shares):
        return Verdict(
            False, f"The share has been {100 * shares[0]:.0f}% at every month end: there is no pace to project."
        )
    for result in results:
        if result.cuts < min_cuts:
            return Verdict(
                False,
                f"Not enough history to test a forecast {result.horizon} months ahead "
                f"(it needs {MIN_HISTORY + result.horizon + min_cuts - 1} month ends).",
            )
    for result in results:
        if not result.beats_naive:
            return Verdict(
                False,
                f"Not shown: {result.horizon} months ahead its past forecasts were off by "
                f"{result.model_error:.1f} points on average, worse than assuming no change "
                f"({result.naive_error:.1f} points).",
            )
    return Verdict(True, "")


def own_pace_date(*, met: int, total: int, started_on: datetime.date, as_of: datetime.date) -> datetime.date | None:
    """When a trust with `met` of `total` requirements met, working since `started_on`, meets the
    rest at the same pace; None with no progress yet (no pace to go on) or nothing to meet."""
    if total <= 0 or met <= 0 or met >= total or as_of <= started_on:
        return None
    per_requirement = (as_of - started_on).days / met
    return as_of + datetime.timedelta(days=round(per_requirement * (total - met)))


@dataclass(frozen=True)
class PeerEstimate:
    expected_on: datetime.date | None  # None: fewer than half of the peers still open at its point met it
    peers: int
    met: int  # of the peers, how many met it


def kaplan_meier(durations: Iterable[tuple[float, bool]]) -> list[tuple[float, float]]:
    """The survival curve "not met yet" from (months to meet or to last seen, met?): the steps
    (months, share still not met just after). Censored peers leave the risk set after their
    events at the same time, as usual."""
    ordered = sorted(durations, key=lambda item: (item[0], not item[1]))
    at_risk, surviving, steps = len(ordered), 1.0, []
    index = 0
    while index < len(ordered):
        time = ordered[index][0]
        events = censored = 0
        while index < len(ordered) and ordered[index][0] == time:
            events += ordered[index][1]
            censored += not ordered[index][1]
            index += 1
        if events:
            surviving *= 1 - events / at_risk
            steps.append((time, surviving))
        at_risk -= events + censored
    return steps


def peer_expected_date(
    *,
    peers: Iterable[tuple[float, bool]],
    started_on: datetime.date,
    as_of: datetime.date,
) -> PeerEstimate:
    """When a trust not yet met, `months` since `started_on`, may meet the target judging by its
    peers' months-to-meet (met: months from their start to meeting; not met: months followed):
    the conditional median of the Kaplan-Meier curve from the trust's own months onward."""
    peers = list(peers)
    elapsed = max((as_of - started_on).days / DAYS_PER_MONTH, 0.0)
    curve = kaplan_meier(peers)
    base = 1.0
    for time, surviving in curve:
        if time <= elapsed:
            base = surviving
    met_count = sum(1 for _, met in peers if met)
    if base > 0:
        for time, surviving in curve:
            if time > elapsed and surviving / base <= 0.5:
                expected = started_on + datetime.timedelta(days=round(time * DAYS_PER_MONTH))
                return PeerEstimate(expected, len(peers), met_count)
    return PeerEstimate(None, len(peers), met_count)


def share_met_on_months(
    trusts: Iterable[
        tuple[datetime.date, datetime.date | None, Sequence[tuple[datetime.date, datetime.date | None, bool]]]
    ],
    months: Sequence[datetime.date],
) -> list[tuple[datetime.date, int, int]]:
    """(month end, trusts met, trusts open) from each trust's (opened on, closed on, spans of a
    requirement: first day, last day or None, met?). A trust is met on a day a met span covers;
    a day no span covers (no current data) counts as not met."""
    trusts = list(trusts)
    history = []
    for month in months:
        met = applicable = 0
        for opened_on, closed_on, spans in trusts:
            if opened_on > month or (closed_on is not None and closed_on < month):
                continue
            applicable += 1
            met += any(is_met and start <= month and (end is None or month <= end) for start, end, is_met in spans)
        history.append((month, met, applicable))
    return history


def months_between(start: datetime.date, end: datetime.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def _clamp(share: float) -> float:
    return min(max(share, 0.0), 1.0)
