"""The dashboards' figures: built from plain rows, valid Plotly, status never by colour alone."""

import datetime
import json

import plotly.graph_objects as go

from dashboards import charts
from milestones.models import Status


def figure(chart: charts.Chart) -> dict:
    data = json.loads(chart.figure_json)
    validated = go.Figure(data)  # raises if plotly.js would not understand it
    # Built without plotly's validation, the figure is what validation would have made it.
    assert json.loads(validated.to_json(validate=False, engine="json")) == data
    return data


def test_status_bars_label_every_status_and_give_each_a_pattern():
    chart = charts.status_by_group_chart(
        "c", "Core", [("London", {Status.MET: 3, Status.OVERDUE: 2}), ("South West", {Status.MET: 1})]
    )
    data = figure(chart)["data"]
    assert [trace["name"] for trace in data] == [
        "Met",
        "On track",
        "At risk",
        "Overdue",
        "No current data",
        "Not applicable",
    ]
    assert len({trace["marker"]["pattern"]["shape"] for trace in data}) == 6
    assert data[0]["x"] == [3, 1]
    assert chart.summary == "Core: 4 of 6 applicable trusts have met it across 2 regions. Most overdue: London (2)."


def test_heatmap_cells_carry_the_status_as_text():
    chart = charts.status_heatmap_chart(
        "h",
        "London trusts",
        [("ICB A", "Trust 1"), ("ICB A", "Trust 2")],
        ["Core", "Full"],
        [[Status.MET, None], [Status.OVERDUE, Status.AT_RISK]],
    )
    trace = figure(chart)["data"][0]
    assert trace["text"] == [["Met", "Not computed"], ["Overdue", "At risk"]]
    assert trace["texttemplate"] == "%{text}"
    assert trace["y"] == [["ICB A", "ICB A"], ["Trust 1", "Trust 2"]]
    assert "1 met and 1 overdue" in chart.summary


def test_trend_is_percent_of_applicable_and_summarised():
    chart = charts.met_trend_chart(
        "t", [("Core", [(datetime.date(2024, 1, 31), 1, 4), (datetime.date(2024, 2, 29), 3, 4)])]
    )
    assert figure(chart)["data"][0]["y"] == [25.0, 75.0]
    assert "25% met at January 2024, 75% at February 2024" in chart.summary


def test_revision_timeline_steps_through_each_deadline():
    revisions = [(datetime.date(2014, 11, 13), datetime.date(2018, 12, 31), datetime.date(2020, 12, 31))]
    chart = charts.deadline_revisions_chart(
        "r", [("Full", datetime.date(2013, 1, 16), revisions), ("Other", datetime.date(2019, 1, 1), [])]
    )
    data = figure(chart)["data"]
    assert len(data) == 1 and data[0]["y"] == ["2018-12-31", "2020-12-31"]
    assert "moved 1 time, December 2018 to December 2020" in chart.summary


def test_script_json_cannot_close_its_script_element():
    chart = charts.status_by_group_chart("c", "</script><script>alert(1)</script>", [("A & B", {Status.MET: 1})])
    assert "</script>" not in chart.script_json and "<" not in chart.script_json
    assert json.loads(str(chart.script_json))["data"][0]["y"] == ["A & B"]


def test_heatmap_rows_grow_with_the_number_of_trusts_and_their_longest_name():
    def height(rows):
        return figure(charts.status_heatmap_chart("h", "R", rows, ["Core"], [[Status.MET] for _ in rows]))["layout"][
            "height"
        ]

    short = [("ICB A", f"Trust {n}") for n in range(10)]
    assert height(short * 4) > 3 * height(short)
    long_name = "Rotherham Doncaster and South Humber NHS Foundation Trust Long"
    assert height([*short[:9], ("ICB A", long_name)]) > height(short)


def test_heatmap_carries_a_compact_phone_version_without_the_icb_level():
    chart = charts.status_heatmap_chart(
        "h", "R", [("ICB A", "Trust 1"), ("ICB B", "Trust 2")], ["Core"], [[Status.NOT_APPLICABLE], [Status.MET]]
    )
    phone = figure(chart)["layout"]["meta"]["phone"]
    assert phone["y"] == ["Trust 1", "Trust 2"]
    assert phone["text"] == [["N/A"], ["Met"]]


def test_revision_timeline_keeps_the_first_label_inside_the_plot():
    revisions = [(datetime.date(2014, 11, 13), datetime.date(2018, 12, 31), datetime.date(2020, 12, 31))]
    data = figure(charts.deadline_revisions_chart("r", [("Full", datetime.date(2013, 1, 16), revisions)]))
    assert data["data"][0]["textposition"] == ["top right", "top left"]
    assert data["data"][0]["text"][0] == "Dec 2018"
    start, end = data["layout"]["xaxis"]["range"]
    assert start < "2013-01-16" and end > "2014-11-13"


def test_trust_timeline_and_dspt_figures_are_valid():
    months = [(datetime.date(2024, 1, 31), Status.ON_TRACK), (datetime.date(2024, 2, 29), Status.MET)]
    assert figure(charts.trust_timeline_chart("t", [("Core", months)]))["data"][0]["y"] == ["On track", "Met"]
    dspt = charts.dspt_by_group_chart(
        "d", [("2020-21", "London", "met", 2), ("2020-21", "London", "not_met", 1)], [("today", 66.7)]
    )
    assert [trace["name"] for trace in figure(dspt)["data"]][:2] == ["Standards Exceeded", "Standards Met"]
