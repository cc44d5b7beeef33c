"""Parse a published DSPT status file (CSV) into plain rows and errors with line numbers.

Columns are found by header name, whatever their order and spelling; other columns are
ignored. The assessment year comes from each status's own prefix ("20/21 Standards Met" is
2020-21) or, for a status without one, from the year given; where both are there and differ,
the prefix wins and the disagreement is reported. Nothing is guessed: a status that
cannot be read is reported with its line and left out.
"""

import csv
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Header spellings, normalised (lower case, punctuation as spaces). For the status, the first
# found wins: an organisation's own latest status before a status derived from a successor's.
CODE_HEADERS = ("code", "ods code", "organisation code", "organization code", "org code")
STATUS_HEADERS = ("status", "latest status", "final status")
DATE_HEADERS = ("date of publication", "publication date", "date published")

STATUSES = {
    "standards exceeded": "exceeded",
    "standards met": "met",
    "approaching standards": "approaching",
    "standards not met": "not_met",
    "not published": "not_published",
}
YEAR_PREFIX = re.compile(r"^(\d{2})/(\d{2})\s+(.*)$")
YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class DsptFileRefused(ValueError):
    """The file as a whole cannot be read: nothing from it is imported."""


@dataclass(frozen=True)
class DsptRow:
    line: int
    code: str
    year: str  # "2020-21"
    status: str  # a DsptStatus value
    published_on: datetime.date | None


@dataclass
class DsptParse:
    rows: list[DsptRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # imported, but not as the caller may expect


def parse_dspt(lines: Iterable[str], *, year: str | None = None) -> DsptParse:
    """Rows of a DSPT file; `year` ("2021-22") for statuses that carry no year prefix.

    Raises DsptFileRefused for a file with no code or status column, or with statuses
    that no prefix and no `year` place in an assessment year.
    """
    if year is not None and not valid_year(year):
        raise DsptFileRefused(f"{year!r} is not an assessment year: use the form 2021-22.")
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        raise DsptFileRefused("The file is empty.")
    columns = {_normalise(name): index for index, name in enumerate(header)}
    code_at = _first_column(columns, CODE_HEADERS)
    status_at = _first_column(columns, STATUS_HEADERS)
    date_at = _first_column(columns, DATE_HEADERS)
    if code_at is None or status_at is None:
        missing = " and ".join(
            kind for kind, at in (("an organisation code", code_at), ("a status", status_at)) if at is None
        )
        found = ", ".join(repr(name.strip()) for name in header if name.strip()) or "none"
        raise DsptFileRefused(f"No column for {missing}. Columns found: {found}.")

    parse = DsptParse()
    yearless: list[int] = []
    other_year: dict[str, list[int]] = {}  # a prefix year that differs from `year`: its lines
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        code = _cell(record, code_at).upper()
        raw_status = _cell(record, status_at)
        if not code:
            parse.errors.append(f"Line {line}: no organisation code.")
            continue
        if not raw_status:
            parse.errors.append(f"Line {line}: {code}: no status.")
            continue
        status_year, status = _status(raw_status)
        if status is None:
            parse.errors.append(f"Line {line}: {code}: unreadable status {raw_status!r}.")
            continue
        if year is not None and status_year is not None and status_year != year:
            other_year.setdefault(status_year, []).append(line)
        row_year = status_year or year
        if row_year is None:
            yearless.append(line)
            continue
        published_on = None
        raw_date = _cell(record, date_at) if date_at is not None else ""
        if raw_date:
            published_on = _date(raw_date)
            if published_on is None:
                parse.errors.append(f"Line {line}: {code}: unreadable publication date {raw_date!r}.")
                continue
        parse.rows.append(DsptRow(line, code, row_year, status, published_on))
    for prefix_year, lines_of_year in sorted(other_year.items()):
        parse.warnings.append(
            f"{'Line' if len(lines_of_year) == 1 else 'Lines'} {_lines(lines_of_year)}: the status says {prefix_year}, not {year} as given: "
            f"imported as {prefix_year}."
        )
    if yearless:
        raise DsptFileRefused(
            f"No assessment year for the statuses on lines {_lines(yearless)}: their statuses carry no "
            "year prefix (such as 21/22). Give the year with --year 2021-22."
        )
    return parse


def valid_year(year: str) -> bool:
    match = YEAR.match(year)
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def _status(raw: str) -> tuple[str | None, str | None]:
    text = " ".join(raw.split())
    prefix = YEAR_PREFIX.match(text)
    year = None
    if prefix:
        first, second, text = prefix.groups()
        if (int(first) + 1) % 100 != int(second):
            return None, None
        year = f"20{first}-{second}"
    return year, STATUSES.get(text.lower())


def _date(raw: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _normalise(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().lstrip("\ufeff")).split())


def _first_column(columns: dict[str, int], names: tuple[str, ...]) -> int | None:
    return next((columns[name] for name in names if name in columns), None)


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
