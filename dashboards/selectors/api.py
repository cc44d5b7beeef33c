"""Reads for /api/statuses.json: each status with its requirements, their state and what each rests on."""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from milestones import rules
from milestones.models import Requirement, Target
from milestones.services.compliance import ComputedStatus, statuses_compute
from trusts.models import Trust


def requirement_rows(computed: Iterable[ComputedStatus]) -> dict[tuple[int, int], list[dict]]:
    """For each (trust id, target id), its requirements in force that day: code, title, whether it
    counts, state (met, unmet, no_current_data, pending) and source (a published snapshot and its
    as-at date, or an uploaded submission's id)."""
    computed = list(computed)
    requirements = Requirement.objects.in_bulk(
        {state.requirement_id for item in computed for state in item.result.requirements}
    )
    return {
        (item.trust.pk, item.target.pk): [
            _requirement_row(requirements[s.requirement_id], s) for s in item.result.requirements
        ]
        for item in computed
    }


def _requirement_row(requirement: Requirement, state: rules.RequirementStatus) -> dict:
    source = None
    if state.record is not None:
        record = state.record
        source = {
            "snapshot_id": record.snapshot_id or None,
            "source": str(record.source),
            "edition": record.edition,
            "as_at": record.as_at.isoformat(),
        }
    elif state.submission_id is not None:
        source = {"evidence_id": state.submission_id}
    return {
        "code": requirement.code,
        "title": requirement.title,
        "counts": state.counts,
        "state": str(state.state),
        "note": state.note,
        "source": source,
    }


def statuses_as_of(
    *, trusts: QuerySet[Trust], targets: QuerySet[Target], as_of: datetime.date, status: str = ""
) -> list[ComputedStatus]:
    """Every given trust against every given target as the rules give it on `as_of` (nothing
    stored), in the API's order, keeping only `status` if one is given."""
    computed = statuses_compute(trusts=trusts, targets=targets, as_of=as_of)
    order = {
        pk: index for index, pk in enumerate(targets.order_by("display_order", "code").values_list("pk", flat=True))
    }
    computed.sort(key=lambda item: (item.trust.ods_code, order[item.target.pk]))
    return [item for item in computed if not status or item.result.status == status]
