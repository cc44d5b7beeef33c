"""manage.py backfill_compliance_history --since DATE"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from milestones.services.compliance import compliance_history_backfill

from ._arguments import iso_date


class Command(BaseCommand):
    help = "Fill month-end compliance snapshots since a date from the evidence record (for trend charts)."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=iso_date, required=True, help="first month to fill (YYYY-MM-DD)")

    def handle(self, *args, since, **options):
        today = timezone.localdate()
        if since > today:
            raise CommandError("--since is in the future.")
        written = compliance_history_backfill(since=since, until=today)
        self.stdout.write(f"Wrote {written} month-end snapshots from {since} to {today}.")
