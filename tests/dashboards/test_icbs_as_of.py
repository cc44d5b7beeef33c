"""The region page as of a day groups its trusts by the ICBs in force then (the 42 ICBs up to
March 2026), on the real register; its heatmap, ICB table, exports and ICB filter follow."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from milestones.models import Target
from milestones.services.compliance import compliance_history_backfill, statuses_recompute
from milestones.services.register import ods_import_apply
from trusts import services
from trusts.models import Trust, TrustIcbMembership

pytestmark = pytest.mark.django_db
JUNE_2024 = datetime.date(2024, 6, 30)
DSPT_2022_23 = Path(__file__).resolve().parents[2] / "milestones" / "data" / "dspt" / "dspt_2022-23.csv"
# The East of England's ICBs before 1 April 2026, all replaced by three merged ICBs that day.
EAST_2024 = [
    "Bedfordshire, Luton and Milton Keynes",
    "Cambridgeshire and Peterborough",
    "Hertfordshire and West Essex",
    "Mid and South Essex",
    "Norfolk and Waveney",
    "Suffolk and North East Essex",
]
EAST_2026 = ["Central East", "Essex", "Norfolk and Suffolk"]


@pytest.fixture
def register_with_history(db):
    """The real register and its month-end statuses for June 2024 (from the rules, no evidence)."""
    ods_import_apply(extract=Path(services.DATA_DIR) / "etr.csv")
    compliance_history_backfill(since=JUNE_2024, until=JUNE_2024)


def icbs_in_csv(client, query: str) -> set[str]:
    rows = csv.DictReader(io.StringIO(client.get(f"/exports/regions/Y61/trusts.csv{query}").content.decode()))
    return {row["ICB"] for row in rows}


def test_the_region_as_of_2024_is_grouped_by_the_icbs_in_force_then(register_with_history, staff_client):
    page = staff_client.get("/regions/Y61/?as_of=2024-06-30").content.decode()
    assert "grouped by the 42 integrated care boards in force on 30 June 2024" in page
    for name in EAST_2024:
        assert name in page
    for name in EAST_2026:
        assert f"NHS {name} ICB" not in page and f">{name}<" not in page

    icbs_2024 = icbs_in_csv(staff_client, "?as_of=2024-06-30")
    assert {f"NHS {name} Integrated Care Board" for name in EAST_2024} == icbs_2024
    assert not any("Central East" in icb for icb in icbs_2024)
    assert any("Central East" in icb for icb in icbs_in_csv(staff_client, ""))  # today: the 2026 ICBs


def test_the_icb_filter_as_of_a_day_reads_the_icb_a_trust_was_in_then(register_with_history, staff_client):
    # QM7, Hertfordshire and West Essex, closed on 31 March 2026: its trusts as of 2024.
    rows = staff_client.get("/exports/regions/Y61/trusts.csv?as_of=2024-06-30&icb=QM7").content.decode()
    assert "West Hertfordshire Teaching Hospitals" in rows
    assert "Hertfordshire and West Essex" in rows and "Mid and South Essex" not in rows
    assert "West Hertfordshire" not in staff_client.get("/exports/regions/Y61/trusts.csv?icb=QM7").content.decode()


def test_the_dspt_table_by_icb_follows_the_as_of_day(register_with_history, staff_client):
    call_command("import_dspt", str(DSPT_2022_23), year="2022-23", stdout=io.StringIO())
    rows = csv.DictReader(
        io.StringIO(staff_client.get("/exports/regions/Y61/dspt.csv?as_of=2024-06-30").content.decode())
    )
    icbs = {row["ICB"] for row in rows}
    assert "NHS Hertfordshire and West Essex Integrated Care Board" in icbs
    assert not any("Central East" in icb for icb in icbs)


def test_a_trust_whose_icb_then_is_not_on_file_is_said_to_be_not_known(register_with_history, staff_client):
    membership = TrustIcbMembership.objects.get(
        trust__ods_code="RWG", valid_from__lte=JUNE_2024, valid_to__gte=JUNE_2024
    )
    membership.icb = None
    membership.source = "not known: no file names its ICB then"
    membership.save()

    page = staff_client.get("/regions/Y61/?as_of=2024-06-30").content.decode()
    assert "DigiTrack holds no ICB for these trusts on that day" in page
    assert "(RWG): not known: no file names its ICB then" in page


def test_before_icbs_existed_the_page_says_so(register_with_history, staff_client):
    page = staff_client.get("/regions/Y61/?as_of=2021-06-30").content.decode()
    assert "There were no ICBs on 30 June 2021: they were established on 1 July 2022." in page


def test_the_trust_list_as_of_a_day_names_and_filters_by_the_icb_of_then(register_with_history, staff_client):
    def listed(query):
        csv_text = staff_client.get(f"/exports/trust-list.csv?region=Y61&{query}").content.decode()
        return {(row["ODS code"], row["ICB"]) for row in csv.DictReader(io.StringIO(csv_text))}

    herts_2024 = listed("as_of=2024-06-30&icb=QM7")
    assert ("RWG", "Hertfordshire and West Essex") in herts_2024
    assert {icb for _, icb in herts_2024} == {"Hertfordshire and West Essex"}
    statuses_recompute(
        trusts=Trust.objects.filter(ods_code="RWG"), targets=Target.objects.all(), as_of=timezone.localdate()
    )
    assert ("RWG", "Central East") in listed("icb=S1Y5D")  # today: since April 2026


def test_a_trust_that_merged_shows_under_its_successor_from_the_merger_date(db, staff_client):
    # Tavistock and Portman (RNK) joined North London (G6V2S) on 1 April 2026, as North Central
    # London's ICB (QMJ) merged into West and North London (Z9B2Z).
    ods_import_apply(extract=Path(services.DATA_DIR) / "etr.csv")
    compliance_history_backfill(since=datetime.date(2026, 3, 1), until=datetime.date(2026, 4, 30))

    def trusts_in_london(query):
        csv_text = staff_client.get(f"/exports/regions/Y56/trusts.csv?{query}").content.decode()
        return {row["ODS code"]: row["ICB"] for row in csv.DictReader(io.StringIO(csv_text))}

    march = trusts_in_london("as_of=2026-03-31")
    assert march["RNK"] == march["G6V2S"] == "NHS North Central London Integrated Care Board"
    april = trusts_in_london("as_of=2026-04-30")
    assert "RNK" not in april
    assert april["G6V2S"] == "NHS West and North London Integrated Care Board"


def test_the_api_as_of_a_day_filters_by_the_icb_of_then(register_with_history, staff_client):
    then = staff_client.get("/api/statuses.json?as_of=2024-06-30&icb=QM7&page_size=500").json()
    assert "RWG" in {row["trust"] for row in then["results"]}
    assert staff_client.get("/api/statuses.json?as_of=2024-06-30&icb=S1Y5D").json()["count"] == 0
