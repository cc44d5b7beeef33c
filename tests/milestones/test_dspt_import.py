"""Importing published DSPT statuses: the parser, the writing service and the command."""

import contextlib
import datetime
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from dashboards.cache import dashboard_cache
from milestones.importers.dspt import DsptFileRefused, DsptRow, parse_dspt
from milestones.models import (
    DsptAssessment,
    DsptAssessmentChange,
    DsptStatus,
    DsptSubmissionDeadline,
    RecomputeRequest,
    Target,
)
from milestones.services.dspt import dspt_assessments_apply, dspt_deadline_delete, dspt_deadline_save
from milestones.services.sources import dspt_file_import
from tests.factories import TrustFactory

DATA = Path(__file__).resolve().parents[2] / "milestones" / "data" / "dspt"
FILE_2020_21 = DATA / "dspt_2020-21.csv"
FILE_2021_22 = DATA / "dspt_2021-22.csv"
CARE_TRUSTS = ["TAD", "TAF", "TAH", "TAJ"]


# The parser: plain rows and errors, no database.


def test_columns_are_found_by_name_whatever_their_order_and_spelling():
    lines = [
        "Notes,Date Of Publication,Latest Status,Organisation Code",
        "x,28/07/2021,20/21 Standards Exceeded,rj1",
        "y,,21/22 approaching  standards,RQ6",
    ]
    parse = parse_dspt(lines)
    assert [(r.line, r.code, r.year, r.status, r.published_on) for r in parse.rows] == [
        (2, "RJ1", "2020-21", DsptStatus.STANDARDS_EXCEEDED, datetime.date(2021, 7, 28)),
        (3, "RQ6", "2021-22", DsptStatus.APPROACHING_STANDARDS, None),
    ]
    assert parse.errors == []


def test_an_own_latest_status_is_preferred_to_a_derived_final_status():
    parse = parse_dspt(["Code,Final.Status,Latest.Status", "RJ1,20/21 Standards Met,19/20 Approaching Standards"])
    assert (parse.rows[0].year, parse.rows[0].status) == ("2019-20", DsptStatus.APPROACHING_STANDARDS)


def test_a_file_with_no_status_column_is_refused_naming_the_columns_found():
    with pytest.raises(DsptFileRefused, match=r"No column for a status\. Columns found: 'ODS Code', 'Name'\."):
        parse_dspt(["ODS Code,Name", "RJ1,GUY'S"])


def test_a_file_with_no_code_column_is_refused():
    with pytest.raises(DsptFileRefused, match="No column for an organisation code"):
        parse_dspt(["Name,Status", "GUY'S,21/22 Standards Met"])


def test_unreadable_and_missing_statuses_are_reported_with_their_line():
    parse = parse_dspt(["Code,Status", "RJ1,#N/A", "RQ6,", "RXH,21/22 Standards Met", "R1A,20/22 Standards Met"])
    assert [row.code for row in parse.rows] == ["RXH"]
    assert parse.errors == [
        "Line 2: RJ1: no status ('#N/A' in the file).",
        "Line 3: RQ6: no status.",
        "Line 5: R1A: unreadable status '20/22 Standards Met'.",
    ]


def test_year_comes_from_the_option_when_statuses_have_no_prefix():
    parse = parse_dspt(["Code,Status", "RJ1,Standards Met", "RQ6,22/23 Not Published"], year="2021-22")
    assert [(r.code, r.year) for r in parse.rows] == [("RJ1", "2021-22"), ("RQ6", "2022-23")]


def test_a_year_option_that_disagrees_with_a_status_prefix_is_reported_and_the_prefix_kept():
    parse = parse_dspt(
        [
            "Code,Status",
            "RJ1,22/23 Standards Met",
            "RQ6,Standards Met",
            "R1A,22/23 Not Published",
            "R1B,21/22 Standards Met",
        ],
        year="2021-22",
    )
    assert [(r.code, r.year) for r in parse.rows] == [
        ("RJ1", "2022-23"),
        ("RQ6", "2021-22"),
        ("R1A", "2022-23"),
        ("R1B", "2021-22"),
    ]
    assert parse.warnings == ["Lines 2, 4: the status says 2022-23, not 2021-22 as given: imported as 2022-23."]


def test_command_reports_a_year_option_that_disagrees_with_a_status_prefix(db, tmp_path):
    path = tmp_path / "dspt.csv"
    path.write_text("Code,Status\nRJ1,22/23 Standards Met\n")
    err = StringIO()
    call_command("import_dspt", str(path), "--year", "2021-22", stdout=StringIO(), stderr=err)
    assert "Warning: Line 2: the status says 2022-23, not 2021-22 as given" in err.getvalue()


def test_a_file_whose_statuses_give_no_year_is_refused_without_the_option():
    with pytest.raises(DsptFileRefused, match="lines 2, 3.*--year 2021-22"):
        parse_dspt(["Code,Status", "RJ1,Standards Met", "RQ6,Standards Not Met"])


def test_a_malformed_year_option_is_refused():
    with pytest.raises(DsptFileRefused, match="not an assessment year"):
        parse_dspt(["Code,Status"], year="2021")


def test_unreadable_publication_date_is_reported_with_its_line():
    parse = parse_dspt(["Code,Status,Date.Of.Publication", "RJ1,20/21 Standards Met,31 June 2021"])
    assert parse.rows == []
    assert parse.errors == ["Line 2: RJ1: unreadable publication date '31 June 2021'."]


# The service and command, against the register.


def counts(year):
    by_status = {
        status: DsptAssessment.objects.filter(year=year, status=status).count() for status in DsptStatus.values
    }
    return {status: count for status, count in by_status.items() if count}


def test_shipped_2020_21_snapshot(register):
    summary = dspt_file_import(path=FILE_2020_21)

    assert counts("2020-21") == {"exceeded": 14, "met": 132, "approaching": 59, "not_met": 5}
    assert summary.dspt.created == 210
    assert summary.not_trusts == {"CCG": 132, "CSU": 5}
    assert [u.code for u in summary.unmatched] == CARE_TRUSTS  # trusts, but not NHS trusts in ODS's register
    assert "Line 325: RXH: no status." in summary.errors
    rj1 = DsptAssessment.objects.get(trust__ods_code="RJ1", year="2020-21")
    assert rj1.source_file == "dspt_2020-21.csv" and len(rj1.source_sha256) == 64


def test_shipped_2021_22_snapshot_without_publication_dates(register):
    summary = dspt_file_import(path=FILE_2021_22)

    assert counts("2021-22") == {"exceeded": 14, "met": 128, "approaching": 61, "not_met": 5}
    assert sorted(u.code for u in summary.unmatched) == CARE_TRUSTS
    assert summary.errors == [
        "Line 114: RBZ: no status ('#N/A' in the file).",
        "Line 117: RW6: no status ('#N/A' in the file).",
        "Line 126: RTV: no status ('#N/A' in the file).",
    ]
    assert not DsptAssessment.objects.filter(published_on__isnull=False).exists()


def test_the_same_file_again_writes_nothing(register):
    dspt_file_import(path=FILE_2020_21)
    requests = RecomputeRequest.objects.count()

    again = dspt_file_import(path=FILE_2020_21)

    assert again.snapshot is None and again.already is not None and again.dspt is None
    assert RecomputeRequest.objects.count() == requests
    assert not DsptAssessmentChange.objects.exists()


def test_a_later_file_updates_changed_statuses_and_keeps_what_it_replaced(db, tmp_path):
    trust, steady = TrustFactory(ods_code="T1A"), TrustFactory(ods_code="T1B")
    first = tmp_path / "first.csv"
    first.write_text(
        "Code,Status,Date Of Publication\nT1A,21/22 Approaching Standards,30/06/2022\nT1B,21/22 Standards Met,\n"
    )
    later = tmp_path / "later.csv"
    later.write_text("ODS Code,Status\nT1A,21/22 Standards Met\nT1B,21/22 Standards Met\n")
    dspt_file_import(path=first, as_at=datetime.date(2022, 7, 1))

    summary = dspt_file_import(path=later, as_at=datetime.date(2022, 9, 9))

    assert (summary.dspt.created, summary.dspt.updated, summary.dspt.unchanged) == (0, 1, 1)
    assessment = DsptAssessment.objects.get(trust=trust)
    assert (assessment.status, assessment.published_on, assessment.source_file) == ("met", None, "later.csv")
    change = DsptAssessmentChange.objects.get()
    assert (change.assessment, change.old_status, change.old_published_on, change.old_source_file) == (
        assessment,
        "approaching",
        datetime.date(2022, 6, 30),
        "first.csv",
    )
    assert DsptAssessment.objects.get(trust=steady).source_file == "first.csv"


def test_an_import_that_changes_statuses_requests_a_recompute_of_the_cyber_target(db, tmp_path):
    TrustFactory(ods_code="T1A")
    path = tmp_path / "dspt.csv"
    path.write_text("Code,Status\nT1A,21/22 Standards Met\n")

    dspt_file_import(path=path)

    cyber = Target.objects.get(code="cyber-2021")
    assert list(RecomputeRequest.objects.values_list("target", flat=True)) == [cyber.pk]


def test_command_prints_counts_non_trust_codes_and_errors(register):
    out, err = StringIO(), StringIO()
    call_command("import_dspt", str(FILE_2021_22), stdout=out, stderr=err)
    assert "dspt_2021-22.csv: 208 assessments created, 0 updated, 0 unchanged." in out.getvalue()
    assert "2021-22 Standards Met: 128 trusts" in out.getvalue()
    assert "4 rows for trusts not matched in the register (not loaded):" in out.getvalue()
    assert "  Line 145: TAD (Bradford District Care NHS Foundation Trust): not in the trust register" in out.getvalue()
    assert "Line 114: RBZ: no status ('#N/A' in the file)." in err.getvalue()


def test_command_refuses_a_file_without_a_status_column_and_imports_nothing(db, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("ODS Code,Name\nRJ1,GUY'S\n")
    with pytest.raises(CommandError, match="Nothing imported from .*Columns found: 'ODS Code', 'Name'"):
        call_command("import_dspt", str(path))
    assert not DsptAssessment.objects.exists()


def test_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_dspt", str(tmp_path / "missing.csv"))


def test_renamed_file_with_reordered_columns_imports_the_same(register, tmp_path):
    import csv

    copy = tmp_path / "renamed.csv"
    with FILE_2021_22.open(encoding="utf-8-sig") as source, copy.open("w", newline="") as target:
        rows = list(csv.reader(source))
        header = ["Organisation Code" if h == "ODS Code" else h for h in rows[0]]
        writer = csv.writer(target)
        for row in [header, *rows[1:]]:
            writer.writerow(list(reversed(row)))
    assert dspt_file_import(path=copy).dspt.created == 208


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_of_the_same_new_rows_store_each_assessment_once():
    trusts = TrustFactory.create_batch(3)
    rows = [
        DsptRow(line, trust.ods_code, "2021-22", DsptStatus.STANDARDS_MET, None)
        for line, trust in enumerate(trusts, start=2)
    ]
    both_read = threading.Barrier(2)

    def insert_once_both_have_read(execute, sql, params, many, context):
        # Without a lock both imports get here having found nothing stored; with one, the second
        # is still waiting for it, so the first goes on alone once the barrier gives up.
        if sql.startswith(f'INSERT INTO "{DsptAssessment._meta.db_table}" '):
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait(timeout=3)
        return execute(sql, params, many, context)

    summaries, errors = [], []

    def run_import(name):
        try:
            with connection.execute_wrapper(insert_once_both_have_read):  # this thread's connection
                summaries.append(dspt_assessments_apply(rows=rows, source_file=name, source_sha256="0" * 64))
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_import, args=(f"dspt-{n}.csv",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert DsptAssessment.objects.count() == 3
    assert sorted((s.created, s.unchanged) for s in summaries) == [(0, 3), (3, 0)]


# Submission deadlines: the periods in force hang on them.


def test_saving_a_deadline_requests_a_recompute_of_every_target_with_a_dspt_requirement(db):
    cyber = Target.objects.get(code="cyber-2021")
    before = dashboard_cache().generation

    dspt_deadline_save(deadline=DsptSubmissionDeadline(year="2026-27", deadline=datetime.date(2027, 6, 30)))

    assert DsptSubmissionDeadline.objects.get(year="2026-27").deadline == datetime.date(2027, 6, 30)
    assert list(RecomputeRequest.objects.values_list("target", "reason")) == [(cyber.pk, "DSPT 2026-27 deadline saved")]
    assert dashboard_cache().generation == before + 1


def test_a_deadline_for_a_malformed_year_is_refused_and_nothing_requested(db):
    with pytest.raises(ValidationError):
        dspt_deadline_save(deadline=DsptSubmissionDeadline(year="2026-2027", deadline=datetime.date(2027, 6, 30)))
    assert not RecomputeRequest.objects.exists()


def test_deleting_a_deadline_requests_a_recompute_of_every_target_with_a_dspt_requirement(db):
    cyber = Target.objects.get(code="cyber-2021")
    before = dashboard_cache().generation

    dspt_deadline_delete(deadline=DsptSubmissionDeadline.objects.get(year="2025-26"))

    assert not DsptSubmissionDeadline.objects.filter(year="2025-26").exists()
    assert list(RecomputeRequest.objects.values_list("target", "reason")) == [
        (cyber.pk, "DSPT 2025-26 deadline removed")
    ]
    assert dashboard_cache().generation == before + 1
