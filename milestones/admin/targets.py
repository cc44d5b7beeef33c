"""Admin pages for targets and their requirements, with their revisions."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from trusts.models import Sector

from ..models import DMA_PILLARS, Requirement, RequirementRevision, Target, TargetRevision
from ..services.requirements import requirement_change
from ..services.targets import (
    prerequisites_cycle_with,
    requirement_delete,
    target_prerequisites_set,
    target_update,
)
from .base import DEADLINE_HISTORY_FIELDS, DeadlineChangeForm, DeletesThroughService, HistoryInline, ReadOnlyAdmin

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


class RequirementRevisionInline(HistoryInline):
    model = RequirementRevision
    fields = ["change", "applies_from", "old_basis", "new_basis", "reason", "revised_on", "revised_by"]
    verbose_name_plural = "requirement history"


class TargetRevisionInline(HistoryInline):
    model = TargetRevision
    fields = DEADLINE_HISTORY_FIELDS
    verbose_name_plural = "deadline history"


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
class RequirementAdmin(DeletesThroughService, admin.ModelAdmin):
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

    def delete_through(self, obj):
        requirement_delete(requirement=obj)


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["target", "revised_on", "old_deadline", "new_deadline", "revised_by", "reason"]
    list_filter = ["target"]
    search_fields = ["reason", "target__code"]
    list_select_related = ["target", "revised_by"]
