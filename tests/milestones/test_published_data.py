"""load_published_data, the records the rules read, and the published facts on the pages."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.selectors.sources import dma_averages, published_for_trust
from milestones import rules
from milestones.models import DsptAssessment, RecomputeRequest, Source, SourceRow, SourceSnapshot
from milestones.selectors.sources import source_records_for
from tests.factories import TrustFactory
from trusts.models import Trust

D = datetime.date
RD1_2025 = {  # Royal United Hospitals Bath, acute: the DMA 2025 pillar sheet, line 13
    "Well Led": 2.8,
    "Ensure Smart Foundations": 3.1,
    "Safe Practice": 1.8,
    "Support Workforce": 2.5,
    "Empower People": 2.3,
    "Improve Care": 2.0,
    "Healthy Populations": 2.0,
}


@pytest.fixture
def published(db):
    call_command("load_published_data", stdout=StringIO(), stderr=StringIO())


def table_counts() -> tuple:
    return tuple(
        model.objects.count() for model in (Trust, SourceSnapshot, SourceRow, DsptAssessment, RecomputeRequest)
    )


def test_load_published_data_loads_every_shipped_file_and_a_second_run_writes_nothing(published):
    snapshots = {(s.source, s.file_name): s.as_at for s in SourceSnapshot.objects.all()}
    assert snapshots == {
        (Source.DSPT, "dspt_2020-21.csv"): D(2022, 2, 8),
        (Source.DSPT, "dspt_2021-22.csv"): D(2022, 9, 9),
        (Source.DSPT, "dspt_2022-23.csv"): D(2023, 11, 16),
        (Source.EPR_STATUS, "frontline_digitisation_epr_2023-05-26.csv"): D(2023, 5, 26),
        (Source.EPR_SUPPLIER, "epr_primary_suppliers_2024-10-01.xlsx"): D(2024, 10, 1),
        (Source.DMA, "dma_2024-2025_datafile.xlsx"): D(2026, 3, 30),
    }
    # The 2022-23 DSPT counts as the file gives them (one Not Published row takes the year given).
    assert DsptAssessment.objects.filter(year="2022-23").count() == 207
    before = table_counts()
    out = StringIO()

    call_command("load_published_data", stdout=out, stderr=StringIO())

    assert table_counts() == before
    assert out.getvalue().count("nothing written") == 6
    assert "0 created, 0 updated" in out.getvalue()  # the register too


def test_source_records_come_in_one_query_whatever_the_number_of_trusts(published):
    ids = list(Trust.objects.values_list("pk", flat=True))
    for some in (ids[:1], ids):
        with CaptureQueriesContext(connection) as queries:
            source_records_for(some)
        assert len(queries) == 1


def test_source_records_of_a_trust_as_the_rules_read_them(published):
    rd1 = Trust.objects.get(ods_code="RD1")
    records = source_records_for([rd1.pk])[rd1.pk]
    by_source = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record)
    assert [(r.edition, r.dspt_status) for r in by_source[rules.SourceKind.DSPT]] == [
        ("2020-21", "met"),
        ("2021-22", "approaching"),
        ("2022-23", "met"),
    ]
    (epr,) = by_source[rules.SourceKind.EPR_STATUS]
    assert (epr.as_at, epr.epr_group, epr.epr_status) == (D(2023, 5, 26), "Group 3", "Implementing shared")
    (supplier,) = by_source[rules.SourceKind.EPR_SUPPLIER]
    assert (supplier.as_at, supplier.supplier) == (D(2024, 10, 1), "Oracle Cerner Corporation")
    dma = {record.edition: record for record in by_source[rules.SourceKind.DMA]}
    assert dma["2025"].dma_pillars == RD1_2025
    assert dma["2024"].dma_pillars == {} and round(dma["2024"].dma_overall, 4) == 2.3214
    assert records == sorted(records, key=lambda r: (r.as_at, r.snapshot_id, r.edition))


def test_dma_scores_of_a_trust_with_several_care_settings_are_their_mean(db, tmp_path):
    trust = TrustFactory(ods_code="T3A", name="TEST MENTAL HEALTH NHS TRUST")
    path = tmp_path / "dma.csv"
    path.write_text(
        "Provider,Care Setting,Well Led,Safe Practice\n"
        "TEST MENTAL HEALTH NHS TRUST,Mental Health,3,2\n"
        "Test Mental Health NHS Trust,Community,2,\n"
    )
    call_command("import_dma", str(path), "--year", "2025", "--as-at", "2026-03-30", stdout=StringIO())
    (record,) = source_records_for([trust.pk])[trust.pk]
    assert record.dma_pillars == {"Well Led": 2.5, "Safe Practice": 2.0}


def test_a_dspt_year_given_by_two_snapshots_is_the_newest_ones(db, import_dspt_csv):
    trust = TrustFactory(ods_code="T3B")
    import_dspt_csv("first.csv", "Code,Status\nT3B,22/23 Approaching Standards\n", D(2023, 7, 1))
    import_dspt_csv("later.csv", "Code,Status\nT3B,22/23 Standards Met\n", D(2023, 11, 16))
    (record,) = source_records_for([trust.pk])[trust.pk]
    assert (record.as_at, record.dspt_status) == (D(2023, 11, 16), "met")
    assert [fact.dspt_status for fact in published_for_trust(trust).dspt] == ["met"]


def test_dma_averages_over_a_regions_trusts(published):
    national, south_west = dma_averages(), dma_averages(region_code="Y58")
    assert national.trusts > south_west.trusts > 0
    assert set(national.pillars) == set(RD1_2025) and set(national.overall) == {"2024", "2025"}
    assert (national.snapshot.file_name, national.snapshot.as_at) == ("dma_2024-2025_datafile.xlsx", D(2026, 3, 30))


# Pages.


@pytest.mark.usefixtures("published")
def test_the_rd1_trust_page_shows_its_dma_2025_pillar_scores_with_source_and_date(staff_client):
    page = staff_client.get("/trusts/RD1/").content.decode()
    dma = page[page.index('id="dma"') :]
    assert "Digital Maturity Assessment 2025 pillar scores" in dma
    assert "dma_2024-2025_datafile.xlsx, published 30 March 2026" in dma
    for pillar, score in RD1_2025.items():
        row = dma[dma.index(pillar) :][:400]
        assert f">{score:g}<" in row.replace(" ", "").replace("\n", ""), pillar
    assert "Overall 2024 (comparable domains)" in dma and ">2.32<" in dma.replace(" ", "").replace("\n", "")


@pytest.mark.usefixtures("published")
def test_the_trust_page_shows_raw_dspt_epr_and_supplier_facts_with_their_dates(staff_client):
    page = staff_client.get("/trusts/RD1/").content.decode()
    published = page[page.index('id="published-data"') : page.index('id="dma"')]
    for text in (
        "DSPT 2022-23",
        "Standards Met (published 21 June 2023)",
        "16 November 2023",
        "EPR group: Group 3; EPR status: Implementing shared; size band: Acute Medium",
        "26 May 2023",
        "Oracle Cerner Corporation",
        "1 October 2024",
        "frontline_digitisation_epr_2023-05-26.csv, line",
        "epr_primary_suppliers_2024-10-01.xlsx, sheet &#39;EPR Suppliers 01.10.24&#39;, line",
    ):
        assert text in published, text


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(("url", "where"), [("/", "in England"), ("/regions/Y58/", "in South West")])
def test_national_and_region_pages_show_dma_averages_2024_vs_2025(staff_client, url, where):
    page = staff_client.get(url).content.decode()
    dma = page[page.index('<h2 id="dma"') :]
    assert f"trusts {where} with scores" in dma
    assert "dma_2024-2025_datafile.xlsx, published 30 March 2026" in dma
    assert "Overall (comparable domains)" in dma and "Not published" in dma  # no 2024 pillar scores exist


@pytest.mark.usefixtures("published")
def test_published_tables_download_as_csv_with_their_source_and_date(staff_client):
    published = staff_client.get("/exports/trusts/RD1/published.csv").content.decode()
    assert published.splitlines()[0] == "Source,Published,As at,From"
    assert "Primary EPR supplier,Oracle Cerner Corporation,2024-10-01," in published
    dma = staff_client.get("/exports/trusts/RD1/dma.csv").content.decode().splitlines()
    assert dma[0] == "Pillar,Acute,Source file,As at"
    assert dma[1] == "Well Led,2.8,dma_2024-2025_datafile.xlsx,2026-03-30"
    for url in ("/exports/national/dma.csv", "/exports/regions/Y58/dma.csv"):
        rows = staff_client.get(url).content.decode().splitlines()
        assert rows[0] == "Pillar,2024,2025,Source file,As at"
        assert rows[-1].startswith("Overall (comparable domains),")


def test_dma_csv_answers_404_before_any_dma_import(staff_client):
    assert staff_client.get("/exports/national/dma.csv").status_code == 404
