"""The dashboards' filters: sector, ICB, digital exemplar status and an "as of" date, read from
the query string so a filtered view can be shared as a link."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q

from digitrack import forms as nhsuk
from milestones.models import Status
from trusts.models import ExemplarStatus, Sector
from trusts.selectors import in_icb_on_q

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


class AsOfWidget(nhsuk.DayMonthYearWidget):
    """The nhsuk date input's day, month and year, or one `as_of=2024-01-31` as the dashboards'
    links carry it (so a filtered view is shared as a short link)."""

    def value_from_datadict(self, data, files, name):
        iso = data.get(name, "").strip()
        if not iso:
            return super().value_from_datadict(data, files, name)
        try:
            day = datetime.date.fromisoformat(iso)
        except ValueError:
            return {"day": "", "month": "", "year": "", "unreadable": iso}
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class AsOfField(nhsuk.DateField):
    widget = AsOfWidget

    def to_python(self, value):
        if value and value.get("unreadable"):
            # The date input cannot show what was typed, so the message repeats it.
            raise forms.ValidationError(
                "%(value)s is not a date: enter a real date, such as 31 3 2024",
                code="invalid",
                params={"value": value["unreadable"]},
            )
        return super().to_python(value)


class DashboardFilterForm(nhsuk.NhsukForm):
    """Validates the query string; a bad value is reported and only that filter is dropped."""

    sector = nhsuk.ChoiceField(label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices])
    icb = nhsuk.ChoiceField(label="Integrated care board", required=False)
    exemplar = nhsuk.ChoiceField(
        label="Digital exemplar status", required=False, choices=[("", "Any"), *ExemplarStatus.choices]
    )
    as_of = AsOfField(
        label="As of",
        required=False,
        hint="A past day, such as 31 3 2024. Leave empty for the latest statuses.",
    )

    def __init__(self, data, *, icbs: list[tuple[str, str]], today: datetime.date):
        # Ids are the field names, so the error summary's links and the page's labels agree.
        super().__init__(data, auto_id="%s")
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


# The trust list's sort orders, by the column they sort on ("-trust" sorts it the other way).
TRUST_LIST_SORTS = ("trust", "code", "region", "icb", "target", "status")


@dataclass(frozen=True)
class TrustListFilters:
    """The trust list's query: the dashboards' filters, and the region, target and status a count
    on a dashboard stands for, so the list holds exactly the trusts that count."""

    dashboard: DashboardFilters
    region: str = ""
    target: str = ""
    status: str = ""
    sort: str = "trust"

    @property
    def params(self) -> dict[str, str]:
        chosen = {"region": self.region, "target": self.target, "status": self.status}
        return {**self.dashboard.params, **{name: value for name, value in chosen.items() if value}}


class TrustListFilterForm(DashboardFilterForm):
    """The dashboards' filters plus region, target, status and the sort order."""

    region = nhsuk.ChoiceField(label="Region", required=False)
    target = nhsuk.ChoiceField(label="Target", required=False)
    # Every status there is, as the dashboards count them.
    status = nhsuk.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    sort = forms.ChoiceField(
        required=False, choices=[(f"{way}{column}", column) for column in TRUST_LIST_SORTS for way in ("", "-")]
    )
    field_order = ["region", "icb", "sector", "exemplar", "target", "status", "as_of"]

    def __init__(self, data, *, regions: list[tuple[str, str]], targets: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [("", "All regions"), *regions]
        self.fields["target"].choices = [("", "All targets"), *targets]

    def trust_list_filters(self) -> TrustListFilters:
        cleaned = getattr(self, "cleaned_data", {})
        return TrustListFilters(
            dashboard=self.filters(),
            region=cleaned.get("region") or "",
            target=cleaned.get("target") or "",
            status=cleaned.get("status") or "",
            sort=cleaned.get("sort") or "trust",
        )


def trust_list_filters_from(query, **choices) -> tuple[TrustListFilterForm, TrustListFilters]:
    """The bound, validated form and the trust list's filters, from request.GET."""
    form = TrustListFilterForm(query, **choices)
    form.is_valid()
    return form, form.trust_list_filters()


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
    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as year-month-day, such as 2023-09-30."},
    )

    def __init__(self, data, *, today: datetime.date | None = None):
        super().__init__(data)
        self.today = today

    def clean_as_of(self) -> datetime.date | None:
        as_of = self.cleaned_data.get("as_of")
        if as_of and self.today and as_of > self.today:
            raise forms.ValidationError("The as of date must be today or in the past.")
        return as_of

    def trust_q(self, *, today: datetime.date, prefix: str = "") -> Q:
        """The filter on trusts (call after is_valid()): those open on the as of day (today without
        one) unless include_closed=true asks for the closed ones too."""
        data = self.cleaned_data
        filters = DashboardFilters(
            sector=data["sector"],
            icb=data["icb"].upper(),
            exemplar=data["exemplar"],
            # As of a day, icb= means the ICB a trust was in that day.
            as_of=data.get("as_of"),
            open_on=None if data["include_closed"] else data.get("as_of") or today,
        )
        q = filters.trust_q(prefix) & filters.open_q(prefix)
        if data["region"]:
            q &= Q(**{f"{prefix}region__code": data["region"].upper()})
        return q

    def status_q(self, *, today: datetime.date) -> Q:
        """The filter on ComplianceStatus rows (call after is_valid())."""
        data = self.cleaned_data
        q = self.trust_q(today=today, prefix="trust__")
        if data["target"]:
            q &= Q(target__code=data["target"])
        if data["status"]:
            q &= Q(status=data["status"])
        return q
