"""The statuses on one past day, stored once per dashboard generation for the as-of views."""

import datetime

from django.db import transaction

from trusts.models import Trust

from ..models import DayStatus, Target
from .compliance import statuses_compute


def day_statuses_ensure(*, as_of: datetime.date, generation: int) -> None:
    """Make sure the statuses on `as_of` are stored for `generation` (the dashboard cache's): one
    query when they are, else every trust against every target through the same rules as
    /api/statuses.json, written in one statement whatever the number of trusts.

    Every write that moves a status bumps the generation (evidence, requirements, deadlines,
    national data, backfills), so rows of an older generation are stale: they are dropped here.
    """
    if DayStatus.objects.filter(as_of=as_of, generation__gte=generation).exists():
        return
    computed = statuses_compute(trusts=Trust.objects.all(), targets=Target.objects.all(), as_of=as_of)
    rows = [
        DayStatus(
            trust=item.trust,
            target=item.target,
            as_of=as_of,
            generation=generation,
            status=item.result.status,
            reason=item.result.reason,
            data_as_at=item.result.data_as_at,
            met_by_deadline=item.result.met_by_deadline,
            met_on_time=item.result.met_on_time,
        )
        for item in computed
    ]
    with transaction.atomic():
        DayStatus.objects.filter(generation__lt=generation).delete()
        # Two pages asking for the same day at once write the same rows: the second one's are skipped.
        DayStatus.objects.bulk_create(rows, ignore_conflicts=True)
