"""Parse the ODS files and the shipped organisation files into plain rows and errors.

No database access here: the caller hands in what must be known (region codes,
trust codes), and the services in trusts/services.py write what is parsed.
Every error names the line it comes from, so a bad row can be found and fixed.
"""

import csv
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError

from .models import ExemplarStatus, Sector, validate_trust_code

# The ODS trust extract (etr.csv): header-less, 1-based columns as ODS documents them.
ETR_CODE, ETR_NAME, ETR_REGION, ETR_ICB, ETR_POSTCODE, ETR_OPENED, ETR_CLOSED = 1, 2, 3, 4, 10, 11, 12
ETR_MIN_COLUMNS = ETR_CLOSED


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f" ({self.code})" if self.code else "") + f": {self.message}"


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


def _ods_date(value: str) -> datetime.date:
    """An ODS date, YYYYMMDD; ValueError otherwise."""
    if len(value) != 8 or not value.isdigit():
        raise ValueError(value)
    return datetime.datetime.strptime(value, "%Y%m%d").date()


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
            opened_on = _ods_date(cells[ETR_OPENED - 1])
        except ValueError:
            result.errors.append(RowError(line, code, f"open date {cells[ETR_OPENED - 1]!r} is not a date (YYYYMMDD)"))
            continue
        raw_closed = cells[ETR_CLOSED - 1]
        try:
            closed_on = _ods_date(raw_closed) if raw_closed else None
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
class IcbRow:
    code: str
    name: str
    region_code: str
    ons_code: str = ""
    closed_on: datetime.date | None = None
    successor_codes: tuple[str, ...] = ()


@dataclass
class IcbParse:
    rows: list[IcbRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _dict_rows(lines: Iterable[str], columns: set[str], source: str) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    missing = columns - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"{source}: missing columns {', '.join(sorted(missing))}")
    # Line 1 is the header.
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key}


def parse_icbs(current: Iterable[str], former: Iterable[str], *, region_codes_by_name: Mapping[str, str]) -> IcbParse:
    """Merge the 36 ICBs in force since 1 April 2026 (icbs_2026.csv) with the 42 of
    2022-2026 (icbs_2022-2026.csv).

    An ICB in both keeps its current (ODS) name and gains its ONS code. A former ICB
    "closed 2026-04-01" stops on the day before, 2026-03-31, as ODS close dates are a
    trust's last open day; its successors are the ICBs named in the file (several where
    it was split).
    """
    result = IcbParse()
    by_code: dict[str, IcbRow] = {}
    former_lines: dict[str, int] = {}

    def region_code(name: str, line: int, code: str, source: str) -> str | None:
        if name in region_codes_by_name:
            return region_codes_by_name[name]
        result.errors.append(RowError(line, code, f"{source}: unknown region {name!r}"))
        return None

    source = "icbs_2026.csv"
    for line, row in _dict_rows(current, {"ods_code", "name", "nhs_region"}, source):
        region = region_code(row["nhs_region"], line, row["ods_code"], source)
        if region and row["ods_code"] and row["name"]:
            by_code[row["ods_code"]] = IcbRow(code=row["ods_code"], name=row["name"], region_code=region)
        elif region:
            result.errors.append(RowError(line, row["ods_code"], f"{source}: code or name missing"))

    source = "icbs_2022-2026.csv"
    columns = {
        "ods_code",
        "ons_icb23cd",
        "name_ons_2023",
        "nhs_region_2023",
        "status_at_2026-04-01",
        "successor_ods_codes",
    }
    for line, row in _dict_rows(former, columns, source):
        code, status = row["ods_code"], row["status_at_2026-04-01"]
        if code in by_code:
            by_code[code] = replace(by_code[code], ons_code=row["ons_icb23cd"])
            continue
        if not status.startswith("closed "):
            result.errors.append(RowError(line, code, f"{source}: not in icbs_2026.csv but not closed ({status!r})"))
            continue
        try:
            replaced_on = datetime.date.fromisoformat(status.removeprefix("closed ").strip())
        except ValueError:
            result.errors.append(RowError(line, code, f"{source}: no close date in {status!r}"))
            continue
        region = region_code(row["nhs_region_2023"], line, code, source)
        if not region:
            continue
        former_lines[code] = line
        by_code[code] = IcbRow(
            code=code,
            name=row["name_ons_2023"],
            region_code=region,
            ons_code=row["ons_icb23cd"],
            closed_on=replaced_on - datetime.timedelta(days=1),
            successor_codes=tuple(c.strip() for c in row["successor_ods_codes"].split(";") if c.strip()),
        )
    for row in by_code.values():
        for successor in row.successor_codes:
            if successor not in by_code:
                result.errors.append(
                    RowError(former_lines[row.code], row.code, f"{source}: successor {successor} is not a known ICB")
                )
    result.rows = list(by_code.values())
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
            effective_on = _ods_date(cells[3])
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
    for line, row in _dict_rows(lines, {"code", "sector", "exemplar_status"}, source):
        if row["sector"] not in Sector.values:
            result.errors.append(RowError(line, row["code"], f"{source}: unknown sector {row['sector']!r}"))
        elif row["exemplar_status"] not in ExemplarStatus.values:
            result.errors.append(
                RowError(line, row["code"], f"{source}: unknown exemplar status {row['exemplar_status']!r}")
            )
        else:
            result.rows.append(ProfileRow(line, row["code"], row["sector"], row["exemplar_status"]))
    return result
