"""After the load: the queue drained, and checks that nothing was lost (uploads, approvals,
statuses) and of how every request fared."""

import hashlib
import statistics
import time
from pathlib import Path

from bench.common.servers import wait_until
from bench.load.faults import Fault
from bench.load.stack import Stack, broker_call
from bench.load.users import Record

# 503s are the promised clean failure while PostgreSQL is away; allowed this long after it is back.
RECOVERY_GRACE_SECONDS = 15
DRAIN_TIMEOUT_SECONDS = 120


def queue_drain(stack: Stack) -> dict:
    """Send the periodic drain once (as beat would) and wait for outbox and queue to empty."""
    from django.db import connections

    from milestones.models import RecomputeRequest
    from milestones.tasks import drain_recompute_requests

    started = time.monotonic()
    wait_until(lambda: broker_call(lambda app: drain_recompute_requests.delay()) is not None, 30, interval=1)

    def idle() -> bool:
        pending = RecomputeRequest.objects.filter(processed_at__isnull=True).count()
        connections.close_all()
        if pending or stack.redis.queue_length():
            return False
        active = broker_call(lambda app: app.control.inspect(timeout=1).active())
        return active is not None and not any(active.values())

    drained = wait_until(idle, DRAIN_TIMEOUT_SECONDS, interval=1)
    return {"drained": drained, "seconds": round(time.monotonic() - started, 1)}


def verify(record: Record, media: Path) -> dict:
    """Uploads stored exactly once and intact, approvals in the database, statuses up to date."""
    checks = {"uploads": uploads_check(record, media), "approvals": approvals_check(record)}
    checks["statuses"] = statuses_check(approvals_ok=not checks["approvals"]["approved_but_not_approved_in_db"])
    return checks


def uploads_check(record: Record, media: Path) -> dict:
    from django.db.models import Count

    from milestones.models import EvidenceSubmission

    rows = list(EvidenceSubmission.objects.filter(original_name__startswith="load-"))
    by_name: dict[str, list] = {}
    for row in rows:
        by_name.setdefault(row.original_name, []).append(row)
    attempted = {**record.uploads_unsure, **record.uploads_ok}
    missing = [name for name in record.uploads_ok if len(by_name.get(name, [])) != 1]
    unexpected = [name for name in by_name if name not in attempted]
    bad_files = []
    for row in rows:
        path = media / row.file.name
        on_disk = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
        if on_disk != row.sha256 or row.sha256 != attempted.get(row.original_name):
            bad_files.append(row.original_name)
    referenced = {str(media / row.file.name) for row in EvidenceSubmission.objects.all()}
    evidence_folder = media / "evidence"
    on_disk = {str(p) for p in evidence_folder.rglob("*") if p.is_file()} if evidence_folder.exists() else set()
    duplicates = (
        EvidenceSubmission.objects.filter(original_name__startswith="load-")
        .values("sha256")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "succeeded": len(record.uploads_ok),
        "answered_5xx_or_not_at_all": len(record.uploads_unsure),
        "of_those_stored_anyway": sum(1 for name in record.uploads_unsure if name in by_name),
        "succeeded_but_not_stored_exactly_once": len(missing),
        "stored_but_never_sent": len(unexpected),
        "file_missing_or_sha256_mismatch": len(bad_files),
        "files_on_disk_without_a_row": len(on_disk - referenced),
        "ok": not missing and not unexpected and not bad_files and not on_disk - referenced,
        "duplicate_contents": duplicates,
    }


def approvals_check(record: Record) -> dict:
    from milestones.models import EvidenceSubmission, ReviewState

    approved_in_db = set(
        EvidenceSubmission.objects.filter(pk__in=record.approvals, state=ReviewState.APPROVED).values_list(
            "pk", flat=True
        )
    )
    return {
        "approved": len(record.approvals),
        "rejected": len(record.rejections),
        "approved_but_not_approved_in_db": len(record.approvals - approved_in_db),
    }


def statuses_check(*, approvals_ok: bool) -> dict:
    """Every approval reflected: each trust's statuses were computed after its last review, the
    outbox is empty, and recomputing every trust now, synchronously, changes nothing."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from milestones.models import ComplianceStatus, EvidenceSubmission, RecomputeRequest, Target
    from milestones.services.compliance import statuses_recompute
    from trusts.models import Trust

    last_review = dict(
        EvidenceSubmission.objects.filter(reviewed_at__isnull=False)
        .values("trust_id")
        .annotate(last=Max("reviewed_at"))
        .values_list("trust_id", "last")
    )
    oldest_status = dict(
        ComplianceStatus.objects.filter(trust_id__in=last_review)
        .values("trust_id")
        .annotate(oldest=Min("computed_at"))
        .values_list("trust_id", "oldest")
    )
    stale = [
        trust_id
        for trust_id, last in last_review.items()
        if oldest_status.get(trust_id) is None or oldest_status[trust_id] < last
    ]
    unprocessed = RecomputeRequest.objects.filter(processed_at__isnull=True).count()
    summary = statuses_recompute(trusts=Trust.objects.all(), targets=Target.objects.all(), as_of=timezone.localdate())
    return {
        "trusts_reviewed": len(last_review),
        "trusts_with_status_older_than_last_review": len(stale),
        "outbox_unprocessed": unprocessed,
        "synchronous_recompute_changed": summary.changed,
        "met_statuses": ComplianceStatus.objects.filter(status="met").count(),
        "ok": not stale and unprocessed == 0 and summary.changed == 0 and approvals_ok,
    }


def responses_summary(record: Record, faults: list[Fault]) -> dict:
    """Requests by status and latency; 5xx and unanswered ones that the PostgreSQL restart (and
    RECOVERY_GRACE_SECONDS after it) does not excuse are unexpected."""
    postgres = next((f for f in faults if f.name.startswith("PostgreSQL")), None)
    window = (postgres.started, postgres.ended + RECOVERY_GRACE_SECONDS) if postgres else (0, 0)
    by_status: dict[str, int] = {}
    unexpected = []
    for outcome in record.outcomes:
        by_status[str(outcome.status)] = by_status.get(str(outcome.status), 0) + 1
        in_window = window[0] <= outcome.started + outcome.seconds and outcome.started <= window[1]
        if outcome.status >= 500 and not (outcome.status == 503 and in_window):
            unexpected.append(outcome)
        if outcome.status == 0 and not in_window:
            unexpected.append(outcome)
    latencies = sorted(o.seconds * 1000 for o in record.outcomes if o.status)
    kinds = sorted({o.kind for o in record.outcomes})
    return {
        "total": len(record.outcomes),
        "by_status": dict(sorted(by_status.items())),
        "unexpected_5xx_or_no_answer": len(unexpected),
        "unexpected_examples": [f"{o.kind} {o.status}" for o in unexpected[:10]],
        "latency_ms": percentiles(latencies),
        "latency_ms_by_kind": {
            kind: percentiles(sorted(o.seconds * 1000 for o in record.outcomes if o.kind == kind and o.status))
            for kind in kinds
        },
    }


def percentiles(values: list[float]) -> dict:
    if not values:
        return {}

    def at(share: float) -> float:
        return round(values[min(len(values) - 1, int(share * len(values)))], 1)

    return {
        "p50": at(0.5),
        "p90": at(0.9),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(values[-1], 1),
        "mean": round(statistics.fmean(values), 1),
    }
