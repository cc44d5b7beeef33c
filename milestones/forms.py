"""Forms of the evidence pages, drawn through the NHS.UK macros (digitrack.forms)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from digitrack import forms as nhsuk
from trusts.models import IntegratedCareBoard, Region, Trust

from .models import Requirement, Target
from .reminders import KIND_LABELS, ReminderKind
from .selectors.evidence import regions_with_pending, targets_with_pending, trusts_with_pending
from .validators import ACCEPTED_LIST, evidence_file_type, validate_valid_until


class RequirementChoiceField(nhsuk.ModelChoiceField):
    def label_from_instance(self, requirement: Requirement) -> str:
        return f"{requirement.target.title}: {requirement.title}"


class EvidenceUploadForm(nhsuk.NhsukForm):
    requirement = RequirementChoiceField(
        queryset=Requirement.objects.none(),
        label="Requirement",
        empty_label="Choose a requirement",
        error_messages={"required": "Choose the requirement this evidence is for"},
    )
    file = nhsuk.FileField(
        label="File",
        # Checked here to show every problem at once; the service checks again before storing.
        validators=[evidence_file_type],
        error_messages={"required": "Select the file to upload", "empty": "The selected file is empty"},
    )
    summary = nhsuk.CharField(
        label="Summary",
        hint="What the file shows and how it meets the requirement.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Enter a summary of the evidence",
            "max_length": "Summary must be 2,000 characters or fewer",
        },
    )
    valid_until = nhsuk.DateField(
        label="Valid until (optional)",
        required=False,
        hint="For evidence that expires, such as a yearly DSPT assessment. For example, 30 6 2026",
    )

    def __init__(self, *args, requirements: list[Requirement], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = Requirement.objects.filter(
            pk__in=[requirement.pk for requirement in requirements]
        ).select_related("target")
        self.fields[
            "file"
        ].hint = f"A {ACCEPTED_LIST} file, up to {filesizeformat(settings.EVIDENCE_MAX_UPLOAD_BYTES)}."

    def clean(self):
        """A browser never fills a file input in again: when the form comes back with a problem,
        the file's own error names the file, and a good file is asked for again by name."""
        cleaned = super().clean()
        chosen = self.files.get("file")
        if chosen is None or not self.errors:
            return cleaned
        if "file" in self.errors:
            self.errors["file"] = self.error_class([f"{chosen.name}: {message}" for message in self.errors["file"]])
        else:
            self.add_error("file", f"Select {chosen.name} again: a chosen file is not kept when the form has a problem")
        return cleaned

    def clean_valid_until(self):
        # Checked here to show it beside the field; the service checks again before storing.
        valid_until = self.cleaned_data["valid_until"]
        validate_valid_until(valid_until, uploaded_on=timezone.localdate())
        return valid_until


class ReviewForm(nhsuk.NhsukForm):
    decision = nhsuk.RadioChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        error_messages={"required": "Choose whether to approve or reject the evidence"},
    )
    comment = nhsuk.CharField(
        label="Comment",
        required=False,
        hint="Required when rejecting: the trust sees it in the email it is sent.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PendingCountChoiceField(nhsuk.ModelChoiceField):
    """Options labelled with how much evidence awaits review, "London (12)": the queryset is annotated
    with `pending` by its selector."""

    def __init__(self, *args, name_of=str, **kwargs):
        self.name_of = name_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, instance) -> str:
        return f"{self.name_of(instance)} ({instance.pending})"


class ReviewQueueFilterForm(nhsuk.NhsukForm):
    region = PendingCountChoiceField(
        queryset=Region.objects.none(), to_field_name="code", required=False, empty_label="All regions"
    )
    target = PendingCountChoiceField(
        queryset=Target.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="All targets",
        name_of=lambda target: target.title,
    )
    trust = PendingCountChoiceField(
        queryset=Trust.objects.none(),
        to_field_name="ods_code",
        required=False,
        empty_label="All trusts with evidence pending",
        name_of=lambda trust: f"{trust.display_name}, {trust.ods_code}",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_with_pending()
        self.fields["target"].queryset = targets_with_pending()
        self.fields["trust"].queryset = trusts_with_pending(also=str((self.data or {}).get("trust", ""))[:5])


class ReminderSettingsForm(nhsuk.NhsukForm):
    """The reminders a person gets (of the kinds that apply to them) and, for programme staff, the
    regions and ICBs whose weekly digest they follow."""

    kinds = nhsuk.CheckboxesField(
        label="Email me about", required=False, hint="Untick a kind of reminder to stop getting it."
    )
    regions = nhsuk.CheckboxesField(label="Regions to follow", required=False, hint="A weekly digest for each.")
    icbs = nhsuk.CheckboxesField(
        label="Integrated care boards to follow", required=False, hint="A weekly digest for each."
    )

    def __init__(self, *args, kinds: list[ReminderKind], can_follow: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.value, KIND_LABELS[kind]) for kind in kinds]
        if can_follow:
            self.fields["regions"].choices = list(Region.objects.values_list("code", "name"))
            self.fields["icbs"].choices = [
                (icb.code, icb.display_name) for icb in IntegratedCareBoard.objects.filter(closed_on__isnull=True)
            ]
            if not self.fields["icbs"].choices:  # no register loaded yet
                del self.fields["icbs"]
        else:
            del self.fields["regions"], self.fields["icbs"]
