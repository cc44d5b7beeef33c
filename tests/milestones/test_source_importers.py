"""Parsing the published national data files: plain rows and errors with lines, no database."""

import csv
import datetime
import io
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from milestones.importers.dma import parse_dma
from milestones.importers.dspt import dspt_status, parse_dspt
from milestones.importers.epr import parse_epr
from milestones.importers.tables import FileRefused

DATA = Path(__file__).resolve().parents[2] / "milestones" / "data"
FRONTLINE = DATA / "epr" / "frontline_digitisation_epr_2023-05-26.csv"
SUPPLIERS = DATA / "epr" / "epr_primary_suppliers_2024-10-01.xlsx"
DMA = DATA / "dma" / "dma_2024-2025_datafile.xlsx"
DMA_PILLARS_CSV = DATA / "dma" / "dma_2025_pillar_scores_with_ods.csv"


def xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


# DSPT: every wording published since 2018-19.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Standards Met", (None, "met")),
        ("Standards Exceeded", (None, "exceeded")),
        ("Approaching Standards", (None, "approaching")),
        ("Standards Not Met", (None, "not_met")),
        ("Not Published", (None, "not_published")),
        ("Standards Not Fully Met (Plan Agreed)", (None, "plan_agreed")),
        ("Entry Level", (None, "entry_level")),
        ("22/23 Standards Met", ("2022-23", "met")),
        ("18/19 Standards Not Fully Met (Plan Agreed)", ("2018-19", "plan_agreed")),
        ("18/19 Entry Level", ("2018-19", "entry_level")),
        ("Standards Met (19-20)", ("2019-20", "met")),
        ("Standards Not Fully Met (Plan Agreed) (19-20)", ("2019-20", "plan_agreed")),
        ("Entry Level (2018-19)", ("2018-19", "entry_level")),
        ("  standards   EXCEEDED ", (None, "exceeded")),
        ("2023/24 Approaching Standards", ("2023-24", "approaching")),
    ],
)
def test_every_published_dspt_wording_is_read(raw, expected):
    assert dspt_status(raw) == expected


@pytest.mark.parametrize("raw", ["Standards Mostly Met", "Met", "Standards Met (19-21)", "22/24 Standards Met"])
def test_an_unknown_dspt_wording_is_not_guessed(raw):
    assert dspt_status(raw) == (None, None)


def test_unknown_and_unavailable_dspt_statuses_are_reported_by_line_and_the_rest_load():
    parse = parse_dspt(
        csv_bytes(
            [
                ["Code", "Status"],
                ["RJ1", "Standards Mostly Met"],
                ["RQ6", "#N/A"],
                ["RXH", "Standards Met (19-20)"],
                ["R1A", "Entry Level"],
            ]
        ),
        year="2018-19",
    )
    assert [(row.line, row.code, row.year, row.status) for row in parse.rows] == [
        (4, "RXH", "2019-20", "met"),
        (5, "R1A", "2018-19", "entry_level"),
    ]
    assert parse.errors == [
        "Line 2: RJ1: unreadable status 'Standards Mostly Met'.",
        "Line 3: RQ6: no status ('#N/A' in the file).",
    ]
    assert parse.rows_read == 4


def test_dspt_columns_are_found_whatever_their_spelling_case_and_punctuation():
    parse = parse_dspt(
        csv_bytes(
            [
                ["DATE_OF_PUBLICATION", "  organisation-code ", "ORGANISATION NAME", "Latest.Status", "Primary Sector"],
                ["30/06/2023", "rj1", "GUY'S", "22/23 Standards Met", "NHS Trust"],
            ]
        )
    )
    row = parse.rows[0]
    assert (row.code, row.name, row.kind, row.year, row.status, row.published_on) == (
        "RJ1",
        "GUY'S",
        "NHS Trust",
        "2022-23",
        "met",
        datetime.date(2023, 6, 30),
    )


def test_dspt_xlsx_and_csv_of_the_same_rows_parse_the_same():
    rows = [
        ["Organisation Code", "Status", "Date Of Publication"],
        ["RJ1", "22/23 Standards Met", "30/06/2023"],
        ["00L", "22/23 Approaching Standards", "28/06/2023"],
        ["RQ6", "Not Published", ""],
    ]
    from_csv = parse_dspt(csv_bytes(rows), year="2022-23")
    from_xlsx = parse_dspt(xlsx(rows), year="2022-23")
    assert from_xlsx.rows == from_csv.rows
    assert len(from_csv.rows) == 3


def test_a_workbook_date_cell_is_read_as_the_date_it_shows():
    parse = parse_dspt(
        xlsx([["Code", "Status", "Date of publication"], ["RJ1", "Standards Met", datetime.datetime(2023, 6, 30)]]),
        year="2022-23",
    )
    assert parse.rows[0].published_on == datetime.date(2023, 6, 30)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (
            b"Name,Region\nGUY'S,Y56\n",
            "No column for an organisation code and a status. Columns found: 'Name', 'Region'",
        ),
        (b"PK\x03\x04 not really a workbook", "looks like a workbook but cannot be opened"),
        (b"\x81\x8d\x8f\x90\x9d" * 20, "neither a workbook nor a text CSV"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole_is_refused_with_a_clear_message(content, message):
    with pytest.raises(FileRefused, match=message):
        parse_dspt(content, year="2022-23")


# EPR: both layouts, told apart by their headers.


def test_the_frontline_digitisation_report_is_read_with_its_report_date():
    parse = parse_epr(FRONTLINE.read_bytes())
    assert (parse.has_status, parse.has_supplier, parse.as_at) == (True, False, datetime.date(2023, 5, 26))
    assert parse.rows_read == 212 and len(parse.rows) == 212
    # As published (../shared/data/README.md): 16 trusts in Group 0, 42 meeting the MDF core capabilities.
    assert Counter(row.group for row in parse.rows) == {"Group 0": 16, "Group 1": 11, "Group 2": 142, "Group 3": 43}
    assert Counter(row.status for row in parse.rows)["Already meets the core capabilities in the MDF"] == 42
    assert parse.warnings == ["Line 204: an EPR group but no EPR status: loaded with the status blank."]
    r0a = parse.rows[0]
    assert (r0a.line, r0a.code, r0a.size_band, r0a.group, r0a.status) == (
        2,
        "R0A",
        "Acute Large",
        "Group 2",
        "Implementing a new",
    )


def test_the_supplier_list_is_read_with_the_date_in_its_sheet_name():
    parse = parse_epr(SUPPLIERS.read_bytes())
    assert (parse.has_status, parse.has_supplier, parse.as_at) == (False, True, datetime.date(2024, 10, 1))
    assert parse.sheet == "EPR Suppliers 01.10.24"
    assert len(parse.rows) == 209 and parse.errors == []
    assert sum(row.supplier.startswith("No EPR") for row in parse.rows) == 20


def test_the_supplier_list_as_csv_with_other_header_spellings_parses_as_the_workbook_does():
    workbook = openpyxl.load_workbook(SUPPLIERS, read_only=True)
    rows = [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    rows[0] = ["SUPPLIER_(PRIMARY_EPR)", "organisation", "trust type (primary)", "ORGANISATION-CODE"]
    rows = [rows[0], *([row[3], row[1], row[2], row[0]] for row in rows[1:])]
    from_csv = parse_epr(csv_bytes(rows))
    from_xlsx = parse_epr(SUPPLIERS.read_bytes())
    assert [(r.code, r.supplier) for r in from_csv.rows] == [(r.code, r.supplier) for r in from_xlsx.rows]
    assert from_csv.as_at is None  # no date in a CSV's content: the command asks for --as-at


def test_bad_epr_rows_are_reported_by_line_and_the_rest_load():
    parse = parse_epr(
        csv_bytes(
            [
                ["trust_ods_code", "EPR_Group", "Current_EPR_Status", "Bi_Weekly_Report_Date"],
                ["RJ1", "Group 2", "Extend", "2023-05-26T00:00:00"],
                ["", "Group 1", "Extend", "2023-05-26T00:00:00"],
                ["RQ6", "", "", "2023-05-26T00:00:00"],
                ["RXH", "Group 3", "Optimising", "26 May 2023 at noon"],
            ]
        )
    )
    assert [row.code for row in parse.rows] == ["RJ1"]
    assert parse.errors == [
        "Line 3: no organisation code.",
        "Line 4: RQ6: no EPR group, status or supplier.",
        "Line 5: RXH: unreadable report date '26 May 2023 at noon'.",
    ]


def test_a_file_with_a_code_but_no_epr_column_is_refused():
    with pytest.raises(FileRefused, match="needs an organisation code and an EPR group, status or supplier"):
        parse_epr(csv_bytes([["Organisation Code", "Name"], ["RJ1", "GUY'S"]]))


# DMA: providers by name, two kinds of sheet found by their headers.


def test_the_official_dma_workbook_gives_pillar_and_comparison_rows():
    parse = parse_dma(DMA.read_bytes())
    assert parse.as_at == datetime.date(2026, 3, 30)  # "Publication date: 30 March 2026"
    assert parse.sheets == ["SC - 2025 Pillar Summary", "SC - 24 vs 25 Overall DMA"]  # not the ICB sheets
    pillar_rows = [row for row in parse.rows if row.pillars]
    assert len(pillar_rows) == 285 and len({row.name for row in pillar_rows}) == 204
    assert Counter(row.edition for row in parse.rows if row.overall is not None) == {"2024": 285, "2025": 285}
    bath = next(row for row in pillar_rows if row.name == "ROYAL UNITED HOSPITALS BATH NHS FOUNDATION TRUST")
    assert (bath.line, bath.care_setting, bath.edition) == (13, "Acute", "2025")
    assert bath.pillars["dma_well_led"] == 2.8 and bath.pillars["dma_smart_foundations"] == 3.1
    assert parse.errors == []


def test_the_dma_pillar_sheet_as_csv_needs_its_year_and_keeps_its_codes():
    with pytest.raises(FileRefused, match="--year 2025"):
        parse_dma(DMA_PILLARS_CSV.read_bytes())
    parse = parse_dma(DMA_PILLARS_CSV.read_bytes(), year="2025")
    assert len(parse.rows) == 285 and parse.rows[1].code == "RD1"


def test_a_dma_score_out_of_range_is_reported_by_sheet_and_line():
    content = xlsx(
        [
            ["DMA 2026"],
            [],
            ["Region", "ICS", "Provider", "Care setting", "Well led", "Safe practice"],
            ["LONDON", "X", "A NHS TRUST", "Acute", 2.5, 7],
            ["LONDON", "X", "B NHS TRUST", "Acute", 3, 2.2],
        ],
        sheet="SC - 2026 Pillar Summary",
    )
    parse = parse_dma(content)
    assert [(row.name, row.edition, row.pillars) for row in parse.rows] == [
        ("B NHS TRUST", "2026", {"dma_well_led": 3.0, "dma_safe_practice": 2.2})
    ]
    assert parse.errors == [
        "Sheet 'SC - 2026 Pillar Summary' line 4: A NHS TRUST: unreadable score Safe Practice '7' (scores run 1 to 5)."
    ]


def test_next_years_dma_workbook_reads_without_a_code_change():
    workbook = openpyxl.Workbook()
    pillars = workbook.active
    pillars.title = "SC - 2026 Pillar Summary"
    for row in (["2026 DMA"], [], [None, "Region", "ICS", "Provider", "Care Setting", "Well Led", "Improve Care"]):
        pillars.append(row)
    pillars.append([None, "LONDON", "X", "A NHS TRUST", "Acute", 3.1, 2.4])
    comparison = workbook.create_sheet("SC - 25 vs 26 Overall DMA")
    comparison.append([None, "Region", "ICS", "Provider", "Care Setting", "2026 Average", "2025 Average"])
    comparison.append([None, "LONDON", "X", "A NHS TRUST", "Acute", 2.6, 2.5])
    out = io.BytesIO()
    workbook.save(out)

    parse = parse_dma(out.getvalue())

    assert parse.editions == {"2025", "2026"}
    assert [(row.sheet, row.line, row.edition, row.pillars, row.overall) for row in parse.rows] == [
        ("SC - 2026 Pillar Summary", 4, "2026", {"dma_well_led": 3.1, "dma_improve_care": 2.4}, None),
        ("SC - 25 vs 26 Overall DMA", 2, "2025", {}, 2.5),
        ("SC - 25 vs 26 Overall DMA", 2, "2026", {}, 2.6),
    ]


def test_an_epr_file_with_groups_and_suppliers_feeds_both_sources():
    parse = parse_epr(
        csv_bytes(
            [
                ["Organisation Code", "EPR Group", "Current EPR Status", "Supplier (Primary EPR)", "Report date"],
                ["RJ1", "Group 3", "Optimising", "Epic Systems Corporation", "01/04/2025"],
            ]
        )
    )
    assert (parse.has_status, parse.has_supplier, parse.as_at) == (True, True, datetime.date(2025, 4, 1))


def test_line_numbers_stay_true_when_a_quoted_cell_runs_over_several_lines():
    parse = parse_dspt(
        b"Code,Name,Status\nRJ1,\"GUY'S AND\nST THOMAS'\",Standards Met\nRQ6,X,Standards Mostly Met\n", year="2022-23"
    )
    assert parse.rows[0].line == 2  # where the record starts
    assert parse.errors == ["Line 4: RQ6: unreadable status 'Standards Mostly Met'."]
