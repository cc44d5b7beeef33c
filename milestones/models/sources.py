"""Published national data sources: each file imported is a dated snapshot, kept forever,
with one provenance row per trust row it held, as published."""

from django.db import models

from digitrack.dates import short_date
from trusts.models import Trust

from .dspt import DsptStatus


class Source(models.TextChoices):
    """Mirrors milestones.rules.SourceKind (a test keeps them equal)."""

    DSPT = "dspt", "Data Security and Protection Toolkit"
    EPR_STATUS = "epr_status", "Frontline Digitisation EPR status"
    EPR_SUPPLIER = "epr_supplier", "Primary EPR supplier"
    DMA = "dma", "Digital Maturity Assessment"


# The seven "What Good Looks Like" pillars the DMA scores: field name, name as published.
DMA_PILLARS: tuple[tuple[str, str], ...] = (
    ("dma_well_led", "Well Led"),
    ("dma_smart_foundations", "Ensure Smart Foundations"),
    ("dma_safe_practice", "Safe Practice"),
    ("dma_support_workforce", "Support Workforce"),
    ("dma_empower_people", "Empower People"),
    ("dma_improve_care", "Improve Care"),
    ("dma_healthy_populations", "Healthy Populations"),
)


class SourceSnapshot(models.Model):
    """One published file as imported. The same file again (same SHA-256) is not a new snapshot;
    a newer file is, and never overwrites an older one."""

    source = models.CharField(max_length=20, choices=Source.choices)
    edition = models.CharField(
        max_length=10, blank=True, help_text='The edition the file covers, such as "2022-23" or "2025", if one.'
    )
    as_at = models.DateField("as at", help_text="The day the data reflects.")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(help_text="Data rows in the file.")
    rows_loaded = models.PositiveIntegerField(help_text="Rows stored against a trust.")
    report = models.TextField(blank=True, help_text="What the import reported: rows skipped, unmatched, unreadable.")

    class Meta:
        ordering = ["source", "-as_at", "-imported_at"]
        verbose_name = "source snapshot"
        constraints = [models.UniqueConstraint(fields=["source", "sha256"], name="one_snapshot_per_source_file")]

    def __str__(self) -> str:
        edition = f" {self.edition}" if self.edition else ""
        return f"{self.get_source_display()}{edition} as at {short_date(self.as_at)} ({self.file_name})"


class SourceRow(models.Model):
    """One trust's row in a snapshot, as published, with where it was in the file. Only the
    columns of the snapshot's source are filled."""

    snapshot = models.ForeignKey(SourceSnapshot, on_delete=models.CASCADE, related_name="rows")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="source_rows")
    sheet = models.CharField(max_length=100, blank=True, help_text="The worksheet, for a workbook.")
    line = models.PositiveIntegerField(help_text="Line (row number) in the file or sheet.")
    code_in_file = models.CharField(max_length=20, blank=True, help_text="The organisation code as written.")
    name_in_file = models.CharField(max_length=200, blank=True, help_text="The organisation name as written.")
    edition = models.CharField(max_length=10, blank=True, help_text='DSPT "2022-23", DMA "2025".')
    # DSPT
    dspt_status = models.CharField("DSPT status", max_length=20, choices=DsptStatus.choices, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # Frontline Digitisation EPR status
    epr_group = models.CharField("EPR group", max_length=50, blank=True)
    epr_status = models.CharField("EPR status", max_length=100, blank=True)
    size_band = models.CharField(max_length=100, blank=True)
    # EPR supplier
    supplier = models.CharField(max_length=200, blank=True)
    # DMA: one row per care setting; pillar scores 1-5 (2025 sheet), overall score over the
    # domains comparable between years (24 vs 25 sheet)
    care_setting = models.CharField(max_length=100, blank=True)
    dma_well_led = models.FloatField(null=True, blank=True)
    dma_smart_foundations = models.FloatField(null=True, blank=True)
    dma_safe_practice = models.FloatField(null=True, blank=True)
    dma_support_workforce = models.FloatField(null=True, blank=True)
    dma_empower_people = models.FloatField(null=True, blank=True)
    dma_improve_care = models.FloatField(null=True, blank=True)
    dma_healthy_populations = models.FloatField(null=True, blank=True)
    dma_overall = models.FloatField("DMA overall (comparable domains)", null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "sheet", "line"]
        verbose_name = "source row"
        indexes = [models.Index(fields=["trust", "snapshot"])]

    def __str__(self) -> str:
        return f"{self.snapshot}: line {self.line} ({self.code_in_file or self.name_in_file})"

    @property
    def dma_pillars(self) -> dict[str, float]:
        return {name: getattr(self, field) for field, name in DMA_PILLARS if getattr(self, field) is not None}
