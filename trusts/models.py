"""NHS organisations as the Organisation Data Service publishes them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# ODS trust codes: the 3-character codes starting with R or T (RJ1, TAD), or the
# 5-character codes ODS has issued since 2024 (G6V2S, K0N6A).
TRUST_CODE_PATTERN = re.compile(r"^(?:[RT][A-Z0-9]{2}|[A-Z][0-9][A-Z][0-9][A-Z])$")


def validate_trust_code(value: str) -> None:
    if not TRUST_CODE_PATTERN.match(value or ""):
        raise ValidationError(
            "%(value)s is not an ODS trust code: use 3 characters starting with R or T "
            "(such as RJ1) or a 5-character code (such as G6V2S).",
            params={"value": value},
            code="invalid_trust_code",
        )


class Sector(models.TextChoices):
    ACUTE = "acute", "Acute"
    COMMUNITY = "community", "Community"
    MENTAL_HEALTH = "mental_health", "Mental health"
    AMBULANCE = "ambulance", "Ambulance"
    SPECIALIST = "specialist", "Specialist"
    COMBINED = "combined", "Combined"
    UNCLASSIFIED = "unclassified", "Unclassified"


class ExemplarStatus(models.TextChoices):
    NONE = "none", "None"
    GLOBAL_DIGITAL_EXEMPLAR = "gde", "Global Digital Exemplar"
    FAST_FOLLOWER = "fast_follower", "Fast follower"


class Region(models.Model):
    """One of NHS England's seven regions (Y56 London ... Y63 North East and Yorkshire)."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntegratedCareBoard(models.Model):
    """An ICB; closed ones are kept with their close date and successors."""

    code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="icbs")
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    # In force from opened_on to closed_on (its last day): the 42 ICBs of 1 July 2022, the merged
    # ICBs of 1 April 2026. Empty where not known (an ICB made by hand).
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    successors = models.ManyToManyField("self", symmetrical=False, related_name="predecessors", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care board"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return _title_case(self.name)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


# A trust's ICB where it has none; and, on a past day, where no published file says which it was in.
NO_ICB = "No ICB"
ICB_NOT_KNOWN = "ICB not known"


def icb_display_name(name: str | None) -> str:
    """An ICB's name as the pages show it, or NO_ICB for a trust without one."""
    return IntegratedCareBoard(name=name).display_name if name else NO_ICB


# The permission to see every trust and the national dashboards (programme staff, admins): its
# codename, and its name as has_perm and permission_required take it.
VIEW_ALL_TRUSTS_CODENAME = "view_all_trusts"
VIEW_ALL_TRUSTS = f"trusts.{VIEW_ALL_TRUSTS_CODENAME}"


class Trust(models.Model):
    """An NHS trust in England, stored as ODS publishes it (upper-case name)."""

    ods_code = models.CharField("ODS code", max_length=5, unique=True, validators=[validate_trust_code])
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.UNCLASSIFIED)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="trusts")
    icb = models.ForeignKey(
        IntegratedCareBoard,
        on_delete=models.PROTECT,
        related_name="trusts",
        null=True,
        blank=True,
        verbose_name="ICB",
    )
    postcode = models.CharField(max_length=10, blank=True)
    exemplar_status = models.CharField(max_length=20, choices=ExemplarStatus.choices, default=ExemplarStatus.NONE)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    # The trusts that took over its services when it closed: one after a merger, several after a
    # split (Pennine Acute, RW6, went to R0A and RM3), as ODS's successor file says.
    successors = models.ManyToManyField("self", symmetrical=False, related_name="predecessors", blank=True)
    cio_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cio_trusts",
        blank=True,
        verbose_name="CIO users",
        help_text="Trust CIOs who may see and upload evidence for this trust.",
    )

    class Meta:
        ordering = ["name"]
        permissions = [(VIEW_ALL_TRUSTS_CODENAME, "Can see every trust and the national dashboards")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.ods_code})"

    @property
    def display_name(self) -> str:
        return _title_case(self.name)

    def is_open_on(self, day) -> bool:
        return self.opened_on <= day and not self.is_closed_on(day)

    def is_closed_on(self, day) -> bool:
        """Closed before `day` (a trust is open on its close date)."""
        return self.closed_on is not None and self.closed_on < day


class TrustIcbMembership(models.Model):
    """The ICB a trust belonged to from valid_from to valid_to (its last day; empty while current),
    derived by the ODS import from the published files named in `source`. No ICB where the files do
    not say which it was: `source` then says why, and the pages say it is not known."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="icb_memberships")
    icb = models.ForeignKey(
        IntegratedCareBoard, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["trust", "valid_from"]
        verbose_name = "trust's ICB over time"
        verbose_name_plural = "trusts' ICBs over time"
        constraints = [
            models.UniqueConstraint(fields=["trust", "valid_from"], name="one_icb_membership_per_trust_and_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="icb_membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        icb = self.icb.code if self.icb_id else ICB_NOT_KNOWN
        return f"{self.trust.ods_code} in {icb} from {self.valid_from}"


_KEEP_UPPER = {"NHS", "ICB", "UK", "II", "III"}
_KEEP_LOWER = {"and", "of", "the", "for", "in", "on", "at", "with"}


def _title_case(name: str) -> str:
    """ODS names are upper case; show them as people write them ("NHS", "and" kept right)."""
    words = []
    for index, word in enumerate(name.split()):
        if word.upper() in _KEEP_UPPER:
            words.append(word.upper())
        elif index and word.lower() in _KEEP_LOWER:
            words.append(word.lower())
        else:
            # Stoke-on-Trent: the small words stay lower case inside a hyphenated name too.
            parts = word.split("-")
            words.append(
                "-".join(
                    part.lower() if position and part.lower() in _KEEP_LOWER else part[:1].upper() + part[1:].lower()
                    for position, part in enumerate(parts)
                )
            )
    return " ".join(words).replace("'S ", "'s ")
