"""/api/statuses.json for analysts: as_of and target, each row with its requirements' state and source."""

import datetime

import pytest
from django.utils import timezone

from milestones.models import DsptAssessment, DsptStatus, EvidenceSubmission, ReviewState, Target
from milestones.services.compliance import statuses_recompute_all
from tests.factories import EvidenceSubmissionFactory, TrustFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    """One acute trust: DSPT 2022-23 met, published 20 June 2023; an approved and a pending upload on core-2023."""
    trust = TrustFactory(ods_code="TAP")
    DsptAssessment.objects.create(
        trust=trust,
        year="2022-23",
        status=DsptStatus.STANDARDS_MET,
        published_on=D(2023, 6, 20),
        source_file="dspt_2022-23.csv",
        source_sha256="0" * 64,
        imported_at=timezone.now(),
    )
    core = Target.objects.get(code="core-2023")
    eprescribing = core.requirements.get(code="e-prescribing")
    decision_support = core.requirements.get(code="clinical-decision-support")
    noon = datetime.time(12)
    EvidenceSubmissionFactory(
        trust=trust,
        requirement=eprescribing,
        state=ReviewState.APPROVED,
        submitted_at=timezone.make_aware(datetime.datetime.combine(D(2022, 1, 3), noon)),
        reviewed_at=timezone.make_aware(datetime.datetime.combine(D(2022, 1, 10), noon)),
    )
    EvidenceSubmissionFactory(
        trust=trust,
        requirement=decision_support,
        submitted_at=timezone.make_aware(datetime.datetime.combine(D(2023, 8, 1), noon)),
    )
    return trust


def row_for(body, target):
    return next(row for row in body["results"] if row["target"] == target)


def test_as_of_gives_that_days_status_with_each_requirements_state_and_source(staff_client, trust):
    body = staff_client.get("/api/statuses.json?as_of=2023-09-30&target=cyber-2021").json()

    assert (body["count"], body["as_of"]) == (1, "2023-09-30")
    row = body["results"][0]
    assert (row["trust"], row["status"], row["met_by_deadline"]) == ("TAP", "met", False)
    dspt, plan, patching = row["requirements"]
    assert (dspt["code"], dspt["state"], dspt["counts"]) == ("dspt-standards-met", "met", True)
    assert dspt["source"] == {"snapshot_id": None, "source": "dspt", "edition": "2022-23", "as_at": "2023-06-20"}
    assert (plan["code"], plan["state"], plan["counts"]) == ("board-cyber-plan", "unmet", False)
    assert patching["counts"] is False


def test_lapsed_dspt_is_no_current_data_in_the_api(staff_client, trust):
    row = staff_client.get("/api/statuses.json?as_of=2024-07-01&target=cyber-2021").json()["results"][0]
    assert row["status"] == "no_current_data"
    assert row["reason"] == "No current data: latest DSPT published 2022-23"
    assert row["requirements"][0]["state"] == "no_current_data"
    assert row["requirements"][0]["source"] is None


def test_evidence_requirements_name_their_submission_and_pending_uploads(staff_client, trust):
    row = row_for(staff_client.get("/api/statuses.json?as_of=2023-09-30&target=core-2023").json(), "core-2023")
    states = {r["code"]: (r["state"], r["source"]) for r in row["requirements"]}
    approved = EvidenceSubmission.objects.get(trust=trust, state=ReviewState.APPROVED)
    pending = EvidenceSubmission.objects.get(trust=trust, state=ReviewState.SUBMITTED)
    assert states["e-prescribing"] == ("met", {"evidence_id": approved.pk})
    assert states["clinical-decision-support"] == ("pending", {"evidence_id": pending.pk})
    assert states["epr-live-acute"] == ("unmet", None)
    assert states["epr-in-use"] == ("no_current_data", None)
    assert row["status"] == "no_current_data"


def test_a_day_before_the_upload_it_was_not_pending(staff_client, trust):
    row = staff_client.get("/api/statuses.json?as_of=2023-07-31&target=core-2023").json()["results"][0]
    assert {r["code"]: r["state"] for r in row["requirements"]}["clinical-decision-support"] == "unmet"


def test_without_as_of_rows_are_todays_stored_statuses_with_requirements(staff_client, trust):
    statuses_recompute_all(as_of=timezone.localdate())
    body = staff_client.get("/api/statuses.json?target=cyber-2021").json()
    row = body["results"][0]
    assert (body["as_of"], row["status"]) == (timezone.localdate().isoformat(), "no_current_data")
    assert [r["code"] for r in row["requirements"]] == ["dspt-standards-met", "board-cyber-plan", "patching-compliance"]


def test_a_status_filter_applies_to_the_as_of_days_statuses(staff_client, trust):
    TrustFactory(ods_code="TAQ")
    met = staff_client.get("/api/statuses.json?as_of=2023-09-30&target=cyber-2021&status=met").json()
    no_data = staff_client.get("/api/statuses.json?as_of=2023-09-30&target=cyber-2021&status=no_current_data").json()
    assert [row["trust"] for row in met["results"]] == ["TAP"]
    assert [row["trust"] for row in no_data["results"]] == ["TAQ"]


def test_a_future_as_of_is_refused(staff_client):
    response = staff_client.get("/api/statuses.json?as_of=2999-01-01")
    assert response.status_code == 400
    assert "as_of" in response.json()["fields"]
