"""Parse a published DSPT status file (CSV or XLSX) into plain rows and errors with line numbers.

Columns are found by header name, whatever their order and spelling; other columns are
ignored. The assessment year comes from each status's own year ("20/21 Standards Met" or
"Standards Met (19-20)" is of 2019-20 or 2020-21) or, for a status without one, from the year
given; where both are there and differ, the status's own year wins and the disagreement is
reported. Nothing is guessed: a status that cannot be read is reported with its line and
left out.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .tables import FileRefused, UnreadableCell, lines_text, optional_date, read_tables

# Header spellings, normalised (lower case, punctuation as spaces). For the status, the first
# found wins: an organisation's own latest status before a status derived from a successor's.
ALIASES = {
    "code": ("code", "ods code", "organisation code", "organization code", "org code", "ods", "trust code"),
    "status": ("status", "latest status", "final status", "dspt status", "assessment status"),
    "date": ("date of publication", "publication date", "date published", "published", "published on"),
    "name": ("organisation name", "organization name", "name", "org name", "ods org name", "organisation"),
    "kind": ("sector", "primary sector", "organisation type", "organization type", "org type", "type", "kind"),
}
REQUIRED = {"code": "an organisation code", "status": "a status"}

# Every wording the DSPT has published since 2018-19, without its year, lower case.
STATUSES = {
    "standards exceeded": "exceeded",
    "standards met": "met",
    "approaching standards": "approaching",
    "standards not met": "not_met",
    "not published": "not_published",
    "standards not fully met (plan agreed)": "plan_agreed",
    "entry level": "entry_level",
}
YEAR_PREFIX = re.compile(r"^(?:20)?(\d{2})[/-](\d{2})\s+(.+)$")  # "22/23 Standards Met"
YEAR_SUFFIX = re.compile(r"^(.+?)\s*\((?:20)?(\d{2})[/-](\d{2})\)$")  # "Standards Met (19-20)"
# What a spreadsheet shows where a lookup found nothing: the file has no status for the row.
NOT_AVAILABLE = frozenset({"#n/a", "n/a", "#value!", "#ref!"})
YEAR = re.compile(r"^(\d{4})-(\d{2})$")

DsptFileRefused = FileRefused


@dataclass(frozen=True)
class DsptRow:
    line: int
    code: str
    year: str  # "2020-21"
    status: str  # a DsptStatus value
    published_on: datetime.date | None
    name: str = ""
    kind: str = ""  # the organisation's sector as the file gives it, if it does


@dataclass
class DsptParse:
    rows: list[DsptRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # imported, but not as the caller may expect
    rows_read: int = 0
    sheet: str = ""


def parse_dspt(content: bytes | Iterable[str], *, year: str | None = None) -> DsptParse:
    """Rows of a DSPT file (its bytes, or lines of CSV); `year` ("2021-22") for statuses that
    carry no year.

    Raises DsptFileRefused for a file with no code or status column, or with statuses
    that no year of their own and no `year` place in an assessment year.
    """
    if year is not None and not valid_year(year):
        raise DsptFileRefused(f"{year!r} is not an assessment year: use the form 2021-22.")
    if not isinstance(content, bytes):
        content = "\n".join(content).encode()
    table = read_tables(content, aliases=ALIASES, required=REQUIRED)[0]

    parse = DsptParse(sheet=table.sheet)
    yearless: list[int] = []
    other_year: dict[str, list[int]] = {}  # a status's own year that differs from `year`: its lines
    for line, cells in table.rows:
        parse.rows_read += 1
        code = table.cell(cells, "code").upper()
        raw_status = table.cell(cells, "status")
        if not code:
            parse.errors.append(f"Line {line}: no organisation code.")
            continue
        if not raw_status:
            parse.errors.append(f"Line {line}: {code}: no status.")
            continue
        if raw_status.lower() in NOT_AVAILABLE:
            parse.errors.append(f"Line {line}: {code}: no status ({raw_status!r} in the file).")
            continue
        status_year, status = dspt_status(raw_status)
        if status is None:
            parse.errors.append(f"Line {line}: {code}: unreadable status {raw_status!r}.")
            continue
        if year is not None and status_year is not None and status_year != year:
            other_year.setdefault(status_year, []).append(line)
        row_year = status_year or year
        if row_year is None:
            yearless.append(line)
            continue
        try:
            published_on = optional_date(table.cell(cells, "date"), what="publication date")
        except UnreadableCell as error:
            parse.errors.append(f"Line {line}: {code}: {error}.")
            continue
        parse.rows.append(
            DsptRow(line, code, row_year, status, published_on, table.cell(cells, "name"), table.cell(cells, "kind"))
        )
    for own_year, lines_of_year in sorted(other_year.items()):
        parse.warnings.append(
            f"{'Line' if len(lines_of_year) == 1 else 'Lines'} {lines_text(lines_of_year)}: the status says "
            f"{own_year}, not {year} as given: imported as {own_year}."
        )
    if yearless:
        raise DsptFileRefused(
            f"No assessment year for the statuses on lines {lines_text(yearless)}: their statuses carry no "
            "year (such as 21/22). Give the year with --year 2021-22."
        )
    return parse


def valid_year(year: str) -> bool:
    match = YEAR.match(year)
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def dspt_status(raw: str) -> tuple[str | None, str | None]:
    """(assessment year or None, DsptStatus value) of a published status; (None, None) if unreadable."""
    text = " ".join(raw.split())
    first = second = None
    if prefix := YEAR_PREFIX.match(text):
        first, second, text = prefix.groups()
    elif suffix := YEAR_SUFFIX.match(text):
        text, first, second = suffix.groups()
    year = None
    if first is not None:
        if (int(first) + 1) % 100 != int(second):
            return None, None
        year = f"20{first}-{second}"
    return year, STATUSES.get(text.lower())
