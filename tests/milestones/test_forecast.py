"""The forecasting rules: damped trend, backtest against "no change", own pace, similar trusts."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from milestones import forecast

JAN_2020 = datetime.date(2020, 1, 31)
shares = st.floats(min_value=0, max_value=1, allow_nan=False)
series = st.lists(shares, min_size=1, max_size=60)


def _history(values):
    months = [JAN_2020, *forecast.month_ends_after(JAN_2020, len(values) - 1)]
    return list(zip(months, values, strict=True))


def test_month_ends_after_steps_through_month_ends():
    assert forecast.month_ends_after(datetime.date(2024, 1, 31), 3) == [
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 31),
        datetime.date(2024, 4, 30),
    ]


@given(series, st.integers(min_value=1, max_value=48))
def test_projection_stays_a_share_and_inside_its_band(values, months_ahead):
    result = forecast.share_forecast(_history(values), months_ahead=months_ahead)
    assert len(result.points) == months_ahead
    for point in result.points:
        assert 0 <= point.low <= point.share <= point.high <= 1


@given(shares, st.integers(min_value=2, max_value=40))
def test_a_flat_history_projects_flat_with_no_band(value, length):
    result = forecast.share_forecast(_history([value] * length), months_ahead=12)
    assert all(abs(point.share - value) < 1e-9 for point in result.points)
    assert all(abs(point.high - point.low) < 1e-9 for point in result.points)


def test_a_steady_climb_is_projected_upwards_but_damped():
    climb = [0.02 * month for month in range(24)]  # 0% to 46%, two points a month
    path = forecast.damped_path(climb, 24)
    assert path[0] > climb[-1]
    steps = [later - earlier for earlier, later in zip(path, path[1:], strict=False)]
    assert all(later < earlier for earlier, later in zip(steps, steps[1:], strict=False))  # the pace fades
    assert path[-1] < climb[-1] + 0.02 * 24  # below the straight line


def test_band_widens_with_the_months_ahead():
    noisy = [0.3 + (0.04 if month % 2 else -0.04) + 0.01 * month for month in range(30)]
    points = forecast.share_forecast(_history(noisy), months_ahead=6).points
    widths = [point.high - point.low for point in points]
    assert widths == sorted(widths) and widths[0] > 0


def test_on_and_first_reaching_read_the_projection():
    result = forecast.share_forecast(_history([0.03 * month for month in range(20)]), months_ahead=36)
    march = result.on(datetime.date(2021, 12, 15))
    assert march.month == datetime.date(2021, 12, 31)
    reaching = result.first_reaching(0.7)
    assert reaching.share >= 0.7
    assert all(point.share < 0.7 for point in result.points if point.month < reaching.month)
    assert result.first_reaching(0.0) is None  # already there


@given(st.lists(shares, min_size=0, max_size=50), st.integers(min_value=1, max_value=12))
def test_backtest_compares_every_cut_with_enough_history(values, horizon):
    (result,) = forecast.backtest(values, horizons=[horizon], min_history=6)
    assert result.cuts == max(0, len(values) - 6 - horizon + 1)
    if result.cuts:
        assert 0 <= result.model_error <= 100 and 0 <= result.naive_error <= 100
    else:
        assert result.model_error is None and not result.beats_naive


def test_backtest_naive_error_is_the_mean_change_over_the_horizon():
    values = [0.0] * 12 + [0.5] * 12  # one jump after a year
    (result,) = forecast.backtest(values, horizons=[6], min_history=12)
    # cuts after months 12..18: the jump is 6 months ahead of the first cut only (index 11 vs 17),
    # then every later cut sees no change
    assert result.cuts == 7
    assert abs(result.naive_error - 100 * 0.5 / 7) < 1e-9


def test_a_trend_beats_no_change_on_a_steady_climb():
    climb = [min(1.0, 0.015 * month) for month in range(48)]
    results = forecast.backtest(climb)
    assert all(result.beats_naive for result in results)
    assert forecast.forecast_verdict(results).shown


def test_a_step_series_is_not_shown_and_says_why():
    # Yearly editions of a self-assessment: flat for a year, then a jump either way.
    steps = [0.6] * 12 + [0.8] * 12 + [0.5] * 12 + [0.7] * 12 + [0.4] * 12
    verdict = forecast.forecast_verdict(forecast.backtest(steps))
    assert not verdict.shown
    assert "worse than assuming no change" in verdict.reason


def test_too_short_a_history_is_not_shown():
    verdict = forecast.forecast_verdict(forecast.backtest([0.1, 0.2, 0.3]))
    assert not verdict.shown and "Not enough history" in verdict.reason


@given(
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=10, max_value=2000),
)
def test_own_pace_is_later_the_more_there_is_left(met, days):
    start = datetime.date(2020, 1, 1)
    as_of = start + datetime.timedelta(days=days)
    expected = forecast.own_pace_date(met=met, total=10, started_on=start, as_of=as_of)
    assert expected > as_of
    assert expected == as_of + datetime.timedelta(days=round(days / met * (10 - met)))
    if met < 9:
        assert forecast.own_pace_date(met=met + 1, total=10, started_on=start, as_of=as_of) < expected


def test_own_pace_has_nothing_to_say_without_progress_or_once_met():
    start, as_of = datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)
    assert forecast.own_pace_date(met=0, total=3, started_on=start, as_of=as_of) is None
    assert forecast.own_pace_date(met=3, total=3, started_on=start, as_of=as_of) is None


peers = st.lists(st.tuples(st.floats(min_value=0, max_value=120, allow_nan=False), st.booleans()), max_size=40)


@given(peers)
def test_kaplan_meier_falls_from_one_and_only_at_events(durations):
    curve = forecast.kaplan_meier(durations)
    values = [surviving for _, surviving in curve]
    assert all(0 <= value <= 1 for value in values)
    assert values == sorted(values, reverse=True)
    assert {time for time, _ in curve} <= {months for months, met in durations if met}


@given(st.lists(st.floats(min_value=0, max_value=120, allow_nan=False), min_size=1, max_size=40))
def test_kaplan_meier_without_censoring_is_the_share_not_met_yet(times):
    curve = forecast.kaplan_meier([(time, True) for time in times])
    for time, surviving in curve:
        assert abs(surviving - sum(1 for other in times if other > time) / len(times)) < 1e-9


def test_kaplan_meier_counts_censored_peers_at_risk_until_they_leave():
    # Four peers: met at 10 and 30 months, followed for 20 and 40 months without meeting it.
    curve = forecast.kaplan_meier([(10, True), (20, False), (30, True), (40, False)])
    assert curve == [(10, 0.75), (30, 0.375)]


def test_peer_date_is_the_median_of_those_still_open_at_the_trusts_point():
    start = datetime.date(2020, 1, 1)
    peers = [(12.0, True), (24.0, True), (36.0, True), (48.0, True)]
    early = forecast.peer_expected_date(peers=peers, started_on=start, as_of=start)
    assert early.expected_on == start + datetime.timedelta(days=round(24 * forecast.DAYS_PER_MONTH))
    # 30 months in, only the peers that met at 36 and 48 months are comparable: the median is 36.
    later = forecast.peer_expected_date(
        peers=peers, started_on=start, as_of=start + datetime.timedelta(days=round(30 * forecast.DAYS_PER_MONTH))
    )
    assert later.expected_on == start + datetime.timedelta(days=round(36 * forecast.DAYS_PER_MONTH))
    assert (later.peers, later.met) == (4, 4)


def test_peer_date_is_none_when_most_peers_never_met_it():
    start = datetime.date(2020, 1, 1)
    peers = [(12.0, True), (60.0, False), (60.0, False), (60.0, False)]
    assert forecast.peer_expected_date(peers=peers, started_on=start, as_of=start).expected_on is None
    assert forecast.peer_expected_date(peers=[], started_on=start, as_of=start).expected_on is None


@given(peers, st.integers(min_value=0, max_value=3000))
def test_peer_date_is_after_the_day_asked(durations, days):
    start = datetime.date(2018, 1, 1)
    as_of = start + datetime.timedelta(days=days)
    estimate = forecast.peer_expected_date(peers=durations, started_on=start, as_of=as_of)
    if estimate.expected_on is not None:
        assert estimate.expected_on >= as_of - datetime.timedelta(days=1)


def test_share_met_counts_open_trusts_and_covering_met_spans():
    jan, feb, mar = datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), datetime.date(2024, 3, 31)
    trusts = [
        (datetime.date(2000, 1, 1), None, [(datetime.date(2024, 2, 1), None, True)]),  # met from February
        (datetime.date(2000, 1, 1), datetime.date(2024, 2, 15), [(datetime.date(2020, 1, 1), None, True)]),  # closed
        (datetime.date(2024, 3, 1), None, []),  # opened in March, no data: not met
        (datetime.date(2000, 1, 1), None, [(datetime.date(2023, 1, 1), datetime.date(2024, 2, 28), True)]),  # lapsed
    ]
    assert forecast.share_met_on_months(trusts, [jan, feb, mar]) == [(jan, 2, 3), (feb, 1, 2), (mar, 1, 3)]


@given(shares, st.integers(min_value=1, max_value=60))
def test_a_history_that_never_moved_has_no_pace_to_project(value, length):
    flat = [value] * length
    verdict = forecast.forecast_verdict(forecast.backtest(flat), shares=flat)
    assert not verdict.shown and "no pace to project" in verdict.reason
