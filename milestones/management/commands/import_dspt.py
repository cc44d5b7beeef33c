"""manage.py import_dspt PATH [--year 2021-22] [--as-at 2023-11-16]: load a published DSPT status file."""

from milestones.models import DsptStatus
from milestones.services.sources import dspt_file_import

from ._snapshot_import import SnapshotImportCommand


class Command(SnapshotImportCommand):
    help = (
        "Load published DSPT statuses (CSV or XLSX; columns found by header name) as a snapshot. "
        "Safe to re-run: the same file again writes nothing; a later file adds a snapshot and updates "
        "the trusts' current statuses, keeping what it replaced."
    )
    path_help = "The DSPT status file (CSV or XLSX)."
    year_help = "Assessment year, such as 2021-22, for statuses without a year."
    as_at_help = "The day the file reflects (default: its latest publication date, else its year's deadline)."

    def file_import(self, *, path, as_at, options):
        return [dspt_file_import(path=path, year=options["year"], as_at=as_at)]

    def report(self, summary):
        """What was stored, then what the file changed in the trusts' current statuses."""
        super().report(summary)
        if summary.dspt is None:
            return
        labels = dict(DsptStatus.choices)
        changes = summary.dspt
        kept = f", {changes.kept_newer} kept from a newer snapshot" if changes.kept_newer else ""
        self.stdout.write(
            f"{summary.file_name}: {changes.created} assessments created, {changes.updated} updated, "
            f"{changes.unchanged} unchanged{kept}."
        )
        for (assessment_year, status), count in sorted(changes.statuses.items()):
            self.stdout.write(f"  {assessment_year} {labels[status]}: {count} trusts")
        for error in changes.errors:
            self.stderr.write(error)
