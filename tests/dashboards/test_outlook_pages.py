"""Forecast and stage pages, the trust page's stages and expected dates, prerequisites, and the backtest command."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from milestones.models import ComplianceSnapshot, ComplianceStatus, DashboardGeneration, Status, Target
from milestones.services.targets import target_prerequisites_set
from tests.dashboards.dashboard_data import FEB, known_dataset, met_share_history
from tests.dashboards.responses import page_html, status_codes
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def _stage_data():
    """known_dataset() plus full digitisation in February: T3 (core met too) and T4 (core does not apply)."""
    data = known_dataset()
    for trust in (data.t3, data.t4):
        ComplianceSnapshot.objects.create(trust=trust, target=data.full, as_of=FEB, status=Status.MET)
    return data


def test_full_digitisation_needs_core_from_the_migration():
    full = Target.objects.get(code="full-2024")
    assert list(full.prerequisites.values_list("code", flat=True)) == ["core-2023"]


def test_stage_funnel_counts_trusts_at_or_beyond_each_stage(staff_client):
    _stage_data()
    page = page_html(staff_client, "/stages/")
    assert 'data-figure="stage-funnel-national-data"' in page
    assert "the latest month end is 29 February 2024" in page
    rows = list(csv.reader(io.StringIO(staff_client.get("/exports/stages/stage-funnel.csv").content.decode())))
    by_stage = {row[0]: row[1:] for row in rows[1:]}
    # February: T1 core; T2 nothing; T3 core and full, so full; T4 full without core (n/a), so no stage.
    assert by_stage["No target met yet"][1:] == ["2", "4"]
    assert by_stage["Core level of digitisation"] == ["nothing", "1", "2"]
    assert by_stage["Fully digitised"] == ["Core level of digitisation", "1", "1"]


def test_stage_over_time_has_a_row_per_month_end(staff_client):
    _stage_data()
    rows = list(csv.reader(io.StringIO(staff_client.get("/exports/stages/stages-over-time.csv").content.decode())))
    head, january, february = rows
    assert head[:2] == ["Month end", "No target met yet"]
    assert january[0] == "2024-01-31" and february[0] == "2024-02-29"
    assert sum(int(value) for value in january[1:]) == 3 and sum(int(value) for value in february[1:]) == 4


def test_regional_stage_page_counts_only_its_trusts(staff_client):
    _stage_data()
    assert staff_client.get("/regions/Y58/stages/").status_code == 200
    rows = list(
        csv.reader(io.StringIO(staff_client.get("/exports/regions/Y58/stages/stage-funnel.csv").content.decode()))
    )
    assert rows[1][2:] == ["1", "1"]  # South West: T4 alone, at no stage
    assert staff_client.get("/regions/Y99/stages/").status_code == 404


def test_trust_page_lists_stages_reached(staff_client):
    data = _stage_data()
    page = staff_client.get(f"/trusts/{data.t3.ods_code}/").content.decode()
    assert "Stages reached" in page
    assert "Reached Fully digitised" in page
    assert "Fell back" not in page


def test_cio_cannot_see_stage_or_forecast_pages(t1_cio_client):
    assert status_codes(t1_cio_client, "/stages/", "/forecasts/") == [403, 403]


def test_forecast_is_shown_with_its_backtest_when_it_beats_no_change(staff_client):
    data = known_dataset()
    trusts = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(20)]
    met_share_history(data.full, trusts, [min(1.0, 0.02 * month) for month in range(40)])
    page = staff_client.get("/forecasts/").content.decode()
    assert 'data-forecast="full-2024">At the current pace' in page
    assert "95% by" in page
    assert "From the month-end statuses, January 2020 to April 2023." in page
    rows = list(csv.reader(io.StringIO(staff_client.get("/exports/forecasts/backtest-full-2024.csv").content.decode())))
    assert rows[0][0] == "Forecast ahead" and [row[0] for row in rows[1:]] == ["6 months", "12 months"]
    assert all(row[4] == "yes" for row in rows[1:])


def test_forecast_worse_than_no_change_is_not_shown_and_says_why(staff_client):
    data = known_dataset()
    trusts = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(10)]
    met_share_history(data.full, trusts, [0.6] * 12 + [0.8] * 12 + [0.5] * 12 + [0.7] * 12)
    page = staff_client.get("/forecasts/").content.decode()
    assert "At the current pace" not in page.split('data-forecast="full-2024">')[1].split("</p>")[0]
    assert "worse than assuming no change" in page
    assert "Not enough history" in page  # core-2023: two months only


def test_trust_page_gives_expected_dates_from_own_pace_and_peers(staff_client):
    data = known_dataset()
    peers = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(4)]
    for trust in peers:
        ComplianceStatus.objects.create(
            trust=trust,
            target=data.full,
            status=Status.MET,
            requirements_met=3,
            requirements_total=3,
            met_on=datetime.date(2024, 6, 1),
            reason="met",
            computed_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC),
            changed_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC),
        )
    # T1 opened in 2022, so it is compared with its peers from its own start, not the target's.
    type(data.t1).objects.filter(pk=data.t1.pk).update(opened_on=datetime.date(2022, 1, 1))
    ComplianceStatus.objects.filter(trust=data.t1, target=data.full).update(requirements_met=1)
    page = staff_client.get(f"/trusts/{data.t1.ods_code}/").content.decode()
    assert "When it may meet each target" in page, page[page.find("Stages reached") :][:3000]
    # Peers took 16 January 2013 to 1 June 2024 (136.5 months); T3, met with no date, is followed to today.
    assert "around May 2033 (4 of 5 acute trusts met it)" in page
    # Its own pace: 1 of 3 requirements in the time since 1 January 2022, so twice that again from today.
    today = timezone.localdate()
    own = today + (today - datetime.date(2022, 1, 1)) * 2
    assert f"around {own:%B %Y}" in page


def test_prerequisites_refuse_a_cycle_and_make_stage_pages_stale():
    core, full = Target.objects.get(code="core-2023"), Target.objects.get(code="full-2024")
    with pytest.raises(ValueError, match="cannot need itself"):
        target_prerequisites_set(target=core, prerequisites=[full])
    before = DashboardGeneration.objects.values_list("value", flat=True).first() or 0
    cyber = Target.objects.get(code="cyber-2021")
    target_prerequisites_set(target=core, prerequisites=[cyber])
    assert list(core.prerequisites.all()) == [cyber]
    assert DashboardGeneration.objects.get().value == before + 1


def test_forecast_backtest_writes_its_error_table(tmp_path):
    data = known_dataset()
    trusts = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(20)]
    met_share_history(data.full, trusts, [min(1.0, 0.02 * month) for month in range(40)])
    output = tmp_path / "forecast.json"
    call_command("forecast_backtest", "--label", "test", "--output", str(output), stdout=io.StringIO())
    call_command("forecast_backtest", "--label", "again", "--output", str(output), stdout=io.StringIO())
    written = json.loads(output.read_text())
    assert set(written["datasets"]) == {"test", "again"}
    england = {row["target"]: row for row in written["datasets"]["test"]["series"] if row["scope"] == "England"}
    full = england["full-2024"]
    assert full["months"] == 40 and full["shown"]
    assert [horizon["cuts"] for horizon in full["horizons"]] == [40 - 12 - 6 + 1, 40 - 12 - 12 + 1]
    assert full["horizons"][0]["forecast_mae_points"] < full["horizons"][0]["no_change_mae_points"]
    published = {row["requirement"] for row in written["datasets"]["test"]["series"] if "requirement" in row}
    assert {"dspt-standards-met", "epr-in-use", "mdf-core-capabilities"} <= published


def _figure(page: str, element_id: str) -> dict:
    start = page.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return json.loads(page[start : page.index("</script>", start)])


def test_outlook_figures_are_valid_plotly_json(staff_client):
    import plotly.graph_objects as go

    data = _stage_data()
    trusts = [TrustFactory(ods_code=f"R{index:02d}", region=data.london) for index in range(20)]
    met_share_history(data.full, trusts, [min(1.0, 0.02 * month) for month in range(40)])
    stages_page = staff_client.get("/stages/").content.decode()
    forecasts_page = staff_client.get("/forecasts/").content.decode()
    for page, element_id in (
        (stages_page, "stage-funnel-national-data"),
        (stages_page, "stages-over-time-national-data"),
        (forecasts_page, "forecast-national-full-2024-data"),
    ):
        figure = _figure(page, element_id)
        go.Figure(figure)  # raises on anything plotly.js would not understand
        assert {trace["type"] for trace in figure["data"]} <= {"bar", "scatter"}  # the cartesian bundle draws them


def test_admin_form_refuses_a_prerequisite_cycle():
    from django.forms.models import model_to_dict

    from milestones.admin.targets import TargetAdminForm

    core, full = Target.objects.get(code="core-2023"), Target.objects.get(code="full-2024")
    data = {**model_to_dict(core), "prerequisites": [full.pk], "deadline_change_reason": ""}
    form = TargetAdminForm(instance=core, data=data)
    assert not form.is_valid()
    assert form.errors["prerequisites"] == ["A target cannot need itself: core-2023 needs full-2024 needs core-2023."]


def test_outlook_table_says_far_off_rather_than_a_date_decades_away():
    from dashboards.presenters.outlook import trust_outlook_table
    from dashboards.selectors import TargetInfo
    from dashboards.selectors.outlook import TrustTargetOutlook

    target = TargetInfo(
        1, "core-2023", "Core level of digitisation", datetime.date(2019, 1, 7), datetime.date(2023, 12, 31)
    )
    today = datetime.date(2026, 11, 28)

    def row(met):
        outlook = TrustTargetOutlook(target, "overdue", met, 5, None, target.start_date, [(30.0, True)], "acute trusts")
        return trust_outlook_table([outlook], today).rows[0]

    assert row(1)[2] == "more than 20 years away at this pace"  # 4 more at 7.9 years each
    assert row(4)[2] == "around November 2028"  # 1 more at 1.97 years
    assert row(1)[3].startswith("not known")  # its one peer met it at 30 months, long before this point
