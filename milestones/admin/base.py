"""What the admin pages share: read-only records and history, deletes through a service, and the
form that moves a deadline with a reason."""

from django import forms
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are never edited in place (a correction is a new row), so no add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeletesThroughService:
    """A ModelAdmin mixin: deleting one object, or a change list's selection, goes through
    `delete_through` (a service that announces the change) object by object, never a bulk delete."""

    def delete_through(self, obj) -> None:
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_through(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through(obj)


DEADLINE_HISTORY_FIELDS = ["revised_on", "old_deadline", "new_deadline", "reason", "revised_by"]


class HistoryInline(admin.TabularInline):
    """A record's revisions, kept as they were made: shown, never added, edited or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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
