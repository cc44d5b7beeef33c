"""Tables as plain values: every table of every page is one, drawn by the design system's table
macro (the `data_table` Jinja global renders `table_params(table)`) and, where a page offers it,
downloaded as CSV from the same rows, so the page and the file agree.

A cell holds a plain value (text, a number, a date, None), a Link, a list of Links (a row's
actions), a Tag, a value with a note beneath it (Noted) or tags in groups with their reasons
folded (TagGroups)."""

import datetime
from dataclasses import dataclass, field

from django.template import engines
from django.utils import timezone

from digitrack.dates import long_date, long_date_time


@dataclass(frozen=True)
class Link:
    """A link in a cell; `hidden` follows the text for screen readers only ("Download" what)."""

    text: str
    href: str
    hidden: str = ""


@dataclass(frozen=True)
class Tag:
    """An nhsuk tag in a cell: the text carries the meaning, the colour only adds to it."""

    text: str
    colour: str


@dataclass(frozen=True)
class Noted:
    """A value with a line of secondary text beneath it (a trust, and its ICB)."""

    value: Link | str
    note: str


@dataclass(frozen=True)
class TagGroups:
    """Tags under a label each ("Overdue: Core, Full"), then the reasons behind them folded under
    "Why": each reason a bold lead and its text; `why_for` tells screen readers what it explains."""

    groups: tuple[tuple[Tag, tuple[str, ...]], ...]
    reasons: tuple[tuple[str, str], ...]
    why_for: str


@dataclass(frozen=True)
class Hidden:
    """A column heading for screen readers only, over a column of links that needs no visible one."""

    text: str


@dataclass
class Table:
    """A table as plain values: rendered on a page and downloaded as CSV."""

    name: str
    caption: str
    head: list[str | Hidden]
    rows: list[list] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    # An address for the first cell of each row (None: no link).
    links: list[str | None] = field(default_factory=list)
    # Addresses for other cells of each row, by column: counts link to the trusts they count.
    cell_links: list[dict[int, str]] = field(default_factory=list)
    # Narrow tables of a few columns stay tables on a phone; the others stack a row's cells.
    responsive: bool = True


def cell_text(value) -> str:
    """A table value as text for the page."""
    if isinstance(value, datetime.datetime):
        return long_date_time(value)
    if isinstance(value, datetime.date):
        return long_date(value)
    if value is None:
        return ""
    return str(value)


def _cell_macros():
    """The macros drawing the cells the table macro cannot draw from text and a link alone."""
    return engines["jinja2"].env.get_template("tables/_cells.jinja").module


def _cell(value) -> dict:
    if isinstance(value, Link):
        return {
            "text": value.text,
            "href": value.href,
            **({"visuallyHiddenText": value.hidden} if value.hidden else {}),
        }
    if isinstance(value, list):
        return {"html": str(_cell_macros().links(value))}
    if isinstance(value, Tag):
        return {"html": str(_cell_macros().tag(value.text, value.colour))}
    if isinstance(value, Noted):
        return {"html": str(_cell_macros().noted(value.value, value.note))}
    if isinstance(value, TagGroups):
        return {"html": str(_cell_macros().tag_groups(value.groups, value.reasons, value.why_for))}
    return {"text": cell_text(value)}


def _head_cell(text: str | Hidden, numeric: bool) -> dict:
    cell = {"text": "", "visuallyHiddenText": text.text} if isinstance(text, Hidden) else {"text": text}
    return {**cell, **({"format": "numeric"} if numeric else {})}


def table_params(table: Table, *, caption_hidden: bool = False) -> dict:
    """Parameters for the nhsuk table macro, plain JSON; a hidden caption where a heading already says it."""
    rows = []
    for index, row in enumerate(table.rows):
        links = dict(table.cell_links[index]) if index < len(table.cell_links) else {}
        if index < len(table.links) and table.links[index]:
            links[0] = table.links[index]
        cells = []
        for column, value in enumerate(row):
            cell = _cell(value)
            if column in table.numeric:
                cell["format"] = "numeric"
            if column in links:
                cell["href"] = links[column]
            cells.append(cell)
        rows.append(cells)
    head = [_head_cell(text, column in table.numeric) for column, text in enumerate(table.head)]
    caption = {"text": table.caption, "size": "s", "classes": "nhsuk-u-visually-hidden" if caption_hidden else None}
    return {"caption": caption, "head": head, "rows": rows, "responsive": table.responsive}


def csv_value(value) -> str:
    """A table value for CSV: ISO dates, and text that a spreadsheet would run as a formula defused."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, Link | Tag | Hidden):
        value = value.text
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
