"""Admin pages for trusts, users and the audit log, as milestones needs them: edits announced, users
who have acted kept."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model

from trusts import admin as trusts_admin
from trusts.models import Trust

from ..audit import user_has_audit_entries
from ..services.register import trust_update

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
