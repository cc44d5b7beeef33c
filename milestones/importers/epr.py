"""Parse a published EPR file (CSV or XLSX) into plain rows and errors with line numbers.

Two layouts are published, told apart by their headers: the Frontline Digitisation report
(EPR group and status per trust, with the report's date in a column) and the list of primary
EPR suppliers (the date in the sheet's name, "EPR Suppliers 01.10.24"). A file with both
kinds of column feeds both sources. Values are kept as published: the rules interpret them.
"""

import datetime
import re
from dataclasses import dataclass, field

from .tables import FileRefused, UnreadableCell, find_columns, lines_text, optional_date, read_tables

ALIASES = {
    "code": (
        "trust ods code",
        "organisation code",
        "organization code",
        "ods code",
        "code",
        "trust code",
        "org code",
    ),
    "name": ("organisation name", "organization name", "organisation", "trust name", "name"),
    "size_band": ("trust type", "trust type primary", "size band", "trust size"),
    "group": ("epr group", "group"),
    "status": ("current epr status", "epr status", "current status"),
    "supplier": ("supplier primary epr", "primary epr supplier", "epr supplier", "supplier"),
    "date": ("bi weekly report date", "report date", "as at", "as at date", "reporting date"),
}
REQUIRED = {"code": "an organisation code"}
DATA_COLUMNS = ("group", "status", "supplier")
# "EPR Suppliers 01.10.24": a day, month and year in a sheet's name.
SHEET_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})")


@dataclass(frozen=True)
class EprRow:
    line: int
    code: str
    name: str
    size_band: str
    group: str
    status: str
    supplier: str


@dataclass
class EprParse:
    sheet: str
    has_status: bool  # EPR group or status columns: the Frontline Digitisation layout
    has_supplier: bool
    as_at: datetime.date | None  # from the report date column or the sheet's name
    rows: list[EprRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0


def parse_epr(content: bytes) -> EprParse:
    """Rows of an EPR file. Raises FileRefused for a file with no code column or no EPR group,
    status or supplier column."""
    try:
        table = read_tables(
            content,
            aliases=ALIASES,
            required=REQUIRED,
            accept=lambda sheet, header: any(c in find_columns(header, ALIASES) for c in DATA_COLUMNS),
        )[0]
    except FileRefused as refusal:
        raise FileRefused(
            f"{refusal} An EPR file needs an organisation code and an EPR group, status or supplier."
        ) from refusal
    columns = table.columns
    parse = EprParse(
        sheet=table.sheet,
        has_status="group" in columns or "status" in columns,
        has_supplier="supplier" in columns,
        as_at=_sheet_date(table.sheet),
    )
    report_dates: dict[datetime.date, list[int]] = {}
    no_status: list[int] = []
    for line, cells in table.rows:
        parse.rows_read += 1
        code = table.cell(cells, "code").upper()
        row = EprRow(
            line,
            code,
            table.cell(cells, "name"),
            table.cell(cells, "size_band"),
            table.cell(cells, "group"),
            table.cell(cells, "status"),
            table.cell(cells, "supplier"),
        )
        if not code:
            parse.errors.append(f"Line {line}: no organisation code.")
            continue
        if not (row.group or row.status or row.supplier):
            parse.errors.append(f"Line {line}: {code}: no EPR group, status or supplier.")
            continue
        if parse.has_status and row.group and not row.status:
            no_status.append(line)
        try:
            day = optional_date(table.cell(cells, "date"), what="report date")
        except UnreadableCell as error:
            parse.errors.append(f"Line {line}: {code}: {error}.")
            continue
        if day:
            report_dates.setdefault(day, []).append(line)
        parse.rows.append(row)
    if no_status:
        parse.warnings.append(
            f"{'Line' if len(no_status) == 1 else 'Lines'} {lines_text(no_status)}: an EPR group but no "
            "EPR status: loaded with the status blank."
        )
    if report_dates:
        parse.as_at = max(report_dates)
        if len(report_dates) > 1:
            older = sorted(line for day, lines in report_dates.items() if day != parse.as_at for line in lines)
            parse.warnings.append(
                f"Lines {lines_text(older)}: report dates before {parse.as_at.isoformat()}, the newest in the "
                "file, which is taken as its as-at date."
            )
    return parse


def _sheet_date(sheet: str) -> datetime.date | None:
    match = SHEET_DATE.search(sheet)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None
