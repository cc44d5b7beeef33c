"""CSV downloads of the dashboard tables and /api/statuses.json: content, filters, paging and access."""

import pytest

from milestones.models import Status
from tests.dashboards.dashboard_data import cio_user, closed_trust, known_dataset
from tests.dashboards.responses import csv_rows

pytestmark = pytest.mark.django_db


def test_national_headlines_csv_has_counts_and_percentages(staff_client):
    known_dataset()
    table = csv_rows(staff_client.get("/exports/national/headlines.csv"))
    assert table[0][:3] == ["Target", "Met", "Met (% of applicable)"]
    core = next(row for row in table if row[0] == "Core level of digitisation")
    assert core[1:3] == ["1", "33.3%"]
    assert core[-5:-3] == ["1", "3"]  # not applicable, applicable
    assert core[-3:] == ["0", "", "no"]  # met by the deadline (none recorded here), data as at, demo


def test_national_csv_follows_the_same_filters(staff_client):
    known_dataset()
    table = csv_rows(staff_client.get("/exports/national/by-region.csv?sector=acute"))
    london_core = next(row for row in table if row[:2] == ["Core level of digitisation", "London"])
    assert london_core[2:] == ["1", "0", "1", "0", "0", "0"]  # met ... overdue, no current data, n/a


def test_national_trend_and_revisions_csv(staff_client):
    known_dataset()
    trend = csv_rows(staff_client.get("/exports/national/trend.csv"))
    core = trend[0].index("Core level of digitisation (% met)")
    assert [(row[0], row[core]) for row in trend[1:]] == [("2024-01-31", "33.3%"), ("2024-02-29", "66.7%")]
    revisions = csv_rows(staff_client.get("/exports/national/revisions.csv"))
    assert [row[3] for row in revisions[1:]] == ["2020-12-31", "2023-12-31", "2024-12-31", "2025-03-31", "2026-03-31"]
    assert revisions[1][2] == "2018-12-31"


def test_region_csvs(staff_client):
    known_dataset()
    attention = csv_rows(staff_client.get("/exports/regions/Y56/attention.csv"))
    assert [row[1] for row in attention[1:]] == ["T02", "T03"]
    trusts = csv_rows(staff_client.get("/exports/regions/Y56/trusts.csv"))
    assert trusts[1][:4] == ["Alpha Acute NHS Trust", "T01", "NHS Alpha Integrated Care Board", "Not computed"]


def test_unknown_table_is_404(staff_client):
    assert staff_client.get("/exports/national/nothing.csv").status_code == 404


def test_cio_downloads_own_trust_tables_only(client):
    data = known_dataset()
    client.force_login(cio_user(data.t2))
    statuses = csv_rows(client.get("/exports/trusts/T02/statuses.csv"))
    assert statuses[2][:3] == ["Core level of digitisation", "2023-12-31", "Overdue"]
    assert client.get("/exports/trusts/T01/statuses.csv").status_code == 404
    assert client.get("/exports/regions/Y56/trusts.csv").status_code == 403


def test_csv_defuses_spreadsheet_formulas(staff_client):
    data = known_dataset()
    data.t1.compliance_statuses.filter(target=data.core).update(reason='=HYPERLINK("http://x")')
    table = csv_rows(staff_client.get("/exports/trusts/T01/statuses.csv"))
    assert table[2][4].startswith("'=")


@pytest.mark.parametrize(
    "url", ["/exports/national/trend.csv", "/exports/regions/Y56/trusts.csv", "/exports/trusts/T01/timeline.csv"]
)
def test_csv_defuses_formulas_in_the_header_row(staff_client, url):
    """Target titles, which an admin edits, head columns of these tables: a title that a
    spreadsheet would run as a formula is defused there as in the body."""
    data = known_dataset()
    planted = "+cmd|' /C calc'!A0"
    data.core.__class__.objects.filter(pk=data.core.pk).update(title=planted)

    head = csv_rows(staff_client.get(url))[0]

    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in head), head
    assert any(cell.startswith("'+cmd") for cell in head), head


def test_api_lists_statuses_with_filters(staff_client):
    known_dataset()
    body = staff_client.get("/api/statuses.json?target=core-2023&region=Y56").json()
    assert body["count"] == 3
    assert [(row["trust"], row["status"]) for row in body["results"]] == [
        ("T01", Status.MET),
        ("T02", Status.OVERDUE),
        ("T03", Status.AT_RISK),
    ]
    assert body["results"][0]["icb"] == "XA1"


def test_api_is_paginated_with_links(staff_client):
    known_dataset()
    first = staff_client.get("/api/statuses.json?page_size=3").json()
    assert (first["count"], first["pages"], first["previous"]) == (8, 3, None)
    assert "page=2" in first["next"]
    last = staff_client.get("/api/statuses.json?page_size=3&page=3").json()
    assert len(last["results"]) == 2 and last["next"] is None
    assert staff_client.get("/api/statuses.json?page=9").status_code == 404


def test_api_rejects_bad_parameters_clearly(staff_client):
    response = staff_client.get("/api/statuses.json?status=great&page_size=100000")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "page_size"}


def test_api_gives_a_cio_only_their_trusts(client):
    data = known_dataset()
    client.force_login(cio_user(data.t3))
    body = client.get("/api/statuses.json").json()
    assert {row["trust"] for row in body["results"]} == {"T03"}
    assert body["count"] == 2


def test_api_refuses_anonymous_users(client):
    response = client.get("/api/statuses.json")
    assert response.status_code == 401


def test_api_lists_only_open_trusts_unless_closed_ones_are_asked_for(staff_client):
    closed_trust(known_dataset())
    default = staff_client.get("/api/statuses.json?target=core-2023").json()
    assert [row["trust"] for row in default["results"]] == ["T01", "T02", "T03", "T04"]
    every = staff_client.get("/api/statuses.json?target=core-2023&include_closed=true").json()
    assert "TZZ" in [row["trust"] for row in every["results"]]
    assert staff_client.get("/api/statuses.json?include_closed=maybe").status_code == 400


def test_csvs_leave_closed_trusts_out_and_attention_csv_keeps_every_target_and_reason(staff_client):
    from milestones.models import ComplianceStatus

    data = known_dataset()
    closed_trust(data)
    ComplianceStatus.objects.filter(trust=data.t2, target=data.full).update(status=Status.OVERDUE)
    trusts = csv_rows(staff_client.get("/exports/regions/Y56/trusts.csv"))
    assert [row[1] for row in trusts[1:]] == ["T01", "T02", "T03"]
    attention = csv_rows(staff_client.get("/exports/regions/Y56/attention.csv"))
    assert [(row[1], row[3], row[5]) for row in attention[1:]] == [
        ("T02", "Core level of digitisation", "overdue because of the test"),
        ("T02", "Fully digitised", "on_track because of the test"),
        ("T03", "Core level of digitisation", "at_risk because of the test"),
    ]
