"""Writes of published national data: each file becomes a dated snapshot of its source, with a
provenance row per trust row, kept forever.

The parsers (milestones.importers) read files; their rows are matched to the register
(milestones.services.source_rows: codes, or names for the DMA, merged trusts followed to their
successors), and everything is stored in one transaction. The same file again (same SHA-256)
adds only the lines the register could not match before and can now.
"""

import datetime
import hashlib
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from ..importers.dma import DmaParse, parse_dma
from ..importers.dspt import DsptParse, DsptRow, parse_dspt
from ..importers.epr import EprParse, parse_epr
from ..importers.tables import FileRefused
from ..models import DsptSubmissionDeadline, NationalDataRule, Source, SourceRow, SourceSnapshot, Target
from .dspt import dspt_assessments_apply
from .recompute import inputs_changed
from .source_rows import PublishedRow, Register, SnapshotSummary, lines_loaded, rows_match

# The national data rules each source's rows decide (DSPT's recompute is dspt_assessments_apply's).
RULES_OF_SOURCE = {
    Source.EPR_STATUS: [NationalDataRule.EPR_IN_USE, NationalDataRule.MDF_CORE_CAPABILITIES],
    Source.EPR_SUPPLIER: [NationalDataRule.EPR_IN_USE],
    Source.DMA: [NationalDataRule.DMA_PILLAR_AT_LEAST],
}


# Reading a file and storing its snapshots.


def dspt_file_import(*, path: Path, year: str | None = None, as_at: datetime.date | None = None) -> SnapshotSummary:
    """Read, check and store one published DSPT file; the trusts' current statuses
    (DsptAssessment) follow it where it is the newest for their year."""
    content = _read(path)
    parse = parse_dspt(content, year=year)
    as_at = as_at or _dspt_as_at(parse)
    edition = max((row.year for row in parse.rows), default="")
    rows = [
        PublishedRow(
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


def _epr_rows(parse: EprParse, fields: tuple[str, ...], as_at: datetime.date) -> list[PublishedRow]:
    names = {"group": "epr_group", "status": "epr_status", "size_band": "size_band", "supplier": "supplier"}
    return [
        PublishedRow(
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


def _dma_rows(parse: DmaParse, as_at: datetime.date) -> list[PublishedRow]:
    return [
        PublishedRow(
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
    rows: list[PublishedRow],
    rows_read: int,
    errors: list[str],
    warnings: list[str],
    match_names: bool = False,
) -> SnapshotSummary:
    """Store one file's rows as a snapshot of `source`: rows matched to the register, each
    unmatched or skipped row reported. A file stored before (same SHA-256) adds to its snapshot
    only the lines that match now and did not then (the register has the trust since, or its
    successor), and otherwise writes nothing. When something is stored the dashboards go stale and
    the targets met by national data are recomputed after the commit."""
    sha256 = hashlib.sha256(content).hexdigest()
    summary = SnapshotSummary(source, path.name, rows_read=rows_read, errors=list(errors), warnings=list(warnings))
    with transaction.atomic():
        # Two imports of the same file at once: the second waits, then finds the first's snapshot.
        _lock(f"milestones.sourcesnapshot:{source}")
        register = Register.load(match_names=match_names)
        matched = rows_match(rows, register, summary)
        snapshot = summary.already = SourceSnapshot.objects.filter(source=source, sha256=sha256).first()
        if snapshot is not None:
            stored = set(snapshot.rows.values_list("sheet", "line"))
            matched = [(row, trust_id) for row, trust_id in matched if (row.sheet, row.line) not in stored]
            summary.rows_added = lines_loaded(matched)
            summary.rows_loaded = snapshot.rows_loaded + summary.rows_added
            if not matched:
                return summary
            snapshot.rows_loaded, snapshot.report = summary.rows_loaded, summary.report()
            snapshot.save(update_fields=["rows_loaded", "report"])
        else:
            snapshot = SourceSnapshot.objects.create(
                source=source,
                edition=edition,
                as_at=as_at,
                file_name=path.name,
                sha256=sha256,
                imported_at=timezone.now(),
                rows_read=rows_read,
                rows_loaded=lines_loaded(matched),
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
        if source == Source.DSPT:
            # The statuses the file changes are announced with their targets' recomputes.
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
                # The snapshot's own, for lines added to one stored before (under another name or as-at).
                source_file=snapshot.file_name,
                source_sha256=sha256,
                as_at=snapshot.as_at,
            )
            if summary.dspt.created or summary.dspt.updated:
                return summary  # one announcement for the whole import
            targets = Target.objects.none()
        else:
            rules = RULES_OF_SOURCE[source]
            targets = Target.objects.filter(requirements__national_data_rule__in=rules).distinct()
        # Pages show each snapshot's rows and as-at date, even where no status moves.
        inputs_changed(targets=targets, reason=f"{snapshot.get_source_display()} imported from {path.name}")
    return summary


# Helpers.


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
