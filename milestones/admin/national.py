"""Admin pages for published national data: the snapshots of each file and their rows, the trusts'
DSPT assessments, and the DSPT submission deadlines with their revisions."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..models import (
    DsptAssessment,
    DsptAssessmentChange,
    DsptDeadlineRevision,
    DsptSubmissionDeadline,
    SourceRow,
    SourceSnapshot,
)
from ..services.dspt import dspt_deadline_delete, dspt_deadline_reschedule, dspt_deadline_save
from .base import DEADLINE_HISTORY_FIELDS, DeadlineChangeForm, DeletesThroughService, HistoryInline, ReadOnlyAdmin


@admin.register(DsptDeadlineRevision)
class DsptDeadlineRevisionAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "revised_on", "old_deadline", "new_deadline", "revised_by", "reason"]
    search_fields = ["reason", "deadline__year"]
    list_select_related = ["deadline", "revised_by"]


@admin.register(DsptAssessment)
class DsptAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["trust", "year", "status", "published_on", "source_file", "imported_at"]
    list_filter = ["year", "status"]
    search_fields = ["trust__ods_code", "trust__name"]
    list_select_related = ["trust"]


@admin.register(DsptAssessmentChange)
class DsptAssessmentChangeAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "old_status", "old_source_file", "replaced_at"]
    list_filter = ["old_status"]
    search_fields = ["assessment__trust__ods_code"]
    list_select_related = ["assessment__trust"]


class DsptDeadlineRevisionInline(HistoryInline):
    model = DsptDeadlineRevision
    fields = DEADLINE_HISTORY_FIELDS
    verbose_name_plural = "deadline history"


class DsptSubmissionDeadlineAdminForm(DeadlineChangeForm):
    class Meta:
        model = DsptSubmissionDeadline
        fields = ["year", "deadline"]


@admin.register(DsptSubmissionDeadline)
class DsptSubmissionDeadlineAdmin(DeletesThroughService, admin.ModelAdmin):
    form = DsptSubmissionDeadlineAdminForm
    list_display = ["year", "deadline"]
    search_fields = ["year"]
    inlines = [DsptDeadlineRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # A year's deadline is moved, never relabelled as another year's.
        return ["year"] if obj is not None else []

    def get_inlines(self, request, obj):
        # A new deadline has no history yet.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            dspt_deadline_save(deadline=obj)
        elif "deadline" in form.changed_data:
            dspt_deadline_reschedule(
                deadline=obj,
                new_deadline=obj.deadline,
                reason=form.cleaned_data["deadline_change_reason"],
                revised_by=request.user,
                revised_on=timezone.localdate(),
            )

    def delete_through(self, obj):
        dspt_deadline_delete(deadline=obj)


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyAdmin):
    """Published files as imported: a new file adds a snapshot, none is ever changed."""

    list_display = ["source", "edition", "as_at", "file_name", "rows_read", "rows_loaded", "imported_at"]
    list_filter = ["source", "edition"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "as_at"
    readonly_fields = ["rows_link"]

    @admin.display(description="Rows")
    def rows_link(self, snapshot: SourceSnapshot) -> str:
        # A snapshot can hold tens of thousands of rows: they are listed, filtered, on their own page.
        url = reverse("admin:milestones_sourcerow_changelist") + f"?snapshot__id__exact={snapshot.pk}"
        return format_html('<a href="{}">The {} rows loaded from this file</a>', url, snapshot.rows_loaded)


@admin.register(SourceRow)
class SourceRowAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "line", "code_in_file", "trust", "edition", "dspt_status", "epr_group", "supplier"]
    list_filter = ["snapshot__source", "snapshot", "edition", "dspt_status", "epr_group"]
    search_fields = ["trust__ods_code", "trust__name", "code_in_file", "name_in_file"]
    list_select_related = ["snapshot", "trust"]
