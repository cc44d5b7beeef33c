"""manage.py import_dspt PATH [--year 2021-22]: load a published DSPT status file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.importers.dspt import DsptFileRefused
from milestones.models import DsptStatus
from milestones.services.dspt import dspt_file_import


class Command(BaseCommand):
    help = (
        "Load published DSPT statuses (CSV; columns found by header name). Safe to re-run: "
        "the same file again writes nothing; a later file updates changed statuses and keeps history."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The DSPT status file (CSV).")
        parser.add_argument("--year", help="Assessment year, such as 2021-22, for statuses without a year prefix.")

    def handle(self, *args, path: Path, year: str | None, **options):
        try:
            summary = dspt_file_import(path=path, year=year)
        except (OSError, UnicodeDecodeError, DsptFileRefused) as error:
            raise CommandError(f"Nothing imported from {path}: {error}") from error

        labels = dict(DsptStatus.choices)
        self.stdout.write(
            f"{path.name}: {summary.created} assessments created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged."
        )
        for (assessment_year, status), count in sorted(summary.statuses.items()):
            self.stdout.write(f"  {assessment_year} {labels[status]}: {count} trusts")
        if summary.not_trusts:
            self.stdout.write(
                f"{len(summary.not_trusts)} rows for organisations not in the trust register (skipped): "
                + ", ".join(sorted(summary.not_trusts))
            )
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
        for error in summary.errors:
            self.stderr.write(error)
