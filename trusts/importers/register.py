"""The ODS trust extract (etr.csv), ODS's successor file and the shipped trust profiles, parsed."""

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from ..models import ExemplarStatus, Sector, validate_trust_code
from .rows import RowError, dict_rows, ods_date

# The ODS trust extract (etr.csv): header-less, 1-based columns as ODS documents them.
ETR_CODE, ETR_NAME, ETR_REGION, ETR_ICB, ETR_POSTCODE, ETR_OPENED, ETR_CLOSED = 1, 2, 3, 4, 10, 11, 12
ETR_MIN_COLUMNS = ETR_CLOSED


@dataclass(frozen=True)
class TrustRow:
    line: int
    ods_code: str
    name: str
    region_code: str
    icb_code: str
    postcode: str
    opened_on: datetime.date
    closed_on: datetime.date | None


@dataclass(frozen=True)
class SetAside:
    line: int
    ods_code: str
    name: str
    reason: str


@dataclass
class RegisterParse:
    rows: list[TrustRow] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_register(lines: Iterable[str], *, region_codes: set[str]) -> RegisterParse:
    """Parse the ODS trust extract.

    A row without a region is not an English trust (the Welsh trusts): it is set aside,
    not an error. A row with a bad code, a bad date, too few columns, an unknown region
    or a code seen before is an error; the other rows still parse.
    """
    result = RegisterParse()
    seen: dict[str, int] = {}
    for line, cells in enumerate(csv.reader(lines), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [cell.strip() for cell in cells]
        code = cells[0]
        if len(cells) < ETR_MIN_COLUMNS:
            result.errors.append(RowError(line, code, f"{len(cells)} columns, at least {ETR_MIN_COLUMNS} expected"))
            continue
        name, region = cells[ETR_NAME - 1], cells[ETR_REGION - 1]
        try:
            validate_trust_code(code)
        except ValidationError:
            result.errors.append(RowError(line, code, f"{code!r} is not an ODS trust code"))
            continue
        if code in seen:
            result.errors.append(RowError(line, code, f"code already on line {seen[code]}"))
            continue
        seen[code] = line
        if not name:
            result.errors.append(RowError(line, code, "no name"))
            continue
        if not region:
            result.set_aside.append(SetAside(line, code, name, "no English region: not part of the English programme"))
            continue
        if region not in region_codes:
            result.errors.append(RowError(line, code, f"unknown region {region!r}"))
            continue
        try:
            opened_on = ods_date(cells[ETR_OPENED - 1])
        except ValueError:
            result.errors.append(RowError(line, code, f"open date {cells[ETR_OPENED - 1]!r} is not a date (YYYYMMDD)"))
            continue
        raw_closed = cells[ETR_CLOSED - 1]
        try:
            closed_on = ods_date(raw_closed) if raw_closed else None
        except ValueError:
            result.errors.append(RowError(line, code, f"close date {raw_closed!r} is not a date (YYYYMMDD)"))
            continue
        if closed_on and closed_on < opened_on:
            result.errors.append(RowError(line, code, f"closed {closed_on} before it opened {opened_on}"))
            continue
        result.rows.append(
            TrustRow(
                line=line,
                ods_code=code,
                name=name,
                region_code=region,
                icb_code=cells[ETR_ICB - 1],
                postcode=cells[ETR_POSTCODE - 1],
                opened_on=opened_on,
                closed_on=closed_on,
            )
        )
    return result


@dataclass(frozen=True)
class SuccessionRow:
    line: int
    old_code: str
    new_code: str
    effective_on: datetime.date


@dataclass
class SuccessionParse:
    rows: list[SuccessionRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_successors(lines: Iterable[str], *, codes: set[str]) -> SuccessionParse:
    """ODS's successor file (header-less: old code, successor code, reason, effective date,
    flag), kept to the rows whose two codes are both in `codes`: the file covers every kind
    of organisation, and only successions between trusts of the register matter here."""
    result = SuccessionParse()
    for line, cells in enumerate(csv.reader(lines), start=1):
        cells = [cell.strip() for cell in cells]
        if len(cells) < 4 or cells[0] not in codes or cells[1] not in codes:
            continue
        try:
            effective_on = ods_date(cells[3])
        except ValueError:
            result.errors.append(RowError(line, cells[0], f"effective date {cells[3]!r} is not a date (YYYYMMDD)"))
            continue
        result.rows.append(SuccessionRow(line, cells[0], cells[1], effective_on))
    return result


@dataclass(frozen=True)
class ProfileRow:
    line: int
    ods_code: str
    sector: str
    exemplar_status: str


@dataclass
class ProfileParse:
    rows: list[ProfileRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_profiles(lines: Iterable[str]) -> ProfileParse:
    """trusts/data/trust_profiles.csv: code, sector, exemplar_status, source."""
    result = ProfileParse()
    source = "trust_profiles.csv"
    for line, row in dict_rows(lines, {"code", "sector", "exemplar_status"}, source):
        if row["sector"] not in Sector.values:
            result.errors.append(RowError(line, row["code"], f"{source}: unknown sector {row['sector']!r}"))
        elif row["exemplar_status"] not in ExemplarStatus.values:
            result.errors.append(
                RowError(line, row["code"], f"{source}: unknown exemplar status {row['exemplar_status']!r}")
            )
        else:
            result.rows.append(ProfileRow(line, row["code"], row["sector"], row["exemplar_status"]))
    return result
