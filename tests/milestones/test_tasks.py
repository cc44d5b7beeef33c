"""The Celery path end to end: a real worker on the real Redis broker (REDIS_URL of the test run)."""

import contextlib
import datetime
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from digitrack.celery import app
from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatus,
    EvidenceSubmission,
    RecomputeRequest,
    ReviewState,
    Status,
)
from milestones.services.evidence import evidence_review
from milestones.services.recompute import recompute_request
from milestones.tasks import recompute_trust
from tests.factories import TrustFactory, UserFactory
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


class FirstSnapshotWriteFails:
    """A database execute wrapper: the first INSERT into the month-end snapshots table raises
    OperationalError, as a connection lost mid-write would; every other statement goes through."""

    def __init__(self):
        self.failed = False

    def __call__(self, execute, sql, params, many, context):
        if not self.failed and sql.startswith(f'INSERT INTO "{ComplianceSnapshot._meta.db_table}" '):
            self.failed = True
            raise OperationalError("connection lost mid-write")
        return execute(sql, params, many, context)


def test_failed_attempt_is_retried_and_the_previous_status_survives_it(worker, pending):
    before = status_of(pending)
    EvidenceSubmission.objects.filter(pk=pending.pk).update(state=ReviewState.APPROVED, reviewed_at=timezone.now())
    fault, seen_by_retry, wrapped = FirstSnapshotWriteFails(), [], contextlib.ExitStack()

    # The worker's own thread and connection run the task: the fault is put on that connection
    # for each run of the task, and taken off after it.
    def before_run(task, **kwargs):
        if task.name != recompute_trust.name:
            return
        if task.request.retries:  # the retry, before it writes anything: what did the failure leave stored?
            seen_by_retry.append(ComplianceStatus.objects.values("status", "computed_at").get(pk=before.pk))
        # The first attempt writes the status rows in its transaction before it fails: they must roll back.
        wrapped.enter_context(connection.execute_wrapper(fault))

    def after_run(task, **kwargs):
        if task.name == recompute_trust.name:
            wrapped.close()

    task_prerun.connect(before_run, weak=False)
    task_postrun.connect(after_run, weak=False)
    try:
        recompute_trust.delay(pending.trust_id)

        assert wait_for(lambda: status_of(pending).status == Status.MET)
    finally:
        task_prerun.disconnect(before_run)
        task_postrun.disconnect(after_run)
    assert fault.failed
    assert seen_by_retry == [{"status": Status.OVERDUE, "computed_at": before.computed_at}]


def test_unreachable_broker_is_logged_and_the_outbox_row_kept(pending, broker_down, caplog):
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
