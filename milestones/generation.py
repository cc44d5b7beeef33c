"""The dashboard cache generation: one counter in PostgreSQL (DashboardGeneration) that every write
changing what the dashboards show bumps inside its transaction. The read side (dashboards.cache)
keys what it caches by it, so a committed change makes every cached part stale at once. Beside it
the inputs generation, which only writes to what statuses are computed from move on: the statuses
stored for past days (DayStatus) are kept under it; and the snapshots generation, which only
writes that change a month-end snapshot move on: the national trend is kept under it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

from .models import DashboardGeneration

# Within dashboard_generation_bumps_deferred: the bumps asked for (whether each changed inputs,
# and snapshots), made once at its end.
_deferred: ContextVar[list[tuple[bool, bool]] | None] = ContextVar("dashboard_generation_deferred", default=None)


def dashboard_generation_bump(*, inputs: bool = True, snapshots: bool = False) -> None:
    """Make every cached dashboard part stale when the current transaction commits. Call it inside
    the writing transaction, as its last statement where possible: the row stays locked until the
    commit, so concurrent writers queue on it only for their commits. `inputs=False` from a write
    that stores only what the rules computed from the inputs (a recompute, the month-end
    snapshots): the statuses stored for past days stay as they are. `snapshots=True` from a write
    that changed a month-end snapshot."""
    pending = _deferred.get()
    if pending is not None:
        pending.append((inputs, snapshots))
        return
    table = DashboardGeneration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, value, inputs, snapshots) VALUES (%s, 1, 1, 1) ON CONFLICT (id) "
            f"DO UPDATE SET value = {table}.value + 1, inputs = {table}.inputs + %s, "
            f"snapshots = {table}.snapshots + %s",
            [DashboardGeneration.ROW_ID, int(inputs), int(snapshots)],
        )


def dashboard_generations() -> tuple[int, int, int]:
    """The generation, the inputs and the snapshots generations, all 0 while the row is missing (as
    after a test database flush; the first bump writes it again). Plain SQL: every dashboard request
    reads it, and the ORM took three times as long to build the query as the database to answer it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value, inputs, snapshots FROM {DashboardGeneration._meta.db_table} WHERE id = %s",
            [DashboardGeneration.ROW_ID],
        )
        return cursor.fetchone() or (0, 0, 0)


@contextmanager
def dashboard_generation_bumps_deferred() -> Iterator[None]:
    """Hold back the bumps of the writes within and make one at the end, to be the last statement
    of a transaction that goes on locking rows after a write (the outbox drain recomputes trusts,
    then every trust batch by batch): a generation row locked early would be held while waiting
    for those rows, and a recompute holding one of them and waiting for the row would deadlock."""
    pending: list[tuple[bool, bool]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        dashboard_generation_bump(
            inputs=any(inputs for inputs, _ in pending), snapshots=any(snapshots for _, snapshots in pending)
        )
