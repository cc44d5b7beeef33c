"""National targets, the requirements that together meet them, and their deadline history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from trusts.models import Sector


class NationalDataRule(models.TextChoices):
    """Mirrors the rules of milestones.rules (a test keeps them equal)."""

    NONE = "", "None: met by evidence uploaded by the trust"
    DSPT_MET_OR_EXCEEDED = "dspt_met_or_exceeded", "DSPT status Standards Met or Exceeded"
    EPR_IN_USE = "epr_in_use", "An EPR in use (Frontline Digitisation group other than Group 0, or a named supplier)"
    MDF_CORE_CAPABILITIES = "mdf_core_capabilities", "Already meets the core capabilities in the MDF"
    DMA_PILLAR_AT_LEAST = "dma_pillar_at_least", "DMA pillar score at least a threshold"


class RequirementChange(models.TextChoices):
    ADDED = "added", "Added"
    REBOUND = "rebound", "Basis changed"
    MADE_OPTIONAL = "made_optional", "Made optional"
    MADE_COUNTING = "made_counting", "Made to count"
    RETIRED = "retired", "Retired"


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
    # A trust's stage is the highest target it met with all of these met too (milestones.stages).
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Targets a trust must meet before this one counts as its stage (full digitisation needs core).",
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
    dma_pillar = models.CharField(
        max_length=60, blank=True, help_text="For a DMA rule: the pillar, as the DMA names it (such as Well led)."
    )
    dma_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For a DMA rule: the lowest score that meets it.",
    )
    optional = models.BooleanField(
        default=False, help_text="Optional evidence: listed for the trust, but never changes the national status."
    )
    applies_from = models.DateField(
        null=True, blank=True, help_text="The first day it counts; statuses before it do not change. Empty: always."
    )
    retired_on = models.DateField(null=True, blank=True, help_text="The first day it no longer counts.")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["target", "display_order", "code"]
        constraints = [models.UniqueConstraint(fields=["target", "code"], name="requirement_code_unique_per_target")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.national_data_rule == NationalDataRule.DMA_PILLAR_AT_LEAST and (
            not self.dma_pillar or self.dma_threshold is None
        ):
            raise ValidationError("A DMA rule needs a pillar and a threshold.")
        if self.applies_from and self.retired_on and self.retired_on <= self.applies_from:
            raise ValidationError({"retired_on": "A requirement must apply for at least a day before it retires."})

    @property
    def basis(self) -> dict:
        """What it rests on, as kept in its revisions."""
        threshold = None if self.dma_threshold is None else float(self.dma_threshold)
        return {"rule": self.national_data_rule, "dma_pillar": self.dma_pillar, "dma_threshold": threshold}


class RequirementRevision(models.Model):
    """A requirement added, retired or re-bound to another basis, from a day: kept like deadline changes."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="revisions")
    change = models.CharField(max_length=20, choices=RequirementChange.choices)
    applies_from = models.DateField()
    old_basis = models.JSONField(default=dict, blank=True)
    new_basis = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    revised_on = models.DateField()
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requirement", "applies_from", "id"]

    def __str__(self) -> str:
        return f"{self.requirement.code}: {self.get_change_display()} from {self.applies_from}"


class RevisedDeadline(models.Model):
    """A deadline moved: on what day, from and to which dates, why and by whom. Each model with a
    deadline keeps its own (related_name "revisions"); milestones.services.deadlines writes them."""

    revised_on = models.DateField()
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.TextField()
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class TargetRevision(RevisedDeadline):
    """A change of a target's deadline: national targets slip, and the slippage is history."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        ordering = ["target", "revised_on", "id"]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.old_deadline} to {self.new_deadline}"
