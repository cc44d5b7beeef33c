"""The real national picture from the published files shipped, with no demo data: load_published_data,
then recompute_compliance, checked against the files themselves (read here independently)."""

import csv
import datetime

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from milestones.models import ComplianceStatus, EvidenceSubmission, Requirement, Target
from milestones.rules import RequirementState, Status
from milestones.services.compliance import statuses_compute
from trusts.models import Trust

D = datetime.date
DATA = settings.BASE_DIR / "milestones" / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def published(capsys):
    call_command("load_published_data")
    call_command("recompute_compliance")
    capsys.readouterr()
    assert not EvidenceSubmission.objects.exists()


def requirement_states(target_code: str, requirement_code: str, as_of: datetime.date) -> dict[str, RequirementState]:
    """Each applicable trust's state on one requirement, by ODS code."""
    requirement = Requirement.objects.get(target__code=target_code, code=requirement_code)
    computed = statuses_compute(
        trusts=Trust.objects.all(), targets=Target.objects.filter(code=target_code), as_of=as_of
    )
    return {
        item.trust.ods_code: state.state
        for item in computed
        if item.result.status != Status.NOT_APPLICABLE
        for state in item.result.requirements
        if state.requirement_id == requirement.pk
    }


def codes(states: dict[str, RequirementState], wanted: RequirementState) -> set[str]:
    return {code for code, state in states.items() if state == wanted}


def test_no_open_trust_is_overdue_on_cyber_today_and_dspt_met_matches_the_2022_23_file(published):
    open_cyber = ComplianceStatus.objects.filter(target__code="cyber-2021", trust__closed_on__isnull=True)
    assert open_cyber.exists()
    assert not open_cyber.filter(status=Status.OVERDUE).exists()
    # The newest DSPT edition shipped (2022-23) lapsed at the 2023-24 deadline: no current data.
    assert set(open_cyber.values_list("status", flat=True)) == {Status.NO_CURRENT_DATA}
    assert open_cyber.first().reason == "No current data: latest DSPT published 2022-23"

    day = D(2023, 9, 30)
    open_then = {t.ods_code for t in Trust.objects.all() if t.is_open_on(day)}
    with open(DATA / "dspt" / "dspt_2022-23.csv", newline="", encoding="utf-8-sig") as file:
        meeting = {
            row["Code"]
            for row in csv.DictReader(file)
            if row["Status"].endswith(("Standards Met", "Standards Exceeded"))
        }
    met = codes(requirement_states("cyber-2021", "dspt-standards-met", day), RequirementState.MET)
    # Every trust of the register the file says met or exceeded, and only those (the file also
    # lists a care trust, TAD, that the NHS trust register does not hold).
    assert met == meeting & open_then
    assert len(met) == 152 and meeting - open_then == {"TAD"}


def test_epr_in_use_and_mdf_on_core_follow_the_two_epr_files(published):
    with open(DATA / "epr" / "frontline_digitisation_epr_2023-05-26.csv", newline="", encoding="utf-8-sig") as file:
        frontline = list(csv.DictReader(file))
    group_0 = {row["trust_ods_code"] for row in frontline if row["EPR_Group"] == "Group 0"}
    mdf = {
        row["trust_ods_code"]
        for row in frontline
        if row["Current_EPR_Status"] == "Already meets the core capabilities in the MDF"
    }
    sheet = openpyxl.load_workbook(DATA / "epr" / "epr_primary_suppliers_2024-10-01.xlsx", read_only=True)[
        "EPR Suppliers 01.10.24"
    ]
    header, *rows = list(sheet.iter_rows(values_only=True))
    code, supplier = header.index("Organisation Code"), header.index("Supplier (Primary EPR)")
    no_epr = {row[code] for row in rows if row[code] and str(row[supplier]).startswith("No EPR")}
    assert (len(group_0), len(mdf), len(no_epr)) == (16, 42, 20)

    assert codes(requirement_states("core-2023", "epr-in-use", D(2024, 10, 2)), RequirementState.UNMET) == no_epr
    june = D(2023, 6, 1)
    assert codes(requirement_states("core-2023", "epr-in-use", june), RequirementState.UNMET) == group_0
    assert codes(requirement_states("core-2023", "mdf-core-capabilities", june), RequirementState.MET) == mdf


def test_statuses_say_how_old_their_data_is(published):
    cyber = ComplianceStatus.objects.filter(target__code="cyber-2021", trust__closed_on__isnull=True)
    # Lapsed: no snapshot is in force, so none is behind the status.
    assert set(cyber.values_list("data_as_at", flat=True)) == {None}
    # Core rests on the EPR supplier list of 1 October 2024 and on the MDF status of 26 May 2023,
    # which no later snapshot has replaced: the older one is what its figures are as at.
    core = ComplianceStatus.objects.filter(target__code="core-2023", status=Status.OVERDUE)
    assert set(core.values_list("data_as_at", flat=True)) == {D(2023, 5, 26)}
    assert core.first().computed_at.date() == timezone.localdate()
