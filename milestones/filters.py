"""The dashboards' filters: sector, ICB, digital exemplar status and an "as of" date, read from
the query string so a filtered view can be shared as a link."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q

from trusts.models import ExemplarStatus, Sector
from trusts.selectors import in_icb_on_q

from .models import Status

API_PAGE_SIZE = 100
API_MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class DashboardFilters:
    """The filters in force; empty values mean "all". `open_on` is not a filter people choose: the
    dashboards count only the trusts open on the as of date (today without one), so closed trusts
    drop out of the current figures while their history stays; None counts every trust."""

    sector: str = ""
    icb: str = ""
    exemplar: str = ""
    as_of: datetime.date | None = None
    open_on: datetime.date | None = None

    def trust_q(self, prefix: str = "") -> Q:
        """The filter on trusts, for a queryset reaching the trust through `prefix` ("trust__")."""
        q = Q()
        if self.sector:
            q &= Q(**{f"{prefix}sector": self.sector})
        if self.icb:
            # As of a day, the ICB the trust was in then (the 42 ICBs before April 2026).
            q &= in_icb_on_q(self.icb, self.as_of, prefix) if self.as_of else Q(**{f"{prefix}icb__code": self.icb})
        if self.exemplar:
            q &= Q(**{f"{prefix}exemplar_status": self.exemplar})
        return q

    def open_q(self, prefix: str = "") -> Q:
        """The trusts open on `open_on` (every trust when it is None), through `prefix` ("trust__")."""
        if self.open_on is None:
            return Q()
        return Q(**{f"{prefix}opened_on__lte": self.open_on}) & (
            Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": self.open_on})
        )

    @property
    def params(self) -> dict[str, str]:
        values = {"sector": self.sector, "icb": self.icb, "exemplar": self.exemplar}
        values["as_of"] = self.as_of.isoformat() if self.as_of else ""
        return {name: value for name, value in values.items() if value}

    @property
    def query_string(self) -> str:
        """ "?sector=acute..." for links that keep the filters (CSV downloads), or "" when none."""
        return f"?{urlencode(self.params)}" if self.params else ""

    @property
    def cache_key(self) -> str:
        """The filters and the day trusts are counted open on: a trust closing drops out the next day."""
        params = {**self.params, "open_on": self.open_on.isoformat() if self.open_on else "any"}
        return urlencode(sorted(params.items()))


class DashboardFilterForm(forms.Form):
    """Validates the query string; a bad value is reported and only that filter is dropped."""

    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices])
    icb = forms.ChoiceField(label="Integrated care board", required=False)
    exemplar = forms.ChoiceField(
        label="Digital exemplar status", required=False, choices=[("", "Any"), *ExemplarStatus.choices]
    )
    as_of = forms.DateField(
        label="As of",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="A past date, such as 2023-03-31: statuses at the month end on or before it.",
        error_messages={"invalid": "Enter the date as year-month-day, such as 2023-03-31."},
    )

    def __init__(self, data, *, icbs: list[tuple[str, str]], today: datetime.date):
        super().__init__(data)
        self.fields["icb"].choices = [("", "All ICBs"), *icbs]
        self.today = today

    def clean_as_of(self) -> datetime.date | None:
        as_of = self.cleaned_data["as_of"]
        if as_of and as_of > self.today:
            raise forms.ValidationError("The as of date must be today or in the past.")
        return as_of

    def filters(self) -> DashboardFilters:
        """The valid filters (call after is_valid(); invalid fields are left out)."""
        cleaned = getattr(self, "cleaned_data", {})
        as_of = cleaned.get("as_of")
        return DashboardFilters(
            sector=cleaned.get("sector") or "",
            icb=cleaned.get("icb") or "",
            exemplar=cleaned.get("exemplar") or "",
            as_of=as_of,
            open_on=as_of or self.today,
        )


def dashboard_filters_from(query, *, icbs: list[tuple[str, str]], today: datetime.date):
    """The bound, validated form and the filters it yields, from request.GET."""
    form = DashboardFilterForm(query, icbs=icbs, today=today)
    form.is_valid()
    return form, form.filters()


class StatusApiForm(forms.Form):
    """The status API's query string: the dashboard filters plus region, target, status and paging."""

    sector = forms.ChoiceField(required=False, choices=[("", ""), *Sector.choices])
    icb = forms.CharField(required=False, max_length=5)
    exemplar = forms.ChoiceField(required=False, choices=[("", ""), *ExemplarStatus.choices])
    region = forms.CharField(required=False, max_length=3)
    target = forms.SlugField(required=False, max_length=50)
    status = forms.ChoiceField(required=False, choices=[("", ""), *Status.choices])
    include_closed = forms.TypedChoiceField(
        required=False,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        empty_value=False,
    )
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=API_MAX_PAGE_SIZE)

    def status_q(self, *, today: datetime.date) -> Q:
        """The filter on ComplianceStatus rows (call after is_valid()): trusts open today unless
        include_closed=true asks for the closed ones too."""
        data = self.cleaned_data
        filters = DashboardFilters(
            sector=data["sector"],
            icb=data["icb"].upper(),
            exemplar=data["exemplar"],
            open_on=None if data["include_closed"] else today,
        )
        q = filters.trust_q("trust__") & filters.open_q("trust__")
        if data["region"]:
            q &= Q(trust__region__code=data["region"].upper())
        if data["target"]:
            q &= Q(target__code=data["target"])
        if data["status"]:
            q &= Q(status=data["status"])
        return q
