"""manage.py import_epr PATH [--as-at 2024-10-01]: load a published EPR status or supplier file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.importers.tables import FileRefused
from milestones.services.sources import epr_file_import

from ._snapshot_report import parse_day, snapshot_report


class Command(BaseCommand):
    help = (
        "Load a published EPR file as a snapshot: the Frontline Digitisation report (EPR group and status) "
        "or the primary EPR supplier list, told apart by their headers (CSV or XLSX). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The EPR file (CSV or XLSX).")
        parser.add_argument(
            "--as-at",
            type=parse_day,
            help="The day the file reflects (default: its report date column, or the date in its sheet's name).",
        )

    def handle(self, *args, path: Path, as_at, **options):
        try:
            summaries = epr_file_import(path=path, as_at=as_at)
        except FileRefused as error:
            raise CommandError(f"Nothing imported from {path}: {error}") from error
        for summary in summaries:
            snapshot_report(self, summary)
