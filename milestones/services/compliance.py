"""Writes of compliance statuses, their history and month-end snapshots.

Facts are loaded once per batch (a constant number of queries, whatever its size: see
compliance_facts), the pure rules in milestones.rules decide, and the results are written in one
transaction.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trusts.models import Trust

from .. import rules
from ..generation import dashboard_generation_bump, dashboard_generation_bumps_deferred
from ..models import (
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    RecomputeRequest,
    Target,
)
from .compliance_facts import facts_load

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Fields whose change is a change of the computed result (and so a history row, whose old and
# new status may be equal when only progress moved); the reason and "computed at" are
# refreshed on every run ("41 days left" moves daily).
CHANGE_FIELDS = ("status", "requirements_met", "requirements_total", "met_on", "met_on_time")
# Shown on the pages and refreshed on every run, but no change of the result in themselves.
SHOWN_FIELDS = ("reason", "met_by_deadline", "data_as_at")


@dataclass(frozen=True)
class RecomputeSummary:
    computed: int = 0
    changed: int = 0

    def __add__(self, other: "RecomputeSummary") -> "RecomputeSummary":
        return RecomputeSummary(self.computed + other.computed, self.changed + other.changed)


def statuses_recompute(
    *, trusts: Iterable[Trust], targets: Iterable[Target], as_of: datetime.date, request_ids: Sequence[int] = ()
) -> RecomputeSummary:
    """Recompute and store the status of every given trust against every given target on `as_of`.

    Race-free: the trusts' rows are locked before any fact is read, so of two recomputes of one
    trust the second waits, reads what the first committed, and writes no duplicate history.
    Outbox rows named in `request_ids` are marked processed in the same transaction.
    """
    return _statuses_recompute(_ids(trusts), _ids(targets), as_of=as_of, request_ids=request_ids)


def _statuses_recompute(
    trust_ids: list[int], target_ids: list[int], *, as_of: datetime.date, request_ids: Sequence[int] = ()
) -> RecomputeSummary:
    if not trust_ids or not target_ids:
        return RecomputeSummary()
    now = timezone.now()
    with transaction.atomic():
        # FOR NO KEY UPDATE in id order: serialises recomputes of a trust (no deadlock between
        # batches), while evidence inserts, which only take a key-share lock, go on.
        locked = list(
            Trust.objects.filter(pk__in=trust_ids)
            .order_by("pk")
            .select_for_update(no_key=True)
            .only("id", "sector", "opened_on", "closed_on")
        )
        facts = facts_load(trusts=locked, target_ids=target_ids)
        stored = {
            (row.trust_id, row.target_id): row
            for row in ComplianceStatus.objects.filter(trust_id__in=trust_ids, target_id__in=target_ids)
        }
        rows: list[ComplianceStatus] = []
        changes: list[ComplianceStatusChange] = []
        for trust_id in facts.trusts:
            for target_id in facts.targets:
                result = facts.status(trust_id, target_id, as_of)
                previous = stored.get((trust_id, target_id))
                row, change = _row_for(previous, trust_id, target_id, result, now)
                rows.append(row)
                if change:
                    changes.append(change)
        ComplianceStatus.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["trust", "target"],
            update_fields=[*CHANGE_FIELDS, *SHOWN_FIELDS, "computed_at", "changed_at"],
        )
        ComplianceStatusChange.objects.bulk_create(changes)
        snapshots = _snapshots_upsert(
            {(row.trust_id, row.target_id): row.status for row in rows}, as_of=rules.month_end(as_of)
        )
        if request_ids:
            RecomputeRequest.objects.filter(pk__in=request_ids, processed_at__isnull=True).update(processed_at=now)
        # Always: even a run that changes no status moves computed_at, which the pages show
        # ("Statuses last computed ..."), and whole pages are cached under the generation. The
        # inputs are as they were, and so are the statuses stored for past days.
        dashboard_generation_bump(inputs=False, snapshots=snapshots > 0)
    return RecomputeSummary(computed=len(rows), changed=len(changes))


def statuses_recompute_all(
    *,
    as_of: datetime.date,
    targets: Iterable[Target] | None = None,
    batch_size: int = BATCH_SIZE,
    request_ids: Sequence[int] = (),
) -> RecomputeSummary:
    """Every trust (closed ones become not applicable) against the given targets, batch by batch.

    Outbox rows named in `request_ids` are marked processed once every batch is written.
    """
    target_ids = _ids(targets if targets is not None else Target.objects.all())
    summary = RecomputeSummary()
    for batch in trust_id_batches(batch_size=batch_size):
        summary += _statuses_recompute(batch, target_ids, as_of=as_of)
    if request_ids:
        RecomputeRequest.objects.filter(pk__in=request_ids, processed_at__isnull=True).update(
            processed_at=timezone.now()
        )
    return summary


@dataclass(frozen=True)
class ComputedStatus:
    trust: Trust
    target: Target
    result: rules.Result


def statuses_compute(
    *, trusts: Iterable[Trust], targets: Iterable[Target], as_of: datetime.date, batch_size: int = BATCH_SIZE
) -> list[ComputedStatus]:
    """What the rules give for every given trust against every given target on `as_of`.

    Read-only: nothing is stored, so a past date never overwrites today's statuses, their
    history or the month-end snapshots (those come from backfill_compliance_history).
    """
    target_ids = _ids(targets)
    target_by_id = Target.objects.in_bulk(target_ids)
    computed: list[ComputedStatus] = []
    trust_ids = _ids(trusts)
    for start in range(0, len(trust_ids), batch_size):
        batch = list(
            Trust.objects.filter(pk__in=trust_ids[start : start + batch_size])
            .order_by("ods_code")
            .only("id", "ods_code", "name", "sector", "opened_on", "closed_on")
        )
        facts = facts_load(trusts=batch, target_ids=target_ids)
        for trust in batch:
            for target_id in target_ids:
                result = facts.status(trust.pk, target_id, as_of)
                computed.append(ComputedStatus(trust, target_by_id[target_id], result))
    return computed


def trust_id_batches(*, batch_size: int = BATCH_SIZE) -> list[list[int]]:
    ids = list(Trust.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]


def recompute_requests_drain(*, as_of: datetime.date, limit: int = 1000) -> int:
    """Process unprocessed outbox rows: recompute what they name and mark them processed.

    Only rows older than RECOMPUTE_DRAIN_MIN_AGE_SECONDS: a younger row's own task is most
    likely still queued or running, and draining it too would recompute it twice. Rows
    another drain is working on are skipped (SKIP LOCKED), so drains can overlap.
    """
    older_than = timezone.now() - datetime.timedelta(seconds=settings.RECOMPUTE_DRAIN_MIN_AGE_SECONDS)
    with transaction.atomic(), dashboard_generation_bumps_deferred():
        pending = list(
            RecomputeRequest.objects.filter(processed_at__isnull=True, requested_at__lt=older_than)
            .order_by("requested_at", "id")
            .select_for_update(skip_locked=True, no_key=True)
            .values_list("id", "trust_id", "target_id")[:limit]
        )
        if not pending:
            return 0
        trust_ids = {trust_id for _, trust_id, _ in pending if trust_id}
        target_ids = {target_id for _, _, target_id in pending if target_id}
        if trust_ids:
            statuses_recompute(trusts=Trust.objects.filter(pk__in=trust_ids), targets=Target.objects.all(), as_of=as_of)
        if target_ids:
            statuses_recompute_all(as_of=as_of, targets=Target.objects.filter(pk__in=target_ids))
        RecomputeRequest.objects.filter(pk__in=[row[0] for row in pending]).update(processed_at=timezone.now())
    return len(pending)


def compliance_history_backfill(*, since: datetime.date, until: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Fill the month-end snapshots from `since` to `until` from the evidence record.

    Each snapshot is the pure rule applied as of that month end, so it is what the engine
    would have said then. Existing snapshots for those days are overwritten. Returns the
    number of snapshots written.
    """
    days = rules.month_ends(since, until)
    target_ids = list(Target.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for batch in trust_id_batches(batch_size=batch_size):
        with transaction.atomic():
            trusts = list(Trust.objects.filter(pk__in=batch).only("id", "sector", "opened_on", "closed_on"))
            facts = facts_load(trusts=trusts, target_ids=target_ids)
            snapshots = [
                ComplianceSnapshot(
                    trust_id=trust_id,
                    target_id=target_id,
                    as_of=day,
                    status=facts.status(trust_id, target_id, day).status,
                )
                for day in days
                for trust_id in facts.trusts
                for target_id in facts.targets
            ]
            ComplianceSnapshot.objects.bulk_create(
                snapshots,
                update_conflicts=True,
                unique_fields=["trust", "target", "as_of"],
                update_fields=["status"],
                batch_size=5000,
            )
            written += len(snapshots)
            if snapshots:
                dashboard_generation_bump(inputs=False, snapshots=True)
    return written


def _ids(objects: Iterable[Trust] | Iterable[Target]) -> list[int]:
    if isinstance(objects, QuerySet):
        return sorted(objects.values_list("pk", flat=True))
    return sorted({obj.pk for obj in objects})


def _row_for(
    stored: ComplianceStatus | None,
    trust_id: int,
    target_id: int,
    result: rules.Result,
    now: datetime.datetime,
) -> tuple[ComplianceStatus, ComplianceStatusChange | None]:
    row = ComplianceStatus(
        trust_id=trust_id,
        target_id=target_id,
        status=result.status.value,
        requirements_met=result.requirements_met,
        requirements_total=result.requirements_total,
        reason=result.reason,
        met_on=result.met_on,
        met_on_time=result.met_on_time,
        met_by_deadline=result.met_by_deadline,
        data_as_at=result.data_as_at,
        computed_at=now,
        changed_at=now,
    )
    if stored is not None and all(getattr(stored, f) == getattr(row, f) for f in CHANGE_FIELDS):
        row.changed_at = stored.changed_at
        return row, None
    change = ComplianceStatusChange(
        trust_id=trust_id,
        target_id=target_id,
        old_status=stored.status if stored else "",
        new_status=row.status,
        reason=result.reason,
        changed_at=now,
    )
    return row, change


def _snapshots_upsert(statuses: dict[tuple[int, int], str], *, as_of: datetime.date) -> int:
    """Write the month-end snapshots whose status differs from what is stored; returns how many."""
    trust_ids = {trust_id for trust_id, _ in statuses}
    target_ids = {target_id for _, target_id in statuses}
    stored = {
        (trust_id, target_id): status
        for trust_id, target_id, status in ComplianceSnapshot.objects.filter(
            as_of=as_of, trust_id__in=trust_ids, target_id__in=target_ids
        ).values_list("trust_id", "target_id", "status")
    }
    changed = [
        ComplianceSnapshot(trust_id=trust_id, target_id=target_id, as_of=as_of, status=status)
        for (trust_id, target_id), status in statuses.items()
        if stored.get((trust_id, target_id)) != status
    ]
    if changed:
        ComplianceSnapshot.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["trust", "target", "as_of"], update_fields=["status"]
        )
    return len(changed)
