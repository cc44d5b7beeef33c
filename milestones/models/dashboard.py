"""The dashboards' cache generation, kept in PostgreSQL beside the data it describes."""

from django.db import models


class DashboardGeneration(models.Model):
    """One row: a counter that every write changing what the dashboards show bumps in its own
    transaction, so the cached pages go stale exactly when the change commits (Redis down or not),
    and beside it the inputs generation: bumped with it by every write to what statuses are computed
    from (evidence, requirements, deadlines, national data, the register), not by the recomputes and
    backfills that store what the rules give. The statuses stored for past days (DayStatus) are kept
    under it: a recompute leaves them as they were. And the snapshots generation: bumped with it by
    every write that changes a month-end snapshot, which the national trend (five years of them)
    is kept under, so a recompute that changes no status leaves the trend as it was."""

    ROW_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW_ID, editable=False)
    value = models.BigIntegerField(default=1)
    # A default in the database too: a bump written in SQL alone (the dashboards bench's) names `value` only.
    inputs = models.BigIntegerField(default=1, db_default=1)
    snapshots = models.BigIntegerField(default=1, db_default=1)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dashboard_generation_single_row")]

    def __str__(self) -> str:
        return f"Dashboard cache generation {self.value}"
