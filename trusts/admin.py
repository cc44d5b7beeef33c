"""Admin pages for regions, ICBs and trusts, and the trusts a user is CIO of.

TrustAdmin and DigiTrackUserAdmin are registered by milestones/admin/people.py, which adds what needs
milestones (an edit announced with its recompute, the audit log's protection of users): trusts
imports nothing from milestones."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .models import IntegratedCareBoard, Region, Trust
from .services import user_cio_trusts_set, users_deactivate


@admin.display(description="name", ordering="name")
def name_shown(organisation) -> str:
    return organisation.display_name


class OpenFilter(admin.SimpleListFilter):
    title = "open or closed"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "Open"), ("no", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(closed_on__isnull=False)
        return queryset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(IntegratedCareBoard)
class IntegratedCareBoardAdmin(admin.ModelAdmin):
    list_display = ["code", name_shown, "region", "ons_code", "opened_on", "closed_on"]
    list_filter = [OpenFilter, "region"]
    search_fields = ["code", "name", "ons_code"]
    list_select_related = ["region"]
    filter_horizontal = ["successors"]


class TrustAdmin(admin.ModelAdmin):
    list_display = ["ods_code", name_shown, "sector", "exemplar_status", "region", "icb", "opened_on", "closed_on"]
    list_filter = [OpenFilter, "sector", "exemplar_status", "region", "icb"]
    search_fields = ["ods_code", "name", "postcode"]
    list_select_related = ["region", "icb"]
    filter_horizontal = ["cio_users"]
    autocomplete_fields = ["successors"]
    readonly_fields = ["icbs_over_time"]
    fieldsets = [
        (None, {"fields": ["ods_code", "name", "sector", "exemplar_status"]}),
        (
            "From the ODS register",
            {
                "fields": ["region", "icb", "icbs_over_time", "postcode", "opened_on", "closed_on", "successors"],
                "description": "Loaded by import_ods: a later import overwrites edits here with what ODS publishes.",
            },
        ),
        ("Access", {"fields": ["cio_users"]}),
    ]

    @admin.display(description="ICBs over time")
    def icbs_over_time(self, trust) -> str:
        """The trust's ICB in each period, as import_ods derives it from the published files."""
        return format_html_join(
            mark_safe("<br>"),
            "{} to {}: {} ({})",
            (
                (m.valid_from, m.valid_to or "now", m.icb or "not known", m.source)
                for m in trust.icb_memberships.select_related("icb")
            ),
        )


def _cio_link_name(link) -> str:
    return f"{link.trust.display_name} ({link.trust.ods_code})"


# The link table Django makes for Trust.cio_users names its rows "Trust_cio_users object (2)";
# the user page's inline shows that name above each row, so name them by their trust.
Trust.cio_users.through.__str__ = _cio_link_name


class CioTrustInline(admin.TabularInline):
    model = Trust.cio_users.through
    extra = 0
    autocomplete_fields = ["trust"]
    verbose_name = "trust this user is CIO of"
    verbose_name_plural = "trusts this user is CIO of"


class DigiTrackUserAdmin(UserAdmin):
    """Users and their CIO links. The Admin group may change users, but only a superuser may grant
    superuser status or permissions one by one, or touch a superuser's account: otherwise anyone
    with change_user could make themselves a superuser."""

    inlines = [CioTrustInline]
    list_filter = [*UserAdmin.list_filter, "cio_trusts__region"]
    actions = ["users_deactivate"]

    @admin.action(description="Deactivate selected users (they can no longer sign in)", permissions=["change"])
    def users_deactivate(self, request, queryset):
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        count = users_deactivate(users=queryset)
        self.message_user(request, f"{count} user(s) deactivated.")

    def save_formset(self, request, form, formset, change):
        # Saving the inline's rows directly would skip Trust.cio_users' m2m signal, and so the audit log.
        formset.save(commit=False)  # only for the change message the admin writes
        kept = [
            link_form.cleaned_data["trust"]
            for link_form in formset.forms
            if link_form.cleaned_data.get("trust") and not link_form.cleaned_data.get("DELETE")
        ]
        user_cio_trusts_set(user=form.instance, trusts=kept)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
