"""The cyber target's published DSPT statuses on the dashboards: the regional view, the page's
filters, the CSV downloads, a trust's DSPT timeline, and a fixed number of queries."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from milestones.models import DsptAssessment, DsptStatus
from milestones.services.sources import dspt_file_import
from tests.dashboards.dashboard_data import cio_user, dspt_published, known_dataset, known_dspt, many_trusts
from tests.dashboards.responses import csv_rows, queries_to_render, script_json

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "milestones" / "data" / "dspt"
D = datetime.date


@pytest.fixture
def known():
    """known_dataset() with known_dspt()'s published statuses."""
    data = known_dataset()
    known_dspt(data)
    return data


def _stacked(figure: dict) -> dict[str, dict[tuple[str, str], int]]:
    """{status label: {(group, year): trusts}} from a stacked multicategory bar figure."""
    result = {}
    for trace in figure["data"]:
        groups, years = trace["y"]
        result[trace["name"]] = {
            (group.replace("<br>", " "), year): x
            for group, year, x in zip(groups, years, trace["x"], strict=False)
            if x
        }
    return result


def test_region_page_charts_dspt_statuses_by_icb_and_year(staff_client, known):
    page = staff_client.get("/regions/Y56/").content.decode()
    stacked = _stacked(json.loads(script_json(page, "dspt-data")))
    assert stacked["Standards Met"] == {("Alpha", "2020-21"): 1, ("Alpha", "2021-22"): 2}
    assert stacked["Approaching Standards"] == {("Alpha", "2020-21"): 1}
    assert stacked["Standards Exceeded"] == {("Beta", "2020-21"): 1}
    assert stacked["Standards Not Met"] == {("Beta", "2021-22"): 1}
    assert "published DSPT statuses by integrated care board" in page
    # The text alternative: the hidden sentence, and the numbers as a table.
    assert (
        "Published DSPT statuses by ICB and year. 2020-21: 2 of 3 trusts published Standards Met or Exceeded." in page
    )
    assert "NHS Alpha Integrated Care Board" in page


def test_region_page_shows_the_share_meeting_the_standard_at_the_deadline_and_today(staff_client, known):
    page = staff_client.get("/regions/Y56/").content.decode()
    # 30 June 2021: only T1 (T3 published in July). Today: no assessment later than 2021-22 is in
    # force after the 2022-23 deadline, so none.
    assert "33% of open trusts had Standards Met or Exceeded at the 30 June 2021 deadline." in page  # hidden summary
    assert "had Standards Met or Exceeded today: 0 of 3 open trusts" in page  # shown
    shares = csv_rows(staff_client.get("/exports/regions/Y56/dspt-shares.csv"))
    assert shares[0] == ["When", "Date", "Standards Met or Exceeded", "Open trusts", "Share"]
    assert shares[1] == ["At the 30 June 2021 deadline", "2021-06-30", "1", "3", "33.3%"]
    assert shares[2][0] == "Today" and shares[2][2:] == ["0", "3", "0.0%"]


def test_share_at_the_deadline_follows_the_cyber_targets_deadline(staff_client, known):
    from milestones.generation import dashboard_generation_bump
    from milestones.models import Target

    Target.objects.filter(code="cyber-2021").update(deadline=D(2021, 7, 31))
    dashboard_generation_bump()
    shares = csv_rows(staff_client.get("/exports/regions/Y56/dspt-shares.csv"))
    assert shares[1][:2] == ["At the 31 July 2021 deadline", "2021-07-31"]


def test_share_on_the_as_of_date_replaces_today(staff_client, known):
    # Before the first month-end snapshot: the statuses of that day, and DSPT on that day too.
    page = staff_client.get("/regions/Y56/?as_of=2022-07-01").content.decode()
    assert "As of 1 July 2022: the statuses and deadlines in force that day." in page
    assert 'id="dspt-data"' in page
    shares = csv_rows(staff_client.get("/exports/regions/Y56/dspt-shares.csv?as_of=2022-07-01"))
    # 1 July 2022: T1 and T2 by their 2021-22 Standards Met, counted from the 30 June 2022 deadline.
    assert shares[2] == ["On 1 July 2022", "2022-07-01", "2", "3", "66.7%"]


def test_region_dspt_csv_counts_trusts_by_year_icb_and_status(staff_client, known):
    table = csv_rows(staff_client.get("/exports/regions/Y56/dspt.csv"))
    assert table == [
        [
            "Assessment year",
            "ICB",
            "Standards Exceeded",
            "Standards Met",
            "Approaching Standards",
            "Standards Not Met",
            "Not Published",
        ],
        ["2020-21", "NHS Alpha Integrated Care Board", "0", "1", "1", "0", "0"],
        ["2020-21", "NHS Beta Integrated Care Board", "1", "0", "0", "0", "0"],
        ["2021-22", "NHS Alpha Integrated Care Board", "0", "2", "0", "0", "0"],
        ["2021-22", "NHS Beta Integrated Care Board", "0", "0", "0", "1", "0"],
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "sector=mental_health",
            [["2020-21", "London", "0", "0", "1", "0", "0"], ["2021-22", "London", "0", "1", "0", "0", "0"]],
        ),
        (
            "exemplar=gde",
            [["2020-21", "London", "0", "0", "1", "0", "0"], ["2021-22", "London", "0", "1", "0", "0", "0"]],
        ),
        ("icb=XB1", [["2020-21", "London", "1", "0", "0", "0", "0"], ["2021-22", "London", "0", "0", "0", "1", "0"]]),
        ("sector=community", [["2020-21", "South West", "0", "1", "0", "0", "0"]]),
    ],
)
def test_national_dspt_chart_and_csv_follow_the_filters(staff_client, known, query, expected):
    assert csv_rows(staff_client.get(f"/exports/national/dspt.csv?{query}"))[1:] == expected
    page = staff_client.get(f"/?{query}").content.decode()
    figure_total = sum(sum(trace["x"]) for trace in json.loads(script_json(page, "dspt-data"))["data"])
    assert figure_total == sum(int(n) for row in expected for n in row[2:])
    assert "(all trusts)" not in page


def test_national_share_follows_the_filters(staff_client, known):
    unfiltered = csv_rows(staff_client.get("/exports/national/dspt-shares.csv"))
    assert unfiltered[1][2:] == ["2", "4", "50.0%"]  # T1 and T4
    acute = csv_rows(staff_client.get("/exports/national/dspt-shares.csv?sector=acute"))
    assert acute[1][2:] == ["1", "2", "50.0%"]  # T1 of T1 and T3


def test_region_dspt_follows_the_icb_filter(staff_client, known):
    page = staff_client.get("/regions/Y56/?icb=XA1").content.decode()
    stacked = _stacked(json.loads(script_json(page, "dspt-data")))
    assert {group for counts in stacked.values() for group, _ in counts} == {"Alpha"}
    assert csv_rows(staff_client.get("/exports/regions/Y56/dspt-shares.csv?icb=XA1"))[1][2:] == ["1", "2", "50.0%"]


def test_a_filter_with_no_published_status_says_so(staff_client, known):
    page = staff_client.get("/regions/Y58/?sector=acute").content.decode()
    assert "No trust in this view has a published DSPT status yet." in page
    assert 'id="dspt-data"' not in page


def test_trust_page_shows_its_dspt_timeline_newest_first(staff_client, known):
    page = staff_client.get("/trusts/T03/").content.decode()
    timeline = page[
        page.index('class="digitrack-timeline"') : page.index("</ol>", page.index('class="digitrack-timeline"'))
    ]
    assert timeline.index("2021-22") < timeline.index("2020-21")
    assert "Standards Not Met" in timeline and "Standards Exceeded" in timeline
    assert "Published 1 July 2021. Source file: dspt_2020-21.csv." in timeline
    assert "No publication date in the file: counts from the 30 June 2022 submission deadline" in timeline
    assert "nhsuk-tag--red" in timeline  # Standards Not Met, also said in words


def test_trust_page_without_published_status_says_so(staff_client):
    data = known_dataset()
    page = staff_client.get(f"/trusts/{data.t1.ods_code}/").content.decode()
    assert "No DSPT status has been published for this trust." in page
    assert "None published" in page


def test_trust_dspt_csv_lists_each_year_with_its_source_and_what_it_replaced(client, known):
    from milestones.importers.dspt import DsptRow
    from milestones.services.dspt import dspt_assessments_apply

    dspt_assessments_apply(
        rows=[DsptRow(2, "T03", "2021-22", DsptStatus.STANDARDS_MET, None)],
        source_file="later.csv",
        source_sha256="1" * 64,
    )
    client.force_login(cio_user(known.t3))
    table = csv_rows(client.get("/exports/trusts/T03/dspt.csv"))
    assert table[0] == ["Assessment year", "Status", "Published on", "Source file", "Imported at", "Replaced"]
    assert table[1][:4] == ["2020-21", "Standards Exceeded", "2021-07-01", "dspt_2020-21.csv"]
    assert table[2][:4] == ["2021-22", "Standards Met", "", "later.csv"]
    assert table[2][5] == "Standards Not Met from dspt_2021-22.csv"
    assert client.get("/exports/trusts/T01/dspt.csv").status_code == 404


def test_importing_a_file_makes_the_cached_pages_stale(staff_client, known, django_capture_on_commit_callbacks):
    from milestones.importers.dspt import DsptRow
    from milestones.services.dspt import dspt_assessments_apply

    assert "2 of 3 trusts published Standards Met or Exceeded" in staff_client.get("/regions/Y56/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        dspt_assessments_apply(
            rows=[DsptRow(2, "T02", "2020-21", DsptStatus.STANDARDS_MET, D(2021, 6, 2))],
            source_file="later.csv",
            source_sha256="1" * 64,
        )
    assert "3 of 3 trusts published Standards Met or Exceeded" in staff_client.get("/regions/Y56/").content.decode()


@pytest.fixture
def shipped_files(db):
    """The real ODS register and both shipped DSPT snapshots."""
    call_command("import_ods", "trusts/data/etr.csv", stdout=StringIO())
    for name in ("dspt_2020-21.csv", "dspt_2021-22.csv"):
        dspt_file_import(path=DATA / name)


def test_trust_page_shows_the_published_statuses_of_the_shipped_files(staff_client, shipped_files):
    # Oxford University Hospitals (RTH): 2020-21 Approaching Standards published 4 August 2021,
    # 2021-22 Standards Met (that file gives no dates), as published.
    page = staff_client.get("/trusts/RTH/").content.decode()
    assert "Oxford University Hospitals NHS Foundation Trust" in page
    assert "2021-22: Standards Met" in page  # latest, in the summary list
    timeline = page[page.index('class="digitrack-timeline"') :]
    assert "Published 4 August 2021. Source file: dspt_2020-21.csv." in timeline
    assert "counts from the 30 June 2022 submission deadline" in timeline and "dspt_2021-22.csv" in timeline
    # The 2021-22 status stopped counting when the 2022-23 deadline passed, and nothing later is imported.
    assert "No published DSPT status of Standards Met or Exceeded is in force." in page


def test_national_page_from_the_shipped_files(staff_client, shipped_files):
    table = csv_rows(staff_client.get("/exports/national/dspt.csv"))
    london_2020_21 = next(row for row in table if row[:2] == ["2020-21", "London"])
    assert (
        sum(int(n) for n in london_2020_21[2:])
        == DsptAssessment.objects.filter(year="2020-21", trust__region__code="Y56").count()
    )
    deadline = csv_rows(staff_client.get("/exports/national/dspt-shares.csv"))[1]
    assert deadline[0] == "At the 30 June 2021 deadline" and 0 < int(deadline[2]) < int(deadline[3])


def _publish(trusts) -> None:
    """Two years of statuses for each trust, cycling through the five."""
    dspt_published(
        (trust, year, status, published_on)
        for index, trust in enumerate(trusts)
        for year, status, published_on in (
            ("2020-21", DsptStatus.values[index % 5], D(2021, 6, 1)),
            ("2021-22", DsptStatus.values[(index + 1) % 5], None),
        )
    )


@pytest.mark.parametrize(
    "path",
    [
        "/?sector=acute",
        "/?exemplar=none&as_of=2024-01-31",
        "/regions/Y56/?sector=mental_health",
        "/trusts/{code}/",
        "/exports/regions/Y56/dspt.csv?sector=acute",
        "/exports/national/dspt-shares.csv",
    ],
)
def test_dspt_views_make_the_same_number_of_queries_at_10_and_200_trusts(staff_client, path):
    trusts = many_trusts(10)
    _publish(trusts)
    london = next(trust for trust in trusts if trust.region.code == "Y56")
    url = path.format(code=london.ods_code)
    at_10 = queries_to_render(staff_client, url)
    _publish(many_trusts(190))
    assert queries_to_render(staff_client, url) == at_10


def test_the_wordings_of_2018_to_2020_are_charted_and_counted_with_the_others(staff_client, known, tmp_path):
    path = tmp_path / "dspt.csv"
    path.write_text(
        "Code,Status\n"
        f"{known.t1.ods_code},Standards Not Fully Met (Plan Agreed) (22-23)\n"
        f"{known.t2.ods_code},22/23 Entry Level\n"
    )
    dspt_file_import(path=path, as_at=D(2023, 7, 1))
    page = staff_client.get("/regions/Y56/").content.decode()
    stacked = _stacked(json.loads(script_json(page, "dspt-data")))
    assert stacked["Standards Not Fully Met (Plan Agreed)"] == {("Alpha", "2022-23"): 1}
    assert stacked["Entry Level"] == {("Alpha", "2022-23"): 1}
