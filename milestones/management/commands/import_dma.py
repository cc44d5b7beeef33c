"""manage.py import_dma PATH [--year 2025] [--as-at 2026-03-30]: load the Digital Maturity Assessment data file."""

from milestones.services.sources import dma_file_import

from ._snapshot_import import SnapshotImportCommand


class Command(SnapshotImportCommand):
    help = (
        "Load the DMA data file (XLSX, or one of its provider sheets as CSV) as a snapshot: pillar scores "
        "and overall scores per provider and care setting, providers matched to trusts by name. Safe to re-run."
    )
    path_help = "The DMA data file (XLSX or CSV)."
    year_help = "The DMA year of pillar scores whose sheet does not name it, such as 2025."
    as_at_help = "The day the file reflects (default: its stated publication date)."

    def file_import(self, *, path, as_at, options):
        return [dma_file_import(path=path, year=options["year"], as_at=as_at)]
