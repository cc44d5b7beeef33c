"""What the import commands for published files share (import_dspt, import_epr, import_dma): a PATH
and --as-at, a refused file answered with a CommandError naming it, and how what an import did is
printed."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digitrack.dates import long_date_time, short_date
from milestones.importers.tables import FileRefused
from milestones.services.source_rows import SnapshotSummary

from ._arguments import iso_date


class SnapshotImportCommand(BaseCommand):
    """Import one published file as snapshots: subclasses say what the file is (path_help,
    as_at_help, and year_help where rows may carry no year: --year) and how it is read (file_import)."""

    path_help = ""
    as_at_help = ""
    year_help = ""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=self.path_help)
        parser.add_argument("--as-at", type=iso_date, help=self.as_at_help)
        if self.year_help:
            parser.add_argument("--year", help=self.year_help)

    def file_import(self, *, path: Path, as_at: datetime.date | None, options: dict) -> list[SnapshotSummary]:
        raise NotImplementedError

    def handle(self, *args, path: Path, as_at, **options):
        try:
            summaries = self.file_import(path=path, as_at=as_at, options=options)
        except FileRefused as error:
            raise CommandError(f"Nothing imported from {path}: {error}") from error
        for summary in summaries:
            self.report(summary)

    def report(self, summary: SnapshotSummary) -> None:
        """One line for what was stored, one for organisations skipped by kind, then each row not
        loaded, by line, on standard error."""
        if summary.already is not None:
            imported = f"{summary.file_name}: already imported on {long_date_time(summary.already.imported_at)} as "
            if not summary.rows_added:
                self.stdout.write(f"{imported}{summary.already}: nothing written.")
                return
            self.stdout.write(
                f"{imported}{summary.already}: {summary.rows_added} rows for trusts the register matches only now "
                f"loaded ({summary.rows_loaded} of {summary.rows_read} in all)."
            )
        else:
            snapshot = summary.snapshot
            edition = f" {snapshot.edition}" if snapshot.edition else ""
            self.stdout.write(
                f"{summary.file_name}: {snapshot.get_source_display()}{edition} as at {short_date(snapshot.as_at)}: "
                f"{summary.rows_read} rows read, {summary.rows_loaded} loaded."
            )
        if summary.not_trusts:
            self.stdout.write(summary.not_trusts_line())
        if summary.unmatched:
            self.stdout.write(f"{len(summary.unmatched)} rows for trusts not matched in the register (not loaded):")
            for unmatched in summary.unmatched:
                self.stdout.write(f"  {unmatched}")
        for note in summary.successors:
            self.stdout.write(note)
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
        for error in summary.errors:
            self.stderr.write(error)
