"""The trust list: links to it from every count, its table (page and CSV), sort links, and the
active filters as removable tags (on every dashboard)."""

import functools
from urllib.parse import urlencode

from django.urls import reverse

from digitrack.tables import Table
from milestones.labels import long_date, short_icb_name, status_label
from trusts.models import Sector

from ..filters import TRUST_LIST_SORTS, DashboardFilters, TrustListFilters
from ..selectors.trust_list import TrustListRow


def trust_list_url(filters: DashboardFilters, *, region: str = "", target: str = "", status: str = "") -> str:
    """The trust list holding exactly the trusts a count stands for: the page's filters, and the
    count's region, target and status."""
    chosen = {"region": region, "target": target, "status": status}
    params = {**filters.params, **{name: value for name, value in chosen.items() if value}}
    return f"{_trust_list_path()}?{urlencode(params)}"


@functools.cache
def _trust_list_path() -> str:
    # Reversed once: a national page links every count of every chart and table to the list.
    return reverse("dashboards:trust_list")


# The list's columns, in order; those TRUST_LIST_SORTS names sort it.
COLUMNS = {
    "trust": "Trust",
    "code": "ODS code",
    "region": "Region",
    "icb": "ICB",
    "sector": "Sector",
    "target": "Target",
    "status": "Status",
    "reason": "Reason",
    "data_as_at": "National data as at",
}


def constant_columns(filters: TrustListFilters) -> frozenset[str]:
    """The columns a filter holds to one value: the page leaves them out (its tags say them), so
    the reasons have room; the CSV keeps every column."""
    chosen = {"region": filters.region, "target": filters.target, "status": filters.status}
    return frozenset(name for name, value in chosen.items() if value)


def trust_list_table(rows: list[TrustListRow], hidden: frozenset[str] = frozenset()) -> Table:
    """The trust list's rows, the trust's name linking to its page."""
    sectors = dict(Sector.choices)
    shown = [column for column in COLUMNS if column not in hidden]
    values = [
        {
            "trust": row.name,
            "code": row.ods_code,
            "region": row.region,
            "icb": short_icb_name(row.icb),
            "sector": sectors.get(row.sector, row.sector),
            "target": row.target,
            "status": status_label(row.status),
            "reason": row.reason,
            "data_as_at": row.data_as_at,
        }
        for row in rows
    ]
    return Table(
        "trust-list",
        "Trusts",
        [COLUMNS[column] for column in shown],
        [[value[column] for column in shown] for value in values],
        links=[reverse("dashboards:trust", args=[row.ods_code]) for row in rows],
    )


def sort_head(filters: TrustListFilters, hidden: frozenset[str] = frozenset()) -> list[dict]:
    """The table head, each sortable column a link that sorts by it (the other way when it already does)."""
    current, descending = filters.sort.removeprefix("-"), filters.sort.startswith("-")
    head = []
    for column, label in COLUMNS.items():
        if column in hidden:
            continue
        if column not in TRUST_LIST_SORTS:
            head.append({"text": label})
            continue
        sort = "none"
        next_sort = column
        if column == current:
            sort = "descending" if descending else "ascending"
            next_sort = column if descending else f"-{column}"
        params = {**filters.params, **({"sort": next_sort} if next_sort != "trust" else {})}
        head.append({"text": label, "sort": sort, "href": f"?{urlencode(params)}"})
    return head


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
