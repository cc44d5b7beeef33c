"""Admin pages for targets, evidence and compliance.

Targets and requirements are edited here, through the services that keep deadline history
and request recomputes. Evidence, statuses and their histories are records: read-only.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from trusts import admin as trusts_admin
from trusts.models import Sector, Trust

from .audit import user_has_audit_entries
from .models import (
    DMA_PILLARS,
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    DsptAssessment,
    DsptAssessmentChange,
    DsptDeadlineRevision,
    DsptSubmissionDeadline,
    EvidenceSubmission,
    RecomputeRequest,
    Reminder,
    Requirement,
    RequirementRevision,
    SourceRow,
    SourceSnapshot,
    Target,
    TargetRevision,
)
from .services.dspt import dspt_deadline_delete, dspt_deadline_reschedule, dspt_deadline_save
from .services.register import trust_update
from .services.requirements import requirement_change
from .services.targets import (
    prerequisites_cycle_with,
    requirement_delete,
    target_prerequisites_set,
    target_update,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are never edited in place (a correction is a new row), so no add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


REQUIREMENT_FIELDS = [
    "display_order",
    "code",
    "title",
    "description",
    "national_data_rule",
    "dma_pillar",
    "dma_threshold",
    "optional",
    "applies_from",
    "retired_on",
]
# Changing any of these changes which trusts meet the target from a day: a reason and the day are kept.
DATED_FIELDS = {"national_data_rule", "dma_pillar", "dma_threshold", "optional", "retired_on"}


class RequirementAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        help_text="Required to add a requirement, change its basis, make it optional or retire it: kept as a revision.",
    )
    dma_pillar = forms.ChoiceField(
        label="DMA pillar",
        required=False,
        choices=[("", "None"), *((name, name) for _, name in DMA_PILLARS)],
        help_text="For a DMA rule: the pillar whose score (mean over the trust's care settings) must reach the threshold.",
    )
    change_applies_from = forms.DateField(
        label="Applies from",
        required=False,
        help_text="The first day the change counts; statuses before it do not change. For a retirement, "
        "the retirement day is used.",
    )

    class Meta:
        model = Requirement
        fields = REQUIREMENT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def clean(self):
        cleaned = super().clean()
        dated = not self.instance.pk or bool(DATED_FIELDS & set(self.changed_data))
        if not dated:
            return cleaned
        if not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", "Give a reason for the change.")
        retiring_only = self.instance.pk and set(self.changed_data) & DATED_FIELDS == {"retired_on"}
        if not cleaned.get("change_applies_from") and not retiring_only:
            self.add_error("change_applies_from", "Give the day the change applies from.")
        return cleaned


def _requirement_change_from_form(request, requirement: Requirement, form: RequirementAdminForm) -> None:
    requirement_change(
        requirement=requirement,
        reason=form.cleaned_data.get("change_reason", ""),
        applies_from=form.cleaned_data.get("change_applies_from"),
        revised_by=request.user,
        revised_on=timezone.localdate(),
    )


class RequirementInline(admin.StackedInline):
    model = Requirement
    form = RequirementAdminForm
    extra = 0
    fields = [*REQUIREMENT_FIELDS, "change_reason", "change_applies_from"]
    readonly_fields = ["applies_from"]


DEADLINE_HISTORY_FIELDS = ["revised_on", "old_deadline", "new_deadline", "reason", "revised_by"]


class HistoryInline(admin.TabularInline):
    """A record's revisions, kept as they were made: shown, never added, edited or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RequirementRevisionInline(HistoryInline):
    model = RequirementRevision
    fields = ["change", "applies_from", "old_basis", "new_basis", "reason", "revised_on", "revised_by"]
    verbose_name_plural = "requirement history"


class TargetRevisionInline(HistoryInline):
    model = TargetRevision
    fields = DEADLINE_HISTORY_FIELDS
    verbose_name_plural = "deadline history"


class DeadlineChangeForm(forms.ModelForm):
    """A form moving a deadline: the change needs a reason, which is kept with the old date."""

    deadline_change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you change the deadline: it moves compliance results, and is kept with the old date.",
    )

    def clean(self):
        cleaned = super().clean()
        rescheduled = self.instance.pk and "deadline" in self.changed_data
        if rescheduled and not cleaned.get("deadline_change_reason", "").strip():
            self.add_error("deadline_change_reason", "Give a reason for changing the deadline.")
        return cleaned


class TargetAdminForm(DeadlineChangeForm):
    sectors = forms.MultipleChoiceField(
        choices=Sector.choices, widget=forms.CheckboxSelectMultiple, help_text="The trust sectors it applies to."
    )

    class Meta:
        model = Target
        fields = ["code", "title", "description", "start_date", "deadline", "sectors", "prerequisites", "display_order"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "prerequisites" in self.changed_data:
            cycle = prerequisites_cycle_with(target=self.instance, prerequisites=cleaned.get("prerequisites") or [])
            if cycle:
                self.add_error("prerequisites", f"A target cannot need itself: {' needs '.join(cycle)}.")
        return cleaned


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetAdminForm
    list_display = ["code", "title", "start_date", "deadline", "requirement_count", "display_order"]
    search_fields = ["code", "title"]
    list_filter = ["deadline"]
    inlines = [RequirementInline, TargetRevisionInline]
    fields = [
        "code",
        "title",
        "description",
        "start_date",
        "deadline",
        "deadline_change_reason",
        "sectors",
        "prerequisites",
        "display_order",
    ]
    filter_horizontal = ["prerequisites"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(requirement_count=Count("requirements"))

    @admin.display(description="requirements", ordering="requirement_count")
    def requirement_count(self, target: Target) -> int:
        return target.requirement_count

    def save_model(self, request, obj, form, change):
        target_update(
            target=obj,
            changed_fields=[name for name in form.changed_data if name != "deadline_change_reason"],
            saved_deadline=form.initial["deadline"] if change else None,
            deadline_change_reason=form.cleaned_data.get("deadline_change_reason", ""),
            revised_by=request.user,
        )

    def save_related(self, request, form, formsets, change):
        # Prerequisites go through their service (cycle check, stage pages made stale), not save_m2m.
        prerequisites = form.cleaned_data.pop("prerequisites", None)
        super().save_related(request, form, formsets, change)
        if prerequisites is not None and (not change or "prerequisites" in form.changed_data):
            target_prerequisites_set(target=form.instance, prerequisites=prerequisites)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Requirement:
            return super().save_formset(request, form, formset, change)
        forms_by_instance = {id(f.instance): f for f in formset.forms}
        for requirement in formset.save(commit=False):
            _requirement_change_from_form(request, requirement, forms_by_instance[id(requirement)])
        for requirement in formset.deleted_objects:
            requirement_delete(requirement=requirement)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    form = RequirementAdminForm
    list_display = ["code", "title", "target", "national_data_rule", "optional", "applies_from", "retired_on"]
    list_filter = ["target", "national_data_rule", "optional"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["target"]
    fields = ["target", *REQUIREMENT_FIELDS, "change_reason", "change_applies_from"]
    readonly_fields = ["applies_from"]
    inlines = [RequirementRevisionInline]

    def save_model(self, request, obj, form, change):
        _requirement_change_from_form(request, obj, form)

    def delete_model(self, request, obj):
        requirement_delete(requirement=obj)

    def delete_queryset(self, request, queryset):
        for requirement in queryset:
            requirement_delete(requirement=requirement)


@admin.register(DsptDeadlineRevision)
class DsptDeadlineRevisionAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "revised_on", "old_deadline", "new_deadline", "revised_by", "reason"]
    search_fields = ["reason", "deadline__year"]
    list_select_related = ["deadline", "revised_by"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["target", "revised_on", "old_deadline", "new_deadline", "revised_by", "reason"]
    list_filter = ["target"]
    search_fields = ["reason", "target__code"]
    list_select_related = ["target", "revised_by"]


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
class DsptSubmissionDeadlineAdmin(admin.ModelAdmin):
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

    def delete_model(self, request, obj):
        dspt_deadline_delete(deadline=obj)

    def delete_queryset(self, request, queryset):
        for deadline in queryset:
            dspt_deadline_delete(deadline=deadline)


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


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    """django-auditlog's read-only log, with what an access entry records (a sign-in's event, a
    download's file and trust) and the client's address shown."""

    list_display = [*LogEntryAdmin.list_display, "details", "remote_addr"]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "details", "remote_addr"]
    fieldsets = [*LogEntryAdmin.fieldsets, ("Access", {"fields": ["details", "remote_addr"]})]

    @admin.display(description="details")
    def details(self, entry: LogEntry) -> str:
        return ", ".join(f"{key}: {value}" for key, value in (entry.additional_data or {}).items())


@admin.register(Trust)
class TrustAdmin(trusts_admin.TrustAdmin):
    """trusts' page of a trust, saving through trust_update so that an edit is announced."""

    def save_model(self, request, obj, form, change):
        trust_update(trust=obj, changed_fields=form.changed_data)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DigiTrackUserAdmin(trusts_admin.DigiTrackUserAdmin):
    def get_deleted_objects(self, objs, request):
        """A user who has acted stays in the audit log's "who" (milestones.audit): the delete page
        lists them as protected and offers deactivation, rather than failing on delete."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            if user_has_audit_entries(user):
                protected.append(
                    f"{user.get_username()} has entries in the audit log: deactivate the account "
                    "(untick Active, or the Deactivate action) instead of deleting it"
                )
        return deleted, counts, perms_needed, protected
