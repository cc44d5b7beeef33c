"""How the import commands print what an import did (shared by import_dspt, import_epr, import_dma)."""

import datetime

from django.core.management.base import CommandError

from milestones.services.source_rows import SnapshotSummary


def parse_day(value: str) -> datetime.date:
    """--as-at 2024-10-01."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date: use the form 2024-10-01.") from error


def snapshot_report(command, summary: SnapshotSummary) -> None:
    """One line for what was stored, one for organisations skipped by kind, then each row not
    loaded, by line, on standard error."""
    if summary.already is not None:
        command.stdout.write(
            f"{summary.file_name}: already imported on {summary.already.imported_at:%d %b %Y %H:%M} as "
            f"{summary.already}: nothing written."
        )
        return
    snapshot = summary.snapshot
    edition = f" {snapshot.edition}" if snapshot.edition else ""
    command.stdout.write(
        f"{summary.file_name}: {snapshot.get_source_display()}{edition} as at {snapshot.as_at:%d %b %Y}: "
        f"{summary.rows_read} rows read, {summary.rows_loaded} loaded."
    )
    if summary.not_trusts:
        command.stdout.write(summary.not_trusts_line())
    if summary.unmatched:
        command.stdout.write(f"{len(summary.unmatched)} rows for trusts not matched in the register (not loaded):")
        for unmatched in summary.unmatched:
            command.stdout.write(f"  {unmatched}")
    for note in summary.successors:
        command.stdout.write(note)
    for warning in summary.warnings:
        command.stderr.write(f"Warning: {warning}")
    for error in summary.errors:
        command.stderr.write(error)
