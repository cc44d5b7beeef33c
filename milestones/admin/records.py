"""Admin pages for what is recorded, never edited here: evidence submissions, statuses, their
history and month-end snapshots, recompute requests and reminders."""

from django.contrib import admin

from ..models import (
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    EvidenceSubmission,
    RecomputeRequest,
    Reminder,
)
from .base import ReadOnlyAdmin


@admin.register(EvidenceSubmission)
class EvidenceSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["trust", "requirement", "state", "submitted_at", "submitted_by", "reviewed_by", "valid_until"]
    list_filter = ["state", "requirement__target", "trust__region", "submitted_at"]
    search_fields = ["trust__ods_code", "trust__name", "summary", "original_name", "requirement__code"]
    list_select_related = ["trust", "requirement", "submitted_by", "reviewed_by"]
    date_hierarchy = "submitted_at"
    # No link to the file: evidence is only served by the access-checked evidence view.
    exclude = ["file"]


@admin.register(ComplianceStatus)
class ComplianceStatusAdmin(ReadOnlyAdmin):
    list_display = ["trust", "target", "status", "requirements_met", "requirements_total", "met_on", "computed_at"]
    list_filter = ["status", "target", "trust__region", "trust__sector"]
    search_fields = ["trust__ods_code", "trust__name", "reason"]
    list_select_related = ["trust", "target"]


@admin.register(ComplianceStatusChange)
class ComplianceStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["trust", "target", "old_status", "new_status", "changed_at"]
    list_filter = ["new_status", "target"]
    search_fields = ["trust__ods_code", "trust__name", "reason"]
    list_select_related = ["trust", "target"]
    date_hierarchy = "changed_at"


@admin.register(ComplianceSnapshot)
class ComplianceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["trust", "target", "as_of", "status"]
    list_filter = ["status", "target", "as_of"]
    search_fields = ["trust__ods_code", "trust__name"]
    list_select_related = ["trust", "target"]


@admin.register(RecomputeRequest)
class RecomputeRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "trust", "target", "reason", "processed_at"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter), "target"]
    search_fields = ["trust__ods_code", "reason"]
    list_select_related = ["trust", "target"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """The reminder outbox: what was recorded for whom, and whether it went out."""

    list_display = ["created_at", "to", "kind", "subject", "due_on", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "kind"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
