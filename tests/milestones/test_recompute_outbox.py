"""The outbox with the broker really unreachable: an approval through the review page succeeds,
its recompute request stays in PostgreSQL, and the drain recomputes it once Redis is back."""

import logging

import pytest

from milestones.models import RecomputeRequest, ReviewState, Status
from milestones.tasks import drain_recompute_requests
from tests.factories import UserFactory
from tests.milestones.statuses import status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer", roles=["Programme staff"])


def test_approval_with_redis_down_succeeds_and_the_drain_recomputes_it_later(
    client, broker_down, pending, reviewer, django_capture_on_commit_callbacks, caplog, settings
):
    settings.RECOMPUTE_DRAIN_MIN_AGE_SECONDS = 0  # the drain below stands for one a minute or more later
    before = status_of(pending).status
    assert before != Status.MET
    client.force_login(reviewer)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/review/{pending.pk}/", {"decision": "approve", "comment": ""})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == ReviewState.APPROVED
    outbox = RecomputeRequest.objects.get(trust=pending.trust)
    assert outbox.processed_at is None
    assert "the outbox drain will process it" in caplog.text
    assert status_of(pending).status == before  # nothing recomputed yet

    # Redis is back: the periodic drain (run here in-process) finds the request and recomputes.
    drain_recompute_requests.apply()

    outbox.refresh_from_db()
    assert outbox.processed_at is not None
    status = status_of(pending)
    assert status.status == Status.MET
    assert status.requirements_met == 1
