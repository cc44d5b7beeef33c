"""Published Data Security and Protection Toolkit (DSPT) statuses: national data as evidence."""

from django.db import models

from trusts.models import Trust

from .targets import RevisedDeadline


class DsptStatus(models.TextChoices):
    STANDARDS_EXCEEDED = "exceeded", "Standards Exceeded"
    STANDARDS_MET = "met", "Standards Met"
    APPROACHING_STANDARDS = "approaching", "Approaching Standards"
    STANDARDS_NOT_MET = "not_met", "Standards Not Met"
    NOT_PUBLISHED = "not_published", "Not Published"
    # Wordings of 2018-19 and 2019-20; neither counts as meeting the standards.
    NOT_FULLY_MET_PLAN_AGREED = "plan_agreed", "Standards Not Fully Met (Plan Agreed)"
    ENTRY_LEVEL = "entry_level", "Entry Level"


class DsptSubmissionDeadline(models.Model):
    """The submission deadline of a DSPT assessment year (30 June 2021 for 2020-21)."""

    year = models.CharField(max_length=7, unique=True, help_text="Assessment year, such as 2020-21.")
    deadline = models.DateField()

    class Meta:
        ordering = ["year"]
        verbose_name = "DSPT submission deadline"

    def __str__(self) -> str:
        return f"{self.year}: {self.deadline}"


class DsptDeadlineRevision(RevisedDeadline):
    """A change of a DSPT submission deadline, with its reason: the deadline decides when each
    published status is in force, so moving it moves compliance results, as a target's does."""

    deadline = models.ForeignKey(DsptSubmissionDeadline, on_delete=models.PROTECT, related_name="revisions")

    class Meta:
        ordering = ["deadline", "revised_on", "id"]
        verbose_name = "DSPT deadline revision"

    def __str__(self) -> str:
        return f"DSPT {self.deadline.year}: {self.old_deadline} to {self.new_deadline}"


class DsptAssessment(models.Model):
    """One trust's published DSPT status for one assessment year."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="dspt_assessments")
    year = models.CharField(max_length=7, help_text="Assessment year, such as 2020-21.")
    status = models.CharField(max_length=20, choices=DsptStatus.choices)
    published_on = models.DateField(null=True, blank=True)
    source_file = models.CharField(max_length=255)
    source_sha256 = models.CharField("source SHA-256", max_length=64)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["trust", "year"]
        verbose_name = "DSPT assessment"
        constraints = [models.UniqueConstraint(fields=["trust", "year"], name="one_dspt_assessment_per_trust_year")]

    def __str__(self) -> str:
        return f"{self.trust.ods_code} {self.year}: {self.get_status_display()}"


class DsptAssessmentChange(models.Model):
    """What a later file replaced: the previous status of an assessment and where it came from."""

    assessment = models.ForeignKey(DsptAssessment, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=20, choices=DsptStatus.choices)
    old_published_on = models.DateField(null=True, blank=True)
    old_source_file = models.CharField(max_length=255)
    old_source_sha256 = models.CharField(max_length=64)
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = "DSPT assessment change"

    def __str__(self) -> str:
        return f"{self.assessment}: was {self.get_old_status_display()}"
