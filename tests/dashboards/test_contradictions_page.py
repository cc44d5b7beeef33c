"""The contradictions page: disagreements between published sources per region and nationally, as
CSV too, and what each target's "met" rests on."""

import datetime

import pytest

from milestones.models import (
    ComplianceStatus,
    Requirement,
    ReviewState,
    Source,
    SourceRow,
    Status,
    Target,
)
from tests.dashboards.dashboard_data import epr_disagreement, known_dataset
from tests.dashboards.responses import csv_rows, status_codes
from tests.factories import EvidenceSubmissionFactory, SourceSnapshotFactory

pytestmark = pytest.mark.django_db


def test_disagreement_is_listed_with_both_facts_and_their_dates(staff_client):
    data = known_dataset()
    epr_disagreement(data.t3)
    page = staff_client.get("/contradictions/").content.decode()
    assert "1 disagreement" in page
    assert 'href="/trusts/T03/"' in page
    rows = csv_rows(staff_client.get("/exports/contradictions/contradictions.csv"))
    assert rows[1] == [
        "Beta Acute NHS Trust (T03)",
        "London",
        data.t3.icb.display_name,
        "An EPR, then none",
        "Frontline Digitisation report",
        "2023-05-26",
        "Group 2, Extend",
        "EPR supplier list",
        "2024-10-01",
        'Supplier "No EPR - in process of getting one"',
    ]


def test_region_lists_only_its_trusts(staff_client):
    data = known_dataset()
    epr_disagreement(data.t3)
    assert "1 disagreement" in staff_client.get("/regions/Y56/contradictions/").content.decode()
    assert "No published sources disagree" in staff_client.get("/regions/Y58/contradictions/").content.decode()
    assert len(csv_rows(staff_client.get("/exports/regions/Y58/contradictions/contradictions.csv"))) == 1


def _dspt_met_published(trust) -> None:
    """The 2022-23 DSPT file (as at 16 November 2023) says the trust met the standards, published 28 June 2023."""
    snapshot = SourceSnapshotFactory(
        source=Source.DSPT, as_at=datetime.date(2023, 11, 16), file_name="dspt.csv", edition="2022-23"
    )
    SourceRow.objects.create(
        snapshot=snapshot,
        trust=trust,
        line=3,
        edition="2022-23",
        dspt_status="met",
        published_on=datetime.date(2023, 6, 28),
    )


def test_dspt_met_with_rejected_cyber_plan_is_listed(staff_client):
    data = known_dataset()
    _dspt_met_published(data.t1)
    plan = Requirement.objects.get(code="board-cyber-plan")
    EvidenceSubmissionFactory(
        trust=data.t1,
        requirement=plan,
        state=ReviewState.REJECTED,
        reviewed_at=datetime.datetime(2023, 3, 1, 12, tzinfo=datetime.UTC),
        review_comment="Not signed off by the board.",
    )
    rows = csv_rows(staff_client.get("/exports/contradictions/contradictions.csv"))
    assert [row[3:] for row in rows[1:]] == [
        [
            "DSPT standards met, own cyber evidence rejected",
            "DSPT",
            "2023-06-28",
            "2022-23: Standards Met",
            "Evidence review",
            "2023-03-01",
            f'{plan.title} rejected: "Not signed off by the board."',
        ]
    ]


def test_assurance_says_what_met_rests_on(staff_client):
    known_dataset()  # core-2023: T1 met
    rows = {row[0]: row for row in csv_rows(staff_client.get("/exports/contradictions/assurance.csv"))[1:]}
    core = Target.objects.get(code="core-2023")
    counting = list(core.requirements.filter(optional=False).values_list("national_data_rule", flat=True))
    programme = sum(1 for rule in counting if rule in ("epr_in_use", "mdf_core_capabilities"))
    assert rows[core.title][1] == "1"
    assert rows[core.title][3] == f"{100 * programme / len(counting):.1f}%"
    cyber = Target.objects.get(code="cyber-2021")
    assert rows[cyber.title][-1] == "yes"  # the DSPT alone
    assert ComplianceStatus.objects.filter(target=core, status=Status.MET).count() == 1


def test_cio_cannot_see_contradictions(t1_cio_client):
    assert status_codes(t1_cio_client, "/contradictions/", "/exports/contradictions/contradictions.csv") == [403, 403]


def test_demo_evidence_is_said_wherever_it_shows(staff_client):
    data = known_dataset()
    _dspt_met_published(data.t1)
    plan = Requirement.objects.get(code="board-cyber-plan")
    moment = datetime.datetime(2023, 3, 1, 12, tzinfo=datetime.UTC)
    EvidenceSubmissionFactory(
        trust=data.t1, requirement=plan, summary="[Demo] Board paper", state=ReviewState.REJECTED, reviewed_at=moment
    )
    # Approved demo evidence for a requirement that counts (optional evidence, like the plan, never does).
    prescribing = Requirement.objects.get(code="e-prescribing")
    EvidenceSubmissionFactory(
        trust=data.t2, requirement=prescribing, summary="[Demo] Go-live", state=ReviewState.APPROVED, reviewed_at=moment
    )
    rows = csv_rows(staff_client.get("/exports/contradictions/contradictions.csv"))
    assert rows[1][7] == "Evidence review (demo data)"
    for path in ("/contradictions/", "/forecasts/", "/stages/"):
        assert "Includes demo data" in staff_client.get(path).content.decode(), path
    assert "Includes demo data" not in staff_client.get("/regions/Y58/stages/").content.decode()
