"""Read a published file, CSV or XLSX, as tables of text cells with their line numbers, and find
columns by header name whatever their spelling, case, spacing or punctuation."""

import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import openpyxl

# openpyxl drops Excel's data-validation extension (drop-down lists) with a warning as it reads a sheet.
warnings.filterwarnings("ignore", message="Data Validation extension is not supported", category=UserWarning)

# How far down a sheet the header may be: the DMA's sheets have ten rows of titles above it.
HEADER_SEARCH_ROWS = 40


class FileRefused(ValueError):
    """The file as a whole cannot be read: nothing from it is imported."""


@dataclass(frozen=True)
class Table:
    """One sheet (or the CSV) from its header row on. `columns` maps each wanted column to its index."""

    sheet: str  # "" for a CSV
    header_line: int
    header: list[str]
    columns: dict[str, int]
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells), blank rows left out

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""


def normalise_header(name: str) -> str:
    """ "Date.Of.Publication", "date_of_publication" and " Date of  publication " are one name."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(name).lower().lstrip("\ufeff")).split())


def find_columns(header: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """The index of each wanted column: the first alias (in the order given) that a header matches."""
    positions = {}
    for index, name in enumerate(header):
        positions.setdefault(normalise_header(name), index)
    found = {}
    for column, names in aliases.items():
        for name in names:
            if name in positions:
                found[column] = positions[name]
                break
    return found


def read_tables(
    content: bytes,
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Mapping[str, str],
    accept: Callable[[str, list[str]], bool] | None = None,
) -> list[Table]:
    """Every table in the file whose header (within its first rows) has the `required` columns
    (column: what it holds, "an organisation code"): the CSV itself, or each visible worksheet
    of a workbook that has them, in order. `accept` can turn away a sheet by its name and
    header. Raises FileRefused, naming what is missing, when there is none."""
    sheets = _workbook_sheets(content) if content[:2] == b"PK" else [("", _csv_rows(_decode(content)))]
    tables, first_rows = [], []
    for sheet, rows in sheets:
        table, first_row = _table(sheet, rows, aliases, required, accept)
        if table is None:
            first_rows.append((sheet, first_row))
        else:
            tables.append(table)
    if tables:
        return tables
    if not any(first_row for _, first_row in first_rows):
        raise FileRefused("The file is empty.")
    sheet, first_row = next((s, r) for s, r in first_rows if r)
    found = find_columns(first_row, aliases)
    missing = " and ".join(label for column, label in required.items() if column not in found)
    where = f" in sheet {sheet!r}" if sheet else ""
    columns = ", ".join(repr(name) for name in first_row if name) or "none"
    raise FileRefused(f"No column for {missing or 'what this file should hold'}. Columns found{where}: {columns}.")


def _table(sheet, rows, aliases, required, accept) -> tuple[Table | None, list[str]]:
    first_row: list[str] = []
    for line, cells in rows:
        if line > HEADER_SEARCH_ROWS:
            break
        first_row = first_row or cells
        columns = find_columns(cells, aliases)
        if all(column in columns for column in required) and (accept is None or accept(sheet, cells)):
            return Table(sheet, line, cells, columns, rows), first_row
    return None, first_row


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" on Windows.
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused("The file is neither a workbook nor a text CSV (UTF-8 or Windows-1252).") from error


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    # csv counts physical lines, so a quoted cell over several lines keeps the numbers true: a
    # record is reported by the line it starts on.
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, [cell.strip() for cell in cells]
            start = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(f"Line {reader.line_num}: not readable as CSV ({error}).") from error


def _workbook_sheets(content: bytes) -> list[tuple[str, Iterator[tuple[int, list[str]]]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(f"The file looks like a workbook but cannot be opened ({error}).") from error
    return [
        (sheet.title.strip(), _sheet_rows(sheet)) for sheet in workbook.worksheets if sheet.sheet_state == "visible"
    ]


def labelled_date(content: bytes, label: str) -> datetime.date | None:
    """The date beside a label ("Publication date:") on a workbook's first sheets, if any."""
    if content[:2] != b"PK":
        return None
    for _, rows in _workbook_sheets(content)[:2]:
        for line, cells in rows:
            if line > HEADER_SEARCH_ROWS:
                break
            filled = [cell for cell in cells if cell]
            for name, value in zip(filled, filled[1:], strict=False):
                if normalise_header(name) == label:
                    return parse_date(value)
    return None


def _sheet_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(value) for value in values]
        if any(cells):
            yield line, cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(raw: str) -> datetime.date | None:
    """A date as published: 30/06/2023, 2023-06-30 or 2023-05-26T00:00:00."""
    raw = raw.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.datetime.fromisoformat(raw).date()
    except ValueError:
        return None


class UnreadableCell(ValueError):
    """A cell that holds something, but not what its column should: its row is reported and skipped."""

    def __init__(self, what: str, raw: str):
        super().__init__(f"unreadable {what} {raw!r}")


def optional_date(raw: str, *, what: str) -> datetime.date | None:
    """A date cell that may be blank (None); UnreadableCell naming `what` if it holds no date."""
    if not raw:
        return None
    day = parse_date(raw)
    if day is None:
        raise UnreadableCell(what, raw)
    return day


def parse_score(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


def lines_text(numbers: Sequence[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
