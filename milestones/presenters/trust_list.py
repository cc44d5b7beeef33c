"""The trust list: links to it from every count, its table (page and CSV), sort links, and the
active filters as removable tags (on every dashboard)."""

from urllib.parse import urlencode

from django.urls import reverse

from trusts.models import Sector

from ..filters import TRUST_LIST_SORTS, DashboardFilters, TrustListFilters
from ..selectors.dashboard.trust_list import TrustListRow
from .labels import long_date, status_label
from .tables import Table

SORT_LABELS = {
    "trust": "Trust",
    "code": "ODS code",
    "region": "Region",
    "icb": "ICB",
    "target": "Target",
    "status": "Status",
}


def trust_list_url(filters: DashboardFilters, *, region: str = "", target: str = "", status: str = "") -> str:
    """The trust list holding exactly the trusts a count stands for: the page's filters, and the
    count's region, target and status."""
    chosen = {"region": region, "target": target, "status": status}
    params = {**filters.params, **{name: value for name, value in chosen.items() if value}}
    return f"{reverse('milestones:trust_list')}?{urlencode(params)}"


def trust_list_table(rows: list[TrustListRow]) -> Table:
    """The trust list's rows, the first cell linking to the trust's page."""
    sectors = dict(Sector.choices)
    return Table(
        "trust-list",
        "Trusts",
        ["Trust", "ODS code", "Region", "ICB", "Sector", "Target", "Status", "Reason"],
        [
            [
                row.name,
                row.ods_code,
                row.region,
                row.icb,
                sectors.get(row.sector, row.sector),
                row.target,
                status_label(row.status),
                row.reason,
            ]
            for row in rows
        ],
        links=[reverse("milestones:trust", args=[row.ods_code]) for row in rows],
    )


def sort_head(filters: TrustListFilters) -> list[dict]:
    """The table head, each sortable column a link that sorts by it (the other way when it already does)."""
    current, descending = filters.sort.removeprefix("-"), filters.sort.startswith("-")
    head = []
    for column in TRUST_LIST_SORTS:
        sort = "none"
        next_sort = column
        if column == current:
            sort = "descending" if descending else "ascending"
            next_sort = column if descending else f"-{column}"
        params = {**filters.params, **({"sort": next_sort} if next_sort != "trust" else {})}
        head.append({"text": SORT_LABELS[column], "sort": sort, "href": f"?{urlencode(params)}"})
    head.insert(4, {"text": "Sector"})
    return [*head, {"text": "Reason"}]


def active_filters(form, params: dict[str, str], action: str) -> list[dict]:
    """Each filter in force as a tag that links to the same page without it."""
    tags = []
    for name, value in params.items():
        if name == "as_of":
            text = f"As of {long_date(form.cleaned_data['as_of'])}"
        else:
            field = form.fields[name]
            text = f"{field.label}: {dict(field.choices).get(value, value)}"
        rest = {other: kept for other, kept in params.items() if other != name}
        tags.append({"text": text, "href": f"{action}?{urlencode(rest)}" if rest else action})
    return tags
