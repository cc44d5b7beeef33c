"""The ICBs of 2022-2026 and since 2026 and the 2023 trust list, parsed, and each trust's ICB over
time derived from them and the register."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from digitrack.dates import long_date

from .register import SuccessionRow, TrustRow
from .rows import RowError, dict_rows

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
    for line, row in dict_rows(current, {"ods_code", "name", "nhs_region", "status_2026"}, source):
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
    for line, row in dict_rows(former, columns, source):
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
    for line, row in dict_rows(lines, {"code", "icb_name"}, source):
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
