"""The dashboard cache generation: one counter in PostgreSQL (DashboardGeneration) that every write
changing what the dashboards show bumps inside its transaction. The read side (dashboards.cache)
keys what it caches by it, so a committed change makes every cached part stale at once."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

from .models import DashboardGeneration

# Within dashboard_generation_bumps_deferred: the bumps asked for, made once at its end.
_deferred: ContextVar[list[bool] | None] = ContextVar("dashboard_generation_deferred", default=None)


def dashboard_generation_bump() -> None:
    """Make every cached dashboard part stale when the current transaction commits. Call it inside
    the writing transaction, as its last statement where possible: the row stays locked until the
    commit, so concurrent writers queue on it only for their commits."""
    pending = _deferred.get()
    if pending is not None:
        pending.append(True)
        return
    table = DashboardGeneration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, value) VALUES (%s, 1) ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1",
            [DashboardGeneration.ROW_ID],
        )


@contextmanager
def dashboard_generation_bumps_deferred() -> Iterator[None]:
    """Hold back the bumps of the writes within and make one at the end, to be the last statement
    of a transaction that goes on locking rows after a write (the outbox drain recomputes trusts,
    then every trust batch by batch): a generation row locked early would be held while waiting
    for those rows, and a recompute holding one of them and waiting for the row would deadlock."""
    pending: list[bool] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        dashboard_generation_bump()
