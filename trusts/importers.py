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

from digitrack.dates import long_date

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


# The 42 ICBs took over from clinical commissioning groups on 1 July 2022 (Health and Care Act
# 2022); the shipped 2022-2026 list is theirs.
ICBS_ESTABLISHED_ON = datetime.date(2022, 7, 1)


@dataclass(frozen=True)
class IcbRow:
    code: str
    name: str
    region_code: str
    ons_code: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    successor_codes: tuple[str, ...] = ()
    # The ICBs it was formed from or took part of (QRL gained part of Frimley, QNQ).
    formed_from: tuple[str, ...] = ()


@dataclass
class IcbParse:
    rows: list[IcbRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The 2022-2026 ICBs' names as ONS published them in 2023 (upper case) to their codes.
    codes_by_2023_name: dict[str, str] = field(default_factory=dict)


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

    An ICB in both keeps its current (ODS) name and gains its ONS code and its opening on
    1 July 2022; a new one opened on the date its status gives ("new 2026-04-01"). A former ICB
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
    for line, row in _dict_rows(current, {"ods_code", "name", "nhs_region", "status_2026"}, source):
        region = region_code(row["nhs_region"], line, row["ods_code"], source)
        status = row["status_2026"]
        # "new 2026-04-01" opened that day; the others ("unchanged", "continued, expanded ...") are
        # ICBs of 2022 and take their opening from the 2022-2026 list below.
        try:
            opened_on = (
                datetime.date.fromisoformat(status.removeprefix("new ").strip()) if status.startswith("new ") else None
            )
        except ValueError:
            result.errors.append(RowError(line, row["ods_code"], f"{source}: no opening date in {status!r}"))
            continue
        formed_from = tuple(c.strip() for c in row.get("formed_from_ods_codes", "").split(";") if c.strip())
        if region and row["ods_code"] and row["name"]:
            by_code[row["ods_code"]] = IcbRow(
                code=row["ods_code"], name=row["name"], region_code=region, opened_on=opened_on, formed_from=formed_from
            )
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
        result.codes_by_2023_name[row["name_ons_2023"].upper()] = code
        if code in by_code:
            by_code[code] = replace(by_code[code], ons_code=row["ons_icb23cd"], opened_on=ICBS_ESTABLISHED_ON)
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
            opened_on=ICBS_ESTABLISHED_ON,
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


@dataclass
class TrustIcbParse:
    """The 2023 trust list's ICB per trust code, as ICB codes."""

    icb_by_trust: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def parse_trust_icbs_2023(lines: Iterable[str], *, icb_codes_by_name: Mapping[str, str]) -> TrustIcbParse:
    """trusts/data/trust_types_2023.csv: NHS England's trust list of June 2023 names each trust's
    ICB; `icb_codes_by_name` maps the 2022-2026 ICB names (upper case) to their codes."""
    result = TrustIcbParse()
    source = "trust_types_2023.csv"
    for line, row in _dict_rows(lines, {"code", "icb_name"}, source):
        icb_code = icb_codes_by_name.get(row["icb_name"].upper())
        if icb_code is None:
            result.errors.append(RowError(line, row["code"], f"{source}: unknown ICB {row['icb_name']!r}"))
        else:
            result.icb_by_trust[row["code"]] = icb_code
    return result


@dataclass(frozen=True)
class MembershipRow:
    """A trust's ICB over a period (valid_to is its last day, None while current); icb_code is
    empty where the files do not say, and `source` then says why."""

    ods_code: str
    icb_code: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str


@dataclass
class MembershipDerivation:
    rows: list[MembershipRow] = field(default_factory=list)
    # Where two files disagree: the dated one wins, and the disagreement is reported.
    warnings: list[str] = field(default_factory=list)


def _icb_eras(icbs: list[IcbRow]) -> list[tuple[datetime.date, datetime.date | None]]:
    """The periods in which one set of ICBs was in force, from the days ICBs opened: 1 July 2022
    to 31 March 2026, then from 1 April 2026."""
    starts = sorted({icb.opened_on for icb in icbs if icb.opened_on})
    ends = [start - datetime.timedelta(days=1) for start in starts[1:]] + [None]
    return list(zip(starts, ends, strict=True))


def _overlap(trust: TrustRow, start: datetime.date, end: datetime.date | None):
    """The part of [start, end] the trust was open in, or None."""
    valid_from = max(start, trust.opened_on)
    ends = [day for day in (end, trust.closed_on) if day is not None]
    valid_to = min(ends) if ends else None
    if valid_to is not None and valid_to < valid_from:
        return None
    return valid_from, valid_to


def derive_icb_memberships(
    *,
    trusts: list[TrustRow],
    icbs: list[IcbRow],
    icb_by_trust_2023: Mapping[str, str],
    successions: list[SuccessionRow],
) -> MembershipDerivation:
    """Each trust's ICB in each period of ICBs, from published facts only.

    The current period is the register's own ICB (etr.csv). An earlier one, in order:
    1. the ICB the June 2023 trust list names, if it was in force then;
    2. the trust's current ICB, if that ICB was already in force and took in no other ICB
       (an ICB that continued unchanged kept its trusts);
    3. the ICB all its predecessors (succ.csv) were in, for a trust formed by a merger;
    otherwise no ICB, with why. Trusts closed before ICBs existed get no row at all.
    """
    result = MembershipDerivation()
    by_code = {icb.code: icb for icb in icbs}
    eras = _icb_eras(icbs)
    if not eras:
        return result
    current_start = eras[-1][0]

    def in_force(code: str, start: datetime.date, end: datetime.date | None) -> bool:
        icb = by_code.get(code)
        return bool(
            icb
            and icb.opened_on
            and icb.opened_on <= start
            and (icb.closed_on is None or (end and icb.closed_on >= end))
        )

    predecessors: dict[str, list[SuccessionRow]] = {}
    for succession in successions:
        predecessors.setdefault(succession.new_code, []).append(succession)

    earlier: dict[tuple[str, datetime.date], MembershipRow] = {}
    unresolved: list[tuple[TrustRow, datetime.date, datetime.date | None, datetime.date]] = []
    for trust in sorted(trusts, key=lambda trust: trust.opened_on):
        for start, end in eras:
            period = _overlap(trust, start, end)
            if period is None:
                continue
            valid_from, valid_to = period
            if start == current_start:
                source = "ODS trust register, July 2026 (etr.csv)"
                code = trust.icb_code if trust.icb_code in by_code else ""
                if not code:
                    source = f"not known: the register names no ICB of {long_date(start)} for it"
                result.rows.append(MembershipRow(trust.ods_code, code, valid_from, valid_to, source))
                continue
            listed = icb_by_trust_2023.get(trust.ods_code, "")
            unchanged = (
                trust.icb_code
                if in_force(trust.icb_code, start, end) and not by_code[trust.icb_code].formed_from
                else ""
            )
            if listed and in_force(listed, start, end):
                if unchanged and unchanged != listed:
                    result.warnings.append(
                        f"{trust.ods_code}: the June 2023 trust list puts it in {listed}, the July 2026 register in "
                        f"{unchanged} (an ICB unchanged on {long_date(current_start)}); {listed} is used up to then"
                    )
                row = MembershipRow(
                    trust.ods_code,
                    listed,
                    valid_from,
                    valid_to,
                    "NHS England trust list, June 2023 (trust_types_2023.csv)",
                )
            elif unchanged:
                row = MembershipRow(
                    trust.ods_code,
                    unchanged,
                    valid_from,
                    valid_to,
                    f"its ICB in the July 2026 register (etr.csv), unchanged on {long_date(current_start)}",
                )
            else:
                unresolved.append((trust, valid_from, valid_to, start))
                continue
            earlier[(trust.ods_code, start)] = row
            result.rows.append(row)

    for trust, valid_from, valid_to, start in unresolved:
        # The trusts it was formed from by then: RNK joined G6V2S in 2026, after G6V2S was formed.
        before = [row.old_code for row in predecessors.get(trust.ods_code, []) if row.effective_on <= valid_from]
        known = {earlier[(code, start)].icb_code for code in before if (code, start) in earlier}
        if before and len(known) == 1 and all((code, start) in earlier for code in before):
            [code] = known
            source = f"the ICB of the trusts it was formed from ({', '.join(sorted(before))}, succ.csv)"
        else:
            code = ""
            current = by_code.get(trust.icb_code)
            why = (
                f"its ICB since {long_date(current_start)}, {trust.icb_code}, was formed from "
                + ", ".join(current.formed_from)
                if current and current.formed_from
                else "no file names its ICB then"
            )
            source = f"not known: not in the June 2023 trust list, and {why}"
        result.rows.append(MembershipRow(trust.ods_code, code, valid_from, valid_to, source))
    return result
