"""Writes of published national data: each file becomes a dated snapshot of its source, with a
provenance row per trust row, kept forever.

The parsers (milestones.importers) read files; here rows are matched to the register (codes,
or names for the DMA), merged trusts are followed to their successors, and everything is
stored in one transaction. The same file again (same SHA-256) writes nothing.
"""

import datetime
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from trusts.models import TRUST_CODE_PATTERN, Trust

from ..importers.dma import DmaParse, parse_dma
from ..importers.dspt import DsptParse, DsptRow, parse_dspt
from ..importers.epr import EprParse, parse_epr
from ..importers.tables import FileRefused
from ..models import DsptSubmissionDeadline, NationalDataRule, Source, SourceRow, SourceSnapshot, Target
from .dspt import DsptImportSummary, dspt_assessments_apply
from .recompute import inputs_changed

# The national data rules each source's rows decide (DSPT's recompute is dspt_assessments_apply's).
RULES_OF_SOURCE = {
    Source.EPR_STATUS: [NationalDataRule.EPR_IN_USE, NationalDataRule.MDF_CORE_CAPABILITIES],
    Source.EPR_SUPPLIER: [NationalDataRule.EPR_IN_USE],
    Source.DMA: [NationalDataRule.DMA_PILLAR_AT_LEAST],
}


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


# A row as the service stores it: where it is, what it names, what it says (SourceRow fields).
@dataclass(frozen=True)
class _Row:
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


# Reading a file and storing its snapshots.


def dspt_file_import(*, path: Path, year: str | None = None, as_at: datetime.date | None = None) -> SnapshotSummary:
    """Read, check and store one published DSPT file; the trusts' current statuses
    (DsptAssessment) follow it where it is the newest for their year."""
    content = _read(path)
    parse = parse_dspt(content, year=year)
    as_at = as_at or _dspt_as_at(parse)
    edition = max((row.year for row in parse.rows), default="")
    rows = [
        _Row(
            parse.sheet,
            row.line,
            row.code,
            row.name,
            row.kind,
            datetime.date(int(row.year[:4]), 4, 1),
            lambda trust_id, row=row: (trust_id, row.year),
            {"edition": row.year, "dspt_status": row.status, "published_on": row.published_on},
        )
        for row in parse.rows
    ]
    return snapshot_import(
        source=Source.DSPT,
        path=path,
        content=content,
        as_at=as_at,
        edition=edition,
        rows=rows,
        rows_read=parse.rows_read,
        errors=parse.errors,
        warnings=parse.warnings,
    )


def epr_file_import(*, path: Path, as_at: datetime.date | None = None) -> list[SnapshotSummary]:
    """Read and store a published EPR file: a snapshot of each source whose columns it has."""
    content = _read(path)
    parse = parse_epr(content)
    as_at = as_at or parse.as_at
    if as_at is None:
        raise FileRefused(
            "No as-at date: the file has no report date column and its sheet's name gives no date. "
            "Give it with --as-at 2024-10-01."
        )
    summaries = []
    for source, present, fields in (
        (Source.EPR_STATUS, parse.has_status, ("group", "status", "size_band")),
        (Source.EPR_SUPPLIER, parse.has_supplier, ("supplier",)),
    ):
        if present:
            summaries.append(
                snapshot_import(
                    source=source,
                    path=path,
                    content=content,
                    as_at=as_at,
                    edition="",
                    rows=_epr_rows(parse, fields, as_at),
                    rows_read=parse.rows_read,
                    errors=parse.errors,
                    warnings=parse.warnings,
                )
            )
    return summaries


def _epr_rows(parse: EprParse, fields: tuple[str, ...], as_at: datetime.date) -> list[_Row]:
    names = {"group": "epr_group", "status": "epr_status", "size_band": "size_band", "supplier": "supplier"}
    return [
        _Row(
            parse.sheet,
            row.line,
            row.code,
            row.name,
            "",
            as_at,
            lambda trust_id: trust_id,
            {names[name]: getattr(row, name) for name in fields},
        )
        for row in parse.rows
        if any(getattr(row, name) for name in fields)
    ]


def dma_file_import(*, path: Path, year: str | None = None, as_at: datetime.date | None = None) -> SnapshotSummary:
    """Read and store a published DMA file, matching its providers' names to trusts."""
    content = _read(path)
    parse = parse_dma(content, year=year)
    as_at = as_at or parse.as_at
    if as_at is None:
        raise FileRefused("No as-at date: the file states no publication date. Give it with --as-at 2026-03-30.")
    return snapshot_import(
        source=Source.DMA,
        path=path,
        content=content,
        as_at=as_at,
        edition=max(parse.editions),
        rows=_dma_rows(parse, as_at),
        rows_read=parse.rows_read,
        errors=parse.errors,
        warnings=[],
        match_names=True,
    )


def _dma_rows(parse: DmaParse, as_at: datetime.date) -> list[_Row]:
    return [
        _Row(
            row.sheet,
            row.line,
            row.code,
            row.name,
            "",
            as_at,
            lambda trust_id, row=row: (trust_id, row.sheet, row.edition, row.care_setting.lower()),
            {"edition": row.edition, "care_setting": row.care_setting, "dma_overall": row.overall, **row.pillars},
        )
        for row in parse.rows
    ]


def snapshot_import(
    *,
    source: Source,
    path: Path,
    content: bytes,
    as_at: datetime.date,
    edition: str,
    rows: list[_Row],
    rows_read: int,
    errors: list[str],
    warnings: list[str],
    match_names: bool = False,
) -> SnapshotSummary:
    """Store one file's rows as a snapshot of `source`: rows matched to the register, each
    unmatched or skipped row reported. Idempotent: a file stored before (same SHA-256) writes
    nothing. When something is stored the dashboards go stale and the targets met by national
    data are recomputed after the commit."""
    sha256 = hashlib.sha256(content).hexdigest()
    summary = SnapshotSummary(source, path.name, rows_read=rows_read, errors=list(errors), warnings=list(warnings))
    with transaction.atomic():
        # Two imports of the same file at once: the second waits, then finds the first's snapshot.
        _lock(f"milestones.sourcesnapshot:{source}")
        summary.already = SourceSnapshot.objects.filter(source=source, sha256=sha256).first()
        if summary.already is not None:
            summary.rows_loaded = summary.already.rows_loaded
            return summary
        register = _Register.load(match_names=match_names)
        matched = _match(rows, register, summary)
        snapshot = SourceSnapshot.objects.create(
            source=source,
            edition=edition,
            as_at=as_at,
            file_name=path.name,
            sha256=sha256,
            imported_at=timezone.now(),
            rows_read=rows_read,
            rows_loaded=_lines_loaded(matched),
            report=summary.report(),
        )
        SourceRow.objects.bulk_create(
            [
                SourceRow(
                    snapshot=snapshot,
                    trust_id=trust_id,
                    sheet=row.sheet,
                    line=row.line,
                    code_in_file=row.code,
                    name_in_file=row.name[:200],
                    **row.values,
                )
                for row, trust_id in matched
            ],
            batch_size=2000,
        )
        summary.snapshot, summary.rows_loaded = snapshot, snapshot.rows_loaded
        targets = Target.objects.none()
        if source == Source.DSPT:
            # The statuses the file changes request their targets' recomputes.
            summary.dspt = dspt_assessments_apply(
                rows=[
                    DsptRow(
                        row.line,
                        register.by_id[trust_id].ods_code,
                        row.values["edition"],
                        row.values["dspt_status"],
                        row.values["published_on"],
                    )
                    for row, trust_id in matched
                ],
                source_file=path.name,
                source_sha256=sha256,
                as_at=as_at,
            )
        else:
            rules = RULES_OF_SOURCE[source]
            targets = Target.objects.filter(requirements__national_data_rule__in=rules).distinct()
        # Pages show each snapshot's rows and as-at date, even where no status moves.
        inputs_changed(targets=targets, reason=f"{snapshot.get_source_display()} imported from {path.name}")
    return summary


# Matching rows to the register.


@dataclass
class _Register:
    """The trusts, as few queries as it takes: by code, by normalised name, and their successors."""

    trusts: dict[str, Trust]
    by_id: dict[int, Trust]
    successors: dict[int, list[int]]
    names: dict[str, set[str]]

    @classmethod
    def load(cls, *, match_names: bool) -> "_Register":
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
        closed = f"{trust.ods_code} closed on {trust.closed_on:%d %b %Y}"
        if len(open_ones) == 1:
            return open_ones[0], f"{closed}: attributed to its successor {open_ones[0].ods_code}"
        if open_ones:
            codes = ", ".join(sorted(t.ods_code for t in open_ones))
            return None, f"{closed}, split between {codes}: not attributed to either"
        return None, f"{closed} and no successor was open on {day:%d %b %Y}"


def normalise_name(name: str) -> str:
    """ "The Royal Orthopaedic Hospital NHS Foundation Trust (RRJ)" and "ROYAL ORTHOPAEDIC HOSPITAL
    NHS FOUNDATION TRUST" are one name."""
    text = name.upper().replace("&", " AND ").replace("NATIONAL HEALTH SERVICE", "NHS")
    text = " ".join(re.sub(r"[^A-Z0-9]+", " ", re.sub(r"\([^)]*\)", " ", text)).split())
    return text.removeprefix("THE ")


def _match(rows: Iterable[_Row], register: _Register, summary: SnapshotSummary) -> list[tuple[_Row, int]]:
    """Each row's trust, or a report of why it has none. A row naming a trust that had closed by
    the day it describes goes to its successor, unless the successor has a row of its own."""
    own: dict[Hashable, tuple[_Row, int]] = {}
    inherited: list[tuple[_Row, int, str]] = []
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


def _named_trust(row: _Row, register: _Register, summary: SnapshotSummary) -> Trust | None:
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


# Helpers.


def _lines_loaded(matched: list[tuple[_Row, int]]) -> int:
    # A DMA comparison line gives a row per year: count lines, as rows_read does.
    return len({(row.sheet, row.line) for row, _ in matched})


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise FileRefused(f"Cannot read the file ({error.strerror or error}).") from error


def _dspt_as_at(parse: DsptParse) -> datetime.date:
    """The day a DSPT file reflects, when not given: its latest publication date, else the
    submission deadline of its newest year (statuses are published by then)."""
    published = [row.published_on for row in parse.rows if row.published_on]
    if published:
        return max(published)
    years = sorted({row.year for row in parse.rows})
    deadline = DsptSubmissionDeadline.objects.filter(year=years[-1]).first() if years else None
    if deadline is None:
        raise FileRefused("No as-at date: the file has no publication dates. Give it with --as-at 2023-11-16.")
    return deadline.deadline


def _lock(name: str) -> None:
    """Serialise imports of one source until the transaction ends (SQLite writes one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
