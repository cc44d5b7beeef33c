"""What every parser of trusts/importers shares: a row's error, with its line, and reading the files."""

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f" ({self.code})" if self.code else "") + f": {self.message}"


def ods_date(value: str) -> datetime.date:
    """An ODS date, YYYYMMDD; ValueError otherwise."""
    if len(value) != 8 or not value.isdigit():
        raise ValueError(value)
    return datetime.datetime.strptime(value, "%Y%m%d").date()


def dict_rows(lines: Iterable[str], columns: set[str], source: str) -> Iterable[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with a header, numbered by line; ValueError if a column is missing."""
    reader = csv.DictReader(lines)
    missing = columns - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"{source}: missing columns {', '.join(sorted(missing))}")
    # Line 1 is the header.
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key}
