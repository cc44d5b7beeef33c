"""manage.py import_dma PATH [--year 2025] [--as-at 2026-03-30]: load the Digital Maturity Assessment data file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.importers.tables import FileRefused
from milestones.services.sources import dma_file_import

from ._snapshot_report import parse_day, snapshot_report


class Command(BaseCommand):
    help = (
        "Load the DMA data file (XLSX, or one of its provider sheets as CSV) as a snapshot: pillar scores "
        "and overall scores per provider and care setting, providers matched to trusts by name. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The DMA data file (XLSX or CSV).")
        parser.add_argument("--year", help="The DMA year of pillar scores whose sheet does not name it, such as 2025.")
        parser.add_argument(
            "--as-at", type=parse_day, help="The day the file reflects (default: its stated publication date)."
        )

    def handle(self, *args, path: Path, year: str | None, as_at, **options):
        try:
            summary = dma_file_import(path=path, year=year, as_at=as_at)
        except FileRefused as error:
            raise CommandError(f"Nothing imported from {path}: {error}") from error
        snapshot_report(self, summary)
