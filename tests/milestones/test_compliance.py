"""Storing statuses: one row per trust and target, history on change, month-end snapshots."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    RecomputeRequest,
    ReviewState,
    Status,
    Target,
)
from milestones.services.compliance import (
    compliance_history_backfill,
    recompute_requests_drain,
    statuses_recompute,
    statuses_recompute_all,
)
from milestones.services.evidence import evidence_withdraw
from milestones.services.recompute import recompute_request
from tests.factories import (
    EvidenceSubmissionFactory,
    RequirementFactory,
    TargetFactory,
    TrustFactory,
    UserFactory,
)
from trusts.models import Trust

D = datetime.date
pytestmark = pytest.mark.django_db


def approve(trust, requirement, on: datetime.date, state=ReviewState.APPROVED, **fields):
    reviewed_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return EvidenceSubmissionFactory(
        trust=trust, requirement=requirement, state=state, reviewed_at=reviewed_at, **fields
    )


def test_first_recompute_stores_a_status_a_history_row_and_the_month_end_snapshot(target):
    trust = TrustFactory()
    approve(trust, target.requirements.first(), D(2024, 1, 10))

    summary = statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))

    row = ComplianceStatus.objects.get(trust=trust, target=target)
    assert (row.status, row.requirements_met, row.requirements_total) == (Status.AT_RISK, 1, 2)
    assert row.reason.startswith("1 of 2 requirements met;")
    change = ComplianceStatusChange.objects.get(trust=trust, target=target)
    assert (change.old_status, change.new_status) == ("", Status.AT_RISK)
    snapshot = ComplianceSnapshot.objects.get(trust=trust, target=target)
    assert (snapshot.as_of, snapshot.status) == (D(2024, 3, 31), Status.AT_RISK)
    assert (summary.computed, summary.changed) == (1, 1)


def test_unchanged_result_refreshes_computed_at_only(target):
    trust = TrustFactory()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    first = ComplianceStatus.objects.get(trust=trust, target=target)

    summary = statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 6))

    again = ComplianceStatus.objects.get(trust=trust, target=target)
    assert again.pk == first.pk
    assert again.computed_at > first.computed_at
    assert again.changed_at == first.changed_at
    assert ComplianceStatusChange.objects.count() == 1
    assert summary.changed == 0


def test_change_is_kept_as_history_with_old_and_new_status(target):
    trust = TrustFactory()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    for requirement in target.requirements.all():
        approve(trust, requirement, D(2024, 3, 6))

    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 7))

    row = ComplianceStatus.objects.get(trust=trust, target=target)
    assert (row.status, row.met_on, row.met_on_time) == (Status.MET, D(2024, 3, 6), True)
    latest = ComplianceStatusChange.objects.filter(trust=trust).first()
    assert (latest.old_status, latest.new_status) == (Status.AT_RISK, Status.MET)
    assert ComplianceSnapshot.objects.get(trust=trust, as_of=D(2024, 3, 31)).status == Status.MET


def test_progress_without_a_new_status_is_kept_as_history_with_equal_old_and_new_status(target):
    trust = TrustFactory()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    approve(trust, target.requirements.first(), D(2024, 3, 6))

    summary = statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 7))

    latest = ComplianceStatusChange.objects.filter(trust=trust).first()
    assert summary.changed == 1
    assert (latest.old_status, latest.new_status) == (Status.AT_RISK, Status.AT_RISK)
    assert latest.reason.startswith("1 of 2 requirements met")


def test_rejected_pending_and_withdrawn_evidence_never_counts(target):
    trust = TrustFactory()
    requirement = target.requirements.first()
    approve(trust, requirement, D(2023, 1, 1), state=ReviewState.REJECTED)
    EvidenceSubmissionFactory(trust=trust, requirement=requirement)
    evidence_withdraw(submission=EvidenceSubmissionFactory(trust=trust, requirement=requirement))

    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2023, 6, 1))

    assert ComplianceStatus.objects.get(trust=trust).requirements_met == 0


def _trusts_with_evidence(count, target):
    requirement = target.requirements.first()
    cio = UserFactory()
    trusts = TrustFactory.create_batch(count)
    for trust in trusts:
        approve(trust, requirement, D(2023, 1, 1), submitted_by=cio)
    return trusts


def test_recompute_all_uses_the_same_number_of_queries_for_10_and_100_trusts(target):
    TargetFactory()  # a second target, no requirements
    _trusts_with_evidence(10, target)
    with CaptureQueriesContext(connection) as ten:
        statuses_recompute_all(as_of=D(2024, 3, 5))
    _trusts_with_evidence(90, target)
    with CaptureQueriesContext(connection) as hundred:
        statuses_recompute_all(as_of=D(2024, 3, 6))

    assert ComplianceStatus.objects.filter(target=target).count() == 100
    assert len(hundred) == len(ten)
    assert len(hundred) <= 19  # with the cache generation bump, the requirements' revisions and the published records


def test_recompute_all_marks_closed_trusts_not_applicable(target):
    TrustFactory(closed_on=D(2021, 9, 30))
    statuses_recompute_all(as_of=D(2024, 3, 5))
    assert ComplianceStatus.objects.get(target=target).status == Status.NOT_APPLICABLE


def test_drain_recomputes_what_the_outbox_names_and_marks_it_processed(target):
    trust, other = TrustFactory.create_batch(2)
    recompute_request(trust=trust, reason="evidence approved")
    recompute_request(target=target, reason="deadline edited")
    RecomputeRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(seconds=61))

    assert recompute_requests_drain(as_of=D(2024, 3, 5)) == 2

    assert set(ComplianceStatus.objects.values_list("trust_id", flat=True)) == {trust.pk, other.pk}
    assert not RecomputeRequest.objects.filter(processed_at__isnull=True).exists()
    assert recompute_requests_drain(as_of=D(2024, 3, 5)) == 0


def test_drain_leaves_requests_younger_than_the_minimum_age_to_their_own_task(target, settings):
    settings.RECOMPUTE_DRAIN_MIN_AGE_SECONDS = 60
    fresh, due = TrustFactory.create_batch(2)
    recompute_request(trust=fresh, reason="evidence approved a moment ago")
    old = recompute_request(trust=due, reason="message never sent")
    RecomputeRequest.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(seconds=61))

    assert recompute_requests_drain(as_of=D(2024, 3, 5)) == 1

    assert set(ComplianceStatus.objects.values_list("trust_id", flat=True)) == {due.pk}
    assert list(RecomputeRequest.objects.filter(processed_at__isnull=True).values_list("trust_id", flat=True)) == [
        fresh.pk
    ]


def test_backfill_writes_month_end_snapshots_from_the_evidence_record(target):
    trust = TrustFactory()
    first, second = target.requirements.all()
    approve(trust, first, D(2023, 2, 10))
    approve(trust, second, D(2023, 4, 1))

    written = compliance_history_backfill(since=D(2023, 1, 1), until=D(2023, 5, 15))

    statuses = dict(ComplianceSnapshot.objects.filter(trust=trust, target=target).values_list("as_of", "status"))
    assert statuses == {
        D(2023, 1, 31): Status.AT_RISK,
        D(2023, 2, 28): Status.AT_RISK,
        D(2023, 3, 31): Status.AT_RISK,
        D(2023, 4, 30): Status.MET,
    }
    assert written == 4 * Target.objects.count()
    assert not ComplianceStatus.objects.exists()


def test_backfill_again_overwrites_rather_than_duplicates(target):
    TrustFactory()
    compliance_history_backfill(since=D(2023, 1, 1), until=D(2023, 3, 31))
    compliance_history_backfill(since=D(2023, 1, 1), until=D(2023, 3, 31))
    assert ComplianceSnapshot.objects.filter(target=target).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_recomputes_of_one_trust_leave_one_row_and_one_history_row():
    target = TargetFactory(start_date=D(2020, 1, 1), deadline=D(2024, 12, 31))
    RequirementFactory(target=target)
    trust = TrustFactory()
    barrier = threading.Barrier(2)
    errors = []

    def recompute():
        try:
            barrier.wait(timeout=10)
            statuses_recompute(
                trusts=Trust.objects.filter(pk=trust.pk),
                targets=Target.objects.filter(pk=target.pk),
                as_of=D(2024, 3, 5),
            )
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert ComplianceStatus.objects.filter(trust=trust).count() == 1
    assert ComplianceStatusChange.objects.filter(trust=trust).count() == 1
    assert ComplianceSnapshot.objects.filter(trust=trust).count() == 1
