"""As-of views read the statuses on the exact day, as the rules give them then (not a month end's),
stored once per inputs generation: a change to what statuses are computed from makes them stale, a
recompute does not."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dashboards.cache import dashboard_cache
from milestones.models import DayStatus, Requirement, ReviewState, Status, Target
from milestones.services.compliance import compliance_history_backfill, statuses_recompute
from milestones.services.day_statuses import day_statuses_ensure
from milestones.services.evidence import evidence_submit
from milestones.services.requirements import requirement_change
from tests.factories import MINIMAL_PDF, EvidenceSubmissionFactory, TrustFactory, UserFactory

D = datetime.date
SCR = "shared-care-record-2024"
pytestmark = pytest.mark.django_db


def approve(trust, code: str, on: datetime.date):
    requirement = Requirement.objects.get(target__code=SCR, code=code)
    noon = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    EvidenceSubmissionFactory(
        trust=trust, requirement=requirement, state=ReviewState.APPROVED, submitted_at=noon, reviewed_at=noon
    )


@pytest.fixture
def trust():
    """TSC: the shared care record's one requirement approved in 2022, the other on 10 October 2023;
    the month ends filled from the record (30 September 2023: at risk)."""
    trust = TrustFactory(ods_code="TSC")
    approve(trust, "scr-contributes", D(2022, 5, 3))
    approve(trust, "scr-in-use", D(2023, 10, 10))
    compliance_history_backfill(since=D(2023, 8, 1), until=D(2023, 11, 30))
    assert trust.compliance_snapshots.get(target__code=SCR, as_of=D(2023, 9, 30)).status == Status.AT_RISK
    return trust


def listed(client, query: str) -> list[tuple[str, str]]:
    """(ODS code, status) of each row of the trust list's CSV for the query."""
    rows = list(csv.DictReader(io.StringIO(client.get(f"/exports/trust-list.csv?{query}").content.decode())))
    return [(row["ODS code"], row["Status"]) for row in rows]


def headline_counts(client, as_of: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(client.get(f"/exports/national/headlines.csv?as_of={as_of}").content.decode()))
    return next(row for row in rows if row["Target"] == "Regional shared care record")


def test_evidence_approved_mid_month_shows_on_an_as_of_view_of_a_later_day_that_month(staff_client, trust):
    query = f"target={SCR}&as_of="
    assert listed(staff_client, query + "2023-10-09") == [("TSC", "At risk")]
    assert listed(staff_client, query + "2023-10-15") == [("TSC", "Met")]
    assert headline_counts(staff_client, "2023-10-09")["At risk"] == "1"
    assert headline_counts(staff_client, "2023-10-15")["Met"] == "1"

    page = staff_client.get(f"/trusts/?{query}2023-10-15").content.decode()
    assert "statuses on 15 October 2023, of the trusts open that day" in page
    assert "month end" not in page
    national = staff_client.get("/?as_of-day=15&as_of-month=10&as_of-year=2023").content.decode()
    assert "As of 15 October 2023: the statuses and deadlines in force that day." in national
    assert "month end of" not in national
    region = f"/exports/regions/{trust.region.code}"
    assert region_rows(staff_client, f"{region}/trusts.csv?as_of=2023-10-15")[0]["Regional shared care record"] == "Met"
    # The reason is the one of that day, as the rules gave it then.
    (attention,) = [
        row
        for row in region_rows(staff_client, f"{region}/attention.csv?as_of=2023-10-09")
        if row["Target"] == "Regional shared care record"
    ]
    assert attention["Status"] == "At risk" and attention["Reason"].startswith("1 of 2 requirements met")


def region_rows(client, url: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode())))


def test_the_trust_list_rows_match_the_card_counts_on_an_as_of_day(staff_client, trust):
    TrustFactory(ods_code="TSD")  # nothing approved: at risk that day
    counts = headline_counts(staff_client, "2023-10-15")
    for status, label in ((Status.MET, "Met"), (Status.AT_RISK, "At risk")):
        rows = listed(staff_client, f"target={SCR}&status={status}&as_of=2023-10-15")
        assert len(rows) == int(counts[label]) == 1
        assert {row_status for _, row_status in rows} == {label}


def test_a_change_that_bumps_the_generation_recomputes_the_day(staff_client, trust):
    """Retiring a requirement from 1 October 2023 changes that month's days: the stored day is stale."""
    other = TrustFactory(ods_code="TSE")
    approve(other, "scr-contributes", D(2022, 5, 3))
    query = f"target={SCR}&as_of=2023-10-15"
    assert ("TSE", "At risk") in listed(staff_client, query)

    retired = Requirement.objects.get(target__code=SCR, code="scr-in-use")
    retired.retired_on = D(2023, 10, 1)
    requirement_change(
        requirement=retired, reason="Folded into contributes", applies_from=None, revised_by=None, revised_on=D.today()
    )
    assert ("TSE", "Met") in listed(staff_client, query)
    # Only the current inputs generation's rows are kept.
    assert set(DayStatus.objects.values_list("inputs", flat=True)) == {dashboard_cache().inputs}


def test_the_day_is_computed_once_per_inputs_generation(trust, django_assert_num_queries):
    inputs = dashboard_cache().inputs
    day_statuses_ensure(as_of=D(2023, 10, 15), inputs=inputs)
    assert DayStatus.objects.filter(as_of=D(2023, 10, 15)).count() == Target.objects.count()
    with django_assert_num_queries(1):
        day_statuses_ensure(as_of=D(2023, 10, 15), inputs=inputs)


def test_a_recompute_moves_the_generation_on_but_leaves_the_stored_day_as_it_is(trust, django_assert_num_queries):
    day_statuses_ensure(as_of=D(2023, 10, 15), inputs=dashboard_cache().inputs)
    before = dashboard_cache()

    statuses_recompute(trusts=[trust], targets=Target.objects.all(), as_of=D.today())
    after = dashboard_cache()
    assert after.generation > before.generation and after.inputs == before.inputs
    with django_assert_num_queries(1):
        day_statuses_ensure(as_of=D(2023, 10, 15), inputs=after.inputs)


def test_an_upload_moves_the_inputs_generation_on_and_the_day_is_stored_again(staff_client, trust):
    query = f"target={SCR}&as_of=2023-10-15"
    assert listed(staff_client, query) == [("TSC", "Met")]
    before = dashboard_cache().inputs

    evidence_submit(
        trust=trust,
        requirement=Requirement.objects.get(target__code=SCR, code="scr-in-use"),
        upload=SimpleUploadedFile(
            "board-paper.pdf",
            MINIMAL_PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% a new board paper\n"),
            content_type="application/pdf",
        ),
        summary="Board paper",
        valid_until=None,
        submitted_by=UserFactory(),
    )
    assert dashboard_cache().inputs == before + 1
    assert listed(staff_client, query) == [("TSC", "Met")]
    assert set(DayStatus.objects.values_list("inputs", flat=True)) == {before + 1}
