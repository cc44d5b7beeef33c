"""Reminders by email: each person's settings, and the outbox of messages recorded before they are sent."""

from django.conf import settings
from django.db import models

from trusts.models import IntegratedCareBoard, Region

from ..reminders import ReminderKind


class ReminderSettings(models.Model):
    """What one person wants to hear about: the kinds they opted out of, and the regions and ICBs
    whose weekly digest they follow. No row means every kind and nothing followed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings")
    opted_out = models.JSONField(default=list, blank=True, help_text="The reminder kinds this person does not want.")
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    icbs = models.ManyToManyField(IntegratedCareBoard, blank=True, related_name="+", verbose_name="ICBs")

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"


class Reminder(models.Model):
    """Outbox row: one message to one person, written (subject, text, HTML and link included)
    before anything is sent. The unique key (recipient, kind, subject, threshold) makes it once;
    sent_at, set when the mail server took it, makes it sent once."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=[(kind.value, kind.name.title()) for kind in ReminderKind])
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    url = models.URLField(max_length=500, help_text="The page the message is about.")
    due_on = models.DateField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
