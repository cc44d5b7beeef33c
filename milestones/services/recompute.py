"""Requests to recompute compliance: an outbox row written in the caller's transaction,
and a task sent once that transaction commits; `inputs_changed` announces a write with them."""

import logging
from collections.abc import Iterable
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.db import transaction

from trusts.models import Trust

from ..generation import dashboard_generation_bump
from ..models import RecomputeRequest, Target
from ..tasks import recompute_target, recompute_trust

logger = logging.getLogger(__name__)


def recompute_request(*, reason: str, trust: Trust | None = None, target: Target | None = None) -> RecomputeRequest:
    """Record that a trust (or a target) needs recomputing, and ask a worker to do it now.

    Call it inside the transaction that made the change: the row commits with it and the task
    is sent only after the commit. If the broker cannot take the task, the every-minute drain
    of the outbox recomputes it once it is RECOMPUTE_DRAIN_MIN_AGE_SECONDS old, so nothing
    depends on that message.
    """
    request = RecomputeRequest.objects.create(trust=trust, target=target, reason=reason[:200])
    transaction.on_commit(partial(_recompute_enqueue, request))
    return request


def inputs_changed(*, reason: str, trust: Trust | None = None, targets: Iterable[Target] = ()) -> None:
    """Announce a change to what compliance or the dashboards are computed from: the one call every
    write makes, inside its transaction. Requests a recompute of `trust` and of each of `targets`
    (neither when only what the pages show changed, such as an ICB's name), then makes the cached
    dashboards stale when the transaction commits."""
    if trust is not None:
        recompute_request(trust=trust, reason=reason)
    for target in targets:
        recompute_request(target=target, reason=reason)
    logger.debug("Inputs changed: %s", reason)
    dashboard_generation_bump()


def _recompute_enqueue(request: RecomputeRequest) -> None:
    try:
        if request.trust_id:
            recompute_trust.delay(request.trust_id, request_id=request.pk)
        else:
            recompute_target.delay(request.target_id, request_id=request.pk)
    except (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError) as error:
        logger.warning("Recompute request %s not sent (%s); the outbox drain will process it.", request.pk, error)
