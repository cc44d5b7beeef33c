"""National targets, the requirements that together meet them, and their deadline history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from trusts.models import Sector


class NationalDataRule(models.TextChoices):
    NONE = "", "None: met by evidence uploaded by the trust"
    DSPT_MET_OR_EXCEEDED = "dspt_met_or_exceeded", "DSPT status Standards Met or Exceeded"


class Target(models.Model):
    """A national milestone, such as "fully digitised by 2024"."""

    code = models.SlugField(max_length=50, unique=True, help_text="Short code, such as full-2024.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField(help_text="When the target's window opened.")
    deadline = models.DateField(help_text="The deadline in force. Change it here to record a revision.")
    sectors = models.JSONField(
        default=list, help_text="The trust sectors the target applies to (codes from the Sector list)."
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = set(self.sectors or []) - set(Sector.values)
        if unknown:
            raise ValidationError({"sectors": f"Unknown sectors: {', '.join(sorted(unknown))}."})
        if self.start_date and self.deadline and self.deadline < self.start_date:
            raise ValidationError({"deadline": "The deadline cannot be before the start date."})

    def applies_to(self, sector: str) -> bool:
        return sector in self.sectors


class Requirement(models.Model):
    """One piece of evidence that, with the target's others, meets it."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    national_data_rule = models.CharField(
        max_length=40,
        choices=NationalDataRule.choices,
        default=NationalDataRule.NONE,
        blank=True,
        help_text="Met by published national data rather than uploaded evidence.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["target", "display_order", "code"]
        constraints = [models.UniqueConstraint(fields=["target", "code"], name="requirement_code_unique_per_target")]

    def __str__(self) -> str:
        return self.title


class TargetRevision(models.Model):
    """A change of a target's deadline: national targets slip, and the slippage is history."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions")
    revised_on = models.DateField()
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.TextField()
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["target", "revised_on", "id"]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.old_deadline} to {self.new_deadline}"
