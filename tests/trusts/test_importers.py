"""The ODS import on the real extract and on bad rows (trusts/importers/register.py, trusts/services.py)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from milestones.models import RecomputeRequest, Target
from milestones.services.register import ods_import_apply
from trusts import services
from trusts.importers.register import parse_register, parse_successors
from trusts.models import ExemplarStatus, IntegratedCareBoard, Region, Sector, Trust

DATA = Path(services.DATA_DIR)
REGION_CODES = {"Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"}
GOOD_ROW = '"{code}","{name}","Y56","QKK","","","","LONDON","","SE1 8UG","{opened}","{closed}"' + ',""' * 15


def _row(code="RJ1", name="GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", opened="19930401", closed=""):
    return GOOD_ROW.format(code=code, name=name, opened=opened, closed=closed)


@pytest.fixture
def imported(db):
    return ods_import_apply(extract=DATA / "etr.csv")


def test_real_extract_loads_every_english_trust_and_sets_the_welsh_aside(imported):
    assert len(imported.register.created) == 271
    assert Trust.objects.filter(closed_on__isnull=True).count() == 199
    assert Trust.objects.filter(closed_on__isnull=False).count() == 72
    assert sorted(row.ods_code for row in imported.register.set_aside) == ["RQF", "RT4", "RYT"]
    assert not Trust.objects.filter(ods_code__in=["RQF", "RT4", "RYT"]).exists()
    assert imported.register.rejected == []


def test_real_extract_counts_regions_and_icbs(imported):
    assert Region.objects.count() == 7
    assert Trust.objects.values("region").distinct().count() == 7
    assert IntegratedCareBoard.objects.filter(closed_on__isnull=True).count() == 36
    assert IntegratedCareBoard.objects.filter(closed_on__isnull=False).count() == 12
    assert Trust.objects.filter(closed_on__isnull=True, icb__closed_on__isnull=False).count() == 0


def test_closed_icb_keeps_its_close_date_and_its_successors(imported):
    frimley = IntegratedCareBoard.objects.get(code="QNQ")
    assert frimley.closed_on == datetime.date(2026, 3, 31)
    assert frimley.ons_code == "E54000034"
    assert sorted(frimley.successors.values_list("code", flat=True)) == ["QRL", "S0E4D", "S9B9J"]
    assert list(IntegratedCareBoard.objects.get(code="QRV").successors.values_list("code", flat=True)) == ["Z9B2Z"]


def test_closed_trust_is_kept_and_linked_to_its_successor(imported):
    royal_liverpool = Trust.objects.get(ods_code="RQ6")
    assert royal_liverpool.closed_on == datetime.date(2019, 9, 30)
    assert list(royal_liverpool.successors.values_list("ods_code", flat=True)) == ["REM"]
    assert list(Trust.objects.get(ods_code="RNK").successors.values_list("ods_code", flat=True)) == ["G6V2S"]
    assert imported.successors.splits == {"RW6": ["R0A", "RM3"]}
    pennine_acute = Trust.objects.get(ods_code="RW6")
    assert sorted(pennine_acute.successors.values_list("ods_code", flat=True)) == ["R0A", "RM3"]
    assert list(Trust.objects.get(ods_code="RM3").predecessors.values_list("ods_code", flat=True)) == ["RW6"]


def test_five_character_codes_load_with_their_hand_filled_profiles(imported):
    north_london = Trust.objects.get(ods_code="G6V2S")
    assert north_london.sector == Sector.MENTAL_HEALTH
    assert north_london.icb.code == "Z9B2Z"
    assert Trust.objects.get(ods_code="K0N6A").sector == Sector.UNCLASSIFIED


def test_profiles_give_sector_and_exemplar_status_through_successors(imported):
    assert Trust.objects.get(ods_code="REM").exemplar_status == ExemplarStatus.GLOBAL_DIGITAL_EXEMPLAR
    assert Trust.objects.get(ods_code="RD8").exemplar_status == ExemplarStatus.FAST_FOLLOWER
    assert Trust.objects.get(ods_code="RX6").sector == Sector.AMBULANCE
    assert Trust.objects.filter(exemplar_status=ExemplarStatus.GLOBAL_DIGITAL_EXEMPLAR).count() == 26
    assert not Trust.objects.filter(closed_on__isnull=True, sector=Sector.UNCLASSIFIED).exclude(ods_code="K0N6A")


def test_reimport_writes_nothing(imported):
    requests_before = RecomputeRequest.objects.count()
    again = ods_import_apply(extract=DATA / "etr.csv")
    assert (again.icbs.created, again.icbs.updated, again.icbs.unchanged) == ([], [], 48)
    assert (again.register.created, again.register.updated, again.register.unchanged) == ([], [], 271)
    assert (again.successors.linked, again.successors.unchanged) == ([], 66)
    assert again.profiles.applied == []
    assert RecomputeRequest.objects.count() == requests_before


def test_changed_name_and_close_date_update_the_trust(imported, tmp_path):
    lines = (DATA / "etr.csv").read_text().splitlines()
    changed = [
        line.replace('"THE ONLINE NHS TRUST"', '"THE ONLINE NHS FOUNDATION TRUST"')
        if line.startswith('"K0N6A"')
        else line
        for line in lines
    ]
    changed = [
        line.replace('"20241101","",', '"20241101","20261231",') if line.startswith('"G6V2S"') else line
        for line in changed
    ]
    extract = tmp_path / "etr.csv"
    extract.write_text("\n".join(changed) + "\n")

    summary = ods_import_apply(extract=extract)

    # The close date can change compliance: a second round of recomputes. The name cannot.
    assert sorted(summary.register.updated) == ["G6V2S", "K0N6A"]
    assert summary.register.unchanged == 269
    assert Trust.objects.get(ods_code="K0N6A").name == "THE ONLINE NHS FOUNDATION TRUST"
    assert Trust.objects.get(ods_code="G6V2S").closed_on == datetime.date(2026, 12, 31)
    assert summary.register.to_recompute == ["G6V2S"]
    assert RecomputeRequest.objects.filter(target__isnull=False).count() == 2 * Target.objects.count()


def test_each_bad_row_is_reported_with_its_line_and_the_rest_load(db, tmp_path):
    extract = tmp_path / "etr.csv"
    extract.write_text(
        "\n".join(
            [
                _row("RJ1"),
                _row("XJ1", name="BAD CODE TRUST"),
                _row("RJ2", opened="2019-04-01"),
                '"RJ3","TOO SHORT NHS TRUST","Y56"',
                _row("RJ4").replace('"Y56"', '"Y99"'),
                _row("RJ5", closed="20191399"),
                _row("RJ6", closed="20200331"),
            ]
        )
        + "\n"
    )

    summary = ods_import_apply(extract=extract)

    assert summary.register.created == ["RJ1", "RJ6"]
    assert [(error.line, error.code) for error in summary.register.rejected] == [
        (2, "XJ1"),
        (3, "RJ2"),
        (4, "RJ3"),
        (5, "RJ4"),
        (6, "RJ5"),
    ]
    messages = [error.message for error in summary.register.rejected]
    assert "not an ODS trust code" in messages[0]
    assert "open date" in messages[1]
    assert "columns" in messages[2]
    assert "unknown region 'Y99'" in messages[3]
    assert "close date" in messages[4]
    assert Trust.objects.get(ods_code="RJ6").closed_on == datetime.date(2020, 3, 31)


def test_parse_register_reports_a_repeated_code_and_skips_blank_lines():
    parsed = parse_register(io.StringIO(_row("RJ1") + "\n\n" + _row("RJ1") + "\n"), region_codes=REGION_CODES)
    assert [row.ods_code for row in parsed.rows] == ["RJ1"]
    assert [str(error) for error in parsed.errors] == ["line 3 (RJ1): code already on line 1"]


def test_parse_successors_keeps_only_successions_between_known_trusts():
    lines = io.StringIO('"RQ6","REM","","20191001","0"\n"001","016","","19960401","0"\n"RQ6","XYZ","","bad","0"\n')
    parsed = parse_successors(lines, codes={"RQ6", "REM"})
    assert [(row.old_code, row.new_code, row.effective_on) for row in parsed.rows] == [
        ("RQ6", "REM", datetime.date(2019, 10, 1))
    ]
    assert parsed.errors == []


def test_admin_correction_of_a_sector_survives_reimport(imported):
    Trust.objects.filter(ods_code="RJ1").update(sector=Sector.SPECIALIST)
    ods_import_apply(extract=DATA / "etr.csv")
    assert Trust.objects.get(ods_code="RJ1").sector == Sector.SPECIALIST


def test_import_ods_command_prints_the_summary(db, capsys):
    call_command("import_ods", str(DATA / "etr.csv"))
    out = capsys.readouterr().out
    assert "271 created, 0 updated, 0 unchanged, 3 set aside, 0 rejected" in out
    assert "RQF VELINDRE NHS TRUST" in out
    assert "RW6 was split between R0A, RM3" in out


def test_import_ods_command_refuses_a_missing_file(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_ods", "/nonexistent/etr.csv")
    assert not Trust.objects.exists()
