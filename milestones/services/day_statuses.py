"""The statuses on one past day, stored once per inputs generation for the as-of views."""

import datetime

from django.db import connection, transaction

from trusts.models import Trust

from ..models import DayStatus, Target
from .compliance import statuses_compute


def day_statuses_ensure(*, as_of: datetime.date, inputs: int) -> None:
    """Make sure the statuses on `as_of` are stored for the inputs generation `inputs` (the
    dashboard cache's): one query when they are, else every trust against every target through the
    same rules as /api/statuses.json, written in one statement whatever the number of trusts.

    Every write to what statuses are computed from bumps the inputs generation (evidence,
    requirements, deadlines, national data, the register), so rows of an older one are stale: they
    are dropped here. A recompute does not: it stores today's statuses, from the same inputs.
    """
    if DayStatus.objects.filter(as_of=as_of, inputs__gte=inputs).exists():
        return
    computed = statuses_compute(trusts=Trust.objects.all(), targets=Target.objects.all(), as_of=as_of)
    columns = {name: [] for name in _INSERTED}
    for item in computed:
        result = item.result
        values = (item.trust.pk, item.target.pk, str(result.status), result.reason, result.data_as_at)
        for name, value in zip(_INSERTED, (*values, result.met_by_deadline, result.met_on_time), strict=True):
            columns[name].append(value)
    with transaction.atomic():
        DayStatus.objects.filter(inputs__lt=inputs).delete()
        with connection.cursor() as cursor:
            cursor.execute(_INSERT, [as_of, inputs, *columns.values()])


# The day's rows, a column at a time: a few thousand model instances through bulk_create cost as
# much as computing their statuses. Two pages asking for the same day at once write the same rows:
# the second one's are skipped (ON CONFLICT DO NOTHING).
_INSERTED = {
    "trust_id": "bigint",
    "target_id": "bigint",
    "status": "text",
    "reason": "text",
    "data_as_at": "date",
    "met_by_deadline": "boolean",
    "met_on_time": "boolean",
}
_INSERT = (
    f"INSERT INTO {DayStatus._meta.db_table} (as_of, inputs, {', '.join(_INSERTED)}) "
    f"SELECT %s, %s, {', '.join(_INSERTED)} "
    f"FROM unnest({', '.join(f'%s::{kind}[]' for kind in _INSERTED.values())}) AS day ({', '.join(_INSERTED)}) "
    "ON CONFLICT DO NOTHING"
)
