"""A published file's rows as the snapshot services store them, matched to the register: by ODS code,
or by name for the DMA (which gives none), a row of a trust closed by the day it describes going to
its successor; and what an import of a file reports.

Reads only: milestones.services.sources stores what is matched here.
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from digitrack.dates import short_date
from trusts.models import TRUST_CODE_PATTERN, Trust

from ..models import SourceRow, SourceSnapshot
from .dspt import DsptImportSummary


@dataclass(frozen=True)
class Unmatched:
    where: str  # "Line 12" or "Sheet 'X' line 12"
    code: str
    name: str
    reason: str

    def __str__(self) -> str:
        named = " ".join(part for part in (self.code, f"({self.name})" if self.name else "") if part)
        return f"{self.where}: {named}: {self.reason}"


@dataclass
class SnapshotSummary:
    source: str
    file_name: str
    snapshot: SourceSnapshot | None = None  # None: nothing new stored
    already: SourceSnapshot | None = None  # the snapshot this same file was stored as before
    rows_added: int = 0  # lines of a file stored before that match the register only now
    rows_read: int = 0
    rows_loaded: int = 0
    not_trusts: Counter = field(default_factory=Counter)  # kind as the file gives it: rows skipped
    unmatched: list[Unmatched] = field(default_factory=list)  # trusts not found in the register
    successors: list[str] = field(default_factory=list)  # rows attributed to a merged trust's successor
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dspt: DsptImportSummary | None = None  # what the DSPT import changed in the current statuses

    def report(self) -> str:
        lines = [*self.errors, *self.warnings, *self.successors, *(str(u) for u in self.unmatched)]
        if self.not_trusts:
            lines.append(self.not_trusts_line())
        return "\n".join(lines)

    def not_trusts_line(self) -> str:
        """One line for every organisation that is not a trust: how many, by kind, most first."""
        kinds = sorted(self.not_trusts.items(), key=lambda item: (-item[1], item[0]))
        by_kind = ", ".join(f"{kind} {count}" for kind, count in kinds)
        return f"{sum(self.not_trusts.values())} rows for organisations that are not NHS trusts (skipped): {by_kind}."


# A row as the snapshot service stores it: where it is, what it names, what it says (SourceRow fields).
@dataclass(frozen=True)
class PublishedRow:
    sheet: str
    line: int
    code: str
    name: str
    kind: str
    on: datetime.date  # the day the row describes: a closed trust's row then is its successor's
    key: Callable[[int], Hashable]  # one row per key and snapshot: given the trust's id
    values: dict

    @property
    def where(self) -> str:
        return f"Sheet {self.sheet!r} line {self.line}" if self.sheet else f"Line {self.line}"


@dataclass
class Register:
    """The trusts, as few queries as it takes: by code, by normalised name, and their successors."""

    trusts: dict[str, Trust]
    by_id: dict[int, Trust]
    successors: dict[int, list[int]]
    names: dict[str, set[str]]

    @classmethod
    def load(cls, *, match_names: bool) -> "Register":
        trusts = {t.ods_code: t for t in Trust.objects.only("pk", "ods_code", "name", "opened_on", "closed_on")}
        successors: dict[int, list[int]] = {}
        for old, new in Trust.successors.through.objects.values_list("from_trust_id", "to_trust_id"):
            successors.setdefault(old, []).append(new)
        names: dict[str, set[str]] = {}
        if match_names:
            # A trust renamed since the register was cut is known by its old name in other
            # published files (the DSPT and EPR lists carry both code and name).
            known = [(t.name, code) for code, t in trusts.items()]
            known += SourceRow.objects.exclude(code_in_file="").values_list("name_in_file", "code_in_file").distinct()
            for name, code in known:
                if code in trusts:
                    names.setdefault(normalise_name(name), set()).add(code)
        return cls(trusts, {t.pk: t for t in trusts.values()}, successors, names)

    def successor_on(self, trust: Trust, day: datetime.date) -> tuple[Trust | None, str]:
        """The trust itself if open on `day`, else the one successor (following mergers) that was."""
        if trust.closed_on is None or trust.closed_on >= day:
            return trust, ""
        frontier, seen, open_ones = list(self.successors.get(trust.pk, ())), set(), []
        while frontier:
            trust_id = frontier.pop()
            if trust_id in seen:
                continue
            seen.add(trust_id)
            candidate = self.by_id[trust_id]
            if candidate.closed_on is None or candidate.closed_on >= day:
                open_ones.append(candidate)
            else:
                frontier.extend(self.successors.get(trust_id, ()))
        closed = f"{trust.ods_code} closed on {short_date(trust.closed_on)}"
        if len(open_ones) == 1:
            return open_ones[0], f"{closed}: attributed to its successor {open_ones[0].ods_code}"
        if open_ones:
            codes = ", ".join(sorted(t.ods_code for t in open_ones))
            return None, f"{closed}, split between {codes}: not attributed to either"
        return None, f"{closed} and no successor was open on {short_date(day)}"


def normalise_name(name: str) -> str:
    """ "The Royal Orthopaedic Hospital NHS Foundation Trust (RRJ)" and "ROYAL ORTHOPAEDIC HOSPITAL
    NHS FOUNDATION TRUST" are one name."""
    text = name.upper().replace("&", " AND ").replace("NATIONAL HEALTH SERVICE", "NHS")
    text = " ".join(re.sub(r"[^A-Z0-9]+", " ", re.sub(r"\([^)]*\)", " ", text)).split())
    return text.removeprefix("THE ")


def rows_match(
    rows: Iterable[PublishedRow], register: Register, summary: SnapshotSummary
) -> list[tuple[PublishedRow, int]]:
    """Each row's trust, or a report of why it has none. A row naming a trust that had closed by
    the day it describes goes to its successor, unless the successor has a row of its own."""
    own: dict[Hashable, tuple[PublishedRow, int]] = {}
    inherited: list[tuple[PublishedRow, int, str]] = []
    for row in rows:
        if summary.unmatched and summary.unmatched[-1].where == row.where:
            continue  # the line's other scores: reported once
        trust = _named_trust(row, register, summary)
        if trust is None:
            continue
        heir, note = register.successor_on(trust, row.on)
        if heir is None:
            summary.unmatched.append(Unmatched(row.where, row.code or trust.ods_code, row.name, note))
        elif heir is not trust:
            inherited.append((row, heir.pk, note))
        elif (key := row.key(trust.pk)) in own:
            summary.errors.append(f"{row.where}: {trust.ods_code} again (first on line {own[key][0].line}): ignored.")
        else:
            own[key] = (row, trust.pk)
    for row, trust_id, note in inherited:
        if (key := row.key(trust_id)) in own:
            summary.successors.append(f"{row.where}: {note}, which has its own row (line {own[key][0].line}): skipped.")
        else:
            own[key] = (row, trust_id)
            summary.successors.append(f"{row.where}: {note}.")
    matched = list(own.values())
    return sorted(matched, key=lambda pair: (pair[0].sheet, pair[0].line))


def _named_trust(row: PublishedRow, register: Register, summary: SnapshotSummary) -> Trust | None:
    if row.code and row.code in register.trusts:
        return register.trusts[row.code]
    if row.code and not TRUST_CODE_PATTERN.match(row.code):
        summary.not_trusts[row.kind or "kind not given"] += 1
        return None
    if row.code or not register.names:
        summary.unmatched.append(Unmatched(row.where, row.code, row.name, "not in the trust register"))
        return None
    codes = register.names.get(normalise_name(row.name), set())
    if len(codes) == 1:
        return register.trusts[next(iter(codes))]
    reason = f"name matches {', '.join(sorted(codes))}" if codes else "name matches no trust in the register"
    summary.unmatched.append(Unmatched(row.where, "", row.name, reason))
    return None


def lines_loaded(matched: list[tuple[PublishedRow, int]]) -> int:
    # A DMA comparison line gives a row per year: count lines, as rows_read does.
    return len({(row.sheet, row.line) for row, _ in matched})
