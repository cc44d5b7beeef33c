"""Each trust's ICB over time: derived from the published files only (trusts/importers/icbs.py), stored by
the ODS import, read for a day (trusts/selectors.py)."""

import datetime
from pathlib import Path

import pytest

from trusts import services
from trusts.importers.icbs import IcbRow, derive_icb_memberships
from trusts.importers.register import SuccessionRow, TrustRow
from trusts.models import Trust, TrustIcbMembership
from trusts.selectors import icbs_in_force_on, in_icb_on_q, trust_icbs_on

DATA = Path(services.DATA_DIR)
D = datetime.date
ICBS = [
    IcbRow("QAA", "NHS A ICB", "Y56", opened_on=D(2022, 7, 1)),  # continues unchanged
    IcbRow("QBB", "NHS B ICB", "Y56", opened_on=D(2022, 7, 1), closed_on=D(2026, 3, 31), successor_codes=("NEW",)),
    IcbRow("QCC", "NHS C ICB", "Y56", opened_on=D(2022, 7, 1), closed_on=D(2026, 3, 31), successor_codes=("NEW",)),
    IcbRow("NEW", "NHS NEW ICB", "Y56", opened_on=D(2026, 4, 1), formed_from=("QBB", "QCC")),
]


OPENED = D(2010, 4, 1)


def trust(code, icb, opened=OPENED, closed=None):
    return TrustRow(1, code, f"{code} NHS TRUST", "Y56", icb, "", opened, closed)


def derive(trusts, listed=None, successions=()):
    result = derive_icb_memberships(
        trusts=trusts, icbs=ICBS, icb_by_trust_2023=listed or {}, successions=list(successions)
    )
    return {(row.ods_code, row.valid_from): row for row in result.rows}, result.warnings


def test_an_earlier_icb_comes_from_the_2023_list_and_the_current_one_from_the_register():
    rows, warnings = derive([trust("T01", "NEW")], listed={"T01": "QBB"})
    assert [(r.icb_code, r.valid_from, r.valid_to) for r in rows.values()] == [
        ("QBB", D(2022, 7, 1), D(2026, 3, 31)),
        ("NEW", D(2026, 4, 1), None),
    ]
    assert "June 2023" in rows[("T01", D(2022, 7, 1))].source and warnings == []


def test_an_icb_that_continued_unchanged_kept_its_trusts():
    rows, _ = derive([trust("T02", "QAA")])
    assert rows[("T02", D(2022, 7, 1))].icb_code == "QAA"
    assert "unchanged" in rows[("T02", D(2022, 7, 1))].source


def test_a_merged_icb_does_not_say_which_of_its_predecessors_a_trust_was_in():
    rows, _ = derive([trust("T03", "NEW")])
    row = rows[("T03", D(2022, 7, 1))]
    assert row.icb_code == ""
    assert row.source.startswith("not known") and "QBB, QCC" in row.source


def test_a_trust_formed_by_merger_takes_its_predecessors_icb_and_not_a_later_joiners():
    rows, _ = derive(
        [trust("T04", "NEW", closed=D(2024, 10, 31)), trust("T05", "NEW", opened=D(2024, 11, 1))],
        listed={"T04": "QCC"},
        successions=[SuccessionRow(1, "T04", "T05", D(2024, 11, 1)), SuccessionRow(2, "T06", "T05", D(2026, 4, 1))],
    )
    formed = rows[("T05", D(2024, 11, 1))]
    assert (formed.icb_code, formed.valid_to) == ("QCC", D(2026, 3, 31))
    assert "(T04, succ.csv)" in formed.source
    assert rows[("T04", D(2022, 7, 1))].valid_to == D(2024, 10, 31)


def test_trusts_closed_before_icbs_existed_get_no_icb_and_disagreements_are_reported():
    rows, warnings = derive([trust("T07", "QAA", closed=D(2019, 9, 30)), trust("T08", "QAA")], listed={"T08": "QCC"})
    assert not [key for key in rows if key[0] == "T07"]
    assert rows[("T08", D(2022, 7, 1))].icb_code == "QCC"  # the dated list wins
    assert warnings == [
        "T08: the June 2023 trust list puts it in QCC, the July 2026 register in QAA (an ICB unchanged on "
        "1 April 2026); QCC is used up to then"
    ]


@pytest.fixture
def imported(db):
    return services.ods_import(extract=DATA / "etr.csv")


def test_the_real_files_put_every_trust_open_in_2024_in_one_of_the_42_icbs(imported):
    day = D(2024, 6, 30)
    open_then = Trust.objects.filter(opened_on__lte=day).exclude(closed_on__lt=day)
    icbs = trust_icbs_on(day, open_then)
    assert len(icbs) == open_then.count() > 200
    assert {icb.code for icb in icbs.values()} == set(icbs_in_force_on(day).values_list("code", flat=True))
    assert icbs_in_force_on(day).count() == 42 and icbs_in_force_on(D(2026, 6, 30)).count() == 36
    assert imported.memberships.not_known == []
    assert [warning[:4] for warning in imported.memberships.warnings] == ["RPG:"]


def test_the_real_files_follow_a_trust_across_the_2026_mergers(imported):
    north_london = Trust.objects.filter(ods_code="G6V2S")
    assert trust_icbs_on(D(2025, 1, 1), north_london)[north_london.get().pk].code == "QMJ"
    assert trust_icbs_on(D(2026, 4, 1), north_london)[north_london.get().pk].code == "Z9B2Z"
    assert trust_icbs_on(D(2024, 1, 1), north_london)[north_london.get().pk].name == "Not open then"
    frimley_2024 = Trust.objects.filter(in_icb_on_q("QNQ", D(2024, 1, 1)))
    assert sorted(frimley_2024.values_list("ods_code", flat=True)) == ["RDU", "RWX"]
    assert trust_icbs_on(D(2021, 1, 1), Trust.objects.filter(ods_code="RDU")).popitem()[1].name == "No ICB yet"


def test_a_second_import_writes_no_membership(imported):
    again = services.ods_import(extract=DATA / "etr.csv")
    assert (again.memberships.created, again.memberships.updated, again.memberships.removed) == (0, 0, 0)
    assert again.memberships.unchanged == TrustIcbMembership.objects.count()
