"""Importing the published national data as snapshots: the real shipped files, against the real register."""

import csv
import datetime
import io
from collections import Counter
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from dashboards.cache import dashboard_cache
from milestones import rules
from milestones.models import DsptAssessment, RecomputeRequest, Source, SourceRow, SourceSnapshot
from milestones.services.source_rows import normalise_name
from milestones.services.sources import dma_file_import, epr_file_import
from tests.factories import TrustFactory

DATA = Path(__file__).resolve().parents[2] / "milestones" / "data"
FRONTLINE = DATA / "epr" / "frontline_digitisation_epr_2023-05-26.csv"
SUPPLIERS = DATA / "epr" / "epr_primary_suppliers_2024-10-01.xlsx"
DMA = DATA / "dma" / "dma_2024-2025_datafile.xlsx"
DMA_WITH_CODES = DATA / "dma" / "dma_2025_pillar_scores_with_ods.csv"
CARE_TRUSTS = ["TAD", "TAF", "TAH", "TAJ"]
D = datetime.date


def rows_of(source: Source):
    return SourceRow.objects.filter(snapshot__source=source)


def test_source_choices_mirror_the_rules_source_kinds():
    assert {choice.value for choice in Source} == {kind.value for kind in rules.SourceKind}


# EPR status: the Frontline Digitisation report of 26 May 2023.


def test_frontline_digitisation_report_loads_each_trust_with_group_and_status(register):
    (summary,) = epr_file_import(path=FRONTLINE)

    snapshot = summary.snapshot
    assert (snapshot.source, snapshot.as_at, snapshot.file_name) == (Source.EPR_STATUS, D(2023, 5, 26), FRONTLINE.name)
    assert (snapshot.rows_read, snapshot.rows_loaded) == (212, 207)
    rows = rows_of(Source.EPR_STATUS)
    assert Counter(rows.values_list("epr_group", flat=True)) == {
        "Group 0": 16,
        "Group 1": 10,  # the eleventh, TAH, is a care trust not in the register
        "Group 2": 138,
        "Group 3": 43,
    }
    assert rows.filter(epr_status="Already meets the core capabilities in the MDF").count() == 42
    assert sorted(u.code for u in summary.unmatched) == CARE_TRUSTS
    # Yeovil (RA4) closed on 31 March 2023 into Somerset (RH5), which has its own row.
    assert summary.successors == [
        "Line 13: RA4 closed on 31 Mar 2023: attributed to its successor RH5, which has its own row (line 59): skipped."
    ]
    r0a = rows.get(trust__ods_code="R0A")
    assert (r0a.line, r0a.code_in_file, r0a.size_band, r0a.epr_status) == (
        2,
        "R0A",
        "Acute Large",
        "Implementing a new",
    )


def test_supplier_list_loads_twenty_trusts_with_no_epr(register):
    (summary,) = epr_file_import(path=SUPPLIERS)

    assert (summary.snapshot.source, summary.snapshot.as_at) == (Source.EPR_SUPPLIER, D(2024, 10, 1))
    rows = rows_of(Source.EPR_SUPPLIER)
    no_epr = rows.filter(supplier__startswith="No EPR")
    assert no_epr.count() == 20
    assert not no_epr.filter(trust__closed_on__isnull=False).exists()  # all still open: no successor to follow
    # Solent (R1C) closed the day before the list's date; its successor RW1 has its own row.
    assert any(note.startswith("Sheet 'EPR Suppliers 01.10.24' line 148: R1C closed") for note in summary.successors)
    assert rows.get(trust__ods_code="RD1").supplier == "Oracle Cerner Corporation"


def test_group_0_trusts_of_2023_are_the_no_epr_trusts_of_2024(register):
    epr_file_import(path=FRONTLINE)
    epr_file_import(path=SUPPLIERS)
    group_0 = set(rows_of(Source.EPR_STATUS).filter(epr_group="Group 0").values_list("trust__ods_code", flat=True))
    no_epr = set(
        rows_of(Source.EPR_SUPPLIER).filter(supplier__startswith="No EPR").values_list("trust__ods_code", flat=True)
    )
    assert len(group_0) == 16 and group_0 <= no_epr


def test_the_same_supplier_list_as_csv_loads_the_same_rows(register, tmp_path):
    workbook = openpyxl.load_workbook(SUPPLIERS, read_only=True)
    copy = tmp_path / "suppliers.csv"
    with copy.open("w", newline="") as out:
        csv.writer(out).writerows(workbook.worksheets[0].iter_rows(values_only=True))
    epr_file_import(path=SUPPLIERS)

    (summary,) = epr_file_import(path=copy, as_at=D(2024, 10, 1))

    by_file = {}
    for snapshot in SourceSnapshot.objects.filter(source=Source.EPR_SUPPLIER):
        by_file[snapshot.file_name] = sorted(snapshot.rows.values_list("trust__ods_code", "supplier", "line"))
    assert by_file[copy.name] == by_file[SUPPLIERS.name] and len(by_file[copy.name]) == 204


def test_an_epr_file_with_no_date_anywhere_is_refused_without_as_at(register, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("Organisation Code,Supplier (Primary EPR)\nRD1,Epic\n")
    with pytest.raises(CommandError, match="Nothing imported .*Give it with --as-at"):
        call_command("import_epr", str(path), stdout=StringIO())
    out = StringIO()
    call_command("import_epr", str(path), "--as-at", "2025-04-01", stdout=out)
    assert "suppliers.csv: Primary EPR supplier as at 1 Apr 2025: 1 rows read, 1 loaded." in out.getvalue()


# Snapshots are kept: the same file writes nothing, a newer one adds a snapshot.


def test_reimporting_the_same_file_writes_nothing(register, django_capture_on_commit_callbacks):
    epr_file_import(path=FRONTLINE)
    counts = (SourceSnapshot.objects.count(), SourceRow.objects.count(), RecomputeRequest.objects.count())

    (again,) = epr_file_import(path=FRONTLINE)

    assert again.snapshot is None and again.already.file_name == FRONTLINE.name
    assert (SourceSnapshot.objects.count(), SourceRow.objects.count(), RecomputeRequest.objects.count()) == counts


def test_the_same_file_again_loads_the_lines_for_trusts_the_register_has_gained(db, tmp_path):
    TrustFactory(ods_code="T1A")
    path = tmp_path / "suppliers.csv"
    path.write_text("Organisation Code,Supplier (Primary EPR)\nT1A,TPP\nT9Z,Epic\n")
    (first,) = epr_file_import(path=path, as_at=D(2024, 10, 1))
    assert (first.rows_loaded, [u.code for u in first.unmatched]) == (1, ["T9Z"])
    snapshot = first.snapshot
    before = dashboard_cache().generation

    late = TrustFactory(ods_code="T9Z")  # the register updated after the file was imported
    out = StringIO()
    call_command("import_epr", str(path), "--as-at", "2024-10-01", stdout=out)

    snapshot.refresh_from_db()
    assert SourceSnapshot.objects.get() == snapshot  # the same snapshot, completed
    assert snapshot.rows_loaded == 2 and "T9Z" not in snapshot.report
    assert list(SourceRow.objects.filter(trust=late).values_list("line", "supplier")) == [(3, "Epic")]
    assert SourceRow.objects.count() == 2  # T1A's line is not stored twice
    assert dashboard_cache().generation == before + 1
    assert "1 rows for trusts the register matches only now loaded (2 of 2 in all)." in out.getvalue()

    (third,) = epr_file_import(path=path, as_at=D(2024, 10, 1))
    assert (third.snapshot, third.rows_added, SourceRow.objects.count()) == (None, 0, 2)


def test_a_dspt_file_again_gives_a_trust_new_to_the_register_its_status(db, import_dspt_csv):
    TrustFactory(ods_code="T1A")
    text = "Code,Status\nT1A,22/23 Standards Met\nT9Z,22/23 Approaching Standards\n"
    assert import_dspt_csv("dspt.csv", text, D(2023, 7, 1)).dspt.created == 1

    late = TrustFactory(ods_code="T9Z")
    summary = import_dspt_csv("dspt-copy.csv", text, D(2023, 8, 1))  # the same file, renamed

    assert (summary.rows_added, summary.dspt.created) == (1, 1)
    assessment = DsptAssessment.objects.get(trust=late)
    assert (assessment.status, assessment.source_file) == ("approaching", "dspt.csv")  # as its snapshot says
    assert DsptAssessment.objects.count() == 2


def test_a_newer_file_adds_a_snapshot_and_keeps_the_older_rows(db, tmp_path):
    trust = TrustFactory(ods_code="T1A")
    first, later = tmp_path / "epr-1.csv", tmp_path / "epr-2.csv"
    first.write_text("trust_ods_code,EPR_Group,Current_EPR_Status,Bi_Weekly_Report_Date\nT1A,Group 0,,2023-05-26\n")
    later.write_text(
        "trust_ods_code,EPR_Group,Current_EPR_Status,Bi_Weekly_Report_Date\nT1A,Group 2,Extend,2023-06-09\n"
    )
    epr_file_import(path=first)
    RecomputeRequest.objects.all().delete()

    epr_file_import(path=later)

    history = list(
        SourceRow.objects.filter(trust=trust).order_by("snapshot__as_at").values_list("snapshot__as_at", "epr_group")
    )
    assert history == [(D(2023, 5, 26), "Group 0"), (D(2023, 6, 9), "Group 2")]
    # The core target (its EPR-in-use and MDF requirements) is recomputed.
    assert list(RecomputeRequest.objects.values_list("target__code", flat=True)) == ["core-2023"]


def test_a_new_snapshot_makes_the_cached_pages_stale_even_when_no_status_changes(db, import_dspt_csv):
    TrustFactory(ods_code="T1A")
    import_dspt_csv("first.csv", "Code,Status\nT1A,22/23 Standards Met\n", D(2023, 7, 1))
    before = dashboard_cache().generation

    summary = import_dspt_csv("later.csv", "Code,Status,Name\nT1A,22/23 Standards Met,TEST\n", D(2023, 11, 16))

    assert summary.dspt.unchanged == 1
    assert dashboard_cache().generation == before + 1  # the trust page shows the newer as-at date


def test_an_older_dspt_file_imported_late_does_not_replace_a_newer_status(db, import_dspt_csv):
    trust = TrustFactory(ods_code="T1A")
    header = "Code,Status,Date Of Publication\n"
    import_dspt_csv("newer.csv", header + "T1A,22/23 Standards Met,30/06/2023\n", D(2023, 11, 16))

    summary = import_dspt_csv("older.csv", header + "T1A,22/23 Approaching Standards,30/05/2023\n", D(2023, 6, 1))

    assert summary.dspt.kept_newer == 1
    assert DsptAssessment.objects.get(trust=trust).status == "met"
    assert SourceRow.objects.filter(trust=trust).count() == 2  # both files' rows are kept


# Successors: a row for a trust that had closed goes to the trust that took it over.


@pytest.fixture
def merged(db):
    heir = TrustFactory(ods_code="T2B")
    gone = TrustFactory(ods_code="T2A", closed_on=D(2024, 3, 31))
    gone.successors.add(heir)
    split = TrustFactory(ods_code="T2C", closed_on=D(2024, 3, 31))
    split.successors.add(heir, TrustFactory(ods_code="T2D"))
    return heir


def test_a_closed_trusts_row_goes_to_its_successor_unless_it_has_its_own(merged, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("Organisation Code,Supplier (Primary EPR)\nT2A,TPP\nT2C,Epic\n")

    (summary,) = epr_file_import(path=path, as_at=D(2024, 10, 1))

    row = SourceRow.objects.get()
    assert (row.trust, row.code_in_file, row.supplier) == (merged, "T2A", "TPP")
    assert summary.successors == ["Line 2: T2A closed on 31 Mar 2024: attributed to its successor T2B."]
    assert [str(u) for u in summary.unmatched] == [
        "Line 3: T2C: T2C closed on 31 Mar 2024, split between T2B, T2D: not attributed to either"
    ]


def test_a_row_dated_before_the_closure_stays_with_the_trust_that_published_it(merged, tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("Organisation Code,Supplier (Primary EPR)\nT2A,TPP\nT2B,Epic\n")
    epr_file_import(path=path, as_at=D(2024, 1, 1))
    assert dict(SourceRow.objects.values_list("code_in_file", "trust__ods_code")) == {"T2A": "T2A", "T2B": "T2B"}


def test_a_dspt_status_for_a_year_after_the_closure_goes_to_the_successor(merged, import_dspt_csv):
    import_dspt_csv("dspt.csv", "Code,Status\nT2A,24/25 Standards Met\nT2A,23/24 Standards Met\n", D(2025, 7, 1))
    assert sorted(DsptAssessment.objects.values_list("trust__ods_code", "year")) == [
        ("T2A", "2023-24"),  # its own year: the trust was open then
        ("T2B", "2024-25"),  # a year that began after T2A closed: its successor's
    ]


# DMA: providers named, matched to trusts.


def test_dma_providers_are_matched_by_name_as_the_derived_file_matched_them(register):
    # Names of trusts renamed since the register's names were taken come from the other files.
    epr_file_import(path=FRONTLINE)
    epr_file_import(path=SUPPLIERS)
    call_command("import_dspt", str(DATA / "dspt" / "dspt_2022-23.csv"), "--year", "2022-23", stdout=StringIO())

    summary = dma_file_import(path=DMA)

    assert (summary.snapshot.as_at, summary.snapshot.edition) == (D(2026, 3, 30), "2025")
    assert (summary.rows_read, summary.rows_loaded) == (570, 560)
    unmatched = {u.name for u in summary.unmatched}
    assert unmatched == {
        "BLACK COUNTRY HEALTHCARE NHS FOUNDATION TRUST",
        "BRADFORD DISTRICT CARE NHS FOUNDATION TRUST",
        "SHEFFIELD HEALTH & SOCIAL CARE NHS FOUNDATION TRUST",
    }  # care trusts TAJ, TAD, TAH: not in the NHS trust register
    ours = {
        (row.name_in_file, row.care_setting): row.trust.ods_code
        for row in SourceRow.objects.filter(
            snapshot=summary.snapshot, edition="2025", dma_overall__isnull=True
        ).select_related("trust")
    }
    with DMA_WITH_CODES.open() as derived:
        theirs = {
            (row["Provider"], row["Care Setting"]): row["ods_code_matched"]
            for row in csv.DictReader(derived)
            if row["ods_code_matched"] not in CARE_TRUSTS
        }
    assert ours == theirs


def test_dma_name_matching_without_other_files_reports_renamed_trusts_by_line(register):
    summary = dma_file_import(path=DMA)
    wigan = [u for u in summary.unmatched if u.name == "WRIGHTINGTON, WIGAN AND LEIGH NHS FOUNDATION TRUST"]
    assert [u.where for u in wigan] == [  # each line once, though a comparison line gives two years
        "Sheet 'SC - 2025 Pillar Summary' line 108",
        "Sheet 'SC - 2025 Pillar Summary' line 109",
        "Sheet 'SC - 24 vs 25 Overall DMA' line 113",
        "Sheet 'SC - 24 vs 25 Overall DMA' line 114",
    ]
    assert wigan[0].reason == "name matches no trust in the register"


def test_names_are_compared_without_case_punctuation_or_a_leading_the():
    assert normalise_name("The Royal Orthopaedic Hospital NHS Foundation Trust (RRJ)") == normalise_name(
        "ROYAL ORTHOPAEDIC HOSPITAL NHS FOUNDATION TRUST"
    )
    assert normalise_name("Sheffield Health & Social Care") == "SHEFFIELD HEALTH AND SOCIAL CARE"
    assert normalise_name("PORTSMOUTH HOSPITALS UNIVERSITY NATIONAL HEALTH SERVICE TRUST") == normalise_name(
        "Portsmouth Hospitals University NHS Trust"
    )


def test_command_refuses_a_file_that_is_not_a_dma_file(db, tmp_path):
    path = tmp_path / "dma.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["ICS", "Well led"])
    out = io.BytesIO()
    workbook.save(out)
    path.write_bytes(out.getvalue())
    with pytest.raises(CommandError, match="Nothing imported .*No column for a provider and a care setting"):
        call_command("import_dma", str(path), stdout=StringIO())
    assert not SourceSnapshot.objects.exists()


def test_import_dma_command_reports_what_it_loaded(register):
    out = StringIO()
    call_command("import_dma", str(DMA), stdout=out)
    assert (
        "dma_2024-2025_datafile.xlsx: Digital Maturity Assessment 2025 as at 30 Mar 2026: 570 rows read"
        in out.getvalue()
    )
    assert "rows for trusts not matched in the register (not loaded):" in out.getvalue()
