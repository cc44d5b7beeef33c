"""Each trust's compliance with each target, its history, and pending recomputes."""

from django.db import models

from trusts.models import Trust

from .targets import Target


class Status(models.TextChoices):
    MET = "met", "Met"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVERDUE = "overdue", "Overdue"
    NO_CURRENT_DATA = "no_current_data", "No current data"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# The order statuses are counted, stacked and listed in: the choices' own, best first.
STATUS_ORDER: tuple[Status, ...] = tuple(Status)


class ComplianceStatus(models.Model):
    """The current status of one trust against one target, as last computed."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="compliance_statuses")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="compliance_statuses")
    status = models.CharField(max_length=20, choices=Status.choices)
    requirements_met = models.PositiveSmallIntegerField(default=0)
    requirements_total = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField()
    met_on = models.DateField(null=True, blank=True)
    met_on_time = models.BooleanField(null=True, blank=True)
    met_by_deadline = models.BooleanField(
        null=True, blank=True, help_text="Whether the target was met on the deadline then in force, once it has passed."
    )
    data_as_at = models.DateField(
        null=True, blank=True, help_text="As-at date of the oldest published national data behind the status."
    )
    computed_at = models.DateTimeField(help_text="When the status was last confirmed, changed or not.")
    changed_at = models.DateTimeField(help_text="When the status last changed.")

    class Meta:
        ordering = ["trust", "target"]
        verbose_name_plural = "compliance statuses"
        constraints = [models.UniqueConstraint(fields=["trust", "target"], name="one_status_per_trust_and_target")]

    def __str__(self) -> str:
        return f"{self.trust.ods_code} / {self.target.code}: {self.get_status_display()}"

    @property
    def share_met(self) -> float:
        return self.requirements_met / self.requirements_total if self.requirements_total else 0.0


class ComplianceStatusChange(models.Model):
    """A change of the computed result for a trust against a target: old status, new, why and when.

    Written whenever the status, the count of requirements met or the date and timeliness of
    meeting the target moves, so old and new status can be equal: "at risk" to "at risk" with
    the reason "2 of 3 requirements met" records progress that the trust's history shows.
    """

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="compliance_changes")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="compliance_changes")
    old_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["trust", "target", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.trust.ods_code} / {self.target.code}: {self.old_status or '-'} to {self.new_status}"


class ComplianceSnapshot(models.Model):
    """A trust's status against a target at a month end: the series behind trend charts."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="compliance_snapshots")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="compliance_snapshots")
    as_of = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["as_of", "trust", "target"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "target", "as_of"], name="one_snapshot_per_trust_target_day")
        ]
        indexes = [models.Index(fields=["target", "as_of", "status"])]

    def __str__(self) -> str:
        return f"{self.trust.ods_code} / {self.target.code} on {self.as_of}: {self.status}"


class DayStatus(models.Model):
    """A trust's status against a target on one past day, as the rules give it then: what the as-of
    views read. Written by day_statuses_ensure under the inputs generation it was computed from
    (DashboardGeneration.inputs: every write to what statuses are computed from bumps it, so a day's
    rows of an older one are stale; a recompute does not); never part of the month-end trend series."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    inputs = models.PositiveBigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField()
    # As-at date of the oldest published data behind the status (None: none used).
    data_as_at = models.DateField(null=True, blank=True)
    # As on ComplianceStatus: met on the deadline in force (once passed), and met late.
    met_by_deadline = models.BooleanField(null=True)
    met_on_time = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["as_of", "inputs", "trust", "target"], name="one_day_status_per_inputs")
        ]
        indexes = [models.Index(fields=["as_of", "inputs", "target", "status"])]

    def __str__(self) -> str:
        return f"{self.trust_id} / {self.target_id} on {self.as_of} (inputs {self.inputs}): {self.status}"


class RecomputeRequest(models.Model):
    """Outbox row: this trust (or target) needs recomputing. Written in the transaction
    that caused it and drained by a periodic task, so no recompute depends on a message
    that was never sent."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=200)
    requested_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["processed_at", "requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trust__isnull=False) | models.Q(target__isnull=False),
                name="recompute_request_names_trust_or_target",
            )
        ]

    def __str__(self) -> str:
        return f"recompute {self.trust or self.target}: {self.reason}"
