"""manage.py import_dspt PATH [--year 2021-22] [--as-at 2023-11-16]: load a published DSPT status file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.importers.tables import FileRefused
from milestones.models import DsptStatus
from milestones.services.sources import dspt_file_import

from ._snapshot_report import parse_day, snapshot_report


class Command(BaseCommand):
    help = (
        "Load published DSPT statuses (CSV or XLSX; columns found by header name) as a snapshot. "
        "Safe to re-run: the same file again writes nothing; a later file adds a snapshot and updates "
        "the trusts' current statuses, keeping what it replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The DSPT status file (CSV or XLSX).")
        parser.add_argument("--year", help="Assessment year, such as 2021-22, for statuses without a year.")
        parser.add_argument(
            "--as-at",
            type=parse_day,
            help="The day the file reflects (default: its latest publication date, else its year's deadline).",
        )

    def handle(self, *args, path: Path, year: str | None, as_at, **options):
        try:
            summary = dspt_file_import(path=path, year=year, as_at=as_at)
        except FileRefused as error:
            raise CommandError(f"Nothing imported from {path}: {error}") from error

        snapshot_report(self, summary)
        if summary.dspt is None:
            return
        labels = dict(DsptStatus.choices)
        changes = summary.dspt
        kept = f", {changes.kept_newer} kept from a newer snapshot" if changes.kept_newer else ""
        self.stdout.write(
            f"{path.name}: {changes.created} assessments created, {changes.updated} updated, "
            f"{changes.unchanged} unchanged{kept}."
        )
        for (assessment_year, status), count in sorted(changes.statuses.items()):
            self.stdout.write(f"  {assessment_year} {labels[status]}: {count} trusts")
        for error in changes.errors:
            self.stderr.write(error)
