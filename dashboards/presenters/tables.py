"""Tables as plain values, rendered under each chart and downloaded as CSV (one builder, so both agree)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from digitrack.dates import LONG_DATE_TIME, format_date
from milestones.labels import long_date, percent, status_label
from milestones.models import STATUS_ORDER, Status

from ..selectors import Headline


@dataclass
class Table:
    """A table as plain values: rendered under a chart and downloaded as CSV."""

    name: str
    caption: str
    head: list[str]
    rows: list[list] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    # An address for the first cell of each row (None: no link).
    links: list[str | None] = field(default_factory=list)
    # Addresses for other cells of each row, by column: counts link to the trusts they count.
    cell_links: list[dict[int, str]] = field(default_factory=list)


def headline_table(headlines: list[Headline], count_link: Callable[[str, str], str] | None = None) -> Table:
    """Trusts by status for each target; with count_link(target code, status), each count links
    to the trusts it counts."""
    head = ["Target"]
    for status in STATUS_ORDER[:-1]:
        head += [status_label(status), f"{status_label(status)} (% of applicable)"]
    head += [status_label(Status.NOT_APPLICABLE), "Applicable trusts"]
    head += ["Met by the deadline then in force", "National data as at", "Includes demo data"]
    rows = []
    for headline in headlines:
        row = [headline.target.title]
        for status in STATUS_ORDER[:-1]:
            row += [headline.counts.get(status, 0), percent(headline.percent(status))]
        row += [headline.counts.get(Status.NOT_APPLICABLE, 0), headline.applicable]
        note = headline.note
        past = note.past_deadline if note else None
        row += [
            past.met_by_deadline if past else None,
            note.data_as_at if note else None,
            "yes" if note and note.includes_demo else "no",
        ]
        rows.append(row)
    if count_link is None:
        return Table("headlines", "Trusts by status for each target", head, rows, frozenset(range(1, len(head))))
    columns = {status: 1 + 2 * position for position, status in enumerate(STATUS_ORDER[:-1])}
    columns[Status.NOT_APPLICABLE] = 2 * len(STATUS_ORDER) - 1
    cell_links = [
        {column: count_link(headline.target.code, status) for status, column in columns.items()}
        for headline in headlines
    ]
    return Table(
        "headlines", "Trusts by status for each target", head, rows, frozenset(range(1, len(head))), [], cell_links
    )


def count_columns() -> list[str]:
    return [status_label(status) for status in STATUS_ORDER]


def cell_text(value) -> str:
    """A table value as text for the page."""
    if isinstance(value, datetime.datetime):
        return format_date(value, LONG_DATE_TIME)
    if isinstance(value, datetime.date):
        return long_date(value)
    if value is None:
        return ""
    return str(value)


def table_params(table: Table, *, caption_hidden: bool = False) -> dict:
    """Parameters for the nhsuk table macro; a hidden caption where a heading already says it."""
    rows = []
    for index, row in enumerate(table.rows):
        links = dict(table.cell_links[index]) if index < len(table.cell_links) else {}
        if index < len(table.links) and table.links[index]:
            links[0] = table.links[index]
        cells = []
        for column, value in enumerate(row):
            cell = {"text": cell_text(value)}
            if column in table.numeric:
                cell["format"] = "numeric"
            if column in links:
                cell["href"] = links[column]
            cells.append(cell)
        rows.append(cells)
    head = [
        {"text": text, **({"format": "numeric"} if column in table.numeric else {})}
        for column, text in enumerate(table.head)
    ]
    caption = {"text": table.caption, "size": "s", "classes": "nhsuk-u-visually-hidden" if caption_hidden else None}
    return {"caption": caption, "head": head, "rows": rows, "responsive": True}


def csv_value(value) -> str:
    """A table value for CSV: ISO dates, and text that a spreadsheet would run as a formula defused."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
