"""The Celery path end to end: a real worker on the real Redis broker (REDIS_URL of the test run)."""

import datetime
import logging
import time

import kombu.exceptions
import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, transaction
from django.utils import timezone

from digitrack.celery import app
from milestones.models import ComplianceStatus, RecomputeRequest, ReviewState, Status
from milestones.services import compliance as compliance_service
from milestones.services import recompute as recompute_service
from milestones.services.evidence import evidence_review
from milestones.services.recompute import recompute_request
from tests.factories import EvidenceSubmissionFactory, TrustFactory, UserFactory
from tests.milestones.statuses import status_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if app.conf.task_always_eager:
        pytest.fail(
            "The worker tests need a real Redis broker: REDIS_URL is unset, so Celery runs tasks eagerly. "
            "Run the suite with REDIS_URL set (make test sets it from TEST_REDIS_URL)."
        )
    app.control.purge()  # messages left by earlier runs name rows that no longer exist
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_recomputes_the_trust_after_evidence_is_approved(worker, pending):
    assert status_of(pending).status == Status.OVERDUE

    evidence_review(submission=pending, reviewer=UserFactory(), approve=True, comment="")

    assert wait_for(lambda: status_of(pending).status == Status.MET)
    assert wait_for(lambda: not RecomputeRequest.objects.filter(processed_at__isnull=True).exists())


def test_failed_attempt_is_retried_and_the_previous_status_survives_it(worker, pending, monkeypatch):
    before = status_of(pending)
    EvidenceSubmissionFactory._meta.model.objects.filter(pk=pending.pk).update(
        state=ReviewState.APPROVED, reviewed_at=timezone.now()
    )
    failures, seen_by_retry = [], []
    write_snapshots, load_facts = compliance_service._snapshots_upsert, compliance_service.facts_load

    def fail_first_attempt(*args, **kwargs):
        # The first attempt has already written the status rows in its transaction: they must roll back.
        if not failures:
            failures.append("connection lost mid-write")
            raise OperationalError(failures[0])
        return write_snapshots(*args, **kwargs)

    def load_and_look(*args, **kwargs):
        if failures:  # the retry, before it writes anything: what did the failure leave stored?
            seen_by_retry.append(ComplianceStatus.objects.values("status", "computed_at").get(pk=before.pk))
        return load_facts(*args, **kwargs)

    monkeypatch.setattr(compliance_service, "_snapshots_upsert", fail_first_attempt)
    monkeypatch.setattr(compliance_service, "facts_load", load_and_look)

    from milestones.tasks import recompute_trust

    recompute_trust.delay(pending.trust_id)

    assert wait_for(lambda: status_of(pending).status == Status.MET)
    assert seen_by_retry == [{"status": Status.OVERDUE, "computed_at": before.computed_at}]


def test_unreachable_broker_is_logged_and_the_outbox_row_kept(pending, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(recompute_service.recompute_trust, "delay", broker_down)

    with caplog.at_level(logging.WARNING, logger="milestones.services.recompute"), transaction.atomic():
        request = recompute_request(trust=pending.trust, reason="evidence approved")

    assert RecomputeRequest.objects.get(pk=request.pk).processed_at is None
    assert "the outbox drain will process it" in caplog.text


def test_nightly_recompute_all_fans_out_and_covers_every_trust(worker, pending):
    from milestones.tasks import recompute_all

    others = TrustFactory.create_batch(3)
    target = pending.requirement.target

    recompute_all.delay()

    assert wait_for(lambda: ComplianceStatus.objects.filter(target=target).count() == 4)
    assert set(ComplianceStatus.objects.filter(target=target).values_list("trust_id", flat=True)) == {
        pending.trust_id,
        *(trust.pk for trust in others),
    }


def test_drain_task_processes_a_request_whose_message_was_never_sent(worker, pending):
    from milestones.tasks import drain_recompute_requests

    other = TrustFactory()
    lost = RecomputeRequest.objects.create(trust=other, reason="message lost")
    RecomputeRequest.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=2))

    drain_recompute_requests.delay()

    assert wait_for(lambda: not RecomputeRequest.objects.filter(processed_at__isnull=True).exists())
    assert ComplianceStatus.objects.filter(trust=other, target=pending.requirement.target).exists()
