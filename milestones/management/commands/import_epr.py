"""manage.py import_epr PATH [--as-at 2024-10-01]: load a published EPR status or supplier file."""

from milestones.services.sources import epr_file_import

from ._snapshot_import import SnapshotImportCommand


class Command(SnapshotImportCommand):
    help = (
        "Load a published EPR file as a snapshot: the Frontline Digitisation report (EPR group and status) "
        "or the primary EPR supplier list, told apart by their headers (CSV or XLSX). Safe to re-run."
    )
    path_help = "The EPR file (CSV or XLSX)."
    as_at_help = "The day the file reflects (default: its report date column, or the date in its sheet's name)."

    def file_import(self, *, path, as_at, options):
        return epr_file_import(path=path, as_at=as_at)
