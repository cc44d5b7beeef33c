"""Form fields that render themselves through the NHS.UK design system's macros.

Each field names the Jinja template (templates/jinja2/forms/) that calls its nhsuk macro, so a
page writes `{{ form.summary.as_field_group() }}` and `{{ form_error_summary(form) }}` and never
hand-copies component HTML.
"""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates
from django.template import engines
from markupsafe import Markup


class NhsukFormRenderer(DjangoTemplates):
    """Renders the .jinja field templates with the pages' Jinja2 environment; Django's own otherwise."""

    def get_template(self, template_name):
        if template_name.endswith(".jinja"):
            return engines["jinja2"].get_template(template_name)
        return super().get_template(template_name)


class NhsukFieldMixin:
    """Adds a hint, CSS classes and the template of the field's macro."""

    nhsuk_template = "forms/input.jinja"

    def __init__(self, *args, hint: str = "", classes: str = "", **kwargs):
        self.hint = hint
        self.classes = classes
        kwargs.setdefault("template_name", self.nhsuk_template)
        super().__init__(*args, **kwargs)

    def error_anchor(self, bound_field) -> str:
        """The id of the element the error summary links to."""
        return bound_field.auto_id


class CharField(NhsukFieldMixin, forms.CharField):
    def __init__(self, *args, **kwargs):
        if isinstance(kwargs.get("widget"), forms.Textarea) or kwargs.get("widget") is forms.Textarea:
            kwargs.setdefault("template_name", "forms/textarea.jinja")
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        # No maxlength attribute: the browser would silently cut the text instead of showing an error.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ChoiceField(NhsukFieldMixin, forms.ChoiceField):
    nhsuk_template = "forms/select.jinja"


class ModelChoiceField(NhsukFieldMixin, forms.ModelChoiceField):
    nhsuk_template = "forms/select.jinja"


class RadioChoiceField(NhsukFieldMixin, forms.ChoiceField):
    nhsuk_template = "forms/radios.jinja"


class CheckboxesField(NhsukFieldMixin, forms.MultipleChoiceField):
    """Checkboxes in a fieldset; none ticked is a valid answer unless required."""

    nhsuk_template = "forms/checkboxes.jinja"
    widget = forms.CheckboxSelectMultiple


class FileField(NhsukFieldMixin, forms.FileField):
    nhsuk_template = "forms/file-upload.jinja"


class DayMonthYearWidget(forms.Widget):
    """Three inputs named <name>-day, <name>-month and <name>-year, as the nhsuk date input draws them."""

    parts = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}-{part}", "").strip() for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)


class DateField(NhsukFieldMixin, forms.Field):
    """A date typed as day, month and year in the nhsuk date input."""

    nhsuk_template = "forms/date-input.jinja"
    widget = DayMonthYearWidget
    default_error_messages = {
        "invalid": "Enter a real date, such as 31 3 2026",
        "incomplete": "Enter the day, month and year",
    }

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        return value or {}

    def to_python(self, value):
        parts = [value.get(part, "") for part in DayMonthYearWidget.parts] if value else []
        if not any(parts):
            return None
        if not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in parts)
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def error_anchor(self, bound_field) -> str:
        return f"{bound_field.auto_id}-day"


class NhsukForm(forms.Form):
    default_renderer = NhsukFormRenderer


class SignInForm(AuthenticationForm):
    """Django's sign-in form, drawn with the design system's inputs."""

    default_renderer = NhsukFormRenderer
    username = CharField(label="Username", widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


def form_error_summary(form, title: str = "There is a problem") -> Markup:
    """The nhsuk error summary for a bound form, each error linking to its field."""
    if not form.errors:
        return Markup("")
    errors = []
    for bound_field in form:
        if bound_field.errors:
            anchor = getattr(bound_field.field, "error_anchor", lambda field: field.auto_id)(bound_field)
            errors.append({"text": bound_field.errors[0], "href": f"#{anchor}"})
    errors += [{"text": error} for error in form.non_field_errors()]
    template = engines["jinja2"].get_template("forms/error-summary.jinja")
    return Markup(template.render({"title": title, "errors": errors}))
